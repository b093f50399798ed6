"""Invitations issued, checked and redeemed, without a dialogue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import invitations
from bot.people import membership
from bot.people.organisations import ChatAddress, create_first_organisation
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.people import ChatIdentity, Invitation, Membership, Organisation, Person

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
BRUNO = ChatAddress("telegram", "222", "222")


async def founded(session: AsyncSession) -> tuple[int, int]:
    """The organisation's id and its admin's."""
    org = await create_first_organisation(
        session,
        name="Forma Plus",
        timezone="Europe/Paris",
        admin_name="Claire",
        address=ChatAddress("telegram", "111", "111"),
    )
    assert org is not None
    admin = await session.scalar(select(Membership.person_id))
    assert admin is not None
    return org.id, admin


async def test_an_invitation_stores_only_the_hash_and_expires(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        org_id, admin = await founded(session)
        invitation, code = await membership.issue_invitation(
            session, organisation_id=org_id, by=admin, role="formateur", now=NOW, valid_for=WEEK
        )
        assert invitations.looks_like_code(code)
        invitation_id = invitation.id
    async with store.sessions() as session:
        stored = await session.get(Invitation, invitation_id)
        assert stored is not None
        assert stored.code_hash == invitations.code_hash(code) and code not in stored.code_hash
        assert (stored.organisation_id, stored.role, stored.created_by) == (
            org_id,
            "formateur",
            admin,
        )
        assert stored.expires_at == NOW + WEEK
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "invite"))
        assert entry is not None
        assert (entry.entity_id, entry.actor_id, entry.details) == (
            invitation_id,
            admin,
            {"role": "formateur"},
        )
        assert (await membership.find_invitation(session, code)) is not None
        for wrong in ("AAAAAAAAAAAAAAAAAAAAAA", "<script>", "x" * 10_000, ""):
            assert await membership.find_invitation(session, wrong) is None


async def test_why_a_code_does_not_let_someone_in(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        org_id, admin = await founded(session)
        invitation, _ = await membership.issue_invitation(
            session, organisation_id=org_id, by=admin, role="formateur", now=NOW, valid_for=WEEK
        )

        def why(now: datetime = NOW, member_of: int | None = None) -> str | None:
            return membership.refusal(invitation, now=now, member_of=member_of)

        assert why() is None
        assert why(member_of=org_id) == "already_member"
        assert why(member_of=org_id + 1) == "other_organisation"
        assert why(now=NOW + WEEK + timedelta(minutes=1)) == "code_expired"
        invitation.revoked_at = NOW
        assert why() == "code_revoked"


async def test_redeeming_makes_a_newcomer_a_member_once(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        org_id, admin = await founded(session)
        invitation, _ = await membership.issue_invitation(
            session, organisation_id=org_id, by=admin, role="admin", now=NOW, valid_for=WEEK
        )
        joined = await membership.redeem_invitation(
            session,
            invitation.id,
            name="Bruno Lefèvre",
            address=BRUNO,
            person_id=None,
            member_of=None,
            now=NOW + timedelta(hours=1),
        )
        assert isinstance(joined, membership.Joined) and joined.role == "admin"
        again = await membership.redeem_invitation(
            session,
            invitation.id,
            name="Chloé",
            address=ChatAddress("telegram", "333", "333"),
            person_id=None,
            member_of=None,
            now=NOW + timedelta(hours=2),
        )
        assert again == "code_used"
    async with store.sessions() as session:
        bruno = await session.scalar(select(Person).where(Person.display_name == "Bruno Lefèvre"))
        assert bruno is not None and bruno.id == joined.person_id
        roles = {(m.person_id, m.role) for m in await session.scalars(select(Membership))}
        assert roles == {(admin, "admin"), (bruno.id, "admin")}
        identity = await session.scalar(select(ChatIdentity).where(ChatIdentity.user_id == "222"))
        assert identity is not None and identity.person_id == bruno.id
        used = await session.get(Invitation, invitation.id)
        assert used is not None and used.used_by == bruno.id
        assert used.used_at == NOW + timedelta(hours=1)
        assert await session.scalar(select(Person).where(Person.display_name == "Chloé")) is None
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "join"))
        assert entry is not None
        assert (entry.organisation_id, entry.actor_id, entry.details) == (
            org_id,
            bruno.id,
            {"role": "admin"},
        )


async def test_a_known_person_joins_under_the_name_they_give(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        org_id, admin = await founded(session)
        participant = Person(display_name="Participant")
        session.add(participant)
        await session.flush()
        invitation, _ = await membership.issue_invitation(
            session, organisation_id=org_id, by=admin, role="formateur", now=NOW, valid_for=WEEK
        )
        joined = await membership.redeem_invitation(
            session,
            invitation.id,
            name="Dina Morel",
            address=BRUNO,
            person_id=participant.id,
            member_of=None,
            now=NOW,
        )
        assert joined == membership.Joined(participant.id, "formateur")
        assert participant.display_name == "Dina Morel"
        late, _ = await membership.issue_invitation(
            session, organisation_id=org_id, by=admin, role="formateur", now=NOW, valid_for=WEEK
        )
        expired = await membership.redeem_invitation(
            session,
            late.id,
            name="Eve",
            address=ChatAddress("telegram", "444", "444"),
            person_id=None,
            member_of=None,
            now=NOW + WEEK * 2,
        )
        assert expired == "code_expired"
        assert late.used_at is None
        assert (await session.get(Organisation, org_id)) is not None
