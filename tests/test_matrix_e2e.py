"""Matrix end to end: the real transport and real nio clients on a throwaway Synapse,
in encrypted direct chats."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from nio import AsyncClient, RoomCreateResponse, RoomPreset
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot import demo as demo_module
from bot import texts
from bot.app import QUIET_LOGGERS, SILENT_LOGGERS, build_engine, build_scheduler, setup_logging
from bot.attestations import reminders
from bot.attestations.service import Author
from bot.bilans.notify import invite_charge_de_mission
from bot.bilans.view import view_of
from bot.config import Settings
from bot.conversations.attestations.identity import PACED
from bot.conversations.bilans.funder_contact import charge_de_mission_words
from bot.dates import spell_date
from bot.messages import ROOM_NAME, ROOM_TOPIC, SENT_AS, Choice, Document, Incoming, Reply
from bot.outbox import PermanentFailure, Sender, enqueue
from bot.people.chats import tell_person
from bot.storage.absences import Absence
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.matrix import MatrixEvent, MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Membership, Organisation
from bot.storage.people import Person as Someone
from bot.storage.state import ConversationState
from bot.transports.matrix import MatrixTransport
from bot.transports.matrix.gaps import TIMELINE_LIMIT
from bot.transports.telegram import TelegramTransport
from tests.auxil.attestations import add_bilan, demo_author
from tests.auxil.dialogue import Clock, Person, local_today
from tests.auxil.matrix_people import ENCRYPTION, MatrixPerson
from tests.auxil.spreadsheets import xlsx
from tests.auxil.synapse import Account, Synapse
from tests.auxil.telegram_emulator import run_emulator

pytestmark = pytest.mark.slow  # every test here talks to a real Synapse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CLAIRE_SIGNS_UP = (
    ("/start", "nom de votre organisme"),
    ("Forma Plus", "fuseau"),
    ("1", "votre nom"),
    ("Claire Martin", "parler de vous"),
    ("1", "Forma Plus"),
)
"""What Claire says, and what each answer holds, to open Forma Plus's account."""


def bot_settings(settings: Settings, synapse: Synapse, account: Account) -> Settings:
    return replace(
        settings,
        matrix_homeserver=synapse.url,
        matrix_user_id=account.user_id,
        matrix_password=account.password,
        matrix_messages_per_second=50,
    )


@pytest.fixture
def bot_account(synapse: Synapse) -> Account:
    return synapse.register(synapse.unique("formabot"))


@pytest.fixture
async def bot(
    synapse: Synapse, db: Database, settings: Settings, bot_account: Account
) -> AsyncIterator[MatrixTransport]:
    configured = bot_settings(settings, synapse, bot_account)
    transport = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=5000)
    await transport.start()
    yield transport
    await transport.stop()


async def test_a_whole_dialogue_in_an_encrypted_direct_chat(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot.user_id)
        await claire.ask(room, "/aide", "/start")
        await claire.ask(room, "/start", "nom de votre organisme")
        await claire.ask(room, "Forma <b>Plus</b>", "sans emoji ni balise")  # refused, said
        question = await claire.ask(room, "Forma & Co", "fuseau horaire")
        assert question.decrypted
        assert "1. Métropole" in question.body and "<ol><li>Métropole" in question.formatted
        await claire.ask(room, "1", "votre nom")
        await claire.ask(room, "Claire Martin", "parler de vous")
        done = await claire.ask(room, "1", "Forma")
        assert "Forma &amp; Co" in done.formatted  # typed text stays text
        await claire.ask(room, "/formation", "intitulé")
        await claire.ask(room, "Cuisine", "De quoi s'agit-il")
        await claire.ask(room, "1", "Qui la finance")
        await claire.ask(room, "autre financeur", "Quel financeur")
        await claire.ask(room, "France Travail", "organisé")
        await claire.ask(room, "De date à date", "dates")
        today = local_today()
        start, end = today - timedelta(days=10), today + timedelta(days=30)
        await claire.ask(room, f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}", "C'est bien ça")
        assert all(s.decrypted for s in claire.in_room(room))
    async with db.sessions() as session:
        state = await session.scalar(select(Formation))
        assert state is None  # not saved yet: the dialogue stopped before the recap


async def test_a_long_text_beyond_ascii_reaches_the_room_whole(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path
) -> None:
    """« é » is six bytes in the encrypted JSON, an emoji twelve (explorer ME3: 11,000 « é »
    were refused, M_TOO_LARGE, and never shown): cut into events the homeserver accepts."""
    text = "Éloïse Bérénice Hélène " * 500
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot.user_id)
        await claire.ask(room, "/aide", "/start")
        before = len(claire.in_room(room))
        await bot.send(room, Reply(text=text.strip(), choices=(Choice("Oui", "1|yes"),)))
        await claire.reply_after(room, before, "1. Oui")
        bodies = [s.body for s in claire.in_room(room)[before:]]
        assert len(bodies) > 1 and "".join(bodies).startswith(text.strip())


async def test_documents_both_ways_encrypted(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[Incoming] = []
    handle = bot.engine.handle

    async def spy(incoming: Incoming) -> list[Reply]:
        received.append(incoming)
        return await handle(incoming)

    monkeypatch.setattr(bot.engine, "handle", spy)
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40
    async with MatrixPerson.joining(synapse, tmp_path, "bruno") as bruno:
        room = await bruno.open_dm(bot.user_id)
        await bruno.send_file(room, pdf, "arret.pdf", "application/pdf")
        await bruno.reply_after(room, 0, "")
        assert received[-1].attachment is not None
        assert received[-1].attachment.content == pdf
        assert received[-1].attachment.filename == "arret.pdf"

        count = len(bruno.in_room(room))
        ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        await bot.send(
            room,
            Reply(text="Votre <b>bilan</b>", document=Document("bilan.ics", "text/calendar", ics)),
        )
        file = await bruno.reply_after(room, count, "bilan.ics")
        assert file.is_file and "url" not in file.content  # an encrypted attachment
        assert await bruno.download(file) == ics
        caption = await bruno.reply_after(room, count, "Votre bilan")
        assert caption.formatted == "Votre <b>bilan</b>"


def transport(configured: Settings, db: Database) -> MatrixTransport:
    return MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=5000)


async def a_direct_chat_then_the_bot_stopped(
    configured: Settings, db: Database, claire: MatrixPerson
) -> tuple[str, str | None]:
    """The bot started, Claire's direct chat with it answered once, the bot stopped:
    (the room, the bot's device)."""
    first = transport(configured, db)
    await first.start()
    device = first.client.device_id
    room = await claire.open_dm(first.user_id)
    await claire.ask(room, "/aide", "/start")
    await first.stop()
    return room, device


async def test_a_restart_reuses_the_device_and_knows_its_rooms(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    bot_account: Account,
    tmp_path: Path,
) -> None:
    configured = bot_settings(settings, synapse, bot_account)
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room, device = await a_direct_chat_then_the_bot_stopped(configured, db, claire)
        waiting = len(claire.in_room(room))
        await claire.say(room, "/start")  # sent while the bot is down
        again = transport(configured, db)
        await again.start()
        try:
            await claire.reply_after(room, waiting, "nom de votre organisme")
            assert again.client.device_id == device
            assert [d["device_id"] for d in synapse.devices(bot_account.user_id)] == [device]
            credentials = configured.data_dir / "matrix" / "credentials.json"
            assert credentials.stat().st_mode & 0o777 == 0o600
            store = [
                p for p in (configured.data_dir / "matrix" / "store").rglob("*") if p.is_file()
            ]
            assert store and all(p.stat().st_mode & 0o777 == 0o600 for p in store)
        finally:
            await again.stop()
    answers = [s for s in claire.in_room(room) if "nom de votre organisme" in s.body]
    assert len(answers) == 1


async def test_the_bot_is_shown_by_a_french_name_set_once(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    bot_account: Account,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Explorer DC2 (aside): the bot was shown by its localpart, « formabot vous invite »;
    its display name is now MATRIX_DISPLAY_NAME's, set at the first start only: a restart
    reads it once and sends no change."""
    configured = bot_settings(settings, synapse, bot_account)
    assert configured.matrix_display_name == "Formabot – suivi des formations"
    changes: list[str] = []
    set_displayname = AsyncClient.set_displayname

    async def counted(client: AsyncClient, name: str) -> Any:
        changes.append(name)
        return await set_displayname(client, name)

    monkeypatch.setattr(AsyncClient, "set_displayname", counted)
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room, _ = await a_direct_chat_then_the_bot_stopped(configured, db, claire)
        assert changes == ["Formabot – suivi des formations"]
        assert claire.client.rooms[room].user_name(bot_account.user_id) == (
            "Formabot – suivi des formations"
        )
        again = transport(configured, db)
        await again.start()
        await again.stop()
        assert changes == ["Formabot – suivi des formations"]  # already so: left alone
        renamed = replace(configured, matrix_display_name="Assistant Forma Plus")
        third = transport(renamed, db)
        await third.start()
        await third.stop()
    assert changes[-1] == "Assistant Forma Plus"
    async with httpx.AsyncClient() as http:
        response = await http.get(
            f"{synapse.url}/_matrix/client/v3/profile/{bot_account.user_id}/displayname"
        )
    assert response.json() == {"displayname": "Assistant Forma Plus"}


async def test_every_message_sent_while_the_bot_was_down_is_answered_in_order(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    bot_account: Account,
    tmp_path: Path,
) -> None:
    """Explorer V, V2: a sync gives a few events per room and says ``limited``; thirteen
    messages sent while the bot was down got ten answers, the first three lost for good."""
    configured = bot_settings(settings, synapse, bot_account)
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room, _ = await a_direct_chat_then_the_bot_stopped(configured, db, claire)
        waiting = len(claire.in_room(room))
        sent = ["/echeances", *["/aide"] * (TIMELINE_LIMIT + 8), "/bilans"]
        for text in sent:
            await claire.say(room, text)
        again = transport(configured, db)
        await again.start()
        try:
            await claire.wait(
                lambda: len(claire.in_room(room)) >= waiting + len(sent),
                timeout=60,
                what=f"{len(sent)} answers",
            )
        finally:
            await again.stop()
    answers = [s.body for s in claire.in_room(room)[waiting:]]
    assert len(answers) == len(sent)
    # The first message's answer first, the last one's last: in order, none lost.
    assert "/start" in answers[0] and "/start" in answers[-1]  # not a member yet: both say so
    assert sum("/start" in a for a in answers) == len(sent)


async def test_a_failing_message_is_retried_then_set_aside_with_an_apology(
    synapse: Synapse,
    bot: MatrixTransport,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot.retry_delay = 0.01
    handle = bot.engine.handle
    tries: list[str] = []

    async def fragile(incoming: Incoming) -> list[Reply]:
        if incoming.text == "boum":
            tries.append(incoming.event_id)
            raise RuntimeError("a bug")
        return await handle(incoming)

    monkeypatch.setattr(bot.engine, "handle", fragile)
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot.user_id)
        count = len(claire.in_room(room))
        event_id = await claire.say(room, "boum")
        await claire.reply_after(room, count, "mis de côté")
        await claire.ask(room, "/aide", "/start")  # the room is served again
    assert tries == [event_id] * 3
    async with db.sessions() as session:
        row = await session.scalar(select(MatrixEvent).where(MatrixEvent.event_id == event_id))
        assert row is not None and (row.status, row.attempts, row.source) == ("failed", 3, {})


async def test_a_turn_the_engine_gave_up_is_tried_again_not_answered_busy(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refused the turn five times (a restart): the event stays in the room's
    inbox and is handled a moment later; nobody is asked to send it again."""
    bot.retry_delay = 0.01
    handle_once, refusals = bot.engine._handle_once, [5]

    async def refused(incoming: Incoming) -> list[Reply]:
        if refusals[0]:
            refusals[0] -= 1
            raise OperationalError("SELECT …", {}, Exception("the server is restarting"))
        return await handle_once(incoming)

    monkeypatch.setattr(bot.engine, "_handle_once", refused)
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot.user_id)
        await claire.ask(room, "/aide", "/start")
        assert refusals == [0]
        assert not any("sollicité" in seen.body for seen in claire.in_room(room))


async def test_hostile_input(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    async with (
        MatrixPerson.joining(synapse, tmp_path, "claire") as claire,
        MatrixPerson.joining(synapse, tmp_path, "intrus") as stranger,
    ):
        room = await claire.open_dm(bot.user_id)
        await claire.ask(room, "/start", "nom de votre organisme")
        count = len(claire.in_room(room))
        await claire.say(
            room,
            "Forma Plus",
            format="org.matrix.custom.html",
            formatted_body="<script>alert(1)</script><a href='javascript:x'>Forma</a>",
        )
        question = await claire.reply_after(room, count, "fuseau horaire")
        assert "script" not in question.formatted and "javascript" not in question.formatted
        await claire.send(room, {"whatever": "<b>x</b>"}, kind="org.example.unknown")
        await claire.say(room, "x" * 40_000)  # huge: a precise re-ask, nothing breaks
        await claire.reply_after(room, count + 1, "fuseau")
        await claire.ask(room, "Métropole", "votre nom")
        await claire.ask(room, "Claire Martin", "parler de vous")
        await claire.ask(room, "1", "Forma Plus")

        # Now that formabot is set up, a stranger's room without a code is declined...
        response = await stranger.client.room_create(invite=[bot.user_id], name="Salon")
        assert isinstance(response, RoomCreateResponse), response
        stranger_room = str(response.room_id)

        def declined() -> bool:
            room = stranger.client.rooms.get(stranger_room)
            return room is not None and bot.user_id not in room.users

        await stranger.wait(declined, what="the invitation declined")
        # ...but a direct chat is how anyone reaches it (explorer G G3: a participant given
        # « /start CODE » could not send it): a stranger is told an invitation is needed.
        direct = await stranger.open_dm(bot.user_id)
        await stranger.ask(direct, "bonjour", "il faut une invitation de votre organisme")
        await claire.ask(room, "/aide", "Voici ce que")
    async with db.sessions() as session:
        assert [o.name for o in await session.scalars(select(Organisation))] == ["Forma Plus"]


async def test_an_invitation_carrying_a_code_is_accepted_and_used(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path
) -> None:
    async with (
        MatrixPerson.joining(synapse, tmp_path, "claire") as claire,
        MatrixPerson.joining(synapse, tmp_path, "bruno") as bruno,
        MatrixPerson.joining(synapse, tmp_path, "denise") as denise,
    ):
        room = await claire.open_dm(bot.user_id)
        for said, expect in (
            *CLAIRE_SIGNS_UP,
            ("/inviter", "Qui invitez-vous"),
        ):
            await claire.ask(room, said, expect)
        invitation = await claire.ask(room, "Formateur", "/start")
        code = re.search(r"/start ([A-Za-z0-9_-]{16,})", invitation.body)
        assert code is not None
        theirs = await bruno.open_dm(bot.user_id, name=f"Code : {code[1]}")
        await bruno.reply_after(theirs, 0, "votre nom")
        await bruno.ask(theirs, "Bruno Lefèvre", "parler de vous")
        await bruno.ask(theirs, "2", "C'est fait")
        # The natural way (explorer G G3): a plain direct chat, then the code as a message.
        invitation = await claire.ask(room, "/inviter", "Qui invitez-vous")
        invitation = await claire.ask(room, "Formateur", "/start")
        second = re.search(r"/start ([A-Za-z0-9_-]{16,})", invitation.body)
        assert second is not None
        plain_dm = await denise.open_dm(bot.user_id)
        await denise.ask(plain_dm, f"/start {second[1]}", "votre nom")


async def test_a_direct_chat_opened_by_the_bot_welcomes_after_the_join_even_after_a_restart(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    bot_account: Account,
    tmp_path: Path,
) -> None:
    configured = bot_settings(settings, synapse, bot_account)
    first = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=5000)
    await first.start()
    async with MatrixPerson.joining(synapse, tmp_path, "region", auto_join=False) as region:
        welcome = Reply(text="Bonjour, je suis <b>formabot</b>.")
        room = await first.open_direct_chat(region.user_id, welcome, key="invitation:1")
        assert await first.open_direct_chat(region.user_id, welcome, key="invitation:1") == room
        await region.wait(lambda: room in region.client.invited_rooms, what="the invitation")
        await first.stop()  # the bot goes away before the join

        await region.client.join(room)
        again = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=5000)
        await again.start()
        try:
            seen = await region.reply_after(room, 0, "Bonjour")
            assert seen.decrypted and seen.formatted == "Bonjour, je suis <b>formabot</b>."
            joined = region.client.rooms[room]
            assert joined.encrypted and set(joined.users) == {region.user_id, bot_account.user_id}
            for _ in range(100):  # the welcome is marked sent just after it is sent
                async with db.sessions() as session:
                    row = await session.scalar(select(MatrixWelcome))
                if row is not None and row.status == "sent":
                    break
                await asyncio.sleep(0.05)
        finally:
            await again.stop()
    async with db.sessions() as session:
        row = await session.scalar(select(MatrixWelcome))
        assert row is not None and row.status == "sent"
    assert [s.body for s in region.in_room(room)] == ["Bonjour, je suis formabot."]


async def test_an_invitation_she_refuses_is_recorded_declined_and_the_bot_leaves(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    """Explorer MG4: what `bot/bilans/unjoined.py` tells the trainer at once starts here, her
    « Refuser » on Tchap (a rejected invitation is a leave of the invited member)."""
    async with MatrixPerson.joining(synapse, tmp_path, "region", auto_join=False) as region:
        welcome = Reply(text="Bonjour, vous êtes invitée au bilan.")
        room = await bot.open_direct_chat(region.user_id, welcome, key="invitation:1")
        await region.wait(lambda: room in region.client.invited_rooms, what="the invitation")
        await region.client.room_leave(room)  # « Refuser »
        for _ in range(400):
            async with db.sessions() as session:
                row = await session.scalar(select(MatrixWelcome))
            if row is not None and row.status == "declined" and room not in bot.client.rooms:
                break
            await asyncio.sleep(0.05)
    assert row is not None and row.status == "declined"
    assert room not in bot.client.rooms  # the bot left the room nobody else is in


async def test_a_welcome_waiting_in_a_chat_never_joined_goes_to_the_one_she_opens(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    """Explorer AT3: the moved bilan's invitation waited in a chat she never accepted, while
    she wrote from one she opened herself."""
    async with MatrixPerson.joining(synapse, tmp_path, "nathalie", auto_join=False) as her:
        await bot.send(her.user_id, Reply(text="Le bilan est déplacé à 9 h"))
        await her.wait(lambda: bool(her.client.invited_rooms), what="the invitation")
        [ignored] = list(her.client.invited_rooms)
        mine = await her.open_dm(bot.user_id)
        seen = await her.reply_after(mine, 0, "Le bilan est déplacé à 9 h")
        assert seen.room_id == mine
        async with db.sessions() as session:
            row = await session.scalar(select(MatrixWelcome))
        assert row is not None and row.room_id == mine and row.room_id != ignored


async def test_messages_to_one_matrix_id_share_one_direct_chat(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    """Explorer G G1: every moved bilan opened another chat with the chargée de mission."""
    async with MatrixPerson.joining(synapse, tmp_path, "sophie") as sophie:
        await bot.send(sophie.user_id, Reply(text="Invitation au bilan"))
        await sophie.wait(
            lambda: any("Invitation au bilan" in s.body for s in sophie.seen), what="the first"
        )
        [room] = {s.room_id for s in sophie.seen}
        ics = Document("bilan.ics", "text/calendar", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n")
        await bot.send(sophie.user_id, Reply(text="Le bilan est déplacé", document=ics))
        await bot.send(sophie.user_id, Reply(text="Un participant est ajouté"))
        await sophie.reply_after(room, 1, "Un participant est ajouté")
        assert [s.body for s in sophie.in_room(room)] == [
            "Invitation au bilan",
            "Le bilan est déplacé",  # the words first, then the file they speak of
            "bilan.ics",
            "Un participant est ajouté",
        ]
        assert {s.room_id for s in sophie.seen} == {room}
        assert set(sophie.client.rooms) == {room}
        # Explorer GB3: a relance, word for word the invitation, was taken for it and never
        # sent; a message sent again (a retry of its outbox row) still goes once.
        async with db.sessions() as session, session.begin():
            for key in ("invite:1", "invite:1:relance"):
                await enqueue(
                    session,
                    key=key,
                    platform="matrix",
                    chat_id=sophie.user_id,
                    reply=Reply(text="Votre lien"),
                )
        sender = Sender(db.sessions, {"matrix": bot.send})
        assert await sender.run_once() == 2
        for said in ("Entre", "Fin"):
            if said == "Fin":  # the first row sent again, as after a crash before it was marked
                await bot.send(sophie.user_id, Reply("Votre lien", extras={SENT_AS: "invite:1"}))
            await bot.send(sophie.user_id, Reply(said))
            await sophie.wait(lambda w=said: any(s.body == w for s in sophie.seen), what=said)
        assert [s.body for s in sophie.in_room(room)][-4:] == [
            "Votre lien",
            "Votre lien",
            "Entre",
            "Fin",
        ]


async def test_the_topic_of_her_chat_follows_the_bilan_s_new_date(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path
) -> None:
    """Explorer AJ7: the chargée's room kept « … du vendredi 11 décembre 2026 » after the
    bilan moved; another organisation's message leaves the topic (and the name) as they are."""

    def about(topic: str) -> dict[str, str]:
        return {ROOM_NAME: "formabot – Forma Plus", ROOM_TOPIC: topic}

    first = "Forma Plus (Camille Durand) : invitation au bilan du vendredi 11 décembre 2026"
    moved = "Forma Plus (Camille Durand) : invitation au bilan du lundi 14 décembre 2026"
    async with MatrixPerson.joining(synapse, tmp_path, "sophie") as sophie:
        await bot.send(sophie.user_id, Reply(text="Invitation au bilan", extras=about(first)))
        await sophie.wait(lambda: bool(sophie.seen), what="the invitation")
        [room] = {s.room_id for s in sophie.seen}
        assert sophie.client.rooms[room].topic == first
        await bot.send(sophie.user_id, Reply(text="Le bilan est déplacé", extras=about(moved)))
        await sophie.reply_after(room, 1, "Le bilan est déplacé")
        assert sophie.client.rooms[room].topic == moved
        other = "Autre Organisme (Paul Roy) : invitation au bilan du mardi 15 décembre 2026"
        await bot.send(sophie.user_id, Reply(text="Autre bilan", extras=about(other)))
        await sophie.reply_after(room, 2, "Autre bilan")
        assert sophie.client.rooms[room].topic == moved


async def test_debug_logging_names_no_matrix_id(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer AC5: at DEBUG, nio's key store (peewee) logged its SQL with each Matrix ID
    the bot wrote to, a Tchap ID being a name and a work address."""
    levels = {name: logging.getLogger(name).level for name in (*QUIET_LOGGERS, *SILENT_LOGGERS)}
    try:
        setup_logging("DEBUG")
        with caplog.at_level(logging.DEBUG):
            # Logging at DEBUG for formabot (its libraries' chatter held back: SILENT_LOGGERS).
            assert logging.getLogger("bot.transports.matrix").isEnabledFor(logging.DEBUG)
            async with MatrixPerson.joining(synapse, tmp_path, "sophie") as sophie:
                await bot.send(sophie.user_id, Reply(text="Invitation au bilan"))
                await sophie.wait(lambda: bool(sophie.seen), what="the invitation")
                await bot.send(sophie.user_id, Reply(text="Le bilan est déplacé"))
                await sophie.wait(lambda: len(sophie.seen) == 2, what="the second message")
        assert sophie.user_id not in caplog.text
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


async def test_someone_who_leaves_is_recorded_like_a_blocked_user_and_the_room_is_left(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot.user_id)
        for said, expect in (*CLAIRE_SIGNS_UP,):
            await claire.ask(room, said, expect)
        await claire.client.room_leave(room)
        for _ in range(200):
            async with db.sessions() as session:
                identity = await session.scalar(select(ChatIdentity))
            if (
                identity is not None
                and identity.blocked_at is not None
                and room not in bot.client.rooms
            ):
                break
            await asyncio.sleep(0.05)
        assert identity is not None and identity.blocked_at is not None
        assert room not in bot.client.rooms  # the bot left the empty room
        with pytest.raises(PermanentFailure):
            await bot.send(room, Reply(text="Rappel"))


async def test_a_room_upgraded_mid_dialogue_goes_on_in_the_new_room(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    """Explorer MG3: Claire's chat upgraded to a new room version (Synapse's ``/upgrade``,
    her client inviting the bot as Element does), her answer there was greeted as a
    stranger's, the dialogue stuck in the old room, and what the bot sent her later went to
    the old room, which clients hide behind « ce salon a été remplacé »."""
    async with MatrixPerson.joining(synapse, tmp_path, "claire") as claire:
        room = await claire.open_dm(bot.user_id)
        for said, expect in (
            *CLAIRE_SIGNS_UP,
            ("/formation", "intitulé"),
        ):
            await claire.ask(room, said, expect)
        async with httpx.AsyncClient() as http:
            upgraded = await http.post(
                f"{synapse.url}/_matrix/client/v3/rooms/{room}/upgrade",
                json={"new_version": "10"},
                headers={"Authorization": f"Bearer {claire.client.access_token}"},
            )
        new = upgraded.json()["replacement_room"]
        await claire.client.room_invite(new, bot.user_id)
        await claire.wait(lambda: claire.has_joined(new, bot.user_id), what="the bot joining")
        await claire.ask(new, "Cuisine", "De quoi s'agit-il")  # the title asked in the old one
        async with db.sessions() as session:
            chats = (await session.scalars(select(ChatIdentity.chat_id))).all()
        assert chats == [new]  # what the bot sends her on its own goes there
        assert not any("Bonjour" in s.body for s in claire.in_room(new))


async def test_an_admin_invites_a_formateur_by_matrix_id_and_the_bot_opens_the_chat(
    synapse: Synapse,
    bot: MatrixTransport,
    db: Database,
    demo: None,
    tmp_path: Path,
) -> None:
    """On Tchap an external cannot open a chat with the bot: the bot opens it."""
    async with MatrixPerson.joining(synapse, tmp_path, "bruno") as bruno:
        admin = Person(build_engine(db, bot.settings), "formateur")  # the real clock, as the bot
        await admin.says(f"/inviter {bruno.user_id}")
        await admin.presses("Formateur")
        assert f"J'ouvre une conversation avec {bruno.user_id}" in admin.all_text
        code = re.search(r"/start (\S+)", admin.all_text)
        assert code is not None
        sender = Sender(db.sessions, {"matrix": bot.send})
        assert await sender.run_once() == 1
        await bruno.wait(lambda: bool(bruno.client.rooms), what="the bot's direct chat")
        [room] = list(bruno.client.rooms)
        welcome = await bruno.reply_after(room, 0, "vous invite à rejoindre")
        assert welcome.decrypted and f"/start {code.group(1)}" in welcome.body
        assert await sender.run_once() == 0  # sent once
        await bruno.ask(room, f"/start {code.group(1)}", "votre nom")
        await bruno.ask(room, "Bruno Lefèvre", "parler de vous")
        await bruno.ask(room, "2", "vous faites partie")
    async with db.sessions() as session:
        identity = await session.scalar(
            select(ChatIdentity).where(ChatIdentity.user_id == bruno.user_id)
        )
        assert identity is not None and identity.platform == "matrix"
        member = await session.scalar(
            select(Membership).where(Membership.person_id == identity.person_id)
        )
        assert member is not None and member.role == "formateur"


async def test_a_participant_answers_on_matrix_and_the_trainer_on_telegram_is_told(
    synapse: Synapse,
    bot: MatrixTransport,
    db: Database,
    demo: None,
    tmp_path: Path,
) -> None:
    """The bot opens the participant's chat on Matrix; the notice reaches the trainer's Telegram."""
    token = "987654:FORMABOT-matrix-telegram"
    async with (
        run_emulator() as emulator,
        MatrixPerson.joining(synapse, tmp_path, "lea") as lea,
    ):
        on_telegram = replace(bot.settings, telegram_token=token, telegram_base_url=emulator.url)
        telegram = TelegramTransport(on_telegram, build_engine(db, on_telegram), poll_interval=0.02)
        await telegram.start()
        try:
            ended = datetime.now(UTC) - timedelta(days=1)
            bilan_id = await add_bilan(db, start=ended)
            async with db.sessions() as session, session.begin():
                camille, organisation = await demo_author(session)
                session.add(
                    ChatIdentity(person_id=camille, platform="telegram", user_id="77", chat_id="77")
                )
                [participant] = (
                    await session.scalars(
                        select(BilanParticipant).where(BilanParticipant.bilan_id == bilan_id)
                    )
                ).all()
                participant.contact = lea.user_id
                info = await view_of(session, bilan_id)
                assert info is not None
                done = await reminders.invite_or_remind(
                    session,
                    info,
                    author=Author(camille, organisation),
                    now=datetime.now(UTC),
                    event="test:1",
                    on_matrix=True,
                )
            assert done.on_matrix == ["Léa Martin"] and done.fresh == []
            sender = Sender(db.sessions, {"matrix": bot.send, "telegram": telegram.send})
            assert await sender.run_once() == 1
            await lea.wait(lambda: bool(lea.client.rooms), what="the bot's direct chat")
            [room] = list(lea.client.rooms)
            welcome = await lea.reply_after(room, 0, "vous invite")
            code = re.search(r"/start (\S+)", welcome.body)
            assert welcome.decrypted and code is not None
            await lea.ask(room, f"/start {code.group(1)}", "nom complet")
            await lea.ask(room, "Léa Martin", "À quel titre")
            sworn = await lea.ask(room, "Délégué", "atteste sur l'honneur")
            assert "Moi, Léa Martin," in sworn.body
            await asyncio.sleep(PACED.total_seconds())  # read: sooner is asked again (GB6)
            await lea.ask(room, "Je l'atteste", "Votre attestation est enregistrée")
            copy = await lea.reply_after(room, 0, ".pdf")
            assert copy.is_file and (await lea.download(copy)).startswith(b"%PDF")
            async with emulator.user(token, user_id=77, first_name="Camille") as camille_chat:
                for _ in range(50):
                    await sender.run_once()
                    told = [m.body for m in await camille_chat.bot_messages()]
                    if told:
                        break
                    await asyncio.sleep(0.1)
                assert any("Léa Martin a attesté sur l'honneur sa participation" in t for t in told)
        finally:
            await telegram.stop()


async def test_a_digest_posted_to_a_group_room_names_no_trainee(
    synapse: Synapse,
    bot: MatrixTransport,
    db: Database,
    demo: None,
    clock: Clock,
    tmp_path: Path,
) -> None:
    async with (
        MatrixPerson.joining(synapse, tmp_path, "camille") as camille,
        MatrixPerson.joining(synapse, tmp_path, "julien") as julien,
    ):
        async with db.sessions() as session, session.begin():
            admin, _ = await demo_author(session)
            session.add(
                ChatIdentity(
                    person_id=admin,
                    platform="matrix",
                    user_id=camille.user_id,
                    chat_id="",
                )
            )
        created = await camille.client.room_create(
            name="Équipe pédagogique",
            invite=[bot.user_id, julien.user_id],
            initial_state=[ENCRYPTION],
        )
        assert isinstance(created, RoomCreateResponse)
        room = str(created.room_id)
        await camille.wait(lambda: camille.has_joined(room, bot.user_id), what="the bot joining")
        async with db.sessions() as session, session.begin():
            organisation = await session.scalar(select(Organisation))
            assert organisation is not None
            organisation.digest_chat = f"matrix:{room}"
        clock.now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
        await build_scheduler(db, bot.settings, clock=clock).tick()
        assert await Sender(db.sessions, {"matrix": bot.send}).run_once() == 1
        digest = await julien.reply_after(room, 0, "en retard")
        assert digest.decrypted
        assert "Projet professionnel (démo) : 1 en retard" in digest.body
        for name in ("Nadia Roux", "Thomas Fabre", "Inès Garnier", "Karim Benali"):
            assert name not in digest.body


async def colleague_joins(
    bot: MatrixTransport, lea: MatrixPerson, colleague: MatrixPerson, shared: str
) -> None:
    """Léa invites a colleague into her chat with the bot; he joins, and the bot sees him."""
    await lea.client.room_invite(shared, colleague.user_id)
    await colleague.wait(lambda: shared in colleague.client.rooms, what="the join")
    for _ in range(200):
        if colleague.user_id in bot.client.rooms[shared].users:
            break
        await asyncio.sleep(0.05)


async def test_a_personal_message_never_goes_to_her_chat_once_a_colleague_is_in_it(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    """Explorer AJ2: Léa invited a colleague into her chat with the bot; the bilan moved,
    its notice and .ics (the visio link) were read by the colleague.  The room gets nothing
    now: the bot opens a private chat with her, and the next message goes there too."""
    async with (
        MatrixPerson.joining(synapse, tmp_path, "lea") as lea,
        MatrixPerson.joining(synapse, tmp_path, "collegue") as colleague,
    ):
        shared = await lea.open_dm(bot.user_id)
        async with db.sessions() as session, session.begin():
            person = Someone(display_name="Léa Martin")
            session.add(person)
            await session.flush()
            session.add(
                ChatIdentity(
                    person_id=person.id, platform="matrix", user_id=lea.user_id, chat_id=shared
                )
            )
        await colleague_joins(bot, lea, colleague, shared)
        ics = Document("bilan.ics", "text/calendar", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n")
        async with db.sessions() as session, session.begin():
            await enqueue(
                session,
                key="moved",
                platform="matrix",
                chat_id=shared,
                reply=Reply(text="Le bilan est déplacé : https://visio.exemple.fr/b", document=ics),
            )
        assert await Sender(db.sessions, {"matrix": bot.send}).run_once() == 1
        await lea.wait(lambda: any(s.body == "bilan.ics" for s in lea.seen), what="the .ics")
        (private,) = {s.room_id for s in lea.seen if "déplacé" in s.body}
        assert private != shared
        assert set(lea.client.rooms[private].users) == {lea.user_id, bot.user_id}
        assert lea.client.rooms[private].encrypted
        await bot.send(shared, Reply(text="Votre attestation vous attend"))
        await lea.reply_after(private, 2, "Votre attestation vous attend")
        await bot.send(shared, Reply(text="Rien de personnel"))  # none of it in the room
        await asyncio.sleep(1)
    assert [s.body for s in lea.in_room(private)] == [
        "Le bilan est déplacé : https://visio.exemple.fr/b",
        "bilan.ics",
        "Votre attestation vous attend",
        "Rien de personnel",
    ]
    assert colleague.in_room(shared) == [] and lea.in_room(shared) == []
    assert set(colleague.client.rooms) == {shared}


async def test_a_personal_message_to_one_of_two_people_of_a_room_reaches_her_alone(
    synapse: Synapse, bot: MatrixTransport, db: Database, demo: None, tmp_path: Path
) -> None:
    """Explorer AJ2's exception: Léa and a colleague both wrote to the bot from the same room,
    so both their chats are that room; the bilan moved, and the notice named the room only:
    the transport could not tell whose private chat to use, and the room got it.  The message
    says whom it is for: it reaches Léa's own private chat, and the colleague reads nothing."""
    async with (
        MatrixPerson.joining(synapse, tmp_path, "lea") as lea,
        MatrixPerson.joining(synapse, tmp_path, "collegue") as colleague,
    ):
        shared = await lea.open_dm(bot.user_id)
        await colleague_joins(bot, lea, colleague, shared)
        async with db.sessions() as session, session.begin():
            organisation = await session.scalar(select(Organisation.id))
            assert organisation is not None
            people = [Someone(display_name="Léa Martin"), Someone(display_name="Julie Petit")]
            session.add_all(people)
            await session.flush()
            for someone, account in zip(people, (lea, colleague), strict=True):
                session.add(
                    ChatIdentity(
                        person_id=someone.id,
                        platform="matrix",
                        user_id=account.user_id,
                        chat_id=shared,
                    )
                )
            await session.flush()
            ics = Document("bilan.ics", "text/calendar", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n")
            told = await tell_person(
                session,
                people[0].id,
                Reply(text="Le bilan est déplacé : https://visio.exemple.fr/b", document=ics),
                key="moved",
                organisation_id=organisation,
            )
            assert told
        assert await Sender(db.sessions, {"matrix": bot.send}).run_once() == 1
        await lea.wait(lambda: any(s.body == "bilan.ics" for s in lea.seen), what="the .ics")
        (private,) = {s.room_id for s in lea.seen if "déplacé" in s.body}
        assert private != shared
        assert set(lea.client.rooms[private].users) == {lea.user_id, bot.user_id}
        await asyncio.sleep(1)
    assert [s.body for s in lea.in_room(private)] == [
        "Le bilan est déplacé : https://visio.exemple.fr/b",
        "bilan.ics",
    ]
    assert colleague.in_room(shared) == [] and lea.in_room(shared) == []
    assert set(colleague.client.rooms) == {shared}


async def test_kicked_from_the_digest_s_room_the_bot_sends_it_to_the_admins_again(
    synapse: Synapse, bot: MatrixTransport, db: Database, demo: None, tmp_path: Path
) -> None:
    """Explorer ID2: the bot kicked from the room chosen for the digest kept it as the
    digest's; its own leave was skipped, and every send there refused for good."""
    async with (
        MatrixPerson.joining(synapse, tmp_path, "camille") as camille,
        MatrixPerson.joining(synapse, tmp_path, "julien") as julien,
    ):
        async with db.sessions() as session, session.begin():
            admin, _ = await demo_author(session)
            session.add(
                ChatIdentity(
                    person_id=admin, platform="matrix", user_id=camille.user_id, chat_id=""
                )
            )
        created = await camille.client.room_create(
            name="Équipe pédagogique", invite=[bot.user_id, julien.user_id]
        )
        assert isinstance(created, RoomCreateResponse)
        room = str(created.room_id)
        await camille.wait(lambda: camille.has_joined(room, bot.user_id), what="the bot joining")
        async with db.sessions() as session, session.begin():
            organisation = await session.scalar(select(Organisation))
            assert organisation is not None
            organisation.digest_chat = f"matrix:{room}"
        await camille.client.room_kick(room, bot.user_id)
        chosen: str | None = f"matrix:{room}"
        for _ in range(200):
            async with db.sessions() as session:
                chosen = await session.scalar(select(Organisation.digest_chat))
                told = await session.scalar(
                    select(OutboxMessage.key).where(OutboxMessage.key.startswith("digest-chat"))
                )
            if chosen is None and told is not None:
                break
            await asyncio.sleep(0.05)
        assert chosen is None and told is not None


async def test_a_formation_an_absence_and_a_bilan_through_matrix_with_its_documents(
    synapse: Synapse, bot: MatrixTransport, db: Database, tmp_path: Path
) -> None:
    """The same dialogues as on Telegram, answered by typing labels, documents decrypted."""
    today = local_today()
    async with db.sessions() as session, session.begin():
        await demo_module.fill(session, today=today)

    async with MatrixPerson.joining(synapse, tmp_path, "camille") as camille:
        async with db.sessions() as session, session.begin():
            admin, _ = await demo_author(session)
            session.add(
                ChatIdentity(
                    person_id=admin, platform="matrix", user_id=camille.user_id, chat_id=""
                )
            )
        room = await camille.open_dm(bot.user_id)

        async def step() -> tuple[str | None, str | None]:
            async with db.sessions() as session:
                state = await session.scalar(
                    select(ConversationState).where(
                        ConversationState.platform == "matrix",
                        ConversationState.user_id == camille.user_id,
                    )
                )
                return (state.flow, state.step) if state else (None, None)

        async def walk(script: list[tuple[str, str, str]]) -> None:
            """Answer each step (by typing the button's label), waiting for the next one."""
            for index, (_, _, value) in enumerate(script):
                following = script[index + 1][0] if index + 1 < len(script) else None
                await camille.say(room, value)
                for _ in range(200):
                    if (await step())[1] == following:
                        break
                    await asyncio.sleep(0.05)
                assert (await step())[1] == following, (value, await step())

        await camille.ask(room, "/formation", "intitulé")
        await walk(FORMATION)
        await camille.reply_after(room, 0, "C'est enregistré")

        await camille.ask(room, "/absence Benali hier matin", "C'est bien ça")
        sunday_or_saturday = (today - timedelta(days=1)).weekday() >= 5  # asked once then
        await walk(
            [
                ("date", "", "Oui"),
                *([("weekend", "", "Oui, l'enregistrer")] if sunday_or_saturday else []),
                ("justified", "", "Non"),
                ("reason_optional", "", "Passer"),
                ("recap", "", "Enregistrer"),
            ]
        )

        when = today + timedelta(days=40)
        await camille.ask(room, "/bilan", "Pour quelle formation")
        await walk(
            [
                ("formation", "", "Agent de restauration (démo)"),
                ("which", "", "Programmer le bilan de fin"),
                ("remote", "", "À distance"),
                ("when", "", f"le {when:%d/%m/%Y} à 14 h"),
                ("when", "", "Oui, c'est ça"),
                ("duration", "", "2 heures"),
                ("visio_url", "", "https://visio.example.org/bilan"),
                ("visio_password", "", "Oui"),
                ("visio_speakers", "", "Oui"),
                ("password_in_invite", "", "Non"),
                ("participants", "", "Terminé"),
                ("partners", "", "Terminé"),
                ("recap", "", "Programmer le bilan"),
            ]
        )

        def files() -> dict[str, Any]:
            return {s.body: s for s in camille.in_room(room) if s.is_file}

        await camille.wait(lambda: len(files()) >= 3, what="the invitation, agenda and e-mail")
        [ics] = [f for name, f in files().items() if name.endswith(".ics")]
        [agenda] = [f for name, f in files().items() if name.startswith("ordre-du-jour")]
        assert (await camille.download(ics)).startswith(b"BEGIN:VCALENDAR")
        assert (await camille.download(agenda)).startswith(b"%PDF")

    async with db.sessions() as session:
        assert await session.scalar(
            select(Formation).where(Formation.title == "Cuisine collective")
        )
        assert await session.scalar(select(Absence).where(Absence.day == today - timedelta(days=1)))
        assert await session.scalar(select(Bilan).where(Bilan.remote.is_(True)))


FORMATION = [
    ("title", "", "Cuisine collective"),
    ("kind", "", "Une formation"),
    ("funder", "", "Autre financeur"),
    ("funder_name", "", "France Travail"),
    ("mode", "", "De date à date"),
    ("period", "", f"du {local_today():%d/%m/%Y} au {local_today() + timedelta(days=60):%d/%m/%Y}"),
    ("period", "", "Oui"),
    ("certifying", "", "Non"),
    ("length", "", "Courte"),
    ("trainees", "", "Marie Dupont\nLucas Moreau"),
    ("delegates", "", "Terminé"),
    ("recap", "", "Enregistrer"),
]


async def test_a_trainers_day_through_matrix_roll_call_imported_list_and_workbook(
    synapse: Synapse,
    db: Database,
    settings: Settings,
    bot_account: Account,
    clock: Clock,
    demo: None,
    tmp_path: Path,
) -> None:
    """Issue 12 on Matrix (numbers typed, files both ways): the roll call of a morning in
    three messages, a workbook of trainees imported, the absences exported as a workbook."""
    configured = bot_settings(settings, synapse, bot_account)
    transport = MatrixTransport(
        configured, build_engine(db, configured, clock=clock), sync_timeout_ms=5000
    )
    await transport.start()
    try:
        async with MatrixPerson.joining(synapse, tmp_path, "camille") as camille:
            async with db.sessions() as session, session.begin():
                admin, _ = await demo_author(session)
                session.add(
                    ChatIdentity(
                        person_id=admin, platform="matrix", user_id=camille.user_id, chat_id=""
                    )
                )
            room = await camille.open_dm(transport.user_id)

            called = await camille.ask(room, "/appel restauration ce matin", "Appel du")
            assert "lundi 23 novembre 2026, matin" in called.body
            recap = await camille.ask(room, "absents : 1, 3", "Enregistrer l'appel")
            assert "Absences (2) : Karim Benali, Hugo Moreau." in recap.body
            await camille.ask(room, "Enregistrer l'appel", "Appel enregistré")
            async with db.sessions() as session:
                logged = (await session.scalars(select(Absence))).all()
            assert len(logged) == 2 and {a.period for a in logged} == {"matin"}

            await camille.ask(room, "/formations", "Quelle formation")
            await camille.ask(room, "Agent de restauration (démo)", "Que voulez-vous faire")
            await camille.ask(room, "Ajouter des stagiaires", "Quels stagiaires ajouter")
            workbook = xlsx([("Nom", "Prénom", "Entreprise"), ("Roy", "Nadia", "Garage Roy")])
            count = len(camille.in_room(room))
            await camille.send_file(room, workbook, "stagiaires.xlsx", XLSX_TYPE)
            await camille.reply_after(room, count, "1 stagiaire à ajouter")
            await camille.ask(room, "Importer", "1 stagiaire importé")
            async with db.sessions() as session:
                nadia = await session.scalar(
                    select(Trainee).where(Trainee.full_name == "Nadia Roy")
                )
            assert nadia is not None and nadia.company == "Garage Roy"

            await camille.ask(room, "/annuler", "")
            await camille.ask(room, "/exporter", "formation")
            await camille.ask(room, "Agent de restauration (démo)", "Absences (Excel)")
            count = len(camille.in_room(room))
            await camille.say(room, "Absences (Excel)")
            await camille.wait(
                lambda: any(s.is_file for s in camille.in_room(room)[count:]), what="a workbook"
            )
            [file] = [s for s in camille.in_room(room)[count:] if s.is_file]
            assert file.body.endswith(".xlsx")
            sheet = load_workbook(io.BytesIO(await camille.download(file))).active
            assert sheet is not None
            names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
            assert {"Karim Benali", "Hugo Moreau"} <= names
    finally:
        await transport.stop()


async def test_the_charge_de_mission_opens_the_chat_herself_and_confirms_with_1(
    synapse: Synapse, bot: MatrixTransport, db: Database, demo: None, tmp_path: Path
) -> None:
    """She opens the chat herself, from Tchap: the formation names her; then « 1 »
    answers the bilan's invitation."""
    async with MatrixPerson.joining(synapse, tmp_path, "sophie") as sophie:
        async with db.sessions() as session, session.begin():
            formation = await session.scalar(
                select(Formation).where(Formation.title == "Agent de restauration (démo)")
            )
            assert formation is not None
            formation.cm_matrix = sophie.user_id
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
        bilan_id = await add_bilan(db, start=start, kind="fin")
        room = await sophie.open_dm(bot.user_id)
        await sophie.ask(room, "aide", "je suis formabot")
        await sophie.ask(room, "1", "votre présence au bilan")
        async with db.sessions() as session:
            bilan = await session.get(Bilan, bilan_id)
            assert bilan is not None and bilan.cm_answer == "confirmed"


async def test_the_invitation_she_sees_before_accepting_names_the_organisation_and_why(
    synapse: Synapse, bot: MatrixTransport, db: Database, demo: None, tmp_path: Path
) -> None:
    """Explorer DC2: the chargée de mission's pending invitation carried no name, no topic:
    « formabot vous invite », Tchap warning of an unknown inviter, nothing saying which
    organisation or which bilan.  What she sees is the invitation's stripped state, read
    here as her client reads it (``GET /sync``); no trainee is named in it."""
    async with MatrixPerson.joining(synapse, tmp_path, "sophie", auto_join=False) as sophie:
        async with db.sessions() as session, session.begin():
            formation = await session.scalar(
                select(Formation).where(Formation.title == "Agent de restauration (démo)")
            )
            assert formation is not None
            formation.cm_matrix = sophie.user_id
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
        bilan_id = await add_bilan(db, start=start, kind="fin")
        ics = Document("bilan.ics", "text/calendar", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n")
        async with db.sessions() as session, session.begin():
            view = await view_of(session, bilan_id)
            assert view is not None
            await invite_charge_de_mission(
                session, view, text="Bonjour Madame,", invitation=ics, matrix=True, email=None
            )
        assert await Sender(db.sessions, {"matrix": bot.send}).run_once() == 1
        await sophie.wait(lambda: bool(sophie.client.invited_rooms), what="the invitation")
        [room] = list(sophie.client.invited_rooms)
        async with httpx.AsyncClient() as http:
            response = await http.get(
                f"{synapse.url}/_matrix/client/v3/sync",
                params={"timeout": "0"},
                headers={"Authorization": f"Bearer {sophie.client.access_token}"},
            )
        events = response.json()["rooms"]["invite"][room]["invite_state"]["events"]
        state = {e["type"]: e["content"] for e in events if e.get("state_key") == ""}
        assert state["m.room.name"]["name"] == "formabot – Organisme de démonstration"
        assert state["m.room.topic"]["topic"] == (
            "Organisme de démonstration (Camille Durand) : invitation au bilan de fin de "
            f"formation du {spell_date(view.start)}"
        )
        assert "Léa" not in json.dumps(events)
        [invite] = [e for e in events if e.get("state_key") == sophie.user_id]
        assert invite["content"]["is_direct"] is True  # still a direct chat for Tchap


async def test_a_direct_chat_opened_without_encryption_is_encrypted_before_the_bot_answers(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path
) -> None:
    """Explorer YD1: Léa opened her direct chat with the bot unencrypted (a client set so,
    or a server that does not encrypt by default); her name, her attestation and its PDF
    then crossed the homeserver in clear, as would a trainer's Qualiopi ZIP.  The bot turns
    encryption on in such a chat before writing there (a direct chat's two members may)."""
    async with MatrixPerson.joining(synapse, tmp_path, "lea") as lea:
        room = await lea.open_dm(bot.user_id, encrypted=False)
        answer = await lea.ask(room, "/aide", "/start")
        assert answer.decrypted  # the answer itself came encrypted
        assert lea.client.rooms[room].encrypted
        await lea.ask(room, "/start", "nom de votre organisme")  # her own words, encrypted, read
        assert all(s.decrypted for s in lea.in_room(room))


async def test_a_public_room_of_two_is_left_unencrypted(
    synapse: Synapse, bot: MatrixTransport, tmp_path: Path
) -> None:
    """Explorer YD1, its limit: a public room (anyone may join and read its history) is not
    encrypted by the bot, even with two members and the right to; encryption there protects
    nothing and would hide the room's history from those who join it."""
    async with MatrixPerson.joining(synapse, tmp_path, "lea") as lea:
        created = await lea.client.room_create(
            is_direct=True,
            invite=[bot.user_id],
            preset=RoomPreset.public_chat,
            power_level_override={"users": {bot.user_id: 100}},
        )
        assert isinstance(created, RoomCreateResponse)
        room = str(created.room_id)
        await lea.wait(lambda: lea.has_joined(room, bot.user_id), what="the bot joining")
        await lea.ask(room, "/aide", "/start")
        assert not lea.client.rooms[room].encrypted


async def test_her_reply_to_one_bilan_s_invitation_answers_that_bilan(
    synapse: Synapse, bot: MatrixTransport, db: Database, demo: None, tmp_path: Path
) -> None:
    """Explorer DB3: invited to two bilans, she used « Répondre » on the second one's
    invitation and typed « Je ne pourrai pas venir »: « Pour quel bilan ? » was asked, as if
    she had answered none in particular."""
    async with MatrixPerson.joining(synapse, tmp_path, "sophie") as sophie:
        async with db.sessions() as session, session.begin():
            for formation in await session.scalars(select(Formation)):
                formation.cm_matrix = sophie.user_id
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
        first = await add_bilan(db, start=start, kind="fin")
        second = await add_bilan(
            db,
            start=start + timedelta(days=1),
            kind="fin",
            formation_title="Projet professionnel (démo)",
        )
        ics = Document("bilan.ics", "text/calendar", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n")
        for bilan_id in (first, second):
            async with db.sessions() as session, session.begin():
                view = await view_of(session, bilan_id)
                assert view is not None
                words = charge_de_mission_words(view, [], now=datetime.now(UTC), emailed=False)
                text = texts.say("bilan.charge_de_mission_invitation", **words)
                await invite_charge_de_mission(
                    session, view, text=text, invitation=ics, matrix=True, email=None
                )
        assert await Sender(db.sessions, {"matrix": bot.send}).run_once() == 2
        await sophie.wait(lambda: len([s for s in sophie.seen if not s.is_file]) == 2)
        invitation = next(s for s in sophie.seen if "« Projet professionnel (démo) »" in s.body)
        room = invitation.room_id
        count = len(sophie.in_room(room))
        await sophie.say(
            room,
            "Je ne pourrai pas venir",
            **{"m.relates_to": {"m.in_reply_to": {"event_id": invitation.event_id}}},
        )
        answer = await sophie.reply_after(room, count, "Un mot pour expliquer votre absence")
        assert "Pour quel bilan" not in answer.body
        await sophie.ask(room, "Passer", "vous ne pourrez pas venir au bilan")
        async with db.sessions() as session:
            answered = {b.id: b.cm_answer for b in await session.scalars(select(Bilan))}
        assert answered[first] is None and answered[second] == "cannot"
