"""Adding a participant to a scheduled bilan, from the ``/bilans`` menu (listing.py).

You  Ajouter un participant
Bot  Qui ajouter au bilan de fin de formation du jeudi 26 novembre 2026 à 14 h 00 ?
     [Stagiaire de la formation] [Partenaire extérieur]
You  Stagiaire de la formation
Bot  Quel stagiaire ?  [Julie Petit] [Karim Benali] …
You  Karim Benali
…    remote Normandie bilan, not a delegate: the agreement (derogation.py)
Bot  Ajouter Karim Benali (stagiaire, accord de Mme Sophie Leroy, par e-mail, le
     dimanche 22 novembre 2026) au bilan ?  [Oui, l'ajouter] [Non]
You  Oui, l'ajouter
Bot  C'est fait : Karim Benali participera au bilan. Voici l'invitation mise à jour …
     + the invitation (.ics, next SEQUENCE), the agenda, the message

You  Partenaire extérieur  → partner.py (name, structure, contact), then the same
     confirmation and the same documents.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import dates
from bot.bilans.participants import (
    Derogation,
    add_partner,
    add_trainee,
    candidates,
    needs_agreement,
)
from bot.conversations.attestations.trainer import invite_after_scheduling
from bot.conversations.bilans.derogation import DEROGATION
from bot.conversations.bilans.partner import PARTNER, partner_data
from bot.conversations.bilans.shared import (
    after_change,
    invite_participants,
    reach_of,
    the_bilan,
    unless_gone,
    viewer_of,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Call, Flow, Leave, Next, Outcome, Return, leave_saying
from bot.conversations.kit.steps import Confirm, Option, Pick
from bot.storage.formations import Trainee
from bot.storage.people import Role


async def start(ctx: Context) -> Outcome | None:
    found = await the_bilan(ctx)
    if found is None:
        return await unless_gone(ctx)
    bilan, formation = found
    ctx.data.update(
        title=formation.title,
        cm_name=formation.cm_name,
        current=dates.spell_datetime(bilan.starts_at.astimezone(ctx.tz)),
        can_add_trainee=bool(candidates(bilan, formation)),
    )
    return None


async def what_choices(ctx: Context) -> list[Option]:
    trainee = (
        [Option("Stagiaire de la formation", "trainee")] if ctx.data["can_add_trainee"] else []
    )
    return [*trainee, Option("Partenaire extérieur", "partner")]


async def picked_what(ctx: Context, what: str) -> Outcome:
    if what == "partner":
        found = await the_bilan(ctx)
        if found is None:
            return await unless_gone(ctx) or Leave()
        bilan, formation = found
        taken = [p.name for p in bilan.participants if p.kind == "partner"]
        data = partner_data(formation.id, taken, remote=bilan.remote)
        return Call(PARTNER.name, data, store="new_partner", then="confirm_add")
    return Next("trainee")


async def trainee_choices(ctx: Context) -> list[Option]:
    found = await the_bilan(ctx)
    if found is None:
        return []
    bilan, formation = found
    day = bilan.starts_at.astimezone(ctx.tz).date()

    def label(t: Trainee) -> str:  # one gone by the bilan's day said so (explorer I)
        if t.left_before(day):
            return f"{t.full_name} {ctx.render('bilan.departed_option', t=t).strip()}"
        return t.full_name + (" (pour les stagiaires)" if t.is_delegate else "")

    return [Option(label(t), str(t.id)) for t in candidates(bilan, formation)]


async def picked_trainee(ctx: Context, picked: str) -> Outcome:
    found = await the_bilan(ctx)
    if found is None:
        return await unless_gone(ctx) or Leave()
    bilan, formation = found
    trainee = next((t for t in candidates(bilan, formation) if str(t.id) == picked), None)
    if trainee is None:
        return Leave()
    ctx.data["trainee_name"] = trainee.full_name
    ctx.data["needs_agreement"] = needs_agreement(formation, trainee, remote=bilan.remote)
    if ctx.data["needs_agreement"]:
        data = {
            "names": [trainee.full_name],
            "trainee_ids": [trainee.id],
            "cm_name": formation.cm_name,
            "title": formation.title,
            "when": ctx.data["current"],
        }
        return Call(DEROGATION.name, data, store="derogation", then="confirm_add")
    return Next("confirm_add")


def derogation(ctx: Context) -> Derogation | None:
    given = ctx.data.get("derogation")
    if not given:
        return None
    return Derogation(by=given["by"], on=date.fromisoformat(given["on"]), how=given["how"])


async def ready(ctx: Context) -> Outcome | None:
    """Nothing to confirm when the agreement was not there (the draft was given)."""
    agreed = not ctx.data.get("needs_agreement") or ctx.data.get("derogation")
    if ctx.data.get("what") == "trainee" and not agreed:
        return Return(None)
    if ctx.data.get("what") == "partner" and not ctx.data.get("new_partner"):
        return Return(None)
    return None


async def confirm_values(ctx: Context) -> dict[str, Any]:
    agreement = derogation(ctx)
    return {"agreement": agreement.words() if agreement else None}


async def do_add(ctx: Context) -> Outcome:
    chat_of = reach_of(ctx)
    if ctx.data.get("what") == "partner":
        partner = ctx.data["new_partner"]
        change = await add_partner(
            ctx.session,
            viewer_of(ctx),
            ctx.now,
            ctx.data["bilan_id"],
            name=partner["name"],
            structure=partner.get("structure"),
            contact=partner.get("contact"),
            chat_of=chat_of,
        )
    else:
        change = await add_trainee(
            ctx.session,
            viewer_of(ctx),
            ctx.now,
            ctx.data["bilan_id"],
            int(ctx.data["trainee"]),
            derogation=derogation(ctx),
            chat_of=chat_of,
        )
    if change is None:
        ctx.say("bilan.participant_not_added")
        return Return(None)
    ctx.say("bilan.participant_added", name=change.participant.name)
    await invite_participants(ctx, change.view, only=change.participant)
    await after_change(ctx, change.view)
    if change.view.bilan.remote:
        await invite_after_scheduling(ctx, change.view.bilan.id)  # their attestation link
    return Return(True)


ADD = Flow(
    "bilan_add_participant",
    role=Role.FORMATEUR,
    summary="ajouter un participant à un bilan",
    start=start,
    steps=[Pick("what", ask="bilan.ask_add_what", options=what_choices, then=picked_what)],
    branches=[
        Pick("trainee", ask="bilan.ask_add_trainee", options=trainee_choices, then=picked_trainee),
        Confirm(
            "confirm_add",
            ask="bilan.confirm_add",
            before=ready,
            values=confirm_values,
            yes=do_add,
            no=leave_saying("bilan.nothing_changed"),
            yes_label="Oui, l'ajouter",
            no_label="Non",
        ),
    ],
)
