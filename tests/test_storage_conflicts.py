"""Invariants held by the schema: two sessions racing the same service call, many times.

Three levels, each asserting one row and that the loser was told why (the
result its dialogue turns into a French answer), never an error:

- two forked processes, each with its own engine and connection
  pool, on one PostgreSQL, 20 barrier-synchronised trials per invariant
  (``test_two_processes_*``, :mod:`tests.auxil.racers`);
- two engines in one process on PostgreSQL, released together by a barrier
  once their transactions have started (revoking while redeeming, outbox
  keys, the daily jobs), and whole dialogues racing their last turn (the
  loser's French answer as the person reads it);
- SQLite, one process: the pool queues the two tasks; the same assertions.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.absences.clashes import Conflict
from bot.absences.followups import open_followup
from bot.absences.log import Details, Recorded, correct_absence, record_absence
from bot.absences.opened import AlreadyOpen
from bot.app import build_engine, build_scheduler
from bot.config import Settings
from bot.messages import Reply
from bot.outbox import enqueue
from bot.people import membership
from bot.people.organisations import ChatAddress, create_first_organisation
from bot.storage.absences import Absence, FollowUp
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Invitation, Membership, Organisation, Person, Role
from tests.auxil import racers
from tests.auxil.absences import absences
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Speaker

T = TypeVar("T")
TRIALS = 20
NOW = datetime(2026, 11, 23, 9, 2, tzinfo=UTC)


@dataclass
class Pair:
    """Two ways into one database: two engines on PostgreSQL, the same one on SQLite."""

    first: Database
    second: Database
    concurrent: bool

    async def race(self, work: Callable[..., Awaitable[T]], *args: object) -> tuple[T, T]:
        """``work(session, side, *args)`` on both sides at once, each in its own transaction."""
        barrier = asyncio.Barrier(2) if self.concurrent else None

        async def side(index: int) -> T:
            database = self.second if index else self.first
            async with database.sessions() as session, session.begin():
                if barrier is not None:
                    await session.execute(text("SELECT 1"))  # connected, transaction open
                    await barrier.wait()
                return await work(session, index, *args)

        first, second = await asyncio.gather(side(0), side(1))
        return first, second


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def chosen(request: pytest.FixtureRequest) -> Database:
    fixture = "db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(fixture)
    return database


@pytest.fixture
def serial(db: Database) -> Pair:
    """SQLite, one process: the pool queues the two tasks (the races between two
    processes on PostgreSQL are at the end of this file)."""
    return Pair(db, db, concurrent=False)


@pytest.fixture
async def pair(chosen: Database) -> AsyncIterator[Pair]:
    if chosen.is_sqlite:
        yield Pair(chosen, chosen, concurrent=False)
        return
    other = Database(chosen.url)
    try:
        yield Pair(chosen, other, concurrent=True)
    finally:
        await other.dispose()


async def count(database: Database, model: type[object], *where: object) -> int:
    async with database.sessions() as session:
        query = select(func.count()).select_from(model)  # type: ignore[arg-type]
        for condition in where:
            query = query.where(condition)  # type: ignore[arg-type]
        return int(await session.scalar(query) or 0)


@dataclass
class Setting:
    """An organisation with two admins, a formation and one trainee per trial."""

    organisation_id: int
    admins: tuple[int, int]
    formation_id: int
    trainees: list[int]


async def setting(database: Database) -> Setting:
    async with database.sessions() as session, session.begin():
        organisation = await create_first_organisation(
            session,
            name="Forma Plus",
            timezone="Europe/Paris",
            admin_name="Claire Martin",
            address=ChatAddress("console", "claire", "claire"),
        )
        assert organisation is not None
        claire = await session.scalar(select(Membership.person_id))
        julien = Person(display_name="Julien Roy")
        session.add(julien)
        await session.flush()
        session.add(Membership(organisation_id=organisation.id, person_id=julien.id, role="admin"))
        assert claire is not None
        formation = Formation(
            organisation_id=organisation.id,
            owner_id=claire,
            title="Agent de restauration",
            funder="autre",
            start_date=date(2026, 9, 1),
            end_date=date(2027, 3, 1),
            long=True,
        )
        session.add(formation)
        await session.flush()
        trainees = [
            Trainee(
                formation_id=formation.id, full_name=f"Stagiaire {n}", name_key=f"stagiaire {n}"
            )
            for n in range(TRIALS)
        ]
        session.add_all(trainees)
        await session.flush()
        return Setting(organisation.id, (claire, julien.id), formation.id, [t.id for t in trainees])


# --- one organisation bootstrap ---------------------------------------------------------


async def test_two_first_starts_create_one_organisation(serial: Pair) -> None:
    pair = serial
    for trial in range(TRIALS):

        async def start(session: AsyncSession, side: int, trial: int) -> Organisation | None:
            return await create_first_organisation(
                session,
                name=f"Organisme {side}",
                timezone="Europe/Paris",
                admin_name=f"Personne {side}",
                address=ChatAddress("console", f"p{trial}-{side}", f"p{trial}-{side}"),
            )

        results = await pair.race(start, trial)
        assert sum(r is not None for r in results) == 1, trial
        assert await count(pair.first, Organisation) == 1
        assert await count(pair.first, Person) == 1
        assert await count(pair.first, Membership) == 1
        async with pair.first.sessions() as session, session.begin():
            await session.execute(text("DELETE FROM audit_log"))
            await session.execute(text("DELETE FROM organisations"))
            await session.execute(text("DELETE FROM chat_identities"))
            await session.execute(text("DELETE FROM people"))


# --- a single-use code redeemed once ------------------------------------------------------


async def test_one_code_redeemed_by_two_accounts_makes_one_member(serial: Pair) -> None:
    pair = serial
    where = await setting(pair.first)
    for trial in range(TRIALS):
        async with pair.first.sessions() as session, session.begin():
            invitation, _ = await membership.issue_invitation(
                session,
                organisation_id=where.organisation_id,
                by=where.admins[0],
                role=Role.FORMATEUR.value,
                now=NOW,
                valid_for=timedelta(days=7),
            )
            invitation_id = invitation.id

        async def redeem(
            session: AsyncSession, side: int, trial: int, invitation_id: int
        ) -> membership.Joined | str:
            return await membership.redeem_invitation(
                session,
                invitation_id,
                name=f"Nouvelle {side}",
                address=ChatAddress("telegram", f"{trial}-{side}", f"{trial}-{side}"),
                person_id=None,
                member_of=None,
                now=NOW,
            )

        results = await pair.race(redeem, trial, invitation_id)
        joined = [r for r in results if isinstance(r, membership.Joined)]
        assert len(joined) == 1 and results.count("code_used") == 1, (trial, results)
        assert "déjà servi" in texts.say("onboarding.code_used")
        async with pair.first.sessions() as session:
            stored = await session.get(Invitation, invitation_id)
            assert stored is not None and stored.used_by == joined[0].person_id
    members = await count(pair.first, Membership, Membership.role == Role.FORMATEUR.value)
    assert members == TRIALS


async def test_a_code_revoked_while_redeemed_is_either_used_or_revoked(pair: Pair) -> None:
    where = await setting(pair.first)
    for trial in range(TRIALS):
        async with pair.first.sessions() as session, session.begin():
            invitation, _ = await membership.issue_invitation(
                session,
                organisation_id=where.organisation_id,
                by=where.admins[0],
                role=Role.FORMATEUR.value,
                now=NOW,
                valid_for=timedelta(days=7),
            )
            invitation_id = invitation.id

        async def revoke_or_redeem(
            session: AsyncSession, side: int, trial: int, invitation_id: int
        ) -> object:
            if side == 0:
                return await membership.revoke_invitation(
                    session, where.organisation_id, invitation_id, by=where.admins[0], now=NOW
                )
            return await membership.redeem_invitation(
                session,
                invitation_id,
                name="Bruno Lefèvre",
                address=ChatAddress("telegram", f"r{trial}", f"r{trial}"),
                person_id=None,
                member_of=None,
                now=NOW,
            )

        revoked, redeemed = await pair.race(revoke_or_redeem, trial, invitation_id)
        async with pair.first.sessions() as session:
            stored = await session.get(Invitation, invitation_id)
            assert stored is not None
        if revoked == "revoked":
            assert redeemed == "code_revoked" and stored.used_at is None, trial
        else:
            assert revoked == "already_used" and isinstance(redeemed, membership.Joined)
            assert stored.revoked_at is None


async def test_a_participant_code_sent_by_two_accounts_binds_one(pair: Pair) -> None:
    """A bilan participant's personal code: the first account to send it holds it."""
    from bot import demo
    from bot.attestations import invitations as participant_codes
    from bot.attestations.service import Author, Chat
    from tests.auxil.attestations import add_bilan, issue_code

    async with pair.first.sessions() as session, session.begin():
        await demo.fill(session, today=NOW.date())
    bilan = await add_bilan(pair.first)

    async def send(session: AsyncSession, side: int, trial: int, code: str) -> object:
        return await participant_codes.redeem(
            session,
            code,
            chat=Chat("telegram", f"{trial}-{side}", f"{trial}-{side}"),
            author=Author(),
            now=NOW,
        )

    for trial in range(TRIALS):
        code = await issue_code(pair.first, bilan, "Léa Martin", at=NOW)
        results = await pair.race(send, trial, code)
        assert sorted(map(str, results))[1] == "not_for_you", (trial, results)
        assert sum(isinstance(r, int) for r in results) == 1, (trial, results)
    assert (
        "not_for_you" in texts.environment().get_template("chat/attestation_participant.j2").blocks
    )


# --- one live absence per half-day ---------------------------------------------------------

PAIRS = [
    ("matin", "matin"),
    ("journee", "matin"),
    ("apres_midi", "journee"),
    ("journee", "journee"),
    ("retard", "retard"),
]


async def test_two_admins_logging_the_same_half_day_save_it_once(serial: Pair) -> None:
    pair = serial
    where = await setting(pair.first)
    trainee = where.trainees[0]
    for trial in range(TRIALS):
        day = date(2026, 10, 1) + timedelta(days=trial)
        periods = PAIRS[trial % len(PAIRS)]

        async def log(
            session: AsyncSession, side: int, day: date, periods: tuple[str, str]
        ) -> Recorded | Conflict:
            formation = await session.get(Formation, where.formation_id)
            pupil = await session.get(Trainee, trainee)
            assert formation is not None and pupil is not None
            details = Details(
                day=day,
                period=periods[side],
                late_minutes=10 if periods[side] == "retard" else None,
                justified=False,
                reason=None,
            )
            return await record_absence(
                session, formation, pupil, details, by=where.admins[side], now=NOW
            )

        results = await pair.race(log, day, periods)
        saved = [r for r in results if isinstance(r, Recorded)]
        [lost] = [r for r in results if isinstance(r, Conflict)]
        assert len(saved) == 1, (trial, periods, results)
        winner = results.index(saved[0])
        kind = "late_twice" if periods == ("retard", "retard") else "duplicate"
        assert (lost.kind, lost.by) == (kind, ["Claire Martin", "Julien Roy"][winner])
        assert lost.at == NOW
        live = Absence.trainee_id == trainee, Absence.day == day, Absence.deleted_at.is_(None)
        assert await count(pair.first, Absence, *live) == 1


async def test_two_corrections_into_the_same_half_day_change_one(pair: Pair) -> None:
    """Two absences moved onto the same morning at once: one moves, the other is left as it was."""
    where = await setting(pair.first)
    trainee = where.trainees[0]
    for trial in range(TRIALS):
        start = date(2026, 9, 1) + timedelta(days=3 * trial)
        ids = []
        async with pair.first.sessions() as session, session.begin():
            formation = await session.get(Formation, where.formation_id)
            pupil = await session.get(Trainee, trainee)
            assert formation is not None and pupil is not None
            for offset in (0, 1):
                noted = Details(start + timedelta(days=offset), "matin", None, False, None)
                recorded = await record_absence(
                    session, formation, pupil, noted, by=where.admins[0], now=NOW
                )
                assert isinstance(recorded, Recorded)
                ids.append(recorded.absence.id)
        target = start + timedelta(days=2)

        async def move(
            session: AsyncSession, side: int, ids: list[int], target: date
        ) -> list[str] | Conflict:
            absence = await session.get(Absence, ids[side])
            assert absence is not None
            period = ("matin", "journee")[side]
            return await correct_absence(
                session,
                absence,
                Details(target, period, None, False, None),
                by=where.admins[side],
                now=NOW,
            )

        results = await pair.race(move, ids, target)
        moved = [r for r in results if isinstance(r, list)]
        [lost] = [r for r in results if isinstance(r, Conflict)]
        assert len(moved) == 1 and lost.kind == "duplicate", (trial, results)
        live = Absence.trainee_id == trainee, Absence.day == target, Absence.deleted_at.is_(None)
        assert await count(pair.first, Absence, *live) == 1
        async with pair.first.sessions() as session:
            left = await session.get(Absence, ids[results.index(lost)])
            assert left is not None and left.day < target and left.period == "matin"


async def test_the_loser_is_told_who_noted_the_half_day_and_when() -> None:
    """What the dialogue shows the loser, from the conflict it got (see test_absence.py)."""
    said = texts.plain(
        texts.say(
            "absence.ask_conflict",
            d={
                "name": "Karim Benali",
                "date": "2026-11-20",
                "_conflict": {
                    "kind": "duplicate",
                    "period": "matin",
                    "by": "Julien Roy",
                    "at": "2026-11-23T10:02:00+01:00",
                    "today": True,
                },
            },
        )
    )
    assert "déjà noté (matin, noté par Julien Roy à 10 h 02)" in said
    assert "(e)" not in said


# --- one open follow-up per trainee -----------------------------------------------------------


async def test_two_admins_opening_a_follow_up_open_one(serial: Pair) -> None:
    pair = serial
    where = await setting(pair.first)
    for trial in range(TRIALS):

        async def open_one(session: AsyncSession, side: int, trial: int) -> FollowUp | AlreadyOpen:
            organisation = await session.get(Organisation, where.organisation_id)
            formation = await session.get(Formation, where.formation_id)
            pupil = await session.get(Trainee, where.trainees[trial])
            assert organisation is not None and formation is not None and pupil is not None
            return await open_followup(
                session,
                organisation=organisation,
                formation=formation,
                trainee=pupil,
                actor_id=where.admins[side],
                now=NOW,
                signs=["absences_repetees"],
                note=None,
                cause=None,
                applies=True,
                absence_id=None,
            )

        results = await pair.race(open_one, trial)
        opened = [r for r in results if isinstance(r, FollowUp)]
        [told] = [r for r in results if isinstance(r, AlreadyOpen)]
        assert len(opened) == 1, (trial, results)
        winner = results.index(opened[0])
        assert (told.followup.id, told.by) == (
            opened[0].id,
            ["Claire Martin", "Julien Roy"][winner],
        )
        assert await count(pair.first, FollowUp, FollowUp.trainee_id == where.trainees[trial]) == 1
    said = texts.plain(texts.say("decrochage.already_open", by="Julien Roy", at=NOW))
    assert "ouvert par Julien Roy le lundi 23 novembre 2026 à 9 h 02" in said


# --- outbox keys ---------------------------------------------------------------------------------


async def test_the_same_outbox_key_twice_at_once_is_one_message_and_no_error(
    pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for trial in range(TRIALS):

        async def queue(session: AsyncSession, side: int, trial: int) -> bool:
            return await enqueue(
                session,
                key=f"digest:org:1:2026-11-{trial + 1:02d}",
                platform="console",
                chat_id="claire",
                reply=Reply(text=f"Résumé {side}"),
            )

        results = await pair.race(queue, trial)
        assert sorted(results) == [False, True], trial
    assert await count(pair.first, OutboxMessage) == TRIALS
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_revoked_invitation_cancels_its_matrix_message(serial: Pair) -> None:
    pair = serial
    where = await setting(pair.first)
    async with pair.first.sessions() as session, session.begin():
        invitation, _ = await membership.issue_invitation(
            session,
            organisation_id=where.organisation_id,
            by=where.admins[0],
            role=Role.FORMATEUR.value,
            now=NOW,
            valid_for=timedelta(days=7),
        )
        await membership.invite_on_matrix(
            session, invitation, matrix_user="@bruno:tchap.example", welcome=Reply(text="code")
        )
        [pending] = await membership.pending_invitations(session, where.organisation_id, now=NOW)
        assert (pending.created_by, pending.matrix_user) == (
            "Claire Martin",
            "@bruno:tchap.example",
        )
        revoked = await membership.revoke_invitation(
            session, where.organisation_id, invitation.id, by=where.admins[1], now=NOW
        )
        assert revoked == "revoked"
        again = await membership.revoke_invitation(
            session, where.organisation_id, invitation.id, by=where.admins[1], now=NOW
        )
        assert again == "already_revoked"
        elsewhere = await membership.revoke_invitation(
            session, where.organisation_id + 1, invitation.id, by=where.admins[1], now=NOW
        )
        assert elsewhere == "not_found"
        assert await membership.pending_invitations(session, where.organisation_id, now=NOW) == []
    async with pair.first.sessions() as session:
        row = await session.scalar(select(OutboxMessage))
        assert row is not None and row.status == "cancelled"


# --- the daily jobs in two processes ---------------------------------------------------------


@pytest.mark.postgres
async def test_two_schedulers_at_digest_time_queue_each_message_once_and_log_nothing(
    pg_db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Each day's digest job in two engines at once (five days: every job, every day)."""
    other = Database(pg_db.url)
    try:
        await digest_days(Pair(pg_db, other, concurrent=True), settings, caplog)
    finally:
        await other.dispose()


async def digest_days(pair: Pair, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    from bot import demo

    async with pair.first.sessions() as session, session.begin():
        await demo.fill(session, today=date(2026, 11, 23))
    clock = Clock(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    schedulers = [build_scheduler(db, settings, clock=clock) for db in (pair.first, pair.second)]
    caplog.set_level(logging.INFO)
    for _ in range(5):
        await asyncio.gather(*(s.tick() for s in schedulers))
        clock.advance(days=1)
    async with pair.first.sessions() as session:
        keys = list((await session.scalars(select(OutboxMessage.key))).all())
    digests = [k for k in keys if k.startswith("digest:")]
    assert len(digests) >= 5  # every day's digest, each key once (the index says so)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [
        r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
    ]


# --- what the loser reads, through the whole dialogue ------------------------------------------


async def second_admin(database: Database) -> None:
    """The demo organisation, with a second admin on the console: Julien Roy."""
    from bot import demo

    async with database.sessions() as session, session.begin():
        organisation = await demo.fill(session, today=date(2026, 11, 23))
        julien = Person(display_name="Julien Roy")
        session.add(julien)
        await session.flush()
        session.add(Membership(organisation_id=organisation.id, person_id=julien.id, role="admin"))
        session.add(
            ChatIdentity(
                person_id=julien.id, platform="console", user_id="julien", chat_id="julien"
            )
        )


@pytest.mark.postgres
async def test_two_people_finishing_start_at_once_one_is_told_in_french(
    pg_db: Database, settings: Settings
) -> None:
    other = Database(pg_db.url)
    engines = [build_engine(db, settings, clock=Clock()) for db in (pg_db, other)]
    try:
        for trial in range(3):
            people = [Speaker(engines[side], f"p{trial}-{side}") for side in (0, 1)]
            for who in people:
                await who.says("/start")
                await who.says("Forma Plus")
                await who.presses("Métropole")
                await who.says("Personne Martin")
            await asyncio.gather(*(who.presses("Au féminin") for who in people))
            said = sorted(who.last for who in people)
            assert "C'est fait : l'organisme" in said[0], said
            assert (
                "Quelqu'un vient de créer l'organisme de cet assistant juste avant vous" in said[1]
            )
            assert await count(pg_db, Organisation) == 1
            async with pg_db.sessions() as session, session.begin():
                for table in ("audit_log", "organisations", "chat_identities", "people"):
                    await session.execute(text(f"DELETE FROM {table}"))
    finally:
        await other.dispose()


@pytest.mark.postgres
async def test_two_admins_saving_the_same_morning_the_loser_reads_who_and_when(
    pg_db: Database, settings: Settings
) -> None:

    await second_admin(pg_db)
    other = Database(pg_db.url)
    clock = Clock(datetime(2026, 11, 23, 9, 2, tzinfo=UTC))
    admins = [
        Speaker(build_engine(db, settings, clock=clock), name)
        for db, name in ((pg_db, "formateur"), (other, "julien"))
    ]
    try:
        for day in ("lundi 16/11", "mardi 17/11", "mercredi 18/11"):
            for who in admins:
                await who.says(f"/absence hugo {day} matin")
                await who.presses("Oui")  # the date
                await who.presses("Non")  # not justified
                await who.presses("Passer")  # no reason
                assert "Enregistrer" in who.buttons, who.last
            await asyncio.gather(*(who.presses("Enregistrer") for who in admins))
            lost = [who for who in admins if "déjà noté" in who.last]
            assert len(lost) == 1, [who.last for who in admins]
            winner = "Julien Roy" if lost[0] is admins[0] else "Camille Durand"
            assert f"(matin, noté par {winner} à 10 h 02)" in lost[0].last
            assert "Changer la date" in lost[0].buttons
            await lost[0].presses("Abandonner")
        assert len(await absences(pg_db)) == 3
    finally:
        await other.dispose()


@pytest.mark.postgres
async def test_two_admins_adding_the_same_trainee_at_once_enrol_her_once(
    pg_db: Database, settings: Settings
) -> None:
    """Held by the schema (one name per formation); the loser's turn is replayed and told."""
    await second_admin(pg_db)
    other = Database(pg_db.url)
    clock = Clock(datetime(2026, 11, 23, 9, 2, tzinfo=UTC))
    admins = [
        Speaker(build_engine(db, settings, clock=clock), name)
        for db, name in ((pg_db, "formateur"), (other, "julien"))
    ]
    try:
        for name in ("Nora Ali", "Rémi Petit", "Inès Garcia"):
            for who in admins:
                await who.says("/formations")
                await who.presses("Agent de restauration")
                await who.presses("Ajouter des stagiaires")
            await asyncio.gather(*(who.says(name) for who in admins))
            said = [who.all_text for who in admins]
            assert sum("1 stagiaire ajouté" in text for text in said) == 1, said
            assert sum("déjà" in text for text in said) == 1, said
            async with pg_db.sessions() as session:
                enrolled = await session.scalar(
                    select(func.count()).select_from(Trainee).where(Trainee.full_name == name)
                )
            assert enrolled == 1
            for who in admins:
                await who.says("/annuler")
    finally:
        await other.dispose()


# --- the same races between two processes -------------------------------------------------------


@pytest.mark.postgres
async def test_two_processes_race_every_invariant(pg_db: Database) -> None:
    """Two spawned processes, each with its own engine, 20 barrier-synchronised trials each."""
    where = await setting(pg_db)
    plan: racers.Plan = []
    async with pg_db.sessions() as session, session.begin():
        for trial in range(TRIALS):
            invitation, _ = await membership.issue_invitation(
                session,
                organisation_id=where.organisation_id,
                by=where.admins[0],
                role=Role.FORMATEUR.value,
                now=NOW,
                valid_for=timedelta(days=7),
            )
            plan.append(("redeem", {"trial": trial, "invitation_id": invitation.id}))
    common = {"formation_id": where.formation_id, "admins": list(where.admins)}
    for trial in range(TRIALS):
        day = (date(2026, 10, 1) + timedelta(days=trial)).isoformat()
        plan.append(
            (
                "absence",
                common | {"trainee_id": where.trainees[0], "day": day, "periods": PAIRS[trial % 5]},
            )
        )
        plan.append(("followup", common | {"trainee_id": where.trainees[trial]}))
    kinds = [kind for kind, _ in plan]

    outcomes = await asyncio.to_thread(racers.race, pg_db.url, plan)

    names = ["Claire Martin", "Julien Roy"]
    for kind, pair_of in zip(kinds, outcomes, strict=True):
        assert pair_of.count("won") == 1, (kind, pair_of)
        lost = pair_of[1 - pair_of.index("won")]
        winner = names[pair_of.index("won")]
        expected = {
            "redeem": ["code_used"],
            "absence": [f"duplicate:{winner}", f"late_twice:{winner}"],
            "followup": [f"already_open:{winner}"],
        }[kind]
        assert lost in expected, (kind, pair_of)
    assert await count(pg_db, Membership, Membership.role == Role.FORMATEUR.value) == TRIALS
    live = Absence.trainee_id == where.trainees[0], Absence.deleted_at.is_(None)
    assert await count(pg_db, Absence, *live) == TRIALS
    assert await count(pg_db, FollowUp) == TRIALS


@pytest.mark.postgres
async def test_two_processes_finishing_start_on_an_empty_database_make_one_organisation(
    pg_db: Database,
) -> None:
    plan: racers.Plan = [("start", {"trial": trial}) for trial in range(TRIALS)]
    outcomes = await asyncio.to_thread(racers.race, pg_db.url, plan)
    assert all(sorted(o) == ["organisation_taken", "won"] for o in outcomes), outcomes
    assert await count(pg_db, Organisation) == 0  # emptied after each trial
