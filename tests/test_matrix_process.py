"""Matrix under stress: a real ``formabot run`` killed while a message waits, an outbox
message sent again after a kill, the homeserver restarted under the bot, and Tchap's
message rate (1/s, burst 1) on the bot's account."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.config import Settings
from bot.messages import SENT_AS, Reply
from bot.storage.db import Database
from bot.transports.matrix import MatrixTransport, pacing
from tests.auxil.matrix_people import MatrixPerson
from tests.auxil.processes import bot_run
from tests.auxil.synapse import Synapse

pytestmark = pytest.mark.slow  # real Synapse, real processes


def on(synapse: Synapse, settings: Settings) -> Settings:
    """``settings`` with a fresh bot account of ``synapse``."""
    account = synapse.register(synapse.unique("formabot"))
    return replace(
        settings,
        matrix_homeserver=synapse.url,
        matrix_user_id=account.user_id,
        matrix_password=account.password,
    )


async def test_a_killed_bot_answers_the_waiting_message_once(
    synapse: Synapse, store: Database, tmp_path: Path
) -> None:
    """On SQLite and on PostgreSQL (whose lock on receiving goes with the killed process's
    connection: explorer MG, the restart is not refused); its log names nobody."""
    account = synapse.register(synapse.unique("formabot"))
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_TOKEN"}
    env.update(
        DATABASE_URL=store.url,
        MATRIX_HOMESERVER=synapse.url,
        MATRIX_USER_ID=account.user_id,
        MATRIX_PASSWORD=account.password,
        FORMABOT_DATA_DIR=str(tmp_path / "data"),
    )
    log = tmp_path / "stderr.log"

    async def start() -> asyncio.subprocess.Process:
        with log.open("ab") as stderr:
            return await bot_run(env, stderr)

    process = await start()
    try:
        async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
            room = await claire.open_dm(account.user_id, wait=False)
            await claire.wait(lambda: claire.has_joined(room, account.user_id), 60, "the bot")
            await claire.ask(room, "/start", "nom de votre organisme", timeout=30)
            for waiting, expect in (("Forma Plus", "fuseau horaire"), ("1", "votre nom")):
                process.send_signal(signal.SIGKILL)
                await process.wait()
                count = len(claire.in_room(room))
                await claire.say(room, waiting)  # while the bot is down
                process = await start()
                await claire.reply_after(room, count, expect, timeout=60)
            await claire.ask(room, "Claire Martin", "parler de vous")
            await claire.ask(room, "1", "Forma Plus")
            bodies = [s.body for s in claire.in_room(room)]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
    assert sum("fuseau horaire" in b for b in bodies) == 1
    assert sum("votre nom" in b for b in bodies) == 1
    assert len(synapse.devices(account.user_id)) == 1  # three starts, one login
    logged = log.read_text()
    assert logged.count("matrix transport started") == 3
    assert "Claire Martin" not in logged and claire.user_id not in logged


async def test_twenty_messages_at_tchap_pace_arrive_in_order_once_without_429(
    synapse: Synapse, db: Database, settings: Settings, tmp_path: Path
) -> None:
    configured = on(synapse, settings)  # the default pace
    synapse.tchap_pace(configured.matrix_user_id)  # rc_message 1/s, burst 1, for the bot only
    bot = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=5000)
    await bot.start()
    try:
        async with MatrixPerson.joining(synapse, tmp_path, "region") as region:
            room = await region.open_dm(bot.user_id)
            for n in range(1, 21):
                await bot.send(room, Reply(text=f"Rappel n° {n}"))
            await region.wait(lambda: len(region.in_room(room)) >= 20, what="20 messages")
            await asyncio.sleep(0.5)
            assert [s.body for s in region.in_room(room)] == [
                f"Rappel n° {n}" for n in range(1, 21)
            ]
        assert bot.pacer.limited == 0
    finally:
        await bot.stop()


async def test_an_outbox_message_sent_again_after_a_restart_is_shown_once(
    synapse: Synapse, db: Database, settings: Settings, tmp_path: Path
) -> None:
    """Killed between the homeserver's answer and the outbox's mark, the bot sends the row
    again once restarted (explorer MG1: the chargée de mission read the digest twice)."""
    configured = on(synapse, settings)
    bot = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=2000)
    await bot.start()
    try:
        async with MatrixPerson.joining(synapse, tmp_path, "region") as region:
            room = await region.open_dm(bot.user_id)
            digest = Reply(text="Synthèse de la semaine", extras={SENT_AS: "digest:42"})
            await bot.send(room, digest)
            await bot.stop()  # the same stored login, as a restarted process has it
            bot = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=2000)
            await bot.start()
            await bot.send(room, digest)
            await bot.send(room, Reply(text="Rappel", extras={SENT_AS: "reminder:7"}))
            await region.wait(lambda: len(region.in_room(room)) >= 2, what="the reminder")
            await asyncio.sleep(0.5)
            bodies = [s.body for s in region.in_room(room)]
    finally:
        await bot.stop()
    assert bodies == ["Synthèse de la semaine", "Rappel"]


async def test_a_reply_waits_for_a_restarted_homeserver_and_is_not_set_aside(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The homeserver stopped for longer than the sender's network retries (here 2 tries,
    50 s with the real ones) while a reply is due (explorer MG2: the message was set aside and
    Claire asked to send again a name already taken, the next question never asked)."""
    caplog.set_level(logging.INFO, logger="bot")
    monkeypatch.setattr(pacing, "NETWORK_ATTEMPTS", 2)
    configured = on(synapse, settings)
    bot = MatrixTransport(
        configured, build_engine(db, configured), sync_timeout_ms=2000, retry_delay=0.2
    )
    await bot.start()
    try:
        async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
            room = await claire.open_dm(bot.user_id)
            await claire.ask(room, "/start", "nom de votre organisme", timeout=30)
            count = len(claire.in_room(room))
            bot.pacer.hold(2.0)  # the reply waits its turn while the homeserver goes away
            await claire.say(room, "Forma Plus")
            await asyncio.sleep(1.0)
            synapse.stop()
            await asyncio.sleep(6.0)  # three times the bot's tries and more
            synapse.start()
            await claire.reply_after(room, count, "fuseau horaire", timeout=60)
            bodies = [s.body for s in claire.in_room(room)[count:]]
    finally:
        if not synapse.running:
            synapse.start()
        await bot.stop()
    assert not any("mis de côté" in b for b in bodies)
    assert sum("fuseau horaire" in b for b in bodies) == 1
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
    assert any("answers again" in line for line in logged)
    assert not any("Forma Plus" in line or claire.user_id in line for line in logged)


async def test_the_bot_answers_within_seconds_of_a_homeserver_back_from_a_long_outage(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The homeserver away for over half a minute (explorer MG6: the sync's pause had grown to
    60 s, and Claire's next message waited that long once it was back); the log says the
    outage twice, when it starts and when it ends, naming nobody."""
    caplog.set_level(logging.INFO, logger="bot")
    configured = on(synapse, settings)
    bot = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=2000)
    await bot.start()
    try:
        async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
            room = await claire.open_dm(bot.user_id)
            await claire.ask(room, "/start", "nom de votre organisme", timeout=30)
            synapse.stop()
            # The old pauses doubled: tries at 1, 3, 7, 15, 31 s, the next at 63 s, after the
            # 15 s given to the answer once the homeserver is back (at about 38 s).
            await asyncio.sleep(35.0)
            synapse.start()
            await claire.ask(room, "Forma Plus", "fuseau horaire", timeout=15)
    finally:
        if not synapse.running:
            synapse.start()
        await bot.stop()
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
    assert sum("sync failed" in line for line in logged) == 1
    assert sum("sync answers again" in line for line in logged) == 1
    assert not any("Forma Plus" in line or claire.user_id in line for line in logged)


class Killed(Exception):
    """The process killed at this point: what was done before stays, nothing after runs."""


async def test_a_bot_killed_once_her_chat_is_created_invites_her_once(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Killed between the homeserver's creating the chargée de mission's direct chat and its
    recording, the bot sends the outbox's message again at its restart (explorer MG5: a
    second room, a second invitation): one room, one invitation, the message once."""
    configured = on(synapse, settings)
    invitation = Reply(text="Invitation au bilan", extras={SENT_AS: "invite:3"})
    first = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=2000)
    await first.start()
    async with MatrixPerson.joining(synapse, tmp_path, "sophie", auto_join=False) as sophie:
        try:

            async def killed(row_id: int, room_id: str) -> None:
                raise Killed

            monkeypatch.setattr(first.inbox, "welcome_room", killed)
            with pytest.raises(Killed):
                await first.send(sophie.user_id, invitation)
        finally:
            await first.stop()
        await sophie.wait(lambda: bool(sophie.client.invited_rooms), what="the invitation")
        again = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=2000)
        await again.start()
        try:
            await again.send(sophie.user_id, invitation)  # the outbox's row, sent again
            [room] = list(sophie.client.invited_rooms)
            await sophie.client.join(room)
            await sophie.reply_after(room, 0, "Invitation au bilan")
            await again.send(sophie.user_id, Reply(text="Le bilan est déplacé"))
            await sophie.reply_after(room, 1, "Le bilan est déplacé")
        finally:
            await again.stop()
    # Her sync gives what came before a message with it or earlier: a second invitation, sent
    # before the two messages, would be there.
    assert list(sophie.client.invited_rooms) == []
    assert set(sophie.client.rooms) == {room}
    assert [s.body for s in sophie.in_room(room)] == ["Invitation au bilan", "Le bilan est déplacé"]
