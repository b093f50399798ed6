"""What a bilan's participant reads when they write outside any conversation.

The bot knows them (they opened their link once) but they are no member of
any organisation: « bonjour », ``/aide`` or ``/start`` alone would otherwise
get the stranger's answer, which asks for a code they already used.  They
are told where they stand, in one message, and the command that acts on it:

    Vous  bonjour                                 (before the bilan's end)
    Bot   Rien à faire pour l'instant : revenez après le bilan, à partir du
          mercredi 9 décembre 2026 à 16 h 00, et envoyez /attestation. …
    Vous  bonjour                                 (after it, not answered)
    Bot   Pour confirmer votre participation au bilan de fin de formation du
          mercredi 9 décembre 2026, envoyez /attestation.
    Vous  bonjour                                 (answered)
    Bot   Vous avez déjà répondu, le … Pour recevoir à nouveau votre attestation
          ou corriger votre réponse, envoyez /attestation.

A link expired, replaced (naming whom to ask for the new one, as
:mod:`~bot.conversations.attestations.held` does) or of a cancelled bilan
gets the message that says so.  A known person who never redeemed a
participant's code (a former member) is left to the engine's own answer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot import dates
from bot.answers import fold, visible
from bot.attestations import invitations
from bot.attestations.invitations import Held
from bot.attestations.reminders import PARTICIPANT_FLOW
from bot.attestations.service import current_answer, names_other_dates, set_aside, when_words
from bot.bilans.view import BilanView, view_of
from bot.conversations.attestations.held import refusal, tell
from bot.conversations.attestations.who import chat_of
from bot.conversations.attestations.words import (
    own_words,
    pass_on,
    typed_words,
    words_before_the_end,
)
from bot.conversations.kit import aside
from bot.conversations.kit.context import Context
from bot.messages import Reply
from bot.storage.attestations import AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.typos import HELP_WORDS


async def where_they_stand(ctx: Context) -> bool:
    """Tell a bilan's participant where they stand; ``False`` for someone who is not one."""
    chat = chat_of(ctx)
    held = await invitations.held_by(ctx.session, chat)
    if not held:
        if await invitations.held_by(ctx.session, chat, cancelled=True):
            other = await _planned_since(ctx)
            if other is None:
                ctx.say("attestation_participant.bilan_cancelled")
            else:
                ctx.say(
                    "attestation_participant.bilan_cancelled_other",
                    trainer=visible(other.trainer),
                    **when_words(other, ctx.now),
                )
            return True
        redeemed = await invitations.last_redeemed(ctx.session, chat)
        if redeemed is not None:
            tell(ctx, await refusal(ctx, "code_revoked", invitation_id=redeemed))
            return True
        return False
    if len(held) > 1:
        ctx.say("attestation_participant.guide", several=True, help=_asks_help(ctx))
        return True
    found = await invitations.open_invitation(ctx.session, held[0].id, chat=chat, now=ctx.now)
    if isinstance(found, str):
        tell(ctx, await refusal(ctx, found, invitation_id=held[0].id))
        return True
    info = found.info
    if await words_before_the_end(ctx, found):
        return True  # « le lien marche pas »: not the same link again (explorer QB18)
    answer = await current_answer(ctx.session, found.participant.id)
    if answer is not None and await set_aside(ctx.session, answer):
        answer = None  # not kept: to answer again (explorer DB3)
    current = answer is not None and not names_other_dates(answer, info)
    if current and await after_answering(ctx, found):
        return True
    words: dict[str, Any] = {"several": False, "answered": False, "outdated": False}
    if answer is not None:
        words |= {
            "answered": True,
            "when": dates.spell_datetime(answer.answered_at.astimezone(info.tz)),
            "attested": answer.answer == "attested",
            "pdf": answer.pdf is not None,
            "outdated": names_other_dates(answer, info),
        }
    ctx.say(
        "attestation_participant.guide",
        visio=True,
        help=_asks_help(ctx),
        resumes=_set_aside(ctx),
        **when_words(info, ctx.now),
        **words,
    )
    return True


def _set_aside(ctx: Context) -> bool:
    """Her attestation's questions set aside by another command (/mesdonnees at the name):
    /reprendre takes them up where she was, not /attestation (explorer KE6)."""
    kept = aside.kept(ctx)
    return kept is not None and aside.first_flow(kept) == PARTICIPANT_FLOW


THANKS = frozenset(
    {"merci", "beaucoup", "ok", "d", "accord", "super", "parfait", "top", "genial", "nickel"}
    | {"bien", "tres", "bonne", "journee", "soiree", "a", "vous", "cordialement", "au", "revoir"}
)
"""The words of thanks alone (folded), « merci » or « ok » among them."""


async def after_answering(ctx: Context, found: Held) -> bool:
    """Once answered: « merci » gets a short answer, not the formal status; a sentence of the
    person's own (« je me suis trompé, je suis parti avant la fin ») is passed on to the
    trainer with how to correct the answer (explorer QB8: both got the status, and the
    correction volunteered was lost)."""
    typed = typed_words(ctx)
    if typed is None or _asks_help(ctx):
        return False
    said = set(fold(typed).split())
    if said <= THANKS and said & {"merci", "ok", "super", "parfait", "top", "genial", "nickel"}:
        ctx.say("attestation_participant.thanks_after")
        return True
    if own_words(ctx) is None:
        return False
    ctx.send(Reply(text=await pass_on(ctx, found, typed, "attestation_participant.words_after")))
    return True


async def _planned_since(ctx: Context) -> BilanView | None:
    """The bilan of the same formation planned since for the person of a cancelled one
    (explorer DC12: « Ce bilan a été annulé » answered « le bilan a bien lieu le 18 ? »)."""
    last = (await invitations.held_by(ctx.session, chat_of(ctx), cancelled=True))[-1]
    was = await ctx.session.get(BilanParticipant, last.participant_id)
    cancelled = await ctx.session.get(Bilan, last.bilan_id)
    if was is None or cancelled is None:
        return None
    same = (
        BilanParticipant.trainee_id == was.trainee_id
        if was.trainee_id is not None
        else BilanParticipant.name == was.name
    )
    bilan_id = await ctx.session.scalar(
        select(Bilan.id)
        .join(BilanParticipant, BilanParticipant.bilan_id == Bilan.id)
        .where(
            Bilan.formation_id == cancelled.formation_id,
            Bilan.cancelled_at.is_(None),
            Bilan.ends_at > ctx.now,
            BilanParticipant.removed_at.is_(None),
            same,
        )
        .order_by(Bilan.starts_at)
        .limit(1)
    )
    return await view_of(ctx.session, bilan_id) if bilan_id is not None else None


def _asks_help(ctx: Context) -> bool:
    """/aide or « aide »: the answer then also names /mesdonnees, open to them too."""
    incoming = ctx.incoming
    return incoming.command == "aide" or fold(incoming.text.strip()) in HELP_WORDS


async def invited_here(ctx: Context) -> bool:
    """Someone the bot wrote an invitation to (a partner on Matrix) who writes before using
    it: where it is, not « il faut une invitation de votre organisme » (explorer AL2: her
    « bonjour » got that, her invitation just above); ``False`` for anyone else."""
    chat = chat_of(ctx)
    bilan_id = await ctx.session.scalar(
        select(AttestationInvitation.bilan_id)
        .join(Bilan, Bilan.id == AttestationInvitation.bilan_id)
        .where(
            AttestationInvitation.target_platform == chat.platform,
            AttestationInvitation.target_user == chat.user,
            AttestationInvitation.redeemed_at.is_(None),
            AttestationInvitation.revoked_at.is_(None),
            Bilan.cancelled_at.is_(None),
        )
        .order_by(AttestationInvitation.id.desc())
        .limit(1)
    )
    info = await view_of(ctx.session, bilan_id) if bilan_id is not None else None
    if info is None:
        return False
    ctx.say("attestation_participant.invited_here", **when_words(info, ctx.now))
    return True
