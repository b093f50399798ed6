"""Cancelling an entretien that will not be held: the trainee left, or did not come and
will not be seen again (explorer GF3: only « Reprogrammer » was offered, though the bot
itself said to « annuler » it when the exit was saved, and the closing ticket read « pas
encore tenu » in a closed file).

    Bot  Pourquoi l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 avec Karim
         Benali n'aura-t-il pas lieu ?
         [La personne a quitté la formation] [La personne a prévenu qu'elle ne viendrait pas]
         [Une autre raison] [Ne pas l'annuler]
    You  La personne a quitté la formation
    Bot  Annuler l'entretien individuel du jeudi 26 novembre 2026 à 16 h 00 : la personne a
         quitté la formation (sortie le jeudi 26 novembre 2026) ? …
    You  Oui, l'annuler
    Bot  C'est noté : l'entretien individuel du … est annulé. …

Called with ``{"followup_id": …, "kind": …}`` from the follow-up's menu, or from the
compte rendu's « a-t-il eu lieu ? » (« Non, il est annulé »).  The entretien is kept,
cancelled, with its reason, who and when (:func:`bot.absences.records.cancel_entretien`).

Only reasons that can be true now are offered, chosen or typed (explorer HB4: « ne s'est
pas présentée » was accepted three days before the entretien, « a quitté la formation » for
someone with no exit recorded, and the ticket qualité stated both as facts): before the
entretien's hour, « La personne a prévenu qu'elle ne viendrait pas »; « a quitté la
formation » once the exit is recorded, otherwise where to record it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from bot.absences.followups import current_entretien, find_entretien
from bot.absences.records import cancel_entretien
from bot.answers import Invalid, fold
from bot.conversations.absences.decrochage.common import (
    abandon_step,
    open_followup_or_leave,
    step_start,
)
from bot.conversations.absences.steps import parse_note
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry
from bot.conversations.kit.steps import Confirm, Option, Pick, Text
from bot.storage.people import Role

REASON_OPTIONS = [
    Option("La personne a quitté la formation", "sortie"),
    Option("La personne ne s'est pas présentée", "absente"),
    Option("La personne a prévenu qu'elle ne viendrait pas", "prevenu"),
    Option("Une autre raison", "autre"),
    Option("Ne pas l'annuler", "keep"),
]
"""Every reason; :func:`reason_options` keeps those that can be true now (explorer HB4)."""

_NO_SHOW = re.compile(
    r"\bne s est pas (presentee?|rendue?)\b"
    r"|\b(absente?|pas venue?|pas presentee?) (a|au) (l )?(entretien|rendez vous|rdv)\b"
)
"""A typed reason saying the trainee did not come to the entretien (folded)."""
_NO_SHOW_WORDS = re.compile(
    r"(?:(?:il|elle|la personne) )?(?:(?:est|n est|etait|n etait) )?"
    r"(?:absente?|pas venue?|pas presentee?|no show)"
)
"""At the reasons' buttons, fewer words say it, alone (« absente », « il n'est pas venu »);
followed by more, they are about the formation (« absent depuis lundi », « pas venu en
formation depuis une semaine »: explorer JA11, refused as a no-show at the entretien)."""
_EXIT = re.compile(
    r"\b(a|est|ont) (quitte|abandonne)(?: (?:la |sa )?formation\b| le stage\b|$)"
    r"|\b(abandon|sortie?) de (la )?formation\b"
)
"""A typed reason saying the trainee left the formation (folded), not somewhere else
(« a quitté la région »: explorer JA11)."""


def _passed(ctx: Context) -> bool:
    return datetime.fromisoformat(ctx.data["scheduled_at"]) <= ctx.now


def _left_on(ctx: Context) -> date | None:
    left = ctx.data.get("left_on")
    return date.fromisoformat(left) if left else None


async def reason_options(ctx: Context) -> list[Option]:
    """No « ne s'est pas présentée » before the entretien's hour, no « a quitté la
    formation » without an exit recorded (explorer HB4)."""
    kept = {"prevenu", "autre", "keep"}
    if _passed(ctx):
        kept.add("absente")
    if _left_on(ctx) is not None:
        kept.add("sortie")
    return [o for o in REASON_OPTIONS if o.value in kept]


def untrue_reason(ctx: Context, typed: str, *, at_note: bool) -> str | None:
    """What is wrong with a typed reason that cannot be true now: a no-show before the
    hour, an exit not recorded (explorer HB4: « check a typed reason too »)."""
    folded = fold(typed)
    no_show = _NO_SHOW.search(folded) or (not at_note and _NO_SHOW_WORDS.fullmatch(folded))
    if not _passed(ctx) and no_show:
        return ctx.render(
            "decrochage.cancel_not_passed",
            when=datetime.fromisoformat(ctx.data["scheduled_at"]),
            at_note=at_note,
        )
    if _left_on(ctx) is None and _EXIT.search(folded):
        return ctx.render("decrochage.cancel_no_exit", at_note=at_note)
    return None


async def typed_reason(ctx: Context) -> Outcome | None:
    """A reason typed that fits no button: said why when it cannot be true now; a few words
    otherwise, told where to write them (explorer JA11: « il sera absent jeudi, convocation
    au tribunal » was refused as a no-show at the entretien)."""
    said = untrue_reason(ctx, ctx.incoming.text, at_note=False)
    if said is not None:
        return Retry(said)
    if len(fold(ctx.incoming.text).split()) < 2:
        return None
    return Retry(ctx.render("decrochage.cancel_write_it"))


async def parse_reason_note(ctx: Context, text: str) -> str | Invalid:
    note = await parse_note(300)(ctx, text)
    if isinstance(note, Invalid):
        return note
    said = untrue_reason(ctx, note, at_note=True)
    return Invalid(said) if said is not None else note


async def cancel_start(ctx: Context) -> Outcome | None:
    outcome = await step_start(ctx)
    if outcome is not None:
        return outcome
    kind = "regard_croise" if ctx.data.get("kind") == "regard_croise" else "individuel"
    ctx.data["kind"] = kind
    entretien = await current_entretien(ctx.session, int(ctx.data["followup_id"]), kind)
    if entretien is None:
        ctx.say("decrochage.no_entretien")
        return Leave()
    if entretien.held_at is not None:
        ctx.say("decrochage.cancel_held", held=entretien.held_at.astimezone(ctx.tz))
        return Leave()
    ctx.data["entretien_id"] = entretien.id
    ctx.data["scheduled_at"] = entretien.scheduled_at.astimezone(ctx.tz).isoformat()
    found = await open_followup_or_leave(ctx)
    left_on = found.trainee.left_on if found is not None else None
    ctx.data["left_on"] = left_on.isoformat() if left_on else None
    return None


async def reason_picked(ctx: Context, picked: str) -> Outcome:
    if picked == "keep":
        return await abandon_step(ctx)
    ctx.data.pop("note", None)
    return Next("note" if picked == "autre" else "recap")


async def cancel_values(ctx: Context) -> dict[str, Any]:
    found = await open_followup_or_leave(ctx)
    return {
        "when": datetime.fromisoformat(ctx.data["scheduled_at"]),
        "left_on": found.trainee.left_on if found is not None else None,
    }


async def save_cancel(ctx: Context) -> Outcome:
    found = await open_followup_or_leave(ctx)
    if found is None:
        return Leave()
    entretien = await find_entretien(ctx.session, ctx.data["entretien_id"], found.followup.id)
    if entretien is None or entretien.cancelled_at is not None or entretien.held_at is not None:
        ctx.say("decrochage.no_entretien")  # meanwhile held, moved or cancelled elsewhere
        return Leave()
    await cancel_entretien(
        ctx.session,
        found.followup,
        entretien,
        ctx.person_id,
        ctx.now,
        reason=str(ctx.data["reason"]),
        note=ctx.data.get("note"),
    )
    ctx.say("decrochage.entretien_cancelled", **await cancel_values(ctx))
    return Leave()


CANCEL = Flow(
    "decrochage_cancel_entretien",
    role=Role.FORMATEUR,
    summary="annuler un entretien de suivi",
    start=cancel_start,
    steps=[
        Pick(
            "reason",
            ask="decrochage.ask_cancel_reason",
            options=reason_options,
            other=typed_reason,
            then=reason_picked,
        ),
        Text(
            "note",
            ask="decrochage.ask_cancel_note",
            parse=parse_reason_note,
            when=lambda c: c.data.get("reason") == "autre",
        ),
        Confirm(
            "recap",
            ask="decrochage.recap_cancel",
            values=cancel_values,
            yes=save_cancel,
            no=abandon_step,
            yes_label="Oui, l'annuler",
            exact=True,
            no_label="Non, le garder",
        ),
    ],
)
