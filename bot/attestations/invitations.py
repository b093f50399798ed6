"""A participant's personal code: issued, revoked, redeemed by one chat, checked at every step.

The clear code exists only in what :func:`issue` returns, to be shown once to
the trainer; the database keeps its SHA-256.  The first chat identity that
redeems a code is the only one that may use it afterwards.  Refusals are
returned as the name of the message that explains them (a block of
``templates/chat/attestation_participant.j2``), so the dialogue words them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, invitations, texts
from bot.answers import matrix_id, visible
from bot.attestations.service import Author, Chat, audit, when_words
from bot.attestations.settings import invitation_expiry
from bot.bilans.view import BilanView, view_of
from bot.messages import ChatFor, Reply
from bot.people.chats import tell_person
from bot.privacy.replies import Sealer
from bot.storage.attestations import AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.people import ChatIdentity, Person
from bot.storage.privacy import ErasedInvitation

Refusal = Literal[
    "code_revoked",
    "code_expired",
    "not_for_you",
    "other_participant",
    "for_trainer",
    "bilan_cancelled",
    "invitation_gone",
    "code_erased",
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
    sealer: Sealer | None = None,
) -> tuple[AttestationInvitation, str]:
    """A new personal code for ``participant`` (earlier ones revoked); the code in clear.

    When the participant's contact is a Matrix ID, it is recorded as the
    target, so a Matrix transport can invite that person directly instead of
    relying on a forwarded link.  With a ``sealer`` the code is also kept
    sealed (key outside the database), so a relance can give it again.
    """
    # The participant's row locked first: two administrators' « Nouveau lien » at once each
    # left their own link working, two live links (explorer KC4); the second now revokes
    # the first's, as one after the other.
    await session.execute(
        select(BilanParticipant.id)
        .where(BilanParticipant.id == participant.id)
        .with_for_update(key_share=True)
    )
    await revoke(session, participant.id, by=by, now=now)
    code = invitations.new_code()
    contact = matrix_id(participant.contact or "")
    matrix = contact is not None
    invitation = AttestationInvitation(
        organisation_id=info.bilan.organisation_id,
        bilan_id=info.bilan.id,
        participant_id=participant.id,
        code_hash=invitations.code_hash(code),
        code_sealed=sealer.seal({"code": code}) if sealer is not None else None,
        target_platform="matrix" if matrix else None,
        target_user=contact if matrix else None,
        created_by=by,
        created_at=now,
        expires_at=invitation_expiry(info.bilan.ends_at, info.organisation),
    )
    session.add(invitation)
    await session.flush()
    return invitation, code


def unsealed(invitation: AttestationInvitation, sealer: Sealer | None) -> str | None:
    """The code of ``invitation`` in clear, when it was sealed with this data folder's key."""
    if sealer is None or not invitation.code_sealed:
        return None
    found = sealer.unseal(invitation.code_sealed)
    code = found.get("code") if found else None
    if not isinstance(code, str) or not invitations.same_hash(
        invitations.code_hash(code), invitation.code_hash
    ):
        return None
    return code


async def reissue(
    session: AsyncSession,
    info: BilanView,
    participant_id: int,
    *,
    author: Author,
    now: datetime,
    sealer: Sealer | None = None,
) -> Fresh | None:
    """A new link for one participant of ``info`` (the old one stops working, and answers
    that it was replaced); ``None`` for someone who is not a participant of this bilan.

    The only way a link changes: the trainer asked for it ("Nouveau lien", or
    an answer not validated).  Audited as ``reissue`` with the revoked ids.
    """
    participant = info.participant(participant_id)
    if participant is None:
        return None
    replaced = await live_ids(session, participant.id)
    invitation, code = await issue(
        session, info, participant, by=author.person_id, now=now, sealer=sealer
    )
    audit(
        session,
        author,
        "reissue",
        "attestation_invitation",
        invitation.id,
        bilan_id=info.bilan.id,
        replaced=replaced,
    )
    return Fresh(participant, code, invitation.expires_at)


async def live_ids(session: AsyncSession, participant_id: int) -> list[int]:
    """The ids of a participant's links that still work (revoked by a reissue)."""
    rows = await session.scalars(
        select(AttestationInvitation.id)
        .where(
            AttestationInvitation.participant_id == participant_id,
            AttestationInvitation.revoked_at.is_(None),
        )
        .order_by(AttestationInvitation.id)
    )
    return list(rows.all())


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


async def erased_code(session: AsyncSession, code: str) -> bool:
    """The code of an invitation an erasure took away (``/effacer``): the person may
    paste it again, and is owed better than « vérifiez qu'il est complet »."""
    if not invitations.looks_like_code(code):
        return False
    found = await session.get(ErasedInvitation, invitations.code_hash(code))
    return found is not None


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
        return "code_erased" if await erased_code(session, code) else None
    info = await view_of(session, invitation.bilan_id)
    participant = info.participant(invitation.participant_id) if info else None
    if info is None or participant is None:
        return None
    if invitation.revoked_at is not None:
        return "code_revoked"
    if author.organisation_id == info.bilan.organisation_id:
        return "for_trainer"  # before « not for you »: the trainer checking a link (AN5)
    if invitation.redeemed_at is not None and not redeemed_by(invitation, chat):
        await contested(session, invitation, info, participant.name, now)
        return "not_for_you"
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
        audit(  # by the person the first use made (explorer W, W10: no one was named)
            session,
            replace(author, person_id=invitation.redeemed_person_id),
            "redeem",
            "attestation_invitation",
            invitation.id,
            of=info.formation.organisation_id,
            bilan_id=info.bilan.id,
        )
    return invitation.id


async def contested(
    session: AsyncSession,
    invitation: AttestationInvitation,
    info: BilanView,
    name: str,
    now: datetime,
) -> None:
    """Another account refused on a link someone else opened: kept (an answer given through
    it after that is to be examined) and told to the trainer once, while a new link can
    still reach the right person (explorer AL3: « a ouvert son lien », and nothing said of
    the delegate refused on her own link, forwarded to a classmate who swore in her name)."""
    if invitation.contested_at is None:
        invitation.contested_at = now
    assert invitation.redeemed_at is not None
    await tell_person(
        session,
        info.formation.owner_id,
        Reply(
            text=texts.say(
                "attestation_trainer.notice_contested",
                name=visible(name),
                opened=dates.spell_datetime(invitation.redeemed_at.astimezone(info.tz)),
                **when_words(info),
            )
        ),
        key=f"attestation:contested:{invitation.id}",
        organisation_id=info.bilan.organisation_id,
    )


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


async def held_by(
    session: AsyncSession, chat: Chat, *, cancelled: bool = False
) -> list[AttestationInvitation]:
    """Live invitations this chat identity redeemed, oldest bilan first; with ``cancelled``,
    those of bilans cancelled since (to say so rather than "no invitation")."""
    rows = (
        await session.scalars(
            select(AttestationInvitation)
            .join(Bilan, Bilan.id == AttestationInvitation.bilan_id)
            .where(
                AttestationInvitation.redeemed_platform == chat.platform,
                AttestationInvitation.redeemed_user_id == chat.user,
                AttestationInvitation.revoked_at.is_(None),
                Bilan.cancelled_at.is_not(None) if cancelled else Bilan.cancelled_at.is_(None),
            )
            .order_by(Bilan.starts_at, AttestationInvitation.id)
        )
    ).all()
    return list(rows)


async def last_redeemed(session: AsyncSession, chat: Chat) -> int | None:
    """The last participant's code this chat identity redeemed, replaced since or not (a
    person the bot knows from a bilan, not a former member; whom to ask for the new link)."""
    return await session.scalar(
        select(AttestationInvitation.id)
        .where(
            AttestationInvitation.redeemed_platform == chat.platform,
            AttestationInvitation.redeemed_user_id == chat.user,
        )
        .order_by(AttestationInvitation.id.desc())
        .limit(1)
    )


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
    return ChatFor(row.redeemed_platform, row.redeemed_chat_id, row.redeemed_user_id)


async def inviter_name(session: AsyncSession, held: Held) -> str:
    """Who invited the participant, as the greeting names them (the trainer by default)."""
    inviter = await session.get(Person, held.invitation.created_by or 0)
    return visible(inviter.display_name) if inviter else held.info.trainer


async def _invitation(
    session: AsyncSession, code: str | None, invitation_id: object
) -> AttestationInvitation | None:
    if code is not None:
        return await find_code(session, code)
    try:
        return await session.get(AttestationInvitation, int(str(invitation_id)))
    except ValueError:
        return None


async def noted_absent_by(
    session: AsyncSession, chat: Chat, *, code: str | None = None, invitation_id: object = None
) -> str | None:
    """Who noted that this link's participant did not take part in the bilan (their link
    was revoked then), by name, ``""`` when unknown; ``None`` when they were not noted so.

    Told to the chat that had opened the link, or to the first to open it (explorer W, W3:
    one who never had was sent to ask for a « nouveau lien » nobody had): it is about its
    holder, and names no one; a link another chat opened stays that chat's.
    """
    invitation = await _invitation(session, code, invitation_id)
    if invitation is None:
        return None
    if invitation.redeemed_at is not None and not redeemed_by(invitation, chat):
        return None
    participant = await session.get(BilanParticipant, invitation.participant_id)
    if participant is None or participant.no_show_at is None:
        return None
    person = await session.get(Person, participant.no_show_by or 0)
    return visible(person.display_name) if person is not None else ""


async def replaced_asker(
    session: AsyncSession, chat: Chat, *, code: str | None = None, invitation_id: object = None
) -> str:
    """Whom a replaced link's holder should ask for the new one, by name: who issued the
    participant's live link, else the formation's trainer.

    Only the chat that had opened the old link is told: the greeting already named who
    invited it.  Anyone else holding an old link (the reason it was replaced, often) learns
    no name: ``""``, and the message says « la personne qui vous l'a transmis ».
    """
    invitation = await _invitation(session, code, invitation_id)
    if invitation is None or not redeemed_by(invitation, chat):
        return ""
    live = await session.scalar(
        select(AttestationInvitation.created_by)
        .where(
            AttestationInvitation.participant_id == invitation.participant_id,
            AttestationInvitation.revoked_at.is_(None),
        )
        .order_by(AttestationInvitation.id.desc())
        .limit(1)
    )
    person = await session.get(Person, live or invitation.created_by or 0)
    if person is not None:
        return visible(person.display_name)
    info = await view_of(session, invitation.bilan_id)
    return info.trainer if info is not None else ""
