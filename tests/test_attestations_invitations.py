"""bot.attestations.invitations on its own: codes issued (hash only), reissued, redeeming by
one chat, and every refusal (invitations and relances: test_attestations_reminders.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attestations import invitations, service
from bot.attestations.invitations import Held
from bot.attestations.service import Author, Chat
from bot.bilans.view import BilanView
from bot.demo import fill
from bot.invitations import code_hash
from bot.storage.attestations import AttestationInvitation
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Membership, Person
from tests.auxil.attestations import BILAN_END, BILAN_START, add_bilan, demo_author
from tests.auxil.dialogue import Clock
from tests.auxil.race import one_after_the_other

LEA = Chat("console", "lea", "lea")
NOBODY = Author()
MALLORY = Chat("console", "mallory", "mallory")
TWO = (("delegate", "Léa Martin", None), ("delegate", "Hugo Moreau", None))


async def info_of(session: AsyncSession, bilan_id: int) -> BilanView:
    info = await service.view_of(session, bilan_id)
    assert info is not None
    return info


async def trainer_of(session: AsyncSession) -> Author:
    return Author(*await demo_author(session))


async def test_issue_keeps_the_hash_only_and_revokes_the_earlier_code(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        info = await info_of(session, bilan_id)
        (lea,) = info.bilan.participants
        first, first_code = await invitations.issue(session, info, lea, by=None, now=clock.now)
        second, second_code = await invitations.issue(session, info, lea, by=None, now=clock.now)
        assert first_code != second_code and len(second_code) >= 22
        assert second.code_hash == code_hash(second_code)
        assert first.revoked_at == clock.now and second.revoked_at is None
        assert second.expires_at == BILAN_END + timedelta(days=30)
        assert second.target_platform is None
        rows = (await session.scalars(select(AttestationInvitation))).all()
        assert second_code not in repr([(r.code_hash, r.target_user) for r in rows])


async def test_a_matrix_contact_is_recorded_as_the_target(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(db)
    async with db.sessions() as session, session.begin():
        participant = await session.scalar(
            select(BilanParticipant).where(BilanParticipant.bilan_id == bilan_id)
        )
        assert participant is not None
        participant.contact = "@lea:example.org"
        info = await info_of(session, bilan_id)
        invitation, _ = await invitations.issue(
            session, info, info.bilan.participants[0], by=None, now=clock.now
        )
        assert (invitation.target_platform, invitation.target_user) == (
            "matrix",
            "@lea:example.org",
        )


async def test_reissue_audits_and_refuses_someone_of_another_bilan(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(db)
    elsewhere = await add_bilan(db)
    async with db.sessions() as session, session.begin():
        author = await trainer_of(session)
        info = await info_of(session, bilan_id)
        stranger = (await info_of(session, elsewhere)).bilan.participants[0]
        assert (
            await invitations.reissue(session, info, stranger.id, author=author, now=clock.now)
            is None
        )
        old, _ = await invitations.issue(
            session, info, info.bilan.participants[0], by=None, now=clock.now
        )
        fresh = await invitations.reissue(
            session, info, info.bilan.participants[0].id, author=author, now=clock.now
        )
        assert fresh is not None and fresh.participant.name == "Léa Martin"
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "reissue"))
        assert entry is not None and entry.actor_id == author.person_id
        assert entry.organisation_id == author.organisation_id
        assert entry.details == {"bilan_id": bilan_id, "replaced": [old.id]}
        assert old.revoked_at is not None


async def test_redeeming_binds_the_code_to_the_first_chat_and_makes_a_person(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        info = await info_of(session, bilan_id)
        invitation, code = await invitations.issue(
            session, info, info.bilan.participants[0], by=None, now=clock.now
        )
        assert await invitations.redeem(
            session, code, chat=LEA, author=Author(), now=clock.now
        ) == (invitation.id)
        assert invitation.redeemed_user_id == "lea" and invitation.redeemed_chat_id == "lea"
        person = await session.get(Person, invitation.redeemed_person_id)
        assert person is not None and person.display_name == "Léa Martin"
        identity = await session.scalar(select(ChatIdentity).where(ChatIdentity.user_id == "lea"))
        assert identity is not None and identity.person_id == person.id
        assert (
            await session.scalar(select(Membership).where(Membership.person_id == person.id))
            is None
        )
        # Again from the same chat: the same invitation, no second person.
        later = clock.now + timedelta(hours=1)
        lea_now = Author(person.id, None)
        assert await invitations.redeem(session, code, chat=LEA, author=lea_now, now=later) == (
            invitation.id
        )
        assert await invitations.redeem(
            session, code, chat=MALLORY, author=Author(), now=later
        ) == ("not_for_you")
        elsewhere = Chat("telegram", "lea", "lea")
        assert await invitations.redeem(
            session, code, chat=elsewhere, author=Author(), now=later
        ) == ("not_for_you")
        redeemed = await session.scalar(select(AuditEntry).where(AuditEntry.action == "redeem"))
        # The person the first use made (explorer W, W10: the journal named no one).
        assert redeemed is not None and redeemed.actor_id == person.id
        # In the bilan's organisation's journal (explorer J: missing there, numbers with holes).
        assert redeemed.organisation_id == info.formation.organisation_id


async def test_every_refusal_of_a_code(db: Database, demo: None, clock: Clock) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START, participants=TWO)
    async with db.sessions() as session, session.begin():
        author = await trainer_of(session)
        info = await info_of(session, bilan_id)
        lea, hugo = info.bilan.participants
        _, lea_code = await invitations.issue(session, info, lea, by=None, now=clock.now)
        _, hugo_code = await invitations.issue(session, info, hugo, by=None, now=clock.now)

        async def redeem(code: str, chat: Chat = LEA, who: Author = NOBODY) -> object:
            return await invitations.redeem(session, code, chat=chat, author=who, now=clock.now)

        assert await redeem("not-a-code") is None
        assert await redeem("A" * 22) is None
        assert await redeem(lea_code, who=author) == "for_trainer"  # the trainer opening it
        assert isinstance(await redeem(lea_code), int)
        assert await redeem(hugo_code) == "other_participant"  # Léa has her own
        old_hugo = hugo_code
        _, hugo_code = await invitations.issue(session, info, hugo, by=None, now=clock.now)
        assert await redeem(old_hugo, chat=MALLORY) == "code_revoked"
        late = BILAN_END + timedelta(days=30, minutes=1)
        assert (
            await invitations.redeem(session, hugo_code, chat=MALLORY, author=Author(), now=late)
            == "code_expired"
        )
        (await session.get_one(Bilan, bilan_id)).cancelled_at = clock.now
        assert await redeem(hugo_code, chat=MALLORY) == "bilan_cancelled"


async def test_an_invitation_is_usable_only_by_its_chat_until_it_ends(
    db: Database, demo: None, clock: Clock
) -> None:
    first = await add_bilan(db, start=BILAN_START)
    second = await add_bilan(db, start=BILAN_START + timedelta(days=7))
    async with db.sessions() as session, session.begin():
        ids = []
        for bilan_id in (second, first):
            info = await info_of(session, bilan_id)
            _, code = await invitations.issue(
                session, info, info.bilan.participants[0], by=None, now=clock.now
            )
            found = await invitations.redeem(
                session, code, chat=LEA, author=Author(), now=clock.now
            )
            assert isinstance(found, int)
            ids.append(found)
        held = await invitations.held_by(session, LEA)
        assert [i.bilan_id for i in held] == [first, second]  # oldest bilan first
        opened = await invitations.open_invitation(session, ids[0], chat=LEA, now=clock.now)
        assert isinstance(opened, Held) and opened.info.bilan.id == second
        assert await invitations.inviter_name(session, opened) == "Camille Durand"
        assert await invitations.participant_chat(session, opened.participant) == ("console", "lea")
        for wanted, chat in ((ids[0], MALLORY), ("x", LEA), (987654, LEA)):
            assert (
                await invitations.open_invitation(session, wanted, chat=chat, now=clock.now)
                == "invitation_gone"
            )
        late = BILAN_END + timedelta(days=45)
        assert (
            await invitations.open_invitation(session, ids[1], chat=LEA, now=late) == "code_expired"
        )
        await invitations.revoke(session, opened.participant.id, by=None, now=clock.now)
        assert await invitations.open_invitation(session, ids[0], chat=LEA, now=clock.now) == (
            "code_revoked"
        )
        assert [i.bilan_id for i in await invitations.held_by(session, LEA)] == [first]
        assert await invitations.held_by(session, MALLORY) == []


@pytest.mark.postgres
async def test_two_new_links_at_once_leave_one_working_on_postgresql(
    pg_db: Database, clock: Clock
) -> None:
    """Explorer KC4: Camille and Bruno, both administrators, pressed « Nouveau lien » for
    Karim at the same instant (two processes): each got « Nouveau lien prêt … l'ancien ne
    fonctionne plus », and both new links worked, two live links for one participant.
    Now the participant's row is locked first: the second revokes the first's."""
    async with pg_db.sessions() as session, session.begin():
        await fill(session, today=clock.now.date())
    bilan_id = await add_bilan(pg_db, start=BILAN_START)

    async def new_link() -> int:
        async with pg_db.sessions() as session, session.begin():
            info = await info_of(session, bilan_id)
            fresh = await invitations.reissue(
                session,
                info,
                info.bilan.participants[0].id,
                author=await trainer_of(session),
                now=clock.now,
            )
            assert fresh is not None
            return fresh.participant.id

    async with pg_db.sessions() as session:
        participant = await session.scalar(
            select(BilanParticipant.id).where(BilanParticipant.bilan_id == bilan_id)
        )
    await one_after_the_other(pg_db, BilanParticipant, participant, new_link(), new_link())
    async with pg_db.sessions() as session:
        live = (
            await session.scalars(
                select(AttestationInvitation.id).where(AttestationInvitation.revoked_at.is_(None))
            )
        ).all()
    assert len(live) == 1
