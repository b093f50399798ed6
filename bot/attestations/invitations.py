"""A participant's personal code: issued, revoked, redeemed by one chat, checked at every step.

The clear code exists only in what :func:`issue` returns, to be shown once to
the trainer; the database keeps its SHA-256.  The first chat identity that
redeems a code is the only one that may use it afterwards.  Refusals are
returned as the name of the message that explains them (a block of
``templates/chat/attestation_participant.j2``), so the dialogue words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, invitations, texts
from bot.answers import matrix_id, visible
from bot.attestations.service import Author, Chat, audit, progress, when_words
from bot.attestations.settings import invitation_expiry
from bot.bilans.notify import email_of
from bot.bilans.view import BilanView, view_of
from bot.mailer import render_email
from bot.messages import Reply
from bot.outbox import About, enqueue, queue_email
from bot.storage.attestations import AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.people import ChatIdentity, Person

Refusal = Literal[
    "code_revoked",
    "code_expired",
    "not_for_you",
    "other_participant",
    "for_trainer",
    "bilan_cancelled",
    "invitation_gone",
]


class Held(NamedTuple):
    """An invitation this chat may still use, with its bilan and participant."""

    invitation: AttestationInvitation
    info: BilanView
    participant: BilanParticipant


@dataclass(frozen=True)
class Fresh:
    """A new personal code, to be shown once to the trainer."""

    participant: BilanParticipant
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class Invited:
    """What "Inviter ou relancer" did: new codes, and who was reminded in their chat."""

    fresh: list[Fresh] = field(default_factory=list)
    reminded: list[str] = field(default_factory=list)
    on_matrix: list[str] = field(default_factory=list)
    """Those whose invitation the bot sent itself, in a Matrix chat it opened."""
    emailed: list[str] = field(default_factory=list)
    """Those whose invitation the bot sent itself by e-mail."""


@dataclass(frozen=True)
class Links:
    """What an e-mailed invitation points to: the Telegram bot's name (its deep link) and
    the bot's Matrix ID (a ``matrix.to`` link), each empty when the bot is not there."""

    telegram: str = ""
    matrix: str = ""


INVITATION_EMAIL = "email/attestation_invitation.txt.j2"


def expiry(invitation: AttestationInvitation, info: BilanView) -> datetime:
    """When the code stops working: a bilan moved later pushes the date with it."""
    return max(invitation.expires_at, invitation_expiry(info.bilan.ends_at, info.organisation))


def redeemed_by(invitation: AttestationInvitation, chat: Chat) -> bool:
    return (
        invitation.redeemed_at is not None
        and invitation.redeemed_platform == chat.platform
        and invitation.redeemed_user_id == chat.user
    )


# --- issuing ---------------------------------------------------------------------------------


async def revoke(
    session: AsyncSession, participant_id: int, *, by: int | None, now: datetime
) -> int:
    """Revoke every live code of a participant; how many were."""
    rows = (
        await session.scalars(
            select(AttestationInvitation).where(
                AttestationInvitation.participant_id == participant_id,
                AttestationInvitation.revoked_at.is_(None),
            )
        )
    ).all()
    for row in rows:
        row.revoked_at = now
        row.revoked_by = by
    await session.flush()
    return len(rows)


async def issue(
    session: AsyncSession,
    info: BilanView,
    participant: BilanParticipant,
    *,
    by: int | None,
    now: datetime,
) -> tuple[AttestationInvitation, str]:
    """A new personal code for ``participant`` (earlier ones revoked); the code in clear.

    When the participant's contact is a Matrix ID, it is recorded as the
    target, so a Matrix transport can invite that person directly instead of
    relying on a forwarded link.
    """
    await revoke(session, participant.id, by=by, now=now)
    code = invitations.new_code()
    contact = matrix_id(participant.contact or "")
    matrix = contact is not None
    invitation = AttestationInvitation(
        organisation_id=info.bilan.organisation_id,
        bilan_id=info.bilan.id,
        participant_id=participant.id,
        code_hash=invitations.code_hash(code),
        target_platform="matrix" if matrix else None,
        target_user=contact if matrix else None,
        created_by=by,
        created_at=now,
        expires_at=invitation_expiry(info.bilan.ends_at, info.organisation),
    )
    session.add(invitation)
    await session.flush()
    return invitation, code


async def reissue(
    session: AsyncSession, info: BilanView, participant_id: int, *, author: Author, now: datetime
) -> Fresh | None:
    """A new link for one participant of ``info`` (the old one stops working); ``None`` for
    someone who is not a participant of this bilan."""
    participant = info.participant(participant_id)
    if participant is None:
        return None
    invitation, code = await issue(session, info, participant, by=author.person_id, now=now)
    audit(
        session, author, "reissue", "attestation_invitation", invitation.id, bilan_id=info.bilan.id
    )
    return Fresh(participant, code, invitation.expires_at)


async def invite_or_remind(
    session: AsyncSession,
    info: BilanView,
    *,
    author: Author,
    now: datetime,
    event: str,
    only_new: bool = False,
    on_matrix: bool = False,
    by_email: Links | None = None,
) -> Invited:
    """Invite (or re-invite) everyone who has not answered nor is on a sheet, and those
    whose answer names the bilan's former dates (it moved) or was not validated.

    - nobody has used the participant's link yet: a new link to forward (the
      old one is revoked, so a lost or misdirected link stops working);
    - the participant already talks to the bot: a reminder in their chat,
      through the outbox under a key unique to ``event`` (their link stays
      theirs: revoking it would lock them out of their own conversation);
    - ``only_new`` (at scheduling): only participants without a live link;
    - ``on_matrix`` (the bot is on Matrix/Tchap): a participant whose contact
      is a Matrix ID gets the new link from the bot itself, in a direct chat
      the bot opens (an external on Tchap cannot open one), not forwarded;
    - ``by_email`` (SMTP is configured): a participant whose contact is an
      e-mail address gets the new link by e-mail, with the Telegram deep link
      and the Matrix link that reach the bot (a reminder when it replaces an
      earlier link), not forwarded.
    """
    done = Invited()
    for row in (await progress(session, info)).rows:
        if row.state not in ("outdated", "rejected", "opened", "invited", "not_invited"):
            continue  # answered (or flagged), on the sheet, or absent
        live = row.invitation if row.invitation and row.invitation.revoked_at is None else None
        if only_new and live is not None:
            continue
        if live is not None and live.redeemed_at is not None:
            if live.redeemed_platform and live.redeemed_chat_id:
                await enqueue(
                    session,
                    key=f"attestation:remind:{live.id}:{event}",
                    platform=live.redeemed_platform,
                    chat_id=live.redeemed_chat_id,
                    organisation_id=info.bilan.organisation_id,
                    reply=Reply(
                        text=texts.say(
                            "attestation_participant.reminder",
                            moved=row.outdated,
                            **when_words(info),
                        )
                    ),
                )
                done.reminded.append(visible(row.participant.name))
            continue
        invitation, code = await issue(session, info, row.participant, by=author.person_id, now=now)
        audit(
            session,
            author,
            "invite",
            "attestation_invitation",
            invitation.id,
            bilan_id=info.bilan.id,
        )
        contact = invitation.target_user if on_matrix else None
        address = email_of(row.participant) if by_email is not None else None
        if contact is None and address is not None and by_email is not None:
            await _email_invitation(
                session, info, row.participant, invitation, code, address, by_email, again=live
            )
            done.emailed.append(visible(row.participant.name))
            continue
        if contact is None:
            done.fresh.append(Fresh(row.participant, code, invitation.expires_at))
            continue
        await enqueue(
            session,
            key=f"attestation:invite:{invitation.id}:matrix",
            platform="matrix",
            chat_id=contact,
            organisation_id=info.bilan.organisation_id,
            reply=Reply(
                text=texts.say(
                    "attestation_participant.matrix_invitation",
                    name=visible(row.participant.name),
                    code=code,
                    expires=dates.spell_datetime(expiry(invitation, info).astimezone(info.tz)),
                    **when_words(info),
                )
            ),
        )
        done.on_matrix.append(visible(row.participant.name))
    return done


async def _email_invitation(
    session: AsyncSession,
    info: BilanView,
    participant: BilanParticipant,
    invitation: AttestationInvitation,
    code: str,
    address: str,
    links: Links,
    *,
    again: AttestationInvitation | None,
) -> None:
    mail = render_email(
        INVITATION_EMAIL,
        name=visible(participant.name),
        code=code,
        telegram=f"https://t.me/{links.telegram}?start={code}" if links.telegram else "",
        matrix=f"https://matrix.to/#/{links.matrix}" if links.matrix else "",
        expires=dates.spell_datetime(expiry(invitation, info).astimezone(info.tz)),
        again=again is not None,
        trainer=visible(info.trainer),
        **when_words(info),
    )
    await queue_email(
        session,
        to=address,
        subject=mail.subject,
        body=mail.body,
        key=f"attestation:invite:{invitation.id}:email",
        organisation_id=info.bilan.organisation_id,
        about=About(
            bilan_id=info.bilan.id,
            participant_id=participant.id,
            what="reminder" if again is not None else "attestation",
        ),
    )


# --- redeeming and using ------------------------------------------------------------------


async def find_code(session: AsyncSession, code: str) -> AttestationInvitation | None:
    if not invitations.looks_like_code(code):
        return None
    wanted = invitations.code_hash(code)
    found = await session.scalar(
        select(AttestationInvitation).where(AttestationInvitation.code_hash == wanted)
    )
    if found is None or not invitations.same_hash(found.code_hash, wanted):
        return None
    return found


async def redeem(
    session: AsyncSession, code: str, *, chat: Chat, author: Author, now: datetime
) -> int | Refusal | None:
    """``/start CODE``: bind the code to this chat identity on first use.

    The invitation's id when this chat may use it; the refusal otherwise;
    ``None`` when the code is no attestation code at all.  The first use
    gives the participant a person and a chat identity (no membership).
    """
    invitation = await find_code(session, code)
    if invitation is None:
        return None
    info = await view_of(session, invitation.bilan_id)
    participant = info.participant(invitation.participant_id) if info else None
    if info is None or participant is None:
        return None
    if invitation.revoked_at is not None:
        return "code_revoked"
    if invitation.redeemed_at is not None and not redeemed_by(invitation, chat):
        return "not_for_you"
    if author.organisation_id == info.bilan.organisation_id:
        return "for_trainer"
    if info.bilan.cancelled_at is not None:
        return "bilan_cancelled"
    if now > expiry(invitation, info):
        return "code_expired"
    if invitation.redeemed_at is None:
        other = await session.scalar(
            select(AttestationInvitation.id).where(
                AttestationInvitation.bilan_id == invitation.bilan_id,
                AttestationInvitation.participant_id != invitation.participant_id,
                AttestationInvitation.redeemed_platform == chat.platform,
                AttestationInvitation.redeemed_user_id == chat.user,
                AttestationInvitation.revoked_at.is_(None),
            )
        )
        if other is not None:
            return "other_participant"
        # One conditional update binds the code: of two accounts sending it at
        # once (two processes), one gets it and the other is told it is not theirs.
        won = await session.scalar(
            update(AttestationInvitation)
            .where(
                AttestationInvitation.id == invitation.id,
                AttestationInvitation.redeemed_at.is_(None),
                AttestationInvitation.revoked_at.is_(None),
            )
            .values(
                redeemed_at=now,
                redeemed_platform=chat.platform,
                redeemed_user_id=chat.user,
                redeemed_chat_id=chat.chat,
            )
            .returning(AttestationInvitation.id)
            .execution_options(synchronize_session=False)
        )
        await session.refresh(invitation)
        if won is None:
            return "code_revoked" if invitation.revoked_at is not None else "not_for_you"
        invitation.redeemed_person_id = await _person_for(session, participant, chat, author)
        await session.flush()
        audit(
            session,
            author,
            "redeem",
            "attestation_invitation",
            invitation.id,
            bilan_id=info.bilan.id,
        )
    return invitation.id


async def _person_for(
    session: AsyncSession, participant: BilanParticipant, chat: Chat, author: Author
) -> int:
    """The person behind this chat, created on first contact (no membership)."""
    if author.person_id is not None:
        return author.person_id
    person = Person(display_name=(visible(participant.name) or "Participant")[:200])
    session.add(person)
    await session.flush()
    identity = await session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == chat.platform, ChatIdentity.user_id == chat.user
        )
    )
    if identity is None:
        session.add(
            ChatIdentity(
                person_id=person.id, platform=chat.platform, user_id=chat.user, chat_id=chat.chat
            )
        )
    else:
        identity.person_id = person.id
    await session.flush()
    return person.id


async def open_invitation(
    session: AsyncSession, invitation_id: object, *, chat: Chat, now: datetime
) -> Held | Refusal:
    """The invitation of a conversation, if this chat may still use it; else why not."""
    try:
        wanted = int(str(invitation_id))
    except ValueError:
        return "invitation_gone"
    invitation = await session.get(AttestationInvitation, wanted)
    if invitation is None or not redeemed_by(invitation, chat):
        return "invitation_gone"
    if invitation.revoked_at is not None:
        return "code_revoked"
    info = await view_of(session, invitation.bilan_id)
    participant = info.participant(invitation.participant_id) if info else None
    if info is None or participant is None:
        return "invitation_gone"
    if info.bilan.cancelled_at is not None:
        return "bilan_cancelled"
    if now > expiry(invitation, info):
        return "code_expired"
    return Held(invitation, info, participant)


async def held_by(session: AsyncSession, chat: Chat) -> list[AttestationInvitation]:
    """Live invitations this chat identity redeemed, oldest bilan first."""
    rows = (
        await session.scalars(
            select(AttestationInvitation)
            .join(Bilan, Bilan.id == AttestationInvitation.bilan_id)
            .where(
                AttestationInvitation.redeemed_platform == chat.platform,
                AttestationInvitation.redeemed_user_id == chat.user,
                AttestationInvitation.revoked_at.is_(None),
                Bilan.cancelled_at.is_(None),
            )
            .order_by(Bilan.starts_at, AttestationInvitation.id)
        )
    ).all()
    return list(rows)


async def participant_chat(
    session: AsyncSession, participant: BilanParticipant
) -> tuple[str, str] | None:
    """Where the bot can write to a participant: the chat that redeemed their code."""
    row = await session.scalar(
        select(AttestationInvitation)
        .where(
            AttestationInvitation.participant_id == participant.id,
            AttestationInvitation.redeemed_at.is_not(None),
            AttestationInvitation.revoked_at.is_(None),
        )
        .order_by(AttestationInvitation.redeemed_at.desc())
        .limit(1)
    )
    if row is None or not row.redeemed_platform or not row.redeemed_chat_id:
        return None
    return row.redeemed_platform, row.redeemed_chat_id


async def inviter_name(session: AsyncSession, held: Held) -> str:
    """Who invited the participant, as the greeting names them (the trainer by default)."""
    inviter = await session.get(Person, held.invitation.created_by or 0)
    return visible(inviter.display_name) if inviter else held.info.trainer
