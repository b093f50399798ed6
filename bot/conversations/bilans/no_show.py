"""After the bilan: a participant who did not come, from the ``/bilans`` menu (listing.py).

    You  Signaler un participant absent
    Bot  Qui n'a pas participé au bilan du jeudi 26 novembre 2026 à 14 h 00 ?
         [Léa Martin (pour les stagiaires)] [M. Karim Haddad (partenaire)]
    You  Léa Martin
    Bot  Noter que Léa Martin n'a pas participé au bilan ? Son attestation ne sera plus
         attendue : le dossier de preuves sera complet sans cette attestation, et le
         récapitulatif
         dira « n'a pas participé ».  [Oui, le noter] [Non]

    You  Annuler un signalement d'absence  → UNDO: the participant is expected again.

Wording with no agreement to guess: "n'a pas participé", "sans cette attestation".
Who already attested is not offered (their attestation says the opposite), unless the
trainer set that attestation aside or it named the bilan's former date.
"""

from __future__ import annotations

from bot import dates
from bot.bilans.participants import absent_candidates, cancel_no_show, no_shows, record_no_show
from bot.conversations.bilans.gone import say_bilan_gone
from bot.conversations.bilans.shared import (
    participant_options,
    picked_name,
    the_bilan,
    unless_gone,
    viewer_of,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Outcome, Return, leave_saying
from bot.conversations.kit.steps import Confirm, Option, Pick
from bot.storage.people import Role


async def start(ctx: Context) -> Outcome | None:
    found = await the_bilan(ctx)
    if found is None:
        return await unless_gone(ctx)
    bilan, _ = found
    if bilan.starts_at > ctx.now:
        ctx.say("bilan.no_show_too_early")
        return Return(None)
    if not await absent_candidates(ctx.session, bilan):
        ctx.say("bilan.no_show_nobody")
        return Return(None)
    ctx.data["current"] = dates.spell_datetime(bilan.starts_at.astimezone(ctx.tz))
    return None


async def who_choices(ctx: Context) -> list[Option]:
    found = await the_bilan(ctx)
    return participant_options(await absent_candidates(ctx.session, found[0])) if found else []


async def do_record(ctx: Context) -> Outcome:
    change = await record_no_show(
        ctx.session, viewer_of(ctx), ctx.now, ctx.data["bilan_id"], int(ctx.data["who"])
    )
    if change is None:
        await say_bilan_gone(ctx)
        return Return(None)
    ctx.say("bilan.no_show_recorded", name=change.participant.name)
    return Return(True)


NO_SHOW = Flow(
    "bilan_no_show",
    role=Role.FORMATEUR,
    summary="noter qu'un participant n'est pas venu au bilan",
    start=start,
    steps=[
        Pick("who", ask="bilan.ask_no_show_who", options=who_choices),
        Confirm(
            "confirm_no_show",
            ask="bilan.confirm_no_show",
            values=picked_name,
            yes=do_record,
            no=leave_saying("bilan.nothing_changed"),
            yes_label="Oui, le noter",
            no_label="Non",
        ),
    ],
)


async def undo_start(ctx: Context) -> Outcome | None:
    found = await the_bilan(ctx)
    if found is None:
        return await unless_gone(ctx)
    if not no_shows(found[0]):
        ctx.say("bilan.no_show_none_recorded")
        return Return(None)
    return None


async def recorded_choices(ctx: Context) -> list[Option]:
    found = await the_bilan(ctx)
    return participant_options(no_shows(found[0])) if found else []


async def do_undo(ctx: Context) -> Outcome:
    change = await cancel_no_show(
        ctx.session, viewer_of(ctx), ctx.now, ctx.data["bilan_id"], int(ctx.data["who"])
    )
    if change is None:
        await say_bilan_gone(ctx)
        return Return(None)
    ctx.say("bilan.no_show_cancelled", name=change.participant.name)
    return Return(True)


UNDO_NO_SHOW = Flow(
    "bilan_no_show_undo",
    role=Role.FORMATEUR,
    summary="annuler le signalement d'un participant absent",
    start=undo_start,
    steps=[
        Pick("who", ask="bilan.ask_undo_no_show_who", options=recorded_choices),
        Confirm(
            "confirm_undo",
            ask="bilan.confirm_undo_no_show",
            values=picked_name,
            yes=do_undo,
            no=leave_saying("bilan.nothing_changed"),
            yes_label="Oui, annuler le signalement",
            no_label="Non",
        ),
    ],
)
