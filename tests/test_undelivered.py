"""What the outbox gave up on is said in the next digest and in an admin's /echeances."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot import demo, texts
from bot.app import build_scheduler
from bot.config import Settings
from bot.dates import spell_datetime
from bot.messages import Reply
from bot.outbox import GIVE_UP_AFTER, Sender, enqueue
from bot.storage.base import stamps_from
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Organisation
from bot.undelivered import kind_of, undelivered
from tests.auxil.dialogue import Clock, Person
from tests.test_deadlines_digest import Recorder

DIGEST_HOUR = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 8:00 in Paris


async def platform_down_for_a_day(db: Database, clock: Clock) -> int:
    """Every try fails until the outbox gives up; returns how many tries were made."""
    tries = 0

    async def down(chat: str, reply: Reply) -> None:
        nonlocal tries
        tries += 1
        raise ConnectionError("réseau coupé")

    sender = Sender(db.sessions, {"console": down}, clock=clock)
    for _ in range(int(GIVE_UP_AFTER / timedelta(hours=1)) + 2):
        await sender.run_once()
        clock.advance(hours=1)
    return tries


async def test_a_day_long_outage_is_told_in_the_next_digest_once(
    db: Database, settings: Settings, clock: Clock, person: Callable[..., Person]
) -> None:
    start = DIGEST_HOUR  # the outbox's rows stamped by this clock (explorer QC6)
    clock.now = start
    async with db.sessions() as session, session.begin():
        await demo.fill(session, today=start.date())
    scheduler = build_scheduler(db, settings, clock=clock)
    await scheduler.tick()  # the day's digest and reminders are queued
    with stamps_from(clock):
        async with db.sessions() as session, session.begin():
            await enqueue(  # an invitation to someone the bot has never talked to
                session,
                key="attestation:invite:99:matrix",
                platform="console",
                chat_id="inconnu",
                reply=Reply(text="Bonjour"),
                organisation_id=1,
            )
    assert await platform_down_for_a_day(db, clock) > 0
    async with db.sessions() as session:
        statuses = set((await session.scalars(select(OutboxMessage.status))).all())
    assert statuses == {"failed"}  # a day of tries, then given up

    # The outage over (its last try an hour after the digest hour), the day's digest goes late.
    clock.now = start + timedelta(days=1, hours=3)
    await scheduler.tick()
    recorder = Recorder()
    await Sender(db.sessions, {"console": recorder}, clock=clock).run_once()
    [(chat, digest)] = recorder.digests()
    assert chat == "formateur"
    assert "Non envoyés malgré une journée d'essais" in digest
    async with db.sessions() as session:
        queued = await session.scalar(
            select(OutboxMessage.created_at).where(OutboxMessage.key.like("digest:%"))
        )
    assert queued is not None
    # When it was meant to go, in Paris time (explorer AV5: the give-up's moment, in UTC).
    local = queued.replace(tzinfo=queued.tzinfo or UTC).astimezone(ZoneInfo("Europe/Paris"))
    assert f"le récapitulatif des échéances à Camille Durand, prévu le {spell_datetime(local)}" in (
        digest
    )
    assert (
        "une invitation à attester à une personne qui n'a pas encore parlé à l'assistant" in digest
    )
    assert "l'assistant ne réessaiera plus" in digest

    # The day after, the same failures are not told again.
    clock.now = start + timedelta(days=2)
    await scheduler.tick()
    recorder = Recorder()
    await Sender(db.sessions, {"console": recorder}, clock=clock).run_once()
    [(_, next_digest)] = recorder.digests()
    assert "Non envoy" not in next_digest

    # The admin still finds them in /echeances for a week.
    admin = person("formateur")
    await admin.says("/echeances")
    assert "une invitation à attester à une personne qui n'a pas encore parlé à l'assistant" in (
        admin.last
    )


async def test_a_group_digest_gives_the_count_only(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    async with db.sessions() as session, session.begin():
        organisation = await session.get(Organisation, 1)
        assert organisation is not None
        organisation.digest_chat = "console:groupe"
        await enqueue(
            session,
            key="rappel:x:2026-11-23",
            platform="console",
            chat_id="formateur",
            reply=Reply(text="Rappel"),
            organisation_id=1,
        )
        await session.execute(
            update(OutboxMessage).values(
                status="failed", claimed_at=DIGEST_HOUR - timedelta(hours=3)
            )
        )
    clock.now = DIGEST_HOUR
    await build_scheduler(db, settings, clock=clock).tick()
    recorder = Recorder()
    await Sender(db.sessions, {"console": recorder}).run_once()
    [(chat, digest)] = recorder.digests()
    assert chat == "groupe"
    assert "1 message n'a pas pu être envoyé malgré une journée d'essais." in digest
    assert "Camille" not in digest  # a group sees no names


async def test_a_blocked_person_is_named_as_such(db: Database, demo: None) -> None:
    async with db.sessions() as session, session.begin():
        identity = await session.scalar(
            select(ChatIdentity).where(ChatIdentity.chat_id == "formateur")
        )
        assert identity is not None
        identity.blocked_at = DIGEST_HOUR
        await enqueue(
            session,
            key="entretien:4:2026-11-24",
            platform="console",
            chat_id="formateur",
            reply=Reply(text="Rappel"),
            organisation_id=1,
        )
        await session.execute(update(OutboxMessage).values(status="failed"))
    async with db.sessions() as session:
        [failure] = await undelivered(session, 1, DIGEST_HOUR - timedelta(days=30))
        other = await undelivered(session, 2, DIGEST_HOUR - timedelta(days=30))
    assert (failure.what, failure.to, failure.blocked) == (
        "un rappel d'entretien",
        "Camille Durand",
        True,
    )
    assert other == []  # another organisation sees nothing of it
    rendered = texts.plain(
        texts.say(
            "echeances.ask_list", counts={}, filter_title=None, actor=None, undelivered=[failure]
        )
    )
    assert "cette personne a bloqué l'assistant" in rendered


def test_every_kind_of_message_has_a_french_name() -> None:
    assert kind_of("digest:org:1:2026-11-24:person:1") == "le récapitulatif des échéances"
    assert kind_of("attestation:remind:3:j-1") == "une relance d'attestation"
    assert (
        kind_of("attestations:mail:3:sent")
        == "l'envoi des preuves à la personne chargée de mission"
    )
    assert kind_of("quelque-chose") == "un message"
