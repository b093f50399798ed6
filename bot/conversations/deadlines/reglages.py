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

The settings are the delays the seeds leave open (``bot.rules.SETTINGS``),
the hour of the daily digest and, when installed, the absences thresholds.
Every value is checked against its catalogue's bounds before it is stored,
and the organisation's deadlines are recomputed at once.

This is the one conversation that runs in a group chat: "Recevoir le
récapitulatif ici" sent from a group makes that group the digest's
destination (group digests name no trainee).
"""

from __future__ import annotations

import re

from bot.answers import Invalid
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, Step
from bot.conversations.kit.steps import Option, Pick
from bot.deadlines import org_settings
from bot.deadlines.service import refresh_organisation
from bot.messages import Reply
from bot.rules import RULES_BY_ID, Setting, SettingError
from bot.storage.people import Organisation, Role


async def organisation_of(ctx: Context) -> Organisation | None:
    return await ctx.session.get(Organisation, ctx.organisation_id)


def current(ctx: Context, organisation: Organisation, spec: Setting) -> object:
    return org_settings.value_of(organisation, spec, digest_default=ctx.settings.digest_hour)


def destination(ctx: Context, organisation: Organisation) -> str:
    if not organisation.digest_chat:
        return "private"
    if organisation.digest_chat == f"{ctx.incoming.platform.value}:{ctx.incoming.chat}":
        return "here"
    return "elsewhere"


async def setting_choices(ctx: Context) -> list[Option]:
    organisation = await organisation_of(ctx)
    if organisation is None:
        return []
    ctx.data["digest"] = {
        "hour": org_settings.digest_hour(organisation, ctx.settings.digest_hour),
        "where": destination(ctx, organisation),
    }
    options = []
    if destination(ctx, organisation) != "here":
        options.append(Option("📍 Recevoir le récapitulatif ici", "_here"))
    if organisation.digest_chat:
        options.append(Option("Recevoir le récapitulatif en privé (administrateurs)", "_private"))
    for spec in ctx.features.settings:
        value = org_settings.shown(current(ctx, organisation, spec), spec)
        options.append(Option(f"{spec.label} : {value}", f"s:{spec.key}"))
    return options


async def on_setting(ctx: Context, picked: str) -> Outcome:
    organisation = await organisation_of(ctx)
    if organisation is None:
        return Leave()
    if picked in ("_here", "_private"):
        organisation.digest_chat = (
            f"{ctx.incoming.platform.value}:{ctx.incoming.chat}" if picked == "_here" else None
        )
        ctx.audit(
            "digest_destination", "organisation", organisation.id, group=ctx.incoming.is_group
        )
        ctx.say(
            "reglages.digest_here" if picked == "_here" else "reglages.digest_private",
            group=ctx.incoming.is_group,
            hour=org_settings.digest_hour(organisation, ctx.settings.digest_hour),
        )
        return Leave()
    key = picked.removeprefix("s:")
    if ctx.features.setting(key) is None:
        return Retry(ctx.render("common.forged_choice"))
    ctx.data["key"] = key
    return Next("value")


_NUMBER = re.compile(
    r"^\s*(?P<n>-?\d{1,6})\s*(?:h|heures?|j|jours?|mois|%|pour\s*cent|minutes?)?\s*$", re.I
)


class SettingValue(Step):
    """The new value of one setting: buttons for yes/no and choices, a number typed otherwise."""

    def spec(self, ctx: Context) -> Setting | None:
        return ctx.features.setting(str(ctx.data.get("key")))

    def buttons(self, spec: Setting) -> dict[str, str]:
        """Button value → label."""
        if spec.type is bool:
            buttons = {"on": "Activer", "off": "Désactiver"}
        elif spec.choices:
            buttons = {c: org_settings.ROUNDING_WORDS.get(c, c) for c in spec.choices}
        else:
            buttons = {}
        return buttons | {"default": "Valeur par défaut"}

    async def ask(self, ctx: Context) -> Reply:
        spec = self.spec(ctx)
        organisation = await organisation_of(ctx)
        if spec is None or organisation is None:
            return Reply(text=ctx.render("reglages.unknown"))
        default = ctx.settings.digest_hour if spec.key == "digest_hour" else spec.default
        rules = [RULES_BY_ID[r] for r in spec.rules if r in RULES_BY_ID]
        text = ctx.render(
            "reglages.ask_value",
            spec=spec,
            value=org_settings.shown(current(ctx, organisation, spec), spec),
            default=org_settings.shown(default, spec),
            is_default=org_settings.is_default(organisation, spec),
            rules=[f"{r.id} ({r.source_ref})" for r in rules],
            reasons=org_settings.toggle_reasons(spec) if spec.type is bool else [],
            number=spec.type is int,
        )
        choices = tuple(ctx.choice(label, value) for value, label in self.buttons(spec).items())
        return Reply(text=text, choices=choices, columns=2 if spec.type is bool else 1)

    async def take(self, ctx: Context) -> Outcome:
        spec = self.spec(ctx)
        organisation = await organisation_of(ctx)
        if spec is None or organisation is None:
            ctx.say("reglages.unknown")
            return Leave()
        buttons = self.buttons(spec)
        synonyms = {"oui": "on", "non": "off", "activer": "on", "desactiver": "off"}
        value: object
        if spec.type is int and ctx.incoming.choice is None:
            if ctx.incoming.attachment is not None and not ctx.incoming.text.strip():
                return Retry(ctx.render("common.file_instead_of_text"))
            text = ctx.incoming.text
            number = _NUMBER.match(text) if len(text) < 40 else None
            if number is not None:
                value = int(number["n"])
            elif ctx.chosen(list(buttons), labels=buttons, numbered=[]) == "default":
                value = None
            else:
                return Retry(ctx.render("reglages.not_a_number", spec=spec))
        else:
            picked = ctx.chosen(
                list(buttons),
                labels=buttons,
                numbered=list(buttons),
                synonyms=synonyms if spec.type is bool else None,
            )
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            if picked is None:
                return Retry(ctx.render("common.pick_again"))
            value = None
            if picked != "default":
                value = picked == "on" if spec.type is bool else picked
        if value is not None:
            try:
                value = spec.check(value)
            except SettingError:
                return Retry(ctx.render("reglages.out_of_bounds", spec=spec))
        org_settings.store(organisation, spec, value)
        refreshed = await refresh_organisation(ctx.session, organisation.id)
        ctx.audit("setting", "organisation", organisation.id, key=spec.key)
        ctx.say(
            "reglages.saved",
            spec=spec,
            value=org_settings.shown(current(ctx, organisation, spec), spec),
            added=len(refreshed.added),
            moved=len(refreshed.moved),
            removed=len(refreshed.removed),
        )
        return Leave()


FLOW = Flow(
    "reglages",
    command="reglages",
    menu="Réglages de l'organisme (administrateurs)",
    role=Role.ADMIN,
    summary="régler les délais, le récapitulatif quotidien et sa destination",
    in_groups=True,
    steps=[
        Pick("setting", ask="reglages.ask_setting", options=setting_choices, then=on_setting),
        SettingValue("value", help="reglages.help_value"),
    ],
)

FLOWS = [FLOW]
