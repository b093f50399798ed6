"""Examining a flagged answer, called from the ``/attestations`` menu.

    Vous  Examiner une réponse signalée
    Bot   Léa Martin a attesté le jeudi 26 novembre 2026 à 18 h 00 (nom tapé « Léa Martin »),
          depuis Telegram (compte 555).
          ⚠ Cette personne avait déjà répondu ou ouvert un lien depuis un autre compte …
          Ne validez que si vous avez vérifié que la réponse vient bien d'elle …
          [Valider cette réponse] [Ne pas la valider : nouveau lien] [Retour]
    Vous  Ne pas la valider : nouveau lien
    Bot   Réponse de Léa Martin écartée : elle ne compte pas. Voici son nouveau lien …
    Bot   Bonjour Léa Martin, … /start CODE …
    Bot   (the bilan's status again)

With several flagged answers, the first question is whose.  The decision is
:func:`bot.attestations.reviews.decide`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot import dates
from bot.answers import visible
from bot.attestations.evidence import PLATFORM_LABELS
from bot.attestations.reviews import decide, decided_meanwhile, flagged_row
from bot.attestations.service import ROLE_LABELS, progress
from bot.conversations.attestations.trainer import invitation_reply
from bot.conversations.attestations.who import author_of, sealer_of, this_bilan
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Next, Outcome, Retry
from bot.conversations.kit.steps import Option, Pick
from bot.people.members import name_of
from bot.storage.attestations import Attestation
from bot.storage.people import Role

DECISIONS = (
    Option("Valider cette réponse", "validated"),
    Option("Ne pas la valider : nouveau lien", "rejected"),
    Option("Retour", "_back"),
)


async def review_start(ctx: Context) -> Outcome | None:
    """Straight to the answer when only one is flagged; nothing to do when none is."""
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    flagged = (await progress(ctx.session, info, now=ctx.now)).to_review
    if not flagged:
        ctx.say("attestation_trainer.nothing_to_review")
        return Leave()
    if len(flagged) == 1:
        ctx.data["review_who"] = str(flagged[0].participant.id)
    return None


async def who_options(ctx: Context) -> list[Option]:
    info = await this_bilan(ctx)
    if info is None:
        return []
    rows = (await progress(ctx.session, info, now=ctx.now)).to_review
    return [
        *(Option(visible(r.participant.name)[:90], str(r.participant.id)) for r in rows),
        Option("Retour", "_back"),
    ]


async def pick_who(ctx: Context, picked: str) -> Outcome:
    return Leave() if picked == "_back" else Next()


async def answer_values(ctx: Context) -> dict[str, Any]:
    """The flagged answer, as the question shows it (``r``; ``None`` once it is gone)."""
    info = await this_bilan(ctx)
    picked = str(ctx.data.get("review_who", ""))
    row = (
        await flagged_row(ctx.session, info, int(picked), now=ctx.now)
        if info and picked.isdigit()
        else None
    )
    if info is None or row is None or row.answer is None:
        return {"r": None}
    answer = row.answer
    # A correction: what « Ne pas la valider » leaves of the answer before (explorer AL7:
    # nothing, unsaid; the participant had to swear a fourth time).
    earlier = await ctx.session.scalar(
        select(Attestation)
        .where(Attestation.participant_id == answer.participant_id)
        .where(Attestation.version < answer.version)
        .order_by(Attestation.version.desc())
        .limit(1)
    )
    return {
        "r": {
            "earlier": {
                "at": dates.spell_datetime(earlier.answered_at.astimezone(info.tz)),
                "attested": earlier.answer == "attested",
            }
            if earlier is not None
            else None,
            "name": visible(row.participant.name),
            "attested": answer.answer == "attested",
            "at": dates.spell_datetime(answer.answered_at.astimezone(info.tz)),
            "typed": answer.typed_name,
            "platform": PLATFORM_LABELS.get(answer.platform, answer.platform),
            "account": answer.chat_user_id,
            "concerns": list(row.concerns),
            "invited_as": ROLE_LABELS.get(row.participant.kind, row.participant.kind),
            "chosen": ROLE_LABELS.get(answer.role, answer.role),
            "words": answer.words_before or "",
        }
    }


async def take_decision(ctx: Context, picked: str) -> Outcome:
    if picked == "_back":
        return Leave()
    info = await this_bilan(ctx)
    wanted = str(ctx.data.get("review_who", ""))
    decided = None
    if info is not None and wanted.isdigit() and picked in ("validated", "rejected"):
        decided = await decide(
            ctx.session,
            info,
            int(wanted),
            "validated" if picked == "validated" else "rejected",
            author=author_of(ctx),
            now=ctx.now,
            sealer=sealer_of(ctx),
        )
    if info is not None and decided is None and wanted.isdigit():
        earlier = await decided_meanwhile(ctx.session, info, int(wanted))
        if earlier is not None:  # a colleague's decision (explorer KC3)
            ctx.say(
                "attestation_trainer.review_decided_meanwhile",
                validated=earlier.decision == "validated",
                by=await name_of(ctx.session, earlier.decided_by),
                yours=earlier.decided_by == ctx.person_id,
                at=earlier.decided_at.astimezone(info.tz),
            )
            return Finish()
    if info is None or decided is None:
        return Retry(ctx.render("attestation_trainer.review_gone"))
    name = visible(decided.row.participant.name)
    ctx.say(f"attestation_trainer.review_{decided.decision}", name=name)
    if decided.fresh is not None:
        ctx.send(invitation_reply(ctx, info, decided.fresh))
    return Finish()


REVIEW = Flow(
    "attestations_review",
    role=Role.FORMATEUR,
    summary="examiner une réponse signalée",
    start=review_start,
    steps=[
        Pick(
            "review_who",
            unless_known=True,
            ask="attestation_trainer.ask_review_who",
            options=who_options,
            then=pick_who,
        ),
        Pick(
            "review_decision",
            ask="attestation_trainer.ask_review",
            options=DECISIONS,
            values=answer_values,
            then=take_decision,
        ),
    ],
)

FLOWS = [REVIEW]
