"""Erasing a trainee (bot/privacy/erasure.py): nothing of them left, but the evidence already sent."""

from __future__ import annotations

from sqlalchemy import select

from bot.privacy.erasure import erase_trainee, plan_erasure, scrub
from bot.storage.attestations import Attestation, ProofSending
from bot.storage.audit import AuditEntry
from bot.storage.bilans import BilanParticipant
from bot.storage.db import Database
from bot.storage.formations import Trainee
from bot.storage.people import Person
from bot.storage.state import ConversationState
from tests.auxil.attestations import demo_author
from tests.auxil.dialogue import Clock
from tests.auxil.privacy import everywhere, fill_demo, traces


async def test_erasing_leaves_no_trace_in_any_table_but_the_evidence_sent(
    store: Database, clock: Clock
) -> None:
    """On SQLite and PostgreSQL: the deletes and the cascades are the database's."""
    db = store
    await fill_demo(db, clock.now.date())
    placed = await everywhere(db, "Karim Benali", at=clock.now)
    assert len(await traces(db, placed.words)) > 20  # the search finds what is there

    async with db.sessions() as session, session.begin():
        admin, org = await demo_author(session)
        plan = await erase_trainee(session, org, placed.trainee_id, admin, clock.now)
    assert plan is not None
    assert (plan.absences, plan.followups, plan.documents) == (1, 1, 2)
    assert (plan.unsent.given, plan.sent.given) == (1, 1)

    # Kept, as the README says: the attestation e-mailed to the funder, its
    # participant line and the bundle as sent.
    kept = {
        "attestations": {placed.kept_attestation},
        "bilan_participants": {placed.kept_participant},
        "proof_sendings": {placed.sent_bundle},
    }
    assert await traces(db, placed.words, kept) == []
    async with db.sessions() as session:
        trainee = await session.get(Trainee, placed.trainee_id)
        assert trainee is not None
        assert (trainee.full_name, trainee.company) == (
            f"Personne effacée n° {placed.trainee_id}",
            None,
        )
        evidence = await session.get(Attestation, placed.kept_attestation)
        assert evidence is not None and evidence.typed_name == "Karim Benali"
        assert evidence.person_id is None  # the account made to answer is gone
        assert await session.get(Person, placed.person_id) is None
        sent = await session.get(ProofSending, placed.sent_bundle)
        assert sent is not None and sent.bundle == b"Karim Benali"
        # Another formateur was typing about them: the answers go, as at expiry.
        typing = await session.scalar(
            select(ConversationState).where(ConversationState.user_id == "formateur-2")
        )
        assert typing is not None
        assert (typing.flow, typing.step, typing.data) == (
            "absence",
            None,
            {"_q": 3, "_closed": "erased"},  # said so at their next message (explorer V, V4)
        )
        assert typing.expires_at is not None and typing.expires_at <= clock.now
        [entry] = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "erase"))
        ).all()
    assert (entry.entity, entry.entity_id) == ("trainee", placed.trainee_id)
    assert entry.details["kept"] == 1 and entry.details["absences"] == 1


async def test_a_trainee_of_another_organisation_cannot_be_erased(
    db: Database, demo: None, clock: Clock
) -> None:
    placed = await everywhere(db, "Léa Martin", at=clock.now)
    async with db.sessions() as session, session.begin():
        admin, org = await demo_author(session)
        assert await plan_erasure(session, org + 1, placed.trainee_id) is None
        assert await erase_trainee(session, org + 1, placed.trainee_id, admin, clock.now) is None
        assert await erase_trainee(session, org, "'; DROP TABLE x", admin, clock.now) is None
    async with db.sessions() as session:
        assert (await session.get(Trainee, placed.trainee_id)).full_name == "Léa Martin"  # type: ignore[union-attr]


async def test_with_nothing_sent_every_participation_goes(
    db: Database, demo: None, clock: Clock
) -> None:
    placed = await everywhere(db, "Julie Petit", at=clock.now)
    async with db.sessions() as session, session.begin():
        sent = await session.get(ProofSending, placed.sent_bundle)
        assert sent is not None
        sent.status = "failed"
    async with db.sessions() as session, session.begin():
        admin, org = await demo_author(session)
        plan = await erase_trainee(session, org, placed.trainee_id, admin, clock.now)
    assert plan is not None and (plan.unsent.given, plan.sent.given) == (2, 0)
    assert await traces(db, placed.words) == []
    async with db.sessions() as session:
        assert (
            await session.scalars(
                select(BilanParticipant).where(BilanParticipant.id == placed.kept_participant)
            )
        ).all() == []


async def test_scrub_replaces_names_inside_nested_json(db: Database, demo: None) -> None:
    async with db.sessions() as session, session.begin():
        session.add(
            ConversationState(
                platform="console",
                chat_id="c",
                user_id="u",
                data={"a": ["x Hugo Moreau y", {"b": "Moreau"}], "n": 3},
            )
        )
    async with db.sessions() as session, session.begin():
        assert await scrub(session, ["Hugo Moreau", "Moreau", ""], "P") == 1
        assert await scrub(session, ["Hugo Moreau"], "P") == 0
    async with db.sessions() as session:
        state = await session.scalar(
            select(ConversationState).where(ConversationState.chat_id == "c")
        )
        assert state is not None and state.data == {"a": ["x P y", {"b": "P"}], "n": 3}


async def test_deadlines_that_named_the_trainee_are_reworded(
    db: Database, demo: None, clock: Clock
) -> None:
    from bot.deadlines.service import refresh_organisation

    async with db.sessions() as session, session.begin():
        admin, org = await demo_author(session)
        await refresh_organisation(session, org)
    words = ("Nadia Roux", "Roux")
    assert await traces(db, words) != []  # CVL deadlines of entries and exits name her
    async with db.sessions() as session, session.begin():
        trainee = await session.scalar(select(Trainee).where(Trainee.full_name == "Nadia Roux"))
        assert trainee is not None
        await erase_trainee(session, org, trainee.id, admin, clock.now)
    assert await traces(db, words) == []


async def test_erasing_clears_the_e_mail_and_phone_an_imported_list_gave(
    db: Database, clock: Clock
) -> None:
    await fill_demo(db, clock.now.date())
    async with db.sessions() as session, session.begin():
        admin, org = await demo_author(session)
        trainee = await session.scalar(select(Trainee).where(Trainee.full_name == "Léa Martin"))
        assert trainee is not None
        trainee.email, trainee.phone = "lea.martin@example.org", "06 12 34 56 78"
        await erase_trainee(session, org, trainee.id, admin, clock.now)
    async with db.sessions() as session:
        erased = await session.get(Trainee, trainee.id)
        assert erased is not None and (erased.email, erased.phone) == (None, None)
