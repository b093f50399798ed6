"""Moving and cancelling a bilan (bot/bilans/changes.py) and telling its participants
(bot/bilans/notify.py), called directly on the demo data."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.changes import cancel_bilan, move_bilan, set_visio_link
from bot.bilans.notify import Reach, notify_participants
from bot.bilans.schedule import Partner, Plan, Visio, schedule_bilan
from bot.deadlines.documents import invitation_document
from bot.formations.queries import Member
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from tests.auxil.dialogue import Clock

ADMIN = Member(organisation_id=1, person_id=1, admin=True)
STARTS = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


async def lea_only(session: AsyncSession, participant: BilanParticipant) -> Any:
    """Only Léa Martin has a chat (as the attestations feature gives one)."""
    return ("console", "lea-martin") if participant.name == "Léa Martin" else None


VISIO = Visio("https://visio.example.org/b", True, True)


async def scheduled(db: Database, clock: Clock, visio: Visio = VISIO) -> int:
    """A remote bilan of the Normandie demo formation, its two delegates and a partner."""
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation).where(Formation.funder == "normandie"))
        assert formation is not None
        delegates = (
            await session.scalars(
                select(Trainee.id).where(
                    Trainee.formation_id == formation.id, Trainee.is_delegate.is_(True)
                )
            )
        ).all()
        done = await schedule_bilan(
            session,
            ADMIN,
            clock.now,
            formation.id,
            Plan(
                kind="fin",
                owed_key="fin",
                starts_at=STARTS,
                minutes=120,
                visio=visio,
                trainee_ids=list(delegates),
                partners=[Partner("M. Karim Haddad")],
            ),
        )
        assert done is not None
        prep = next(r for r in done.deadlines if r.rule_id == "NOR-PREP")
        prep.status, prep.done_by, prep.done_at = "done", 1, clock.now
        return done.bilan.id


async def deadlines(session: AsyncSession, bilan_id: int) -> dict[str, StoredDeadline]:
    rows = (
        await session.scalars(
            select(StoredDeadline).where(
                StoredDeadline.subject == "bilan", StoredDeadline.subject_id == bilan_id
            )
        )
    ).all()
    return {r.rule_id: r for r in rows}


@pytest.mark.usefixtures("demo")
async def test_a_moved_bilan_takes_its_deadlines_along_and_tells_who_can_be_reached(
    db: Database, clock: Clock
) -> None:
    bilan_id = await scheduled(db, clock)
    async with db.sessions() as session, session.begin():
        move = await move_bilan(session, ADMIN, clock.now, bilan_id, LATER, chat_of=lea_only)
        assert move is not None
        assert move.old_start == datetime(2026, 11, 26, 14, 0, tzinfo=move.view.tz)
        assert move.view.start == datetime(2026, 12, 3, 14, 0, tzinfo=move.view.tz)
        moved = {move.moved[r.id].row.rule_id for r in move.deadlines if r.id in move.moved}
        assert {"NOR-DOCS", "NOR-PREP", "NOR-PROOF"} <= moved
        docs = next(r for r in move.deadlines if r.rule_id == "NOR-DOCS")
        assert move.moved[docs.id].old_due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
        assert move.reached == 1
        assert move.unreachable == ["Hugo Moreau", "M. Karim Haddad"]
    async with db.sessions() as session:
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        assert (bilan.starts_at, bilan.sequence, bilan.updated_at) == (LATER, 1, clock.now)
        assert bilan.ends_at == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
        rows = await deadlines(session, bilan_id)
        assert rows["NOR-DOCS"].due_at == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
        assert (rows["NOR-PREP"].status, rows["NOR-PREP"].done_by) == ("done", 1)
        lea = next(p for p in bilan.participants if p.name == "Léa Martin")
        notice = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.key == f"bilan:{bilan_id}:moved:1:participant:{lea.id}"
            )
        )
        assert notice is not None and notice.chat_id == "lea-martin"
        assert notice.payload["text"] == (
            "Le bilan de fin de formation « Agent de restauration (démo) » est déplacé : il aura"
            " lieu le jeudi 3 décembre 2026 de 14 h 00 à 16 h 00"
            " (au lieu du jeudi 26 novembre 2026 à 14 h 00).\n"
            # The link again: an earlier message with it may have been read after this one.
            "Le lien de la visio ne change pas : https://visio.example.org/b\n"
            # A password asked, not written in the invitation: said to come apart, as the
            # invitation does (explorer GE2).
            "Mot de passe : communiqué à part."
        )
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "move"))
        assert entry is not None and entry.entity_id == bilan_id
        assert entry.details == {"formation_id": bilan.formation_id, "sequence": 1}


@pytest.mark.usefixtures("demo")
async def test_a_held_bilan_moved_owes_its_proofs_again(db: Database, clock: Clock) -> None:
    """Explorer KB7: the bilan of 26 November held, its proofs sent (NOR-PROOF « Fait » on 3
    December), then moved to 10 December, « il se tiendra de nouveau : les attestations déjà
    confirmées ne vaudront plus »: NOR-PROOF stayed « ✅ déjà faite » at its new date, and
    nothing asked the proofs of the bilan to be held (000 §III)."""
    bilan_id = await scheduled(db, clock)
    sent = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    async with db.sessions() as session, session.begin():
        proof = (await deadlines(session, bilan_id))["NOR-PROOF"]
        proof.status, proof.done_by, proof.done_at = "done", 1, sent
    again = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)
    async with db.sessions() as session, session.begin():
        move = await move_bilan(session, ADMIN, sent, bilan_id, again, chat_of=lea_only)
        assert move is not None
        [shown] = [r for r in move.deadlines if r.rule_id == "NOR-PROOF"]
        assert shown.status == "open"  # « Échéances déplacées » no longer says it done
    async with db.sessions() as session:
        rows = await deadlines(session, bilan_id)
        proof = rows["NOR-PROOF"]
        assert (proof.status, proof.due_on, proof.done_at) == ("open", date(2026, 12, 17), None)
        assert (rows["NOR-PREP"].status, rows["NOR-PREP"].done_by) == ("done", 1)  # before it
        entry = await session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "reopen", AuditEntry.entity_id == proof.id
            )
        )
        assert entry is not None and entry.details["by"] == "bilan_deplace"
    # A bilan not held yet, its proofs not sent: a move leaves the others as they were.
    async with db.sessions() as session, session.begin():
        move = await move_bilan(session, ADMIN, sent, bilan_id, LATER, chat_of=lea_only)
        assert move is not None
        assert [r.status for r in move.deadlines if r.rule_id == "NOR-PROOF"] == ["open"]


@pytest.mark.usefixtures("demo")
async def test_a_participant_told_in_her_chat_gets_the_updated_invitation_for_her_agenda(
    db: Database, clock: Clock
) -> None:
    """Explorer GE4: Léa, on Telegram or the console, had imported the first ``.ics`` the
    trainer forwarded; told of the move in her chat without a file, her agenda kept the old
    date (only Matrix participants got one, DC13). The move's and the cancellation's notices
    carry the bilan's ``.ics`` (same UID, SEQUENCE raised; METHOD:CANCEL when cancelled)."""
    bilan_id = await scheduled(db, clock)
    reach = Reach(
        chat_of=lea_only,
        calendar=lambda view, cancelled: invitation_document(
            view, stamp=clock.now, caption="", cancelled=cancelled
        ),
    )
    async with db.sessions() as session, session.begin():
        assert await move_bilan(session, ADMIN, clock.now, bilan_id, LATER, chat_of=reach)
    async with db.sessions() as session, session.begin():
        assert await cancel_bilan(session, ADMIN, clock.now, bilan_id, chat_of=reach)
    async with db.sessions() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.bilan_id == bilan_id, OutboxMessage.chat_id == "lea-martin")
                .order_by(OutboxMessage.id)
            )
        ).all()
    sent = {row.about: row.payload["document"] for row in rows}
    assert set(sent) == {"moved", "cancelled"}
    for about, method, sequence in (("moved", "PUBLISH", 1), ("cancelled", "CANCEL", 2)):
        assert sent[about]["filename"].endswith(".ics")
        ics = Calendar.from_ical(base64.b64decode(sent[about]["content"]))
        (event,) = ics.events
        assert (str(ics["METHOD"]), int(event["SEQUENCE"])) == (method, sequence)


@pytest.mark.usefixtures("demo")
async def test_a_cancelled_bilan_drops_its_open_deadlines_and_keeps_the_done_ones(
    db: Database, clock: Clock
) -> None:
    bilan_id = await scheduled(db, clock)
    async with db.sessions() as session, session.begin():
        done = await cancel_bilan(session, ADMIN, clock.now, bilan_id, chat_of=lea_only)
        assert done is not None
        assert "Envoyer le bilan pédagogique" in done.removed
        assert done.kept == ["Préparer le bilan avec le groupe"]
        assert (done.reached, done.unreachable) == (1, ["Hugo Moreau", "M. Karim Haddad"])
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        assert (bilan.cancelled_at, bilan.cancelled_by, bilan.sequence) == (clock.now, 1, 1)
        assert list(await deadlines(session, bilan_id)) == ["NOR-PREP"]
        keys = (await session.scalars(select(OutboxMessage.key))).all()
        assert [k for k in keys if ":cancelled:" in k] == [
            f"bilan:{bilan_id}:cancelled:1:participant:{p.id}"
            for p in bilan.participants
            if p.name == "Léa Martin"
        ]
        assert await session.scalar(select(AuditEntry).where(AuditEntry.action == "cancel"))
        # Once cancelled, it can be neither cancelled again nor moved.
        assert await cancel_bilan(session, ADMIN, clock.now, bilan_id, chat_of=lea_only) is None
        assert (
            await move_bilan(session, ADMIN, clock.now, bilan_id, LATER, chat_of=lea_only) is None
        )


@pytest.mark.usefixtures("demo")
async def test_someone_who_may_not_see_the_bilan_changes_nothing(
    db: Database, clock: Clock
) -> None:
    bilan_id = await scheduled(db, clock)
    stranger = Member(organisation_id=1, person_id=99)
    async with db.sessions() as session, session.begin():
        assert (
            await move_bilan(session, stranger, clock.now, bilan_id, LATER, chat_of=lea_only)
            is None
        )
        assert await cancel_bilan(session, stranger, clock.now, bilan_id, chat_of=lea_only) is None
    async with db.sessions() as session:
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        assert (bilan.starts_at, bilan.sequence, bilan.cancelled_at) == (STARTS, 0, None)
        assert (await session.scalars(select(OutboxMessage.key))).all() == []


@pytest.mark.usefixtures("demo")
async def test_the_same_change_handled_twice_queues_one_message(db: Database, clock: Clock) -> None:
    bilan_id = await scheduled(db, clock)
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        await session.refresh(bilan, ["participants"])
        for _ in range(2):
            reached = await notify_participants(
                session, bilan, event="moved", text="Déplacé.", chat_of=lea_only
            )
            assert reached == 1
    async with db.sessions() as session:
        assert len((await session.scalars(select(OutboxMessage.key))).all()) == 1


async def lea_reads(session: AsyncSession, bilan_id: int, event: str) -> str:
    """The text queued to Léa Martin for ``event`` (the latest version of the bilan)."""
    bilan = await session.get(Bilan, bilan_id)
    assert bilan is not None
    await session.refresh(bilan, ["participants"])
    lea = next(p for p in bilan.participants if p.name == "Léa Martin")
    notice = await session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.key == f"bilan:{bilan_id}:{event}:{bilan.sequence}:participant:{lea.id}"
        )
    )
    assert notice is not None
    return str(notice.payload["text"])


@pytest.mark.usefixtures("demo")
async def test_the_link_given_later_and_the_move_carry_the_password_of_the_invitation(
    db: Database, clock: Clock
) -> None:
    """Explorer GE2: the trainer chose to write the visio's password in the invitation and
    gave the link later; the participants the bot writes to got the link alone, and hit
    a password prompt at the start of the bilan.  The link's message and the move's
    « ne change pas » now carry it, as the invitation does."""
    bilan_id = await scheduled(db, clock, Visio(None, True, False, "Resto2027!"))
    async with db.sessions() as session, session.begin():
        link = "https://visio.example.org/resto"
        given = await set_visio_link(session, ADMIN, clock.now, bilan_id, link, chat_of=lea_only)
        assert given is not None and given.reached == 1
        assert await lea_reads(session, bilan_id, "link") == (
            "Le lien de la visioconférence du bilan de fin de formation"
            " « Agent de restauration (démo) », le jeudi 26 novembre 2026 à 14 h 00 :"
            f" {link}\nMot de passe : Resto2027!"
        )
        assert await move_bilan(session, ADMIN, clock.now, bilan_id, LATER, chat_of=lea_only)
        assert await lea_reads(session, bilan_id, "moved") == (
            "Le bilan de fin de formation « Agent de restauration (démo) » est déplacé : il aura"
            " lieu le jeudi 3 décembre 2026 de 14 h 00 à 16 h 00"
            " (au lieu du jeudi 26 novembre 2026 à 14 h 00).\n"
            f"Le lien de la visio ne change pas : {link}\nMot de passe : Resto2027!"
        )
