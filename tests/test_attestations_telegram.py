"""The attestations through Telegram: the real transport and python-telegram-bot against
the loopback Bot API emulator, with two users.  The trainer schedules a bilan and
receives a deep link per delegate; a delegate opens it, attests with the buttons and
receives the PDF; the trainer is told (outbox), follows with /attestations and downloads
the ZIP, whose PDFs, manifest hashes and stored evidence are checked."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot import progress
from bot.config import Settings
from bot.outbox import Sender
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.db import Database
from bot.storage.progress import LongWork
from bot.transports.telegram import TelegramTransport
from tests.auxil.attestations import open_zip
from tests.auxil.dialogue import Clock
from tests.auxil.pdf import pdf_words
from tests.auxil.telegram_bot import (
    ask,
    click,
    document_after,
    latest_id,
    press_for_document,
    trainer_bot,
    wait_for,
)
from tests.auxil.telegram_emulator import BotMessage, TelegramEmulator, TelegramUser

pytestmark = pytest.mark.slow  # every test here talks to the node Telegram emulator

TOKEN = "987654:FORMABOT-attestations"
TRAINER_ID, DELEGATE_ID = 501, 502


@pytest.fixture
async def bot(
    emulator: TelegramEmulator, db: Database, settings: Settings, clock: Clock, demo: None
) -> AsyncIterator[TelegramTransport]:
    async with trainer_bot(
        emulator, db, settings, clock, token=TOKEN, user_id=TRAINER_ID
    ) as transport:
        yield transport


async def work_done(db: Database, *, timeout: float = 15) -> None:
    """Wait until the long work asked (started once the turn's replies are sent) is done."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await progress.wait_for_works()
        async with db.sessions() as session:
            left = await session.scalar(select(LongWork.id).where(LongWork.status != "done"))
            done = await session.scalar(select(LongWork.id).where(LongWork.status == "done"))
        if left is None and done is not None:
            return
        assert asyncio.get_running_loop().time() < deadline, "the long work did not end"
        await asyncio.sleep(0.05)


async def schedule_remote_bilan(camille: TelegramUser) -> BotMessage:
    """The trainer programs the remote final bilan (Thursday 14 h, the delegates invited);
    Léa Martin's invitation, with her personal link, is returned."""
    await ask(camille, "/bilan", "Pour quelle formation")
    await click(camille, "Agent de restauration", "Que voulez-vous faire")
    await click(camille, "Programmer le bilan de fin", "à distance (en visio)")
    await click(camille, "À distance", "Quand")
    await ask(camille, "jeudi 26 novembre à 14 h", "C'est bien ça")
    await click(camille, "Oui, c'est ça", "Combien de temps")
    await click(camille, "2 heures", "lien de la visio")
    await ask(camille, "https://visio.example.org/bilan", "mot de passe")
    await click(camille, "Oui", "prise de parole")
    await click(camille, "Oui", "figure dans l'invitation")
    await click(camille, "Non", "Qui participe")
    await click(camille, "Terminé", "partenaires")
    await click(camille, "Terminé", "Récapitulatif")
    before = await latest_id(camille)
    await camille.press_button("Programmer le bilan")
    return await wait_for(camille, before, "Bonjour Léa Martin")


async def test_a_delegate_attests_through_a_deep_link_and_the_trainer_gets_the_bundle(
    emulator: TelegramEmulator,
    bot: TelegramTransport,
    db: Database,
    clock: Clock,
) -> None:
    async with (
        emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille,
        emulator.user(TOKEN, user_id=DELEGATE_ID, first_name="Léa") as lea,
    ):
        invitation = await schedule_remote_bilan(camille)
        link = re.search(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)", invitation.body)
        assert link is not None and link[1] == bot.username
        code = link[2]
        assert f"/start {code}" in invitation.body
        # Read by the delegate it is forwarded to: her link to tap, no « lien joint ».
        assert f"Ou touchez ce lien : https://t.me/{bot.username}?start={code}" in invitation.body
        assert "lien joint" not in invitation.body

        # Thursday, after the bilan, the delegate opens the link she was forwarded.
        clock.advance(days=3, hours=7)
        await ask(lea, f"/start {code}", "nom complet")
        greeting = [m.body for m in await lea.bot_messages()]
        assert any("Camille Durand vous invite" in body for body in greeting)
        await ask(lea, "Léa Martin", "À quel titre")
        shown = await click(lea, "Je représente les stagiaires", "Moi, Léa Martin,")
        assert "atteste sur l'honneur avoir participé" in shown.body
        assert shown.button_texts == [
            "Je l'atteste sur l'honneur",
            "Je n'ai pas participé",
            "Corriger mon nom",
        ]
        copy_message = await press_for_document(lea, "Je l'atteste sur l'honneur")
        assert "Votre attestation est enregistrée" in copy_message.body  # the caption
        copy = await lea.download(copy_message)
        assert "Attestation sur l'honneur – Léa Martin" in pdf_words(copy)

        # The trainer hears of it (the outbox, as `formabot run` sends it).
        before = await latest_id(camille)
        assert await Sender(db.sessions, {"telegram": bot.send}).run_once() >= 1
        await wait_for(camille, before, "Léa Martin a attesté sur l'honneur")

        status = await ask(camille, "/attestations", "Dossier de preuves")
        assert "✅ Léa Martin" in status.body and "⏳ Hugo Moreau" in status.body
        before = await latest_id(camille)
        await camille.press_button("Recevoir le dossier de preuves (ZIP)")
        # Said at once; the ZIP is built after the turn and comes through the outbox.
        await wait_for(camille, before, "Je prépare le dossier de preuves")
        assert not [m for m in await camille.bot_messages() if m.message_id > before and m.document]
        await work_done(db)
        assert await Sender(db.sessions, {"telegram": bot.send}).run_once() == 1
        zipped_message = await document_after(camille, before)
        assert zipped_message.document is not None
        assert zipped_message.document["file_name"].endswith(".zip")
        assert "Voici le dossier de preuves" in zipped_message.body
        zipped = await camille.download(zipped_message)

    files, manifest = open_zip(zipped)
    for entry in manifest["fichiers"]:
        assert hashlib.sha256(files[entry["nom"]]).hexdigest() == entry["sha256"]
    assert files["attestation-01-lea-martin.pdf"] == copy
    assert manifest["complet"] is False and manifest["manquants"] == ["Hugo Moreau"]
    async with db.sessions() as session:
        answer = await session.scalar(select(Attestation))
        assert answer is not None
        assert (answer.platform, answer.chat_user_id, answer.chat_id) == (
            "telegram",
            str(DELEGATE_ID),
            str(DELEGATE_ID),
        )
        assert answer.pdf == copy
        assert answer.text in shown.body
        invitation_row = await session.get(AttestationInvitation, answer.invitation_id)
        assert invitation_row is not None and invitation_row.redeemed_user_id == str(DELEGATE_ID)
    entry = {p["nom"]: p for p in manifest["participants"]}["Léa Martin"]["réponse"]
    assert (
        entry["texte_sha256"]
        == answer.text_sha256
        == hashlib.sha256(files["attestation-01-lea-martin.txt"]).hexdigest()
    )
    assert entry["messagerie"] == "telegram" and entry["compte"] == str(DELEGATE_ID)
    assert "Moi, Léa Martin," in pdf_words(files["attestation-01-lea-martin.pdf"])


async def test_a_turn_longer_than_a_moment_shows_typing_in_the_chat(
    emulator: TelegramEmulator,
    bot: TelegramTransport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The transport's "typing" (bot.progress.while_slow): here every turn counts as slow."""
    monkeypatch.setattr(progress, "TYPING_AFTER", 0.0)
    async with emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille:
        state = await emulator.bot_state(TOKEN)
        assert state["chat_actions"] == []
        await ask(camille, "/attestations", "Aucun bilan")
        state = await emulator.bot_state(TOKEN)
    assert {"chat_id": TRAINER_ID, "action": "typing"} in [
        {k: a[k] for k in ("chat_id", "action")} for a in state["chat_actions"]
    ]


async def test_on_telegram_a_relance_keeps_the_link_and_a_replaced_one_says_so(
    emulator: TelegramEmulator, bot: TelegramTransport
) -> None:
    """Issue 12, item 5, through the real transport: "Inviter ou relancer" shows the same
    link again; "Nouveau lien" replaces it, and the old one answers in French."""
    async with (
        emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as camille,
        emulator.user(TOKEN, user_id=DELEGATE_ID, first_name="Léa") as lea,
    ):
        first = await schedule_remote_bilan(camille)
        code = re.search(r"\?start=([A-Za-z0-9_-]+)", first.body)
        assert code is not None

        await ask(camille, "/attestations", "Bilan de fin de formation")
        again = await click(camille, "Inviter ou relancer", "Bonjour Léa Martin")
        assert f"?start={code[1]}" in again.body  # the same link, not a new one

        await ask(camille, "/attestations", "Bilan de fin de formation")
        await click(camille, "Nouveau lien pour un participant", "")
        renewed = await click(camille, "Léa Martin", "Bonjour Léa Martin")
        fresh = re.search(r"\?start=([A-Za-z0-9_-]+)", renewed.body)
        assert fresh is not None and fresh[1] != code[1]

        said = await ask(lea, f"/start {code[1]}", "remplacé")
        assert (
            "Ce lien a été remplacé par un nouveau : "
            "demandez-le à la personne qui vous a transmis celui-ci." in said.body
        )
