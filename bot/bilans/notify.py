"""Telling a bilan's participants and its chargé(e) de mission what concerns them.

Delegates and partners have no chat identity until a feature (attestations)
invites them; the features' chat resolvers, merged by
:class:`bot.manifest.Features`, say where each participant can be reached,
and the caller passes that lookup in.  A :class:`Reach` adds what the bot
can do by itself beyond the chats it knows: open a Matrix direct chat with a
participant whose contact is a Matrix ID (when the bot is on Matrix), or
write to a participant whose contact is an e-mail address (when SMTP is
configured), the bilan's ``.ics`` attached (METHOD:REQUEST, or CANCEL, same
UID, SEQUENCE raised by a move or a cancellation).

Each participant reached gets one message per change, queued in the outbox
under ``bilan:<id>:<event>:<sequence>:participant:<participant id>``: sent
exactly once, even when the same change is handled twice.  Every row says
which bilan and participant it is about, so the trainer's view of the bilan
lists it (:mod:`bot.bilans.sent`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import matrix_id
from bot.bilans.view import BilanView, view_of
from bot.mailer import looks_like_email, render_email
from bot.messages import Document, Reply
from bot.outbox import EMAIL, About, enqueue, queue_email
from bot.storage.bilans import Bilan, BilanParticipant

ChatOf = Callable[[AsyncSession, BilanParticipant], Awaitable[tuple[str, str] | None]]
Calendar = Callable[[BilanView, bool], Document]
"""The bilan's invitation (``.ics``) as it stands; ``True``: a cancellation for this person."""

PARTICIPANT_EMAIL = "email/bilan_participant.txt.j2"


def email_of(participant: BilanParticipant) -> str | None:
    """The participant's e-mail address, when their contact is one."""
    contact = (participant.contact or "").strip()
    return contact if looks_like_email(contact) else None


@dataclass(frozen=True)
class Reach:
    """Where the bot can write to a participant: a known chat first, then a Matrix ID
    (``matrix``: the bot is on Matrix), then an e-mail address (``email``: SMTP is
    configured, and ``calendar`` builds the ``.ics`` attached)."""

    chat_of: ChatOf
    email: bool = False
    matrix: bool = False
    calendar: Calendar | None = None

    async def __call__(
        self, session: AsyncSession, participant: BilanParticipant
    ) -> tuple[str, str] | None:
        found = await self.chat_of(session, participant)
        if found is not None:
            return found
        contact = participant.contact or ""
        if self.matrix and (user := matrix_id(contact)):
            return "matrix", user
        if self.email and self.calendar is not None and (address := email_of(participant)):
            return EMAIL, address
        return None


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
    one); how many were.  By e-mail, the text comes with the bilan's details and its
    ``.ics`` (a cancellation when the bilan is cancelled or the person removed)."""
    reached = 0
    view: BilanView | None = None
    for participant in [only] if only is not None else bilan.participants:
        where = await chat_of(session, participant)
        if where is None:
            continue
        platform, chat_id = where
        key = f"bilan:{bilan.id}:{event}:{bilan.sequence}:participant:{participant.id}"
        about = About(bilan_id=bilan.id, participant_id=participant.id, what=event)
        if platform == EMAIL and isinstance(chat_of, Reach) and chat_of.calendar is not None:
            view = view or await view_of(session, bilan)
            if view is None:
                continue
            cancelled = event in ("cancelled", "removed")
            mail = render_email(
                PARTICIPANT_EMAIL,
                v=view,
                event=event,
                name=participant.name,
                notice=texts.plain(text),
                when=dates.spell_datetime(view.start),
                until=dates.spell_time(view.end),
            )
            await queue_email(
                session,
                to=chat_id,
                subject=mail.subject,
                body=mail.body,
                attachments=[chat_of.calendar(view, cancelled)],
                key=key,
                organisation_id=bilan.organisation_id,
                about=about,
            )
        else:
            await enqueue(
                session,
                key=key,
                platform=platform,
                chat_id=chat_id,
                reply=Reply(text=text),
                organisation_id=bilan.organisation_id,
                about=about,
            )
        reached += 1
    return reached


@dataclass(frozen=True)
class Invited:
    """Where the chargé(e) de mission's invitation went (``None``: nowhere)."""

    matrix: str | None = None
    email: str | None = None


async def invite_charge_de_mission(
    session: AsyncSession,
    view: BilanView,
    *,
    text: str,
    invitation: Document,
    matrix: bool,
    email: tuple[str, str, list[Document]] | None,
) -> Invited:
    """Send the chargé(e) de mission the bilan's invitation: on Matrix when the bot is there
    and knows their ID (it opens the direct chat itself: on Tchap an external cannot), and
    by e-mail when SMTP is configured and the formation records their address (``email``:
    the subject, the funder's own message and the files, ``.ics`` first).

    One message per version of the bilan (its ``sequence``): moving it sends the
    new one, a second call for the same version sends nothing more.
    """
    bilan = view.bilan
    about = About(bilan_id=bilan.id, what="charge_de_mission")
    target = view.formation.cm_matrix if matrix else None
    if target:
        await enqueue(
            session,
            key=f"bilan:{bilan.id}:charge-de-mission:{bilan.sequence}:matrix",
            platform="matrix",
            chat_id=target,
            reply=Reply(text=text, document=invitation),
            organisation_id=bilan.organisation_id,
            about=about,
        )
    address = (view.formation.cm_email or "").strip()
    if email is None or not looks_like_email(address):
        return Invited(matrix=target or None)
    subject, body, files = email
    await queue_email(
        session,
        to=address,
        subject=subject,
        body=body,
        attachments=files,
        key=f"bilan:{bilan.id}:charge-de-mission:{bilan.sequence}:email",
        organisation_id=bilan.organisation_id,
        about=about,
    )
    return Invited(matrix=target or None, email=address)
