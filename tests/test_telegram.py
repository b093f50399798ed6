"""The Telegram transport, offline: what the bot asks the Bot API to do.

The loopback emulator (tests/test_telegram_e2e.py) covers whole dialogues;
this module covers what the emulator cannot: the command menu, documents
both ways, a blocked bot, and the exact shape of each call.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select
from telegram import Update

from bot import texts
from bot.app import build_engine
from bot.config import Settings
from bot.messages import Choice, Document, Reply
from bot.outbox import UNSURE_PAUSE, MayHaveArrived, PermanentFailure
from bot.people.chats import chat_of_person
from bot.storage.db import Database
from bot.storage.inbox import InboxUpdate
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Organisation
from bot.storage.state import ConversationState
from bot.texts import split_text
from bot.transports.telegram import (
    MAX_BUTTON,
    MAX_TEXT,
    SEND_TIMEOUT,
    TelegramTransport,
    keyboard,
)
from bot.transports.telegram_buttons import listed_lines
from bot.transports.telegram_inbound import ALLOWED_UPDATES, unread_kind
from tests.auxil.absences import add_formation
from tests.auxil.dialogue import Clock
from tests.auxil.telegram_bot import link_to_telegram
from tests.auxil.telegram_offline import RecordingRequest

TRAINER_ID = 1001
_updates = itertools.count(1)


@pytest.fixture
async def telegram(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> AsyncIterator[tuple[TelegramTransport, RecordingRequest]]:
    async with db.sessions() as session, session.begin():
        await link_to_telegram(session, TRAINER_ID)
    request = RecordingRequest()
    engine = build_engine(db, replace(settings, telegram_token="123:ABC"), clock=clock)
    transport = TelegramTransport(engine.settings, engine, request=request, poll_interval=0.05)
    await transport.app.initialize()
    transport.username = transport.app.bot.username or ""
    yield transport, request
    await transport.app.shutdown()


def message(
    text: str,
    *,
    user: int = TRAINER_ID,
    chat: int | None = None,
    chat_type: str = "private",
    update_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": next(_updates) + 500,
        "date": 1_790_000_000,
        "chat": {"id": chat or user, "type": chat_type},
        "from": {"id": user, "is_bot": False, "first_name": "Camille"},
        "text": text,
    }
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    body.update(extra or {})
    return {"update_id": update_id or next(_updates), "message": body}


def press(data: str, *, question: dict[str, Any], user: int = TRAINER_ID) -> dict[str, Any]:
    return {
        "update_id": next(_updates),
        "callback_query": {
            "id": f"cb{next(_updates)}",
            "from": {"id": user, "is_bot": False, "first_name": "Camille"},
            "chat_instance": "ci",
            "data": data,
            "message": question,
        },
    }


async def feed(transport: TelegramTransport, data: dict[str, Any]) -> None:
    """Deliver one update as polling or the webhook would, and wait until it is answered."""
    await asyncio.gather(*await transport.receive([Update.de_json(data, transport.app.bot)]))


async def test_the_command_menu_and_description_are_set_in_french(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    transport, request = telegram
    await transport._announce()
    commands = request.called("setMyCommands")[-1].params["commands"]
    assert {"command": "aide", "description": "Ce que je peux faire pour vous"} in commands
    assert {
        "command": "attestation",
        "description": "Confirmer ma participation à un bilan (personne invitée)",
    } in commands  # a participant's own, next to the trainers' /attestations
    assert all(c["description"] for c in commands)
    assert "formateurs" in request.called("setMyDescription")[-1].params["description"]


async def test_a_question_is_sent_as_html_with_an_inline_keyboard(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    transport, request = telegram
    await feed(transport, message("/formation"))
    await feed(transport, message("Cuisine <du> & monde"))  # refused: no markup in a title
    assert "sans balises (« &lt; &gt; »)" in request.called("sendMessage")[-1].params["text"]
    await feed(transport, message("Cuisine du & monde"))
    sent = request.called("sendMessage")[-1].params
    assert sent["parse_mode"] == "HTML" and "De quoi s'agit-il" in sent["text"]
    buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert next(b["text"] for b in buttons) == "Une formation"

    question = {
        "message_id": 77,
        "date": 1_790_000_000,
        "chat": {"id": TRAINER_ID, "type": "private"},
        "text": sent["text"],
        "reply_markup": sent["reply_markup"],
    }
    await feed(transport, press(buttons[0]["callback_data"], question=question))
    assert request.called("answerCallbackQuery")
    edited = request.called("editMessageText")[-1].params
    assert edited["text"].endswith("✔ Une formation") and "reply_markup" not in edited
    assert "Qui la finance" in request.called("sendMessage")[-1].params["text"]


async def test_an_edit_a_voice_message_a_sticker_are_said_and_the_question_kept(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    """Explorers AW3, AW5: a message corrected by an edit was silently not the one read, a
    voice message or a sticker was « Je n'ai rien reçu »."""
    transport, request = telegram
    await feed(transport, message("/formation"))
    asked = request.called("sendMessage")[-1].params["text"]
    edited = message("Cuisine du monde")
    edited["edited_message"] = edited.pop("message")
    voice = {"voice": {"file_id": "v1", "file_unique_id": "u1", "duration": 3}}
    sticker = {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "u2",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    }
    for update, said in (
        (edited, "Vous avez modifié un message déjà envoyé : je ne lis pas les modifications"),
        (message("", extra=voice), "Je ne peux pas écouter les messages vocaux"),
        (message("", extra=sticker), "Je ne lis que du texte, des photos et des documents"),
        (
            message(
                "Bonjour madame je serai absente demain",
                extra={
                    "forward_origin": {
                        "type": "hidden_user",
                        "date": 1_790_000_000,
                        "sender_user_name": "Julie",
                    }
                },
            ),
            "Vous m'avez transféré le message de quelqu'un d'autre",
        ),
    ):
        await feed(transport, update)
        texts = [c.params["text"] for c in request.called("sendMessage")[-2:]]
        assert texts[0].startswith(said) and texts[1] == asked
    assert Update.EDITED_MESSAGE in ALLOWED_UPDATES
    # A live location moving comes as edits: nothing to say to each (explorer AY12).
    before = len(request.called("sendMessage"))
    moving = message("", extra={"location": {"latitude": 49.18, "longitude": -0.37}})
    moving["edited_message"] = moving.pop("message")
    await feed(transport, moving)
    assert len(request.called("sendMessage")) == before
    # An invitation forwarded whole, or one's own message forwarded, is read (explorer AY1).
    hidden = {"type": "hidden_user", "date": 1_790_000_000, "sender_user_name": "Camille"}
    mine = {
        "type": "user",
        "date": 1_790_000_000,
        "sender_user": {"id": TRAINER_ID, "is_bot": False, "first_name": "Camille"},
    }
    for text, origin in (("Bienvenue ! Envoyez au bot : /start ABC123", hidden), ("lundi", mine)):
        update = Update.de_json(message(text, extra={"forward_origin": origin}), transport.app.bot)
        assert update.message is not None
        assert unread_kind(update.message, edited=False) == "", text


async def test_a_pressed_button_that_carries_its_tick_is_not_ticked_twice(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    """Explorer AC8: « ✅ Terminé » pressed read « ✔ ✅ Terminé » on the question."""
    transport, _ = telegram
    question = {
        "message_id": 78,
        "date": 1_790_000_000,
        "chat": {"id": TRAINER_ID, "type": "private"},
        "text": "Qui sont les délégués ?",
        "reply_markup": {"inline_keyboard": [[{"text": "✅ Terminé", "callback_data": "4|_done"}]]},
    }
    update = Update.de_json(press("4|_done", question=question), transport.app.bot)
    assert transport._answer_to(update)["marked"] == "Qui sont les délégués ?\n\n✅ Terminé"


async def test_a_second_button_of_the_same_question_leaves_the_first_one_shown(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Explorer H H2: two buttons pressed at once showed « ✔ » on the one refused."""
    transport, request = telegram
    await feed(transport, message("/formation"))
    await feed(transport, message("Cuisine"))
    sent = request.called("sendMessage")[-1].params
    buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    question = {
        "message_id": 78,
        "date": 1_790_000_000,
        "chat": {"id": TRAINER_ID, "type": "private"},
        "text": sent["text"],
        "reply_markup": sent["reply_markup"],
    }
    first, second = (press(b["callback_data"], question=question) for b in buttons[:2])
    await asyncio.gather(
        *await transport.receive([Update.de_json(u, transport.app.bot) for u in (first, second)])
    )
    marked = [c.params["text"] for c in request.called("editMessageText")]
    assert len(marked) == 1 and marked[0].endswith("✔ Une formation")
    assert request.called("editMessageReplyMarkup")  # the refused one only drops a keyboard
    said = [c.params["text"] for c in request.called("sendMessage")]
    assert any("répondez plutôt à la dernière question" in text for text in said)
    async with db.sessions() as session:
        state = await session.scalar(select(ConversationState))
        assert state is not None and state.data["kind"] == "formation"


async def test_the_same_update_twice_has_one_effect(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    transport, request = telegram
    await feed(transport, message("/formation"))
    title = message("Cuisine", update_id=9_000_001)
    await feed(transport, title)
    sent = len(request.called("sendMessage"))
    await feed(transport, title)  # redelivered: already in the inbox, answered once
    assert len(request.called("sendMessage")) == sent
    async with db.sessions() as session, session.begin():
        await session.execute(delete(InboxUpdate))  # long forgotten by the inbox
    await feed(transport, title)  # the engine answers it again, with no second effect
    texts = [c.params["text"] for c in request.called("sendMessage")]
    assert texts[-1] == texts[-2] and "De quoi s'agit-il" in texts[-1]
    await feed(transport, message("1"))
    assert "Qui la finance" in request.called("sendMessage")[-1].params["text"]


async def test_in_a_group_only_commands_for_this_bot_are_answered(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    transport, request = telegram
    before = len(request.calls)
    await feed(transport, message("bonjour tout le monde", chat=-100, chat_type="supergroup"))
    await feed(transport, message("/formations@un_autre_bot", chat=-100, chat_type="supergroup"))
    assert len(request.calls) == before
    await feed(
        transport, message("/formations@formabot_test_bot", chat=-100, chat_type="supergroup")
    )
    answer = request.called("sendMessage")[-1].params
    assert answer["chat_id"] == -100 and "groupe" in answer["text"]
    assert "Léa" not in answer["text"]


async def test_in_a_group_a_reply_to_the_bot_is_read(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Explorer G G4: /reglages in a group asked to type a value, then ignored it."""
    transport, request = telegram
    group = {"chat": -100, "chat_type": "supergroup"}
    await feed(transport, message("/reglages@formabot_test_bot", **group))
    menu = request.called("sendMessage")[-1].params
    buttons = [b for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    hour = next(b for b in buttons if "Heure" in b["text"])
    shown = {
        "message_id": 89,
        "date": 1_790_000_000,
        "chat": {"id": -100, "type": "supergroup"},
        "text": menu["text"],
        "reply_markup": menu["reply_markup"],
    }
    await feed(transport, press(hour["callback_data"], question=shown))
    asked = request.called("sendMessage")[-1].params
    assert "en réponse à ce message" in asked["text"]
    before = len(request.calls)
    await feed(transport, message("10", **group))  # not addressed: still not read
    assert len(request.calls) == before
    bot = {"id": transport.app.bot.id, "is_bot": True, "first_name": "formabot"}
    question = {"message_id": 90, "date": 1_790_000_000, "chat": {"id": -100, "type": "supergroup"}}
    await feed(
        transport, message("10", **group, extra={"reply_to_message": {**question, "from": bot}})
    )
    said = [c.params["text"] for c in request.called("sendMessage")[-2:]]
    assert any("10 h" in text for text in said), said
    async with db.sessions() as session:
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None and organisation.settings.get("digest_hour") == 10


async def test_an_invitation_code_becomes_a_deep_link(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    transport, request = telegram
    await feed(transport, message("/inviter"))
    await feed(transport, message("1"))
    text = request.called("sendMessage")[-1].params["text"]
    assert "Lien à transférer : https://t.me/formabot_test_bot?start=" in text


async def test_a_participants_invitation_names_the_link_for_the_participant(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    """Forwarded to a delegate, the invitation promised « le lien joint à ce message »
    (outside test, item 9): on Telegram the link follows, worded for its reader."""
    transport, request = telegram
    extras = {"invite_code": "X1re0iN6fds4A0J8TrGxxg", "invite_link_words": "Ou touchez ce lien"}
    await transport.send("555", Reply(text="Bonjour Léa Martin,", extras=extras))
    text = request.called("sendMessage")[-1].params["text"]
    assert text.endswith(
        "Ou touchez ce lien : https://t.me/formabot_test_bot?start=X1re0iN6fds4A0J8TrGxxg"
    )
    assert "Lien à transférer" not in text


async def test_documents_go_out_with_send_document(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    transport, request = telegram
    await transport.send(
        "555",
        Reply(
            text="Votre compte rendu", document=Document("cr.pdf", "application/pdf", b"%PDF-1.4 x")
        ),
    )
    call = request.called("sendDocument")[-1]
    assert call.params["caption"] == "Votre compte rendu"
    assert call.files["document"] == ("cr.pdf", b"%PDF-1.4 x")


async def test_a_document_s_own_caption_does_not_drop_the_text_beside_it(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    """Explorer EC5: « Voici le compte rendu. … déposez-le dans … (Dendreo) » never reached a
    Telegram chat: the file's caption took the text's place."""
    transport, request = telegram
    said = "Voici le compte rendu. Déposez-le dans l'espace de stockage formateur."
    document = Document("cr.pdf", "application/pdf", b"%PDF-1.4 x", caption="Compte rendu")
    await transport.send("555", Reply(text=said, document=document, choices=(Choice("Ok", "ok"),)))
    sent = request.called("sendDocument")[-1]
    assert sent.params["caption"] == "Compte rendu" and "reply_markup" not in sent.params
    text = request.called("sendMessage")[-1]
    assert text.params["text"] == said and "reply_markup" in text.params


async def test_what_the_buttons_cut_is_listed_whole_under_the_question(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    """Explorer ED1: at 40 formations, /echeances' buttons read « Envoyer le bila… –
    Chloé…nier »; the whole lines now come with the question, numbered as typed."""
    transport, request = telegram
    whole = "🔵 30/04 Déposer le livret de suivi VAE – Chloé Fournier · VAE Titre professionnel"
    choices = (
        Choice("Terminé", "q|_quit", numbered=False),
        Choice("🔵 30/04 Déposer le livr… – Chloé Fournier · VAE…", "q|d:1", 9, True, whole),
    )
    await transport.send("555", Reply(text="Vos échéances :", choices=choices))
    sent = request.called("sendMessage")[-1].params["text"]
    assert sent == f"Vos échéances :\n\n9. {whole}"
    # The page turned edits the message: the whole lines go with it (explorer EE5).
    await transport._edit("555", 42, Reply(text="Vos échéances :", choices=choices))
    edited = request.called("editMessageText")[-1].params["text"]
    assert edited == f"Vos échéances :\n\n9. {whole}"


async def test_a_file_sent_by_the_user_reaches_the_engine(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    transport, request = telegram
    request.files["f1"] = b"\xff\xd8\xffphoto"
    await feed(transport, message("/formation"))
    await feed(
        transport,
        message(
            "",
            extra={
                "text": None,
                "document": {
                    "file_id": "f1",
                    "file_unique_id": "f1",
                    "file_name": "scan.jpg",
                    "mime_type": "image/jpeg",
                    "file_size": 9,
                },
            },
        ),
    )
    assert request.called("getFile")
    assert "pas un fichier" in request.called("sendMessage")[-1].params["text"]


async def test_a_blocked_bot_is_recorded_and_not_retried(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    transport, request = telegram
    request.blocked_chats.add(str(TRAINER_ID))
    with pytest.raises(PermanentFailure):
        await transport.send(str(TRAINER_ID), Reply(text="Rappel"))
    assert len(request.called("sendMessage")) == 1
    async with db.sessions() as session:
        identity = await session.scalar(
            select(ChatIdentity).where(ChatIdentity.platform == "telegram")
        )
        assert identity is not None and identity.blocked_at is not None


async def test_someone_who_unblocked_the_bot_and_writes_is_written_to_again(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Explorer ID3: Claire blocked the bot once, then unblocked it and went on using it;
    ``blocked_at`` stayed, and no digest, reminder or « X a rejoint » reached her again."""
    transport, request = telegram
    request.blocked_chats.add(str(TRAINER_ID))
    with pytest.raises(PermanentFailure):
        await transport.send(str(TRAINER_ID), Reply(text="Rappel"))
    request.blocked_chats.clear()
    await feed(transport, message("/aide"))
    async with db.sessions() as session:
        identity = await session.scalar(
            select(ChatIdentity).where(ChatIdentity.platform == "telegram")
        )
        assert identity is not None and identity.blocked_at is None
        assert await chat_of_person(session, identity.person_id) == ("telegram", str(TRAINER_ID))


async def test_a_message_telegram_answered_too_late_is_not_sent_again_at_once(
    telegram: tuple[TelegramTransport, RecordingRequest],
) -> None:
    """Explorer AC12: a stalled Bot API delivered every timed-out try when it woke (four
    copies). A message that may have arrived goes to the outbox; one that never left is
    retried in place."""
    transport, request = telegram
    request.late = 1
    with pytest.raises(MayHaveArrived):
        await transport.send(str(TRAINER_ID), Reply(text="Rappel"))
    assert len(request.called("sendMessage")) == 1
    request.unreachable = 2
    await transport.send(str(TRAINER_ID), Reply(text="Rappel"))
    assert len(request.called("sendMessage")) == 2  # the third try went, once


async def test_a_message_waits_twenty_seconds_for_telegrams_answer(
    db: Database, settings: Settings
) -> None:
    """PTB's 5 s gave up on a Bot API slow for 25 s, which then delivered each try."""
    engine = build_engine(db, replace(settings, telegram_token="123:ABC"))
    transport = TelegramTransport(engine.settings, engine)
    assert transport.app.bot.request.read_timeout == SEND_TIMEOUT == 20


async def test_a_turns_reply_answered_too_late_waits_in_the_outbox(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    transport, request = telegram
    request.late = 1
    await feed(transport, message("/aide"))
    assert len(request.called("sendMessage")) == 1
    async with db.sessions() as session:
        (row,) = (await session.scalars(select(OutboxMessage))).all()
    assert row.status == "pending" and row.payload["text"].startswith("Voici ce que je sais")
    # The inbox's clock is the wall's: the row waits the pause from when it was queued.
    assert abs(row.next_attempt_at - row.created_at - UNSURE_PAUSE) < timedelta(seconds=5)


def test_long_messages_are_split_on_line_breaks() -> None:
    text = "\n".join(f"ligne {i} " + "x" * 100 for i in range(100))
    parts = split_text(text, MAX_TEXT)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text
    plain = split_text("y" * 9000, MAX_TEXT)
    assert "".join(plain) == "y" * 9000 and all(len(p) <= 4096 for p in plain)


def test_a_message_just_over_the_limit_is_cut_between_its_sections_not_before_its_footer() -> None:
    """Explorer XB7: a digest of 4,146 characters came as 4,075 then « Pour le détail, marquer
    une échéance faite ou la reporter : /echeances » alone, a notification by itself every
    day.  The cut falls between sections, the parts about as long, each read on its own."""
    overdue = "\n".join(
        f"· jeudi {n} septembre 2026 – 13 entrées à saisir dans EOS (Zoé Benali, Inès Blanc, "
        f"Julie Blanc et 10 autres) – Agent de propreté – Évreux"
        for n in range(1, 26)
    )
    week = "\n".join(
        f"· lundi {n} décembre 2026 – Produire le bilan d'étape – Cariste" for n in range(8)
    )
    footer = "Pour le détail, marquer une échéance faite ou la reporter : /echeances"
    sections = [
        "📋 <b>Échéances du samedi 12 décembre 2026</b> – Forma Ouest",
        "🔴 En retard (25) :\n" + overdue,
        "🟠 Dans les 7 prochains jours (8) :\n" + week,
        footer,
    ]
    text = "\n\n".join(sections)
    assert MAX_TEXT < len(text) <= MAX_TEXT + len(footer), len(text)  # all but the footer fit
    parts = split_text(text, MAX_TEXT)
    assert parts == ["\n\n".join(sections[:2]), "\n\n".join(sections[2:])]
    # A list longer than a message is cut between its lines, never leaving one line alone.
    lines = "\n".join(f"ligne {i} " + "x" * 100 for i in range(40)) + "\n\n" + footer
    parts = split_text(lines, MAX_TEXT)
    assert len(parts) == 2 and all(len(p) <= MAX_TEXT for p in parts)
    assert len(parts[1]) > 1000 and parts[1].endswith(footer)
    assert "\n".join(parts) == lines


def test_a_long_line_is_cut_between_words_tags_and_entities() -> None:
    """Explorer AK5: a line over 4,096 characters cut inside « &amp; » showed « &amp » and
    « ; » on Telegram; cut inside a tag, the part would be refused."""
    line = ("Tom &amp; <b>Jerry</b> " * 400) + "<i>" + "x &lt; y " * 300 + "</i>"
    parts = split_text(line, MAX_TEXT)
    assert len(parts) > 2 and all(len(p) <= 4096 for p in parts)
    for part in parts:
        assert re.fullmatch(r"(?:[^&<>]|&(?:amp|lt|gt|quot|#\d+);|<[^<>]*>)*", part), part[-20:]
        for tag in ("b", "i"):  # every tag opened in a part is closed in it
            assert part.count(f"<{tag}>") == part.count(f"</{tag}>"), (tag, part[:40])
    assert texts.plain("".join(parts)) == texts.plain(line)
    assert split_text("<a href='" + "y" * 9000 + "'>", MAX_TEXT)  # no endless loop
    long_link = "<a href='https://x.fr/" + "y" * 3000 + "'>" + "mot " * 2000 + "</a>"
    assert all(len(p) <= 4096 for p in split_text(long_link, MAX_TEXT))  # AN8: ends


def balanced(part: str) -> bool:
    """Every tag of ``part`` closed in it, in order, none closed that it did not open."""
    opened: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z]+)[^>]*>", part):
        if not closing:
            opened.append(name)
        elif not opened or opened.pop() != name:
            return False
    return not opened


def test_a_tag_open_across_sections_is_closed_and_opened_again_at_the_cut() -> None:
    """Explorer ZA12: cut between sections, « <i> » opened before the cut was closed only in
    the next part (Telegram refuses such HTML: « can't parse entities »); a line's own cut
    already closed and reopened its tags. Now a cut between sections or lines does too."""
    words = "\n\n".join(["mot " * 400] * 3)
    text = f"Voici :\n\n<i>{words}</i>\n\nFin"
    parts = split_text(text, MAX_TEXT)
    assert len(parts) == 2 and all(len(p) <= MAX_TEXT for p in parts)
    assert all(balanced(part) for part in parts), [(p[:20], p[-20:]) for p in parts]
    assert parts[1].startswith("<i>") and parts[0].endswith("</i>")
    assert texts.plain("\n\n".join(parts)) == texts.plain(text)
    lines = "<b>Liste</b>\n<i>" + "\n".join(f"ligne {i} " + "x" * 100 for i in range(60)) + "</i>"
    parts = split_text(lines, MAX_TEXT)  # one section: cut between its lines
    assert len(parts) == 2 and all(len(p) <= MAX_TEXT for p in parts)
    assert all(balanced(part) for part in parts)
    assert split_text("<b>court</b>\n\n<i>aussi</i>", MAX_TEXT) == ["<b>court</b>\n\n<i>aussi</i>"]


async def test_debug_logging_shows_no_personal_data(
    telegram: tuple[TelegramTransport, RecordingRequest], caplog: pytest.LogCaptureFixture
) -> None:
    """PTB logs whole updates and API parameters at DEBUG: they must stay out."""
    import logging

    from bot.app import QUIET_LOGGERS, setup_logging

    transport, _request = telegram
    before = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    try:
        # Without the cap, PTB would log the update itself, name included.
        logging.getLogger("telegram").setLevel(logging.NOTSET)
        with caplog.at_level(logging.DEBUG):
            await transport.send(str(TRAINER_ID), Reply(text="Absence de Zorglub Secretname"))
        assert "Secretname" in caplog.text
        caplog.clear()

        setup_logging("DEBUG")
        with caplog.at_level(logging.DEBUG):
            await feed(transport, message("/formation"))
            await feed(transport, message("Zorglub Secretname"))
            await transport.send(str(TRAINER_ID), Reply(text="Absence de Zorglub Secretname"))
        assert "Secretname" not in caplog.text and "Zorglub" not in caplog.text
    finally:
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)


async def test_150_trainees_are_paged_under_telegrams_100_buttons(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Issue 13: a multi-choice question over 150 trainees, paged, the ticks kept."""
    transport, request = telegram
    names = tuple(f"Stagiaire {n:03d} Martin" for n in range(1, 151))
    await add_formation(db, title="PAF Grand groupe", funder="rectorat", trainees=names)

    def keyboards() -> list[list[dict[str, Any]]]:
        return [
            [b for row in c.params["reply_markup"]["inline_keyboard"] for b in row]
            for c in request.calls
            if c.method in ("sendMessage", "editMessageText") and c.params.get("reply_markup")
        ]

    async def tap(label: str) -> None:
        call = next(
            c
            for c in reversed(request.calls)
            if c.method in ("sendMessage", "editMessageText") and c.params.get("reply_markup")
        )
        buttons = [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
        data = next(b["callback_data"] for b in buttons if label in b["text"])
        question = {
            "message_id": int(call.params.get("message_id", 77)),
            "date": 1_790_000_000,
            "chat": {"id": TRAINER_ID, "type": "private"},
            "text": call.params["text"],
            "reply_markup": call.params["reply_markup"],
        }
        await feed(transport, press(data, question=question))

    await feed(transport, message("/vacations"))
    await tap("PAF Grand groupe")
    await feed(transport, message("30 heures"))
    assert "Page 1 sur 8 · 150 cochés sur 150" in request.called("sendMessage")[-1].params["text"]
    await tap("Stagiaire 002")
    await tap("Suivants")
    assert keyboards()[-1][0]["text"] == "21. ☑ Stagiaire 021 Martin"  # its number (DF1)
    await tap("Stagiaire 021")
    await tap("Précédents")
    page_one = [b["text"] for b in keyboards()[-1]]
    assert page_one[:2] == ["1. ☑ Stagiaire 001 Martin", "2. ☐ Stagiaire 002 Martin"]
    await tap("Terminé")
    assert max(len(k) for k in keyboards()) <= 100
    assert "148 participants" in request.called("sendMessage")[-1].params["text"]


def test_a_number_kept_of_the_whole_list_is_shown_on_its_button() -> None:
    """Explorer DF1: page 2 of a list, or a list to tick, is typed by the whole list's numbers
    (« absents : 23 »), which Telegram's buttons showed nowhere; a page turn keeps no number."""
    page = (
        Choice("✅ Inès Garnier", "1|5~-", number=21),
        Choice("❌ Karim Benali (absence)", "1|6~a", number=22),
        Choice("Suivants ▶ (3/3)", "1|_next"),
    )
    markup = keyboard(Reply(text="Appel", choices=page))
    assert markup is not None
    assert [row[0].text for row in markup.inline_keyboard] == [
        "21. ✅ Inès Garnier",
        "22. ❌ Karim Benali (absence)",
        "Suivants ▶ (3/3)",
    ]
    assert listed_lines(Reply(text="Appel", choices=page)) == []
    # No room beside a label of 62 characters: the lines are listed whole, numbered, under
    # the question, the buttons as they were.
    long = "Agent polyvalent de restauration collective (lundi 7 sept. 2026)"[:62]
    crowded = Reply(text="Quelle formation ?", choices=(Choice(long, "1|9", number=9), page[2]))
    markup = keyboard(crowded)
    assert markup is not None and markup.inline_keyboard[0][0].text == long
    assert listed_lines(crowded) == [f"9. {long}"]
    # A list ranked as shown is counted on its buttons: no number added.
    plain = keyboard(Reply(text="?", choices=(Choice("Oui", "1|y"), Choice("Non", "1|n"))))
    assert plain is not None and [r[0].text for r in plain.inline_keyboard] == ["Oui", "Non"]


def test_a_label_cut_to_fit_its_button_is_listed_whole_under_the_question() -> None:
    """Explorer DF5: /reglages showed « Formation courte (jours pour con…e absente, après
    l'absence) : 1 » and eight more cut so, the whole line nowhere (ED1 lists them where the
    lines carry it); every numbered line is listed, a short one too, so the numbers run on."""
    long = "Formation courte (jours pour contacter la personne absente, après l'absence) : 1"
    reply = Reply(
        text="Réglages",
        choices=(
            Choice("Ticket qualité (jours après l'ouverture du suivi) : 14", "1|s:a"),
            Choice(long, "1|s:b"),
            Choice("Terminé", "1|_done", numbered=False),
        ),
    )
    assert listed_lines(reply) == [
        "1. Ticket qualité (jours après l'ouverture du suivi) : 14",
        f"2. {long}",
    ]
    markup = keyboard(reply)
    assert markup is not None
    texts_shown = [row[0].text for row in markup.inline_keyboard]
    assert texts_shown[0] == "Ticket qualité (jours après l'ouverture du suivi) : 14"
    assert len(texts_shown[1]) == MAX_BUTTON and texts_shown[2] == "Terminé"


def test_a_long_button_keeps_its_start_and_its_end() -> None:
    """Telegram's buttons are cut at 64 characters: in the middle, so that the deadline's
    day and the formation it is for both stay (« · Agent de restauration – Rouen »)."""
    long = (
        "🔴 01/12 Envoyer les modes d'emploi… – bilan de fin du 08/12 · "
        "Agent de restauration – Rouen"
    )
    short = "Voir le détail"
    markup = keyboard(Reply(text="?", choices=(Choice(long, "1|a"), Choice(short, "1|b"))))
    assert markup is not None
    (first,), (second,) = markup.inline_keyboard
    assert len(first.text) == MAX_BUTTON and "…" in first.text
    assert first.text.startswith("🔴 01/12 Envoyer")
    assert first.text.endswith("Agent de restauration – Rouen")
    assert (second.text, second.callback_data) == (short, "1|b")


async def test_a_configured_name_that_is_not_the_bot_s_is_said_at_start(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer AC8: a stale TELEGRAM_USERNAME put two bots' names in one invitation (the
    text's link and the chat's forwarding link, which takes getMe's)."""
    warned = {}
    for configured in ("formabot_test_bot", "Formabot_Test_Bot", "ancien_bot", ""):
        mine = replace(settings, telegram_token="123:ABC", telegram_username=configured)
        transport = TelegramTransport(mine, build_engine(db, mine), request=RecordingRequest())
        await transport.app.initialize()
        transport.username = transport.app.bot.username or ""
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            transport._check_username()
        warned[configured] = caplog.text
        await transport.app.shutdown()
    assert warned["formabot_test_bot"] == warned["Formabot_Test_Bot"] == ""
    assert "TELEGRAM_USERNAME is ancien_bot" in warned["ancien_bot"]
    assert "set TELEGRAM_USERNAME=formabot_test_bot" in warned["ancien_bot"]
    assert "TELEGRAM_USERNAME is not set" in warned[""]


async def test_an_update_that_cannot_be_read_is_skipped_and_not_logged(
    telegram: tuple[TelegramTransport, RecordingRequest], caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer ID5: one update python-telegram-bot could not build (a service message whose
    ``from`` lacks ``is_bot``) stopped polling for good, and the whole pending batch — names,
    texts — was logged at CRITICAL every few seconds. It is skipped, its id and the error's
    class logged; the others are answered."""
    transport, request = telegram
    unreadable = message("/aide", update_id=8_000_001)
    unreadable["message"]["from"] = {"id": 1002, "first_name": "Claire", "last_name": "Martin"}
    unreadable["message"]["chat"] = {"id": -5001, "type": "group"}
    unreadable["message"]["migrate_to_chat_id"] = -1005001
    request.updates = [
        unreadable,
        message("Absence de Zorglub Secretname", update_id=8_000_002),
    ]
    from bot.app import QUIET_LOGGERS, setup_logging

    before = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    setup_logging("DEBUG")  # as `formabot run` at its most talkative
    try:
        with caplog.at_level(logging.DEBUG):
            await transport.start()
            for _ in range(200):
                if request.called("sendMessage"):
                    break
                await asyncio.sleep(0.02)
            for _ in range(50):  # the next getUpdates confirms both
                offsets = [c.params.get("offset") for c in request.called("getUpdates")]
                if 8_000_003 in offsets:
                    break
                await asyncio.sleep(0.02)
    finally:
        await transport.stop()
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)
    answered = request.called("sendMessage")
    assert answered and answered[0].params["chat_id"] == TRAINER_ID  # the one behind it
    assert 8_000_003 in offsets
    logged = caplog.text
    assert "8000001" in logged and "TypeError" in logged
    for private in ("Claire", "Martin", "Zorglub", "Secretname"):
        assert private not in logged
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]


async def test_in_a_group_someone_else_s_tap_leaves_the_trainer_s_buttons_alone(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Explorer ID1: Bruno's tap on a button of Camille's /reglages in the group wiped her
    keyboard and told the group « la conversation correspondante est terminée », untrue."""
    transport, request = telegram
    asked = message("/reglages@formabot_test_bot", chat=-100, chat_type="supergroup")
    await feed(transport, asked)
    menu = request.called("sendMessage")[-1].params
    # The bot answers her message: whom its buttons are for is the message it replies to.
    assert menu["reply_parameters"]["message_id"] == asked["message"]["message_id"]
    buttons = [b for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    here = next(b for b in buttons if "ici" in b["text"])
    shown = {
        "message_id": 91,
        "date": 1_790_000_000,
        "chat": {"id": -100, "type": "supergroup"},
        "from": {"id": transport.app.bot.id, "is_bot": True, "first_name": "formabot"},
        "text": menu["text"],
        "reply_markup": menu["reply_markup"],
        "reply_to_message": asked["message"],
    }
    before = len(request.calls)
    await feed(transport, press(here["callback_data"], question=shown, user=1002))
    calls = request.calls[before:]
    assert [c.method for c in calls] == ["answerCallbackQuery"]  # nothing in the group
    said = calls[0].params
    assert said["show_alert"] is True
    assert "ne sont que pour cette personne" in said["text"]
    assert "message privé" in said["text"] and "terminée" not in said["text"]
    async with db.sessions() as session:
        state = await session.scalar(select(ConversationState))
        assert state is not None and state.user_id == str(TRAINER_ID)
    # Her own tap is taken, as before.
    await feed(transport, press(here["callback_data"], question=shown))
    assert request.called("editMessageText")[-1].params["text"].endswith(here["text"])
    reply = request.called("sendMessage")[-1].params
    assert "arrivera ici" in reply["text"]
    assert reply["reply_parameters"]["message_id"] == asked["message"]["message_id"]


async def _choose_here(
    transport: TelegramTransport, request: RecordingRequest, chat: int, chat_type: str
) -> str:
    """Camille's /reglages in the group, then « 📍 Recevoir le récapitulatif ici »: what the
    bot said."""
    asked = message("/reglages@formabot_test_bot", chat=chat, chat_type=chat_type)
    await feed(transport, asked)
    menu = request.called("sendMessage")[-1].params
    buttons = [b for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    here = next(b for b in buttons if "ici" in b["text"])
    shown = {
        "message_id": 92,
        "date": 1_790_000_000,
        "chat": {"id": chat, "type": chat_type},
        "text": menu["text"],
        "reply_markup": menu["reply_markup"],
        "reply_to_message": asked["message"],
    }
    await feed(transport, press(here["callback_data"], question=shown))
    return str(request.called("sendMessage")[-1].params["text"])


async def _digest_chat(db: Database) -> str | None:
    async with db.sessions() as session:
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None
        return organisation.digest_chat


async def test_a_group_upgraded_to_a_supergroup_keeps_the_digest(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Explorer ID2: the group chosen for the digest became a supergroup (a new chat id);
    the digest went on to the dead chat, and /reglages there said « dans une autre
    discussion (un groupe) »."""
    transport, request = telegram
    said = await _choose_here(transport, request, -100, "group")
    assert "Si ce groupe devient un supergroupe, le récapitulatif le suit." in said
    assert "Si l'on me retire de ce groupe, il repart en message privé" in said
    assert await _digest_chat(db) == "telegram:-100"
    before = len(request.calls)
    upgraded = message("", chat=-100, chat_type="group", extra={"migrate_to_chat_id": -1000100})
    del upgraded["message"]["text"]
    arrived = message(
        "", chat=-1000100, chat_type="supergroup", extra={"migrate_from_chat_id": -100}
    )
    del arrived["message"]["text"]
    await feed(transport, upgraded)
    await feed(transport, arrived)
    assert len(request.calls) == before  # nothing said
    assert await _digest_chat(db) == "telegram:-1000100"
    await feed(
        transport,
        message("/reglages@formabot_test_bot", chat=-1000100, chat_type="supergroup"),
    )
    menu = request.called("sendMessage")[-1].params
    assert "à 8 h, dans cette discussion." in menu["text"]


async def test_a_send_to_a_group_become_a_supergroup_follows_it(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Explorer ID2: Telegram's « group chat was upgraded to a supergroup chat » was retried
    for a day, then the digest given up; now it goes to the new chat, which is kept."""
    transport, request = telegram
    await _choose_here(transport, request, -100, "group")
    request.migrated["-100"] = -1000100
    await transport.send("-100", Reply(text="Récapitulatif du jour"))
    sent = [c.params["chat_id"] for c in request.called("sendMessage")[-2:]]
    assert sent == [-100, -1000100]
    assert await _digest_chat(db) == "telegram:-1000100"


async def test_removed_from_the_digest_s_group_the_admins_get_it_in_private_and_are_told(
    telegram: tuple[TelegramTransport, RecordingRequest], db: Database
) -> None:
    """Explorer ID2: the bot no longer in the digest's group (403): every digest, and the
    « non remis » notice put in the next one, went on to a chat it cannot write to."""
    transport, request = telegram
    await _choose_here(transport, request, -100, "group")
    request.blocked_chats.add("-100")
    with pytest.raises(PermanentFailure):
        await transport.send("-100", Reply(text="Récapitulatif du jour"))
    assert await _digest_chat(db) is None
    async with db.sessions() as session:
        told = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.startswith("digest-chat-lost:"))
            )
        ).all()
    assert [(m.platform, m.chat_id) for m in told] == [("telegram", str(TRAINER_ID))]
    text = told[0].payload["text"]
    assert text.startswith("Je ne fais plus partie du groupe choisi pour le récapitulatif")
    assert "vous arrive désormais ici, en message privé" in text
