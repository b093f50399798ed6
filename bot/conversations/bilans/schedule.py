"""Scheduling the bilan a formation owes its funder (``/bilan``).

    You  /bilan
    Bot  Programmons un bilan. Pour quelle formation ?  [Agent de restauration (démo)] …
    Bot  « Agent de restauration (démo) » doit à son financeur : le bilan de fin de
         formation, vers le jeudi 7 janvier 2027. Que voulez-vous faire ?
         [Programmer le bilan de fin de formation (proposé)]
    Bot  Le bilan de fin de formation aura-t-il lieu à distance (en visio) ou sur place ?
    You  À distance
    Bot  Quand ? Donnez le jour et l'heure, par exemple « jeudi 26 novembre à 14 h ».
    You  jeudi 26 novembre à 14 h
    Bot  J'ai compris : jeudi 26 novembre 2026 à 14 h 00. C'est bien ça ?
    …    durée, lien de visio, mot de passe, prise de parole (NOR-VISIO),
         délégués (NOR-DELEGATES), partenaires (partner.py), récapitulatif
    Bot  Je programme ce bilan ?  [Programmer le bilan] [Abandonner]
    Bot  C'est programmé.  Vos échéances pour ce bilan : … + invitation .ics,
         ordre du jour (PDF), message à la personne chargée de mission.

A bilan already scheduled is offered too ("Voir le bilan d'étape du …"):
that hands over to ``/bilans`` (listing.py).  The rules' deadlines of the
bilan are stored by :func:`bot.bilans.schedule.schedule_bilan`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot import dates
from bot.answers import AGREEING, Invalid, by_surname, clean_line, printable
from bot.bilans.checks import DEFAULT_MINUTES, MAX_PARTNERS, duration_minutes, minutes_fit
from bot.bilans.participants import Derogation, single_person
from bot.bilans.schedule import AlreadyScheduled, Partner, Plan, Visio, schedule_bilan
from bot.bilans.view import kind_label
from bot.conversations.attestations.trainer import invite_after_scheduling
from bot.conversations.bilans.bilan_formation import formation_choices, pick_formation, start
from bot.conversations.bilans.departed import gone_by, leave_out_departed, untick_departed
from bot.conversations.bilans.derogation import DEROGATION
from bot.conversations.bilans.funder_contact import tell_charge_de_mission
from bot.conversations.bilans.in_charge import someone_else_in_charge, tell_the_trainer_in_charge
from bot.conversations.bilans.partner import PARTNER, partner_data
from bot.conversations.bilans.shared import (
    deadline_lines,
    formation_of,
    invite_participants,
    parse_url,
    send_documents,
    viewer_of,
    when_text,
)
from bot.conversations.bilans.when import when_step
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Call,
    Flow,
    Leave,
    Next,
    Outcome,
    Retry,
    Switch,
    finish_now,
    leave_saying,
)
from bot.conversations.kit.steps import Confirm, Entry, Menu, Option, Pick, PickMany, Text, words
from bot.deadlines.actions import mark_done_by_answers

MODES = [
    Option("À distance, en visio", "remote", words=("distanciel", "visioconférence")),
    Option("Sur place, dans nos locaux", "onsite", words=("présentiel", "en salle")),
]


def _remote(ctx: Context) -> bool:
    return ctx.data.get("remote") == "remote"


def _on_site(ctx: Context) -> bool:
    return ctx.data.get("remote") == "onsite"


def _delegates_only(ctx: Context) -> bool:
    """NOR-DELEGATES: for a remote Normandie bilan of a group, only the delegates take part."""
    return ctx.data.get("funder") == "normandie" and _remote(ctx) and not ctx.data.get("single")


def _visio_not_compliant(ctx: Context) -> bool:
    """NOR-VISIO: the Région Normandie's requirements on the tool (no other funder's)."""
    secured = ctx.data.get("visio_password") and ctx.data.get("visio_speakers")
    return ctx.data.get("funder") == "normandie" and _remote(ctx) and not secured


class DelegatesStep(PickMany):
    """The trainees, delegates ticked.  For a remote Normandie bilan, ticking another
    trainee asks for the chargé(e) de mission's agreement (derogation.py): recorded,
    the trainee is ticked; refused, the trainee is not, and the trainer gets a draft to
    ask for it.  This holds a tick back, which no hook of :class:`PickMany` can."""

    async def answer(self, ctx: Context) -> Outcome:
        ctx.data.pop("_departed", None)  # said once, with the first list
        before = set(ctx.data.get(self.store) or [])
        outcome = await super().answer(ctx)
        await leave_out_departed(ctx, before, self.store)
        if not _delegates_only(ctx):
            return outcome
        formation = await formation_of(ctx)
        if formation is None:
            return outcome
        delegates = {str(t.id) for t in formation.trainees if t.is_delegate}
        agreed = set(ctx.data.get("derogations") or {})
        ticked: list[str] = list(ctx.data.get(self.store) or [])
        held = [t for t in ticked if t not in delegates and t not in before and t not in agreed]
        if not held:
            return outcome
        ctx.data[self.store] = [t for t in ticked if t not in held]
        names = [t.full_name for t in formation.trainees if str(t.id) in held]
        return Call(
            DEROGATION.name,
            {
                "names": names,
                "trainee_ids": held,
                "cm_name": formation.cm_name,
                "title": formation.title,
                "when": when_text(ctx),
            },
            store="derogation",
        )


async def before_participants(ctx: Context) -> Outcome | None:
    await untick_departed(ctx)
    formation = await formation_of(ctx)
    ctx.data["_no_delegates"] = formation is not None and not any(
        t.is_delegate and not t.erased and not gone_by(t, ctx) for t in formation.trainees
    )
    return await file_derogation(ctx)


async def file_derogation(ctx: Context) -> Outcome | None:
    """The agreement the sub-dialogue handed back: recorded, and its trainees ticked."""
    agreement = ctx.data.pop("derogation", None)
    if agreement:
        ids = [str(t) for t in agreement.pop("trainee_ids", [])]
        derogations = dict(ctx.data.get("derogations") or {})
        derogations.update({t: agreement for t in ids})
        ctx.data["derogations"] = derogations
        ticked = list(ctx.data.get("participants") or [])
        ctx.data["participants"] = [*ticked, *(t for t in ids if t not in ticked)]
    return None


async def which_choices(ctx: Context) -> list[Option]:
    owed: list[dict[str, Any]] = ctx.data.get("owed") or []
    free = [(i, o) for i, o in enumerate(owed) if not o["scheduled"]]
    proposed = next((i for i, o in free if not o["past"]), free[0][0] if free else None)
    options = [
        Option(f"Programmer le {o['label']} (proposé)", f"owed:{i}", AGREEING)  # « oui »: AG1
        if i == proposed
        else Option(f"Programmer le {o['label']}", f"owed:{i}")
        for i, o in sorted(free, key=lambda p: p[0] != proposed)
    ]
    options += [
        Option(f"Voir le {b['kind']} du {b['when']}", f"bilan:{b['id']}")
        for b in ctx.data.get("scheduled") or []
    ]
    return options


async def pick_which(ctx: Context, picked: str) -> Outcome:
    what, _, index = picked.partition(":")
    if what == "bilan":  # a hand-over: the person now looks at that bilan in /bilans
        return Switch("bilans", {"bilan_id": int(index)})
    owed: list[dict[str, Any]] = ctx.data.get("owed") or []
    try:
        chosen = owed[int(index)]
    except (ValueError, IndexError):
        return Retry(ctx.render("common.forged_choice"))
    formation = await formation_of(ctx)
    if formation is None:
        ctx.say("bilan.formation_not_found")
        return Leave()
    single = single_person(formation)  # bilan de compétences, VAE: no group, no delegates
    ctx.data.update(
        kind=chosen["kind"],
        owed_key=chosen["key"],
        owed_label=chosen["label"],
        participants=[
            str(t.id) for t in formation.trainees if (t.is_delegate or single) and not t.erased
        ],
        has_trainees=bool(formation.trainees),
        single=single,
        partners=[],
        derogations={},
    )
    return Next()


async def parse_duration(ctx: Context, text: str) -> int | Invalid:
    line = clean_line(text, limit=60)
    if isinstance(line, Invalid):
        return line
    wrong = dates.wrong_duration(line)  # « -2 h », « 99999 h »: explorer GD7
    if wrong == "negative":
        return Invalid(ctx.render("common.duration_negative", example="2 h"))
    minutes = duration_minutes(line)
    if minutes is None:
        return Invalid(ctx.render("bilan.duration_bounds" if wrong else "bilan.duration_unclear"))
    if not minutes_fit(minutes):
        return Invalid(ctx.render("bilan.duration_bounds"))
    return minutes


parse_password = words(100, "bilan.password_invalid")
_place = words(300, "bilan.place_invalid")


async def parse_place(ctx: Context, text: str) -> str | Invalid:
    """Printed on the feuille d'émargement and the agenda: no markup (explorer AD15)."""
    return await _place(ctx, text) if printable(text) else Invalid(ctx.render("bilan.place_signs"))


async def give_visio_draft(ctx: Context) -> Outcome:
    ctx.say("bilan.visio_draft", cm=ctx.data.get("cm_name"), when=when_text(ctx))
    return Next()


async def trainee_choices(ctx: Context) -> list[Option]:
    formation = await formation_of(ctx)
    if formation is None:
        return []
    restricted = _delegates_only(ctx)
    options = []
    for trainee in sorted(
        (t for t in formation.trainees if not t.erased),
        key=lambda t: (not t.is_delegate, by_surname(t.full_name)),
    ):
        suffix = " (pour les stagiaires)" if trainee.is_delegate else ""
        if restricted and not trainee.is_delegate:
            suffix = " (hors délégation)"
        if gone_by(trainee, ctx):  # no longer the group's voice, whatever they were
            suffix = " " + ctx.label("bilan.departed_option", t=trainee)
        options.append(Option(trainee.full_name + suffix, str(trainee.id)))
    return options


async def file_new_partner(ctx: Context) -> Outcome | None:
    """The partner the sub-dialogue handed back joins the list."""
    partner = ctx.data.pop("new_partner", None)
    if partner:
        ctx.data["partners"] = [*(ctx.data.get("partners") or []), partner]
    return None


async def partners_values(ctx: Context) -> dict[str, Any]:
    return {"maximum": MAX_PARTNERS}


def _room_for_partners(ctx: Context) -> bool:
    return len(ctx.data.get("partners") or []) < MAX_PARTNERS


async def go_on(ctx: Context) -> Outcome:
    return Next()


def derogations_of(ctx: Context) -> dict[int, Derogation]:
    """The agreements recorded in this dialogue, by trainee id."""
    return {
        int(t): Derogation(by=a["by"], on=date.fromisoformat(a["on"]), how=a["how"])
        for t, a in (ctx.data.get("derogations") or {}).items()
    }


async def recap_values(ctx: Context) -> dict[str, Any]:
    formation = await formation_of(ctx)
    chosen = set(ctx.data.get("participants") or [])
    agreed = derogations_of(ctx)
    names = [
        t.full_name + (f" ({agreed[t.id].words()})" if t.id in agreed else "")
        for t in (formation.trainees if formation else [])
        if str(t.id) in chosen
    ]
    return {"names": names}


def plan_of(ctx: Context) -> Plan:
    """The bilan as the answers describe it."""
    data = ctx.data
    remote = _remote(ctx)
    return Plan(
        kind=data.get("kind") or "fin",
        owed_key=data.get("owed_key"),
        starts_at=datetime.fromisoformat(data["when"]),
        minutes=int(data.get("duration") or DEFAULT_MINUTES),
        visio=Visio(
            url=data.get("visio_url"),
            password_required=bool(data.get("visio_password")),
            manages_speakers=bool(data.get("visio_speakers")),
            password=data.get("visio_password_text"),
        )
        if remote
        else None,
        location=data.get("location"),
        trainee_ids=[int(t) for t in data.get("participants") or []],
        derogations=derogations_of(ctx),
        partners=[
            Partner(name=p["name"], structure=p.get("structure"), contact=p.get("contact"))
            for p in data.get("partners") or []
        ],
    )


async def save_bilan(ctx: Context) -> None:
    scheduled = await schedule_bilan(
        ctx.session, viewer_of(ctx), ctx.now, ctx.data["formation_id"], plan_of(ctx)
    )
    if scheduled is None:
        ctx.say("bilan.formation_not_found")
        return
    if isinstance(scheduled, AlreadyScheduled):  # explorer UD5: scheduled meanwhile
        mine = scheduled.by_id == ctx.person_id
        when = scheduled.bilan.starts_at.astimezone(ctx.tz)
        kind = kind_label(scheduled.bilan.kind)
        ctx.say("bilan.already_scheduled", by=scheduled.by, mine=mine, when=when, kind=kind)
        return
    await mark_done_by_answers(ctx.session, scheduled.bilan.id, ctx.person_id, ctx.now)
    view = scheduled.view
    deadlines = deadline_lines(ctx, scheduled.deadlines)
    told = await tell_the_trainer_in_charge(ctx, view, "scheduled", deadlines=deadlines)
    ctx.say(
        "bilan.scheduled",
        kind=kind_label(scheduled.bilan.kind),
        when=dates.spell_span(view.start, view.end),
        remote=scheduled.bilan.remote,
        deadlines=deadlines,
        title=view.formation.title,
        funder=view.formation.funder,  # whom the message is for, as its texts name her (DE5)
        owner=someone_else_in_charge(ctx, view),  # explorer KB4
        told=told,
    )
    await invite_participants(ctx, view)
    await send_documents(ctx, view)
    await tell_charge_de_mission(ctx, view)
    await invite_after_scheduling(ctx, scheduled.bilan.id)  # attestations: each one's link


SCHEDULE = Flow(
    "bilan",
    # Its command, /aide line and who may use it: bot/features/bilans.py.
    start=start,
    steps=[
        Pick(
            "formation",
            ask="bilan.ask_formation",
            options=formation_choices,
            then=pick_formation,
            unless_known=True,
        ),
        Pick("which", ask="bilan.ask_which", options=which_choices, then=pick_which),
        Pick("remote", ask="bilan.ask_remote", options=MODES, help="bilan.help_remote"),
        when_step("when", ask="bilan.ask_when", slot=True),
        Text(
            "duration",
            ask="bilan.ask_duration",
            parse=parse_duration,
            skip_label="2 heures",
            unless_known=True,
        ),
        Text(
            "visio_url",
            ask="bilan.ask_visio_url",
            parse=parse_url,
            skip_label="Plus tard",
            when=_remote,
            help="bilan.help_visio",
        ),
        Confirm(
            "visio_password", ask="bilan.ask_visio_password", when=_remote, help="bilan.help_visio"
        ),
        Confirm(
            "visio_speakers", ask="bilan.ask_visio_speakers", when=_remote, help="bilan.help_visio"
        ),
        Confirm(
            "visio_draft",
            ask="bilan.ask_visio_draft",
            when=_visio_not_compliant,
            yes=give_visio_draft,
            yes_label="Oui, préparer le message",
            no_label="Non, continuer",
        ),
        Confirm(
            "password_in_invite",
            ask="bilan.ask_password_in_invite",
            when=lambda c: _remote(c) and bool(c.data.get("visio_password")),
            yes_label="Oui, l'ajouter",
            no_label="Non",
        ),
        Text(
            "visio_password_text",
            ask="bilan.ask_password_text",
            parse=parse_password,
            when=lambda c: _remote(c) and bool(c.data.get("password_in_invite")),
        ),
        Text("location", ask="bilan.ask_location", parse=parse_place, when=_on_site),
        DelegatesStep(
            "participants",
            ask="bilan.ask_participants",
            options=trainee_choices,
            help="bilan.help_participants",
            before=before_participants,
            when=lambda c: bool(c.data.get("has_trainees")) and not c.data.get("single"),
        ),
        Menu(
            "partners",
            ask="bilan.ask_partners",
            store="partner_menu",
            before=file_new_partner,
            values=partners_values,
            help="bilan.help_partners",
            entries=[
                Entry(
                    "Ajouter un partenaire extérieur",
                    "add",
                    call=PARTNER.name,
                    data=lambda c: partner_data(
                        int(c.data["formation_id"]),
                        [str(p["name"]) for p in c.data.get("partners") or []],
                        remote=_remote(c),
                    ),
                    store="new_partner",
                    when=_room_for_partners,
                    words=("oui", "ouais", "oui oui"),  # the question is « Invitez-vous … ? »
                ),
                Entry("Terminé", "done", then=go_on, words=("non", "nan", "non merci", "aucun")),
            ],
        ),
        Confirm(
            "recap",
            ask="bilan.recap",
            values=recap_values,
            yes=finish_now,
            no=leave_saying("bilan.not_saved"),
            yes_label="Programmer le bilan",
            no_label="Abandonner",
        ),
    ],
    finish=save_bilan,
)

FLOWS = [SCHEDULE, PARTNER, DEROGATION]
