"""Telling a bilan's participants what changed (moved, cancelled).

Delegates and partners have no chat identity until a feature (attestations)
invites them; the features' chat resolvers, merged by
:class:`bot.manifest.Features`, say where each participant can be reached,
and the caller passes that lookup in.

Each participant with a chat gets one message per change, queued in the
outbox under ``bilan:<id>:<event>:<sequence>:participant:<participant id>``:
sent exactly once, even when the same change is handled twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.view import BilanView
from bot.messages import Document, Reply
from bot.outbox import enqueue
from bot.storage.bilans import Bilan, BilanParticipant

ChatOf = Callable[[AsyncSession, BilanParticipant], Awaitable[tuple[str, str] | None]]


async def notify_participants(
    session: AsyncSession,
    bilan: Bilan,
    *,
    event: str,
    text: str,
    chat_of: ChatOf,
    only: BilanParticipant | None = None,
) -> int:
    """Queue ``text`` (safe chat markup) to every reachable participant (or ``only`` that
    one); how many were."""
    reached = 0
    for participant in [only] if only is not None else bilan.participants:
        where = await chat_of(session, participant)
        if where is None:
            continue
        platform, chat_id = where
        await enqueue(
            session,
            key=f"bilan:{bilan.id}:{event}:{bilan.sequence}:participant:{participant.id}",
            platform=platform,
            chat_id=chat_id,
            reply=Reply(text=text),
            organisation_id=bilan.organisation_id,
        )
        reached += 1
    return reached


async def invite_charge_de_mission(
    session: AsyncSession, view: BilanView, *, text: str, invitation: Document
) -> str | None:
    """Send the chargé(e) de mission the bilan's invitation on Matrix; their ID, or ``None``.

    Only when the formation records their Matrix/Tchap ID: the bot opens the
    direct chat itself (on Tchap an external cannot), and the invitation
    with its ``.ics`` is the first message there.  One message per version
    of the bilan (its ``sequence``): moving it sends the new one, a second
    call for the same version sends nothing more.
    """
    target = view.formation.cm_matrix
    if not target:
        return None
    await enqueue(
        session,
        key=f"bilan:{view.bilan.id}:charge-de-mission:{view.bilan.sequence}:matrix",
        platform="matrix",
        chat_id=target,
        reply=Reply(text=text, document=invitation),
        organisation_id=view.bilan.organisation_id,
    )
    return target
