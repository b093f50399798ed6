"""Telling a bilan's participants and its chargé(e) de mission what concerns them.

Delegates and partners have no chat identity until a feature (attestations)
invites them; the features' chat resolvers, merged by
:class:`bot.manifest.Features`, say where each participant can be reached,
and the caller passes that lookup in.  A :class:`Reach` adds what the bot
can do by itself beyond the chats it knows: open a Matrix direct chat with a
participant whose contact is a Matrix ID (when the bot is on Matrix), or
write to a participant whose contact is an e-mail address (when SMTP is
configured), the bilan's ``.ics`` attached (METHOD:PUBLISH, or CANCEL, same
UID, SEQUENCE raised by a move or a cancellation).

Each participant reached gets one message per change, queued in the outbox
under ``bilan:<id>:<event>:<sequence>:participant:<participant id>``: sent
exactly once, even when the same change is handled twice.  Every row says
which bilan and participant it is about, so the trainer's view of the bilan
lists it (:mod:`bot.bilans.sent`).  A message of a new version replaces one
of an older version not sent yet (:data:`DATED`): nobody gets an invitation
for a date that has just changed, and whoever had not been told of the
bilan at all gets the invitation, not « déplacé ».
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import matrix_id
from bot.bilans.cm_answers import answer_choices
from bot.bilans.view import BilanView, view_of
from bot.mailer import looks_like_email, render_email
from bot.matrix_room import about_bilan
from bot.messages import Document, Reply, recipient_of
from bot.outbox import EMAIL, About, cancel_pending, enqueue, queue_email
from bot.storage.attestations import Attestation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity

ChatOf = Callable[[AsyncSession, BilanParticipant], Awaitable[tuple[str, str] | None]]
Calendar = Callable[[BilanView, bool], Document]
"""The bilan's invitation (``.ics``) as it stands; ``True``: a cancellation for this person."""

PARTICIPANT_EMAIL = "email/bilan_participant.txt.j2"

DATED = ("invited", "moved")
"""A participant's messages that say the bilan's date: a newer one replaces them unsent."""
CHARGE_DE_MISSION = ("charge_de_mission", "charge_de_mission_moved")
"""The chargé(e) de mission's invitations, first or moved: each new version replaces them."""


async def replace_unsent(
    session: AsyncSession, bilan: Bilan, whats: tuple[str, ...], participant_id: int | None
) -> list[OutboxMessage]:
    """The bilan's messages of ``whats`` to one participant (``None``: the chargé(e) de
    mission) of an older version, not sent yet, cancelled: the new version's replace them.
    This version's own stay (the same change handled twice is still one message)."""
    return await cancel_pending(
        session,
        OutboxMessage.bilan_id == bilan.id,
        OutboxMessage.about.in_(whats),
        OutboxMessage.key.not_like(f"bilan:{bilan.id}:%:{bilan.sequence}:%"),
        OutboxMessage.participant_id.is_(None)
        if participant_id is None
        else OutboxMessage.participant_id == participant_id,
    )


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
    unsent: str | None = None,
    answered: str | None = None,
) -> int:
    """Queue ``text`` (safe chat markup) to every reachable participant (or ``only`` that
    one); how many were.  By e-mail, the text comes with the bilan's details and its
    ``.ics`` (a cancellation when the bilan is cancelled or the person removed).

    ``unsent``: a moved bilan's invitation, for whoever's first invitation was still
    waiting (it is dropped: it gave the old date).  ``answered``: what a participant
    who already answered the attestation reads instead (a moved bilan: that answer
    named the old date and no longer counts)."""
    reached = 0
    view: BilanView | None = None
    people = [only] if only is not None else list(bilan.participants)
    have_answered = await _answered(session, people) if answered is not None else set()
    for participant in people:
        where = await chat_of(session, participant)
        if where is None:
            continue
        platform, chat_id = where
        said, what = text, event
        if answered is not None and participant.id in have_answered:
            said = answered
        if event in DATED:
            dropped = await replace_unsent(session, bilan, DATED, participant.id)
            if unsent is not None and any(row.about == "invited" for row in dropped):
                said, what = unsent, "invited"
        key = f"bilan:{bilan.id}:{what}:{bilan.sequence}:participant:{participant.id}"
        about = About(bilan_id=bilan.id, participant_id=participant.id, what=what)
        if platform == EMAIL and isinstance(chat_of, Reach) and chat_of.calendar is not None:
            view = view or await view_of(session, bilan)
            if view is None:
                continue
            cancelled = event in ("cancelled", "removed")
            mail = render_email(
                PARTICIPANT_EMAIL,
                v=view,
                event=what,
                name=participant.name,
                notice=texts.plain(said),
                when=dates.spell_datetime(view.start),
                until=dates.spell_time(view.end),
                span=dates.spell_span(view.start, view.end),
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
            calendar = None
            if isinstance(chat_of, Reach) and chat_of.calendar:
                # Its agenda's file too, as the chargée de mission gets it (explorer DC13,
                # Matrix); in any chat, the one the trainer forwarded is updated (GE4).
                view = view or await view_of(session, bilan)
                cancelled = event in ("cancelled", "removed")
                calendar = chat_of.calendar(view, cancelled) if view is not None else None
            extras: dict[str, str] = {}
            if platform == "matrix" and matrix_id(chat_id):  # a direct chat to open (DC2)
                view = view or await view_of(session, bilan)
                extras = about_bilan(view, what) if view is not None else {}
            await enqueue(
                session,
                key=key,
                platform=platform,
                chat_id=chat_id,
                reply=Reply(text=said, document=calendar, extras=extras),
                organisation_id=bilan.organisation_id,
                about=about,
                recipient=recipient_of(where),  # her chat may be a room others read (AJ2)
            )
        reached += 1
    return reached


@dataclass(frozen=True)
class Invited:
    """Where the chargé(e) de mission's invitation went (``None``: nowhere)."""

    matrix: str | None = None
    email: str | None = None
    news: bool = False
    """What went on Matrix was the news of a change, a first invitation having left: the
    conversation exists already."""
    known: bool = False
    """The bot writes to them on Matrix in a chat there already (another bilan's, one they
    opened): none is opened for this invitation (explorer DB2)."""


async def invite_charge_de_mission(
    session: AsyncSession,
    view: BilanView,
    *,
    text: str,
    invitation: Document,
    matrix: bool,
    email: tuple[str, str, list[Document]] | None,
    moved: str | None = None,
    moved_email: tuple[str, str] | None = None,
) -> Invited:
    """Send the chargé(e) de mission the bilan's invitation: on Matrix when the bot is there
    and knows their ID (it opens the direct chat itself: on Tchap an external cannot), and
    by e-mail when SMTP is configured and the formation records their address (``email``:
    the subject, the funder's own message and the files, ``.ics`` first).

    One message per version of the bilan (its ``sequence``): moving it sends the
    new one, a second call for the same version sends nothing more.  An older
    version's still waiting is dropped.  ``moved`` (the bilan moved: what it says) replaces
    ``text`` on Matrix, and ``moved_email`` (its subject and body) the e-mail's, only where
    an earlier invitation did leave: to whoever never got one, it is the invitation.
    """
    bilan = view.bilan
    about = About(bilan_id=bilan.id, what="charge_de_mission")
    await replace_unsent(session, bilan, CHARGE_DE_MISSION, None)
    target = view.formation.cm_matrix if matrix else None
    told = False
    if target:
        told = moved is not None and await _told(session, bilan, "matrix")
        await enqueue(
            session,
            key=f"bilan:{bilan.id}:charge-de-mission:{bilan.sequence}:matrix",
            platform="matrix",
            chat_id=target,
            # Her three answers, numbered (a move asks again: her answer was to the old date);
            # none to a cancellation (explorer G G7: « 1. Je confirme ma présence » under it),
            # nor to an update at the same date she has answered (explorer G G2).
            reply=Reply(
                text=moved if told and moved else text,
                document=invitation,
                choices=()
                if bilan.cancelled_at is not None or bilan.cm_answered
                else answer_choices(),
                # The direct chat opened for it says who writes and why (explorer DC2).
                extras=about_bilan(view, "cancelled" if bilan.cancelled_at else "invited"),
            ),
            organisation_id=bilan.organisation_id,
            about=About(bilan_id=bilan.id, what=CHARGE_DE_MISSION[1]) if told else about,
        )
    known = bool(target) and not told and await in_a_chat(session, target or "")
    address = (view.formation.cm_email or "").strip()
    if email is None or not looks_like_email(address):
        return Invited(matrix=target or None, news=told, known=known)
    subject, body, files = email
    if moved_email is not None and await _told(session, bilan, EMAIL):
        subject, body = moved_email
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
    return Invited(matrix=target or None, email=address, news=told, known=known)


async def in_a_chat(session: AsyncSession, user_id: str) -> bool:
    """Whether the bot has a direct chat with this Matrix ID already: one they write from
    (not left), else one it opened for them that they did not decline (and never left)."""
    left = False
    for blocked in await session.scalars(
        select(ChatIdentity.blocked_at).where(
            ChatIdentity.platform == "matrix", ChatIdentity.user_id == user_id
        )
    ):
        if blocked is None:
            return True
        left = True
    if left:
        return False
    opened = await session.scalar(
        select(MatrixWelcome.id)
        .where(
            MatrixWelcome.invitee == user_id,
            MatrixWelcome.room_id.is_not(None),
            MatrixWelcome.status != "declined",
        )
        .limit(1)
    )
    return opened is not None


async def _told(session: AsyncSession, bilan: Bilan, platform: str) -> bool:
    """Whether an invitation of an older version left for the chargé(e) de mission on
    ``platform`` (sent, or being sent): a move is then news to them, not a first invitation."""
    found = await session.scalar(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.bilan_id == bilan.id,
            OutboxMessage.participant_id.is_(None),
            OutboxMessage.platform == platform,
            OutboxMessage.about.in_(CHARGE_DE_MISSION),
            OutboxMessage.status.in_(("sent", "sending")),
        )
        .limit(1)
    )
    return found is not None


async def _answered(session: AsyncSession, people: list[BilanParticipant]) -> set[int]:
    """The ids of those among ``people`` who answered the attestation (any version)."""
    if not people:
        return set()
    found = await session.scalars(
        select(Attestation.participant_id)
        .where(Attestation.participant_id.in_([p.id for p in people]))
        .distinct()
    )
    return set(found)
