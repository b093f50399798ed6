"""The organisation settings (``/reglages``), for admins, and where the digest goes.

    Admin  /reglages
    Bot    Réglages de Organisme de démonstration. Récapitulatif quotidien à 8 h,
           en message privé à chaque administrateur.
           [Recevoir le récapitulatif ici] [Préparation du bilan … : 7] …
    Admin  (touche « Tableau de suivi des orientations pour les Parcours Métiers »)
    Bot    … Désactivé par défaut : demandé par 002 mais le texte plus récent 001
           (PRF 2021-2024) l'a supprimé pour les Parcours Métiers…
           [Activer] [Désactiver] [Valeur par défaut]
    Admin  Activer
    Bot    C'est enregistré. 3 échéances recalculées.

    Admin  (touche « Bilan pédagogique à la personne chargée de mission (heures avant le bilan) »)
    Bot    … Tapez la nouvelle valeur, entre 48 et 336.   [Valeur par défaut]
    Admin  72 h
    Bot    C'est enregistré : … = 72. Échéances recalculées : 0 ajoutée, 1 déplacée…

The settings are those the features declare (``ctx.features.settings``):
the delays the seeds leave open, the hour of the daily digest, the absences
thresholds, the attestations' options.  Every value is checked against its
catalogue's bounds before it is stored, and the organisation's deadlines are
recomputed at once (:mod:`bot.deadlines.settings_change`).

This is the one conversation that runs in a group chat: "Recevoir le
récapitulatif ici" sent from a group makes that group the digest's
destination (group digests name no trainee).
"""

from __future__ import annotations

import re

from bot.answers import Invalid
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, Step, leave_saying
from bot.conversations.kit.steps import Confirm, Option, Pick
from bot.deadlines import org_settings
from bot.deadlines.digest_recipients import digest_address
from bot.deadlines.settings_change import (
    change_setting,
    choose_digest_chat,
    organisation,
    reset_setting,
)
from bot.messages import Reply
from bot.privacy.retention import RETENTION_YEARS, expired_formations, years_before
from bot.rules import RULES_BY_ID, Setting, SettingError
from bot.rules.catalogue import rule_label
from bot.storage.people import Organisation


async def setting_choices(ctx: Context) -> list[Option]:
    found = await organisation(ctx.session, ctx.organisation_id)
    if found is None:
        return []
    where = org_settings.digest_destination(found, this_chat(ctx))
    ctx.data["digest"] = {"hour": digest_hour(ctx, found), "where": where}
    options = []
    if where != "here":
        options.append(Option("📍 Recevoir le récapitulatif ici", "_here"))
    if found.digest_chat:
        options.append(Option("Recevoir le récapitulatif en privé (administrateurs)", "_private"))
    for spec in ctx.features.settings:
        value = org_settings.shown(current(ctx, found, spec), spec)
        options.append(Option(f"{spec.label} : {value}", f"s:{spec.key}"))
    return [*options, Option("Terminé", "_done")]  # a way out (explorer AC8: none)


async def on_setting(ctx: Context, picked: str) -> Outcome:
    if picked == "_done":
        ctx.say("reglages.done")
        return Leave()
    if picked in ("_here", "_private"):
        here = picked == "_here"
        found = await choose_digest_chat(
            ctx.session,
            ctx.person_id,
            ctx.organisation_id,
            this_chat(ctx) if here else None,
            group=ctx.incoming.is_group,
        )
        if found is not None:
            ctx.say(
                "reglages.digest_here" if here else "reglages.digest_private",
                group=ctx.incoming.is_group,
                hour=digest_hour(ctx, found),
                platform=ctx.incoming.platform.value,
            )
        return Leave()
    key = picked.removeprefix("s:")
    if ctx.features.setting(key) is None:
        return Retry(ctx.render("common.forged_choice"))
    ctx.data["key"] = key
    return Next()


class SettingValue(Step):
    """The new value of one setting: buttons for yes/no and choices, a number typed otherwise.

    The answer is stored checked against the setting's bounds (``None``: back
    to the default); saving it is the step's ``then``.
    """

    async def question(self, ctx: Context) -> Reply:
        spec = chosen_setting(ctx)
        found = await organisation(ctx.session, ctx.organisation_id)
        if spec is None or found is None:
            return Reply(text=ctx.render("reglages.unknown"))
        default = ctx.settings.digest_hour if spec.key == org_settings.DIGEST_HOUR.key else None
        rules = [RULES_BY_ID[r] for r in spec.rules if r in RULES_BY_ID]
        text = ctx.render(
            "reglages.ask_value",
            spec=spec,
            value=org_settings.shown(current(ctx, found, spec), spec),
            default=org_settings.shown(spec.default if default is None else default, spec),
            is_default=org_settings.is_default(found, spec),
            rules=[f"{rule_label(r.id)} ({r.citation})" for r in rules],
            reasons=org_settings.toggle_reasons(spec) if spec.type is bool else [],
            number=spec.type is int,
            group=ctx.incoming.is_group,
        )
        # A number typed is the setting's value ("1" day, not the first button): no button
        # of a number setting is numbered, so no number on screen means two things.
        choices = tuple(
            ctx.choice(label, value, numbered=spec.type is not int)
            for value, label in buttons(spec).items()
        )
        return Reply(text=text, choices=choices, columns=2 if spec.type is bool else 1)

    async def answer(self, ctx: Context) -> Outcome:
        spec = chosen_setting(ctx)
        if spec is None:
            ctx.say("reglages.unknown")
            return Leave()
        value: object = typed_number(ctx, spec) if spec.type is int else None
        if value is None:
            value = picked_value(ctx, spec)
        if isinstance(value, Retry):
            return value
        if value == "default":
            ctx.data[self.store] = None
            return Next()
        try:
            ctx.data[self.store] = spec.check(value)
        except SettingError:
            return Retry(ctx.render("reglages.out_of_bounds", spec=spec))
        return Next()


async def check_value(ctx: Context, value: object) -> Outcome:
    """A shorter retention that would purge formations at once is asked again first
    (explorer J: 1 typed for 10, an audited formation gone within a minute, unsaid)."""
    spec = chosen_setting(ctx)
    found = await organisation(ctx.session, ctx.organisation_id)
    if spec is not None and spec.key == RETENTION_YEARS.key and found is not None:
        years = int(str(RETENTION_YEARS.default if value is None else value))
        today = ctx.now.astimezone(ctx.tz).date()
        gone = await expired_formations(ctx.session, found, today, years)
        kept = {f.id for f in await expired_formations(ctx.session, found, today)}
        purged = [f for f in gone if f.id not in kept]
        if purged:
            ctx.data["_purged"] = [[f.title, f.effective_end.isoformat()] for f in purged]
            ctx.data["_limit"] = years_before(today, years).isoformat()
            return Next("confirm_purge")
    return await save_setting(ctx, value)


async def save_confirmed(ctx: Context) -> Outcome:
    return await save_setting(ctx, ctx.data.get("value"))


async def save_setting(ctx: Context, value: object) -> Outcome:
    spec = chosen_setting(ctx)
    if spec is None:
        ctx.say("reglages.unknown")
        return Leave()
    digest_default = ctx.settings.digest_hour
    if value is None:
        changed = await reset_setting(
            ctx.session, ctx.person_id, ctx.organisation_id, spec, digest_default=digest_default
        )
    else:
        changed = await change_setting(
            ctx.session,
            ctx.person_id,
            ctx.organisation_id,
            spec,
            value,
            digest_default=digest_default,
        )
    if changed is None:
        ctx.say("reglages.unknown")
        return Leave()
    ctx.say(
        "reglages.saved",
        spec=spec,
        value=org_settings.shown(changed.value, spec),
        added=changed.added,
        moved=changed.moved,
        removed=changed.removed,
    )
    return Leave()


FLOW = Flow(
    "reglages",
    # A look at the settings until one is picked: another command closes it, nothing typed
    # is set aside (explorer AC8: « Je mets de côté … sans rien enregistrer »).
    browsing=True,
    # Its command, /aide line and who may use it: bot/features/deadlines.py.
    steps=[
        Pick("setting", ask="reglages.ask_setting", options=setting_choices, then=on_setting),
        SettingValue("value", help="reglages.help_value", then=check_value),
    ],
    branches=[
        Confirm(
            "confirm_purge",
            ask="reglages.confirm_purge",
            yes=save_confirmed,
            no=leave_saying("reglages.purge_declined"),
            yes_label="Oui, réduire et effacer",
            exact=True,
            no_label="Non, ne rien changer",
        )
    ],
)

FLOWS = [FLOW]


# --- helpers --------------------------------------------------------------------------


_NUMBER = re.compile(
    r"^\s*(?P<n>-?\d{1,6})\s*(?:h|heures?|j|jours?|mois|%|pour\s*cent|minutes?)?\s*$", re.I
)
_HOUR_AND_MINUTES = re.compile(r"^\s*(?P<h>\d{1,2})\s*(?:h|heures?|:)\s*(?P<m>\d{2})\s*$", re.I)
"""« 16 h 30 » typed for the digest's hour: on the hour only (explorer O)."""
_SYNONYMS = {"oui": "on", "non": "off", "activer": "on", "desactiver": "off"}


def this_chat(ctx: Context) -> str:
    """This chat's address as the digest keeps it (``platform:chat id``)."""
    return digest_address(ctx.incoming.platform.value, ctx.incoming.chat)


def current(ctx: Context, found: Organisation, spec: Setting) -> object:
    return org_settings.value_of(found, spec, digest_default=ctx.settings.digest_hour)


def digest_hour(ctx: Context, found: Organisation) -> int:
    return org_settings.digest_hour(found, ctx.settings.digest_hour)


def chosen_setting(ctx: Context) -> Setting | None:
    return ctx.features.setting(str(ctx.data.get("key")))


def buttons(spec: Setting) -> dict[str, str]:
    """Button value → label: yes/no, the choices, and always "Valeur par défaut"."""
    if spec.type is bool:
        offered = {"on": "Activer", "off": "Désactiver"}
    elif spec.choices:
        offered = {c: org_settings.CHOICE_WORDS.get(c, c) for c in spec.choices}
    else:
        offered = {}
    return offered | {"default": "Valeur par défaut"}


def typed_number(ctx: Context, spec: Setting) -> int | str | Retry | None:
    """A number typed for an integer setting; ``None`` when a button was pressed."""
    if ctx.incoming.choice is not None:
        return None
    refusal = ctx.refuse_non_text()  # a file, its caption no answer either (EC7)
    if refusal is not None:
        return refusal
    text = ctx.incoming.text
    number = _NUMBER.match(text) if len(text) < 40 else None
    if number is not None:
        return int(number["n"])
    clock = _HOUR_AND_MINUTES.match(text) if spec.key == org_settings.DIGEST_HOUR.key else None
    if clock is not None and int(clock["m"]) == 0:
        return int(clock["h"])
    if clock is not None and int(clock["h"]) <= 23 and int(clock["m"]) < 60:
        return Retry(ctx.render("reglages.hour_only", hour=int(clock["h"])))
    if clock is not None:  # « 25 h 30 »: no hour to offer (explorer P)
        return Retry(ctx.render("reglages.out_of_bounds", spec=spec))
    offered = buttons(spec)
    if ctx.chosen(list(offered), labels=offered) == "default":
        return "default"
    return Retry(ctx.render("reglages.not_a_number", spec=spec))


def picked_value(ctx: Context, spec: Setting) -> object:
    """The button (or its number, label or synonym) chosen: its value, or a re-ask."""
    offered = buttons(spec)
    picked = ctx.chosen(
        list(offered),
        labels=offered,
        synonyms=_SYNONYMS if spec.type is bool else None,
    )
    if isinstance(picked, Invalid):
        return Retry(picked.message)
    if picked is None:
        return Retry(ctx.render("common.pick_again"))
    if picked == "default":
        return picked
    return picked == "on" if spec.type is bool else picked
