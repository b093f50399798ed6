"""The bot e-mails a bilan's invitation, its updates and its cancellation itself, through
the outbox's e-mail channel and a real SMTP server on loopback (aiosmtpd): the tests read
what the server received (subject, body, the .ics parsed with icalendar), what the trainer
is asked to forward (only what the bot could not send), and /bilans listing what was sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import FEATURES, build_engine
from bot.bilans.changes import move_bilan
from bot.bilans.notify import Reach
from bot.bilans.view import BilanView
from bot.config import Settings
from bot.deadlines.documents import invitation_document
from bot.formations.queries import Member
from bot.mailer import Mailer
from bot.messages import Document
from bot.outbox import CLAIM_TIMEOUT, Sender
from bot.storage.base import utcnow
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from bot.storage.formations import Trainee
from bot.storage.outbox import OutboxMessage
from bot.texts import plain
from bot.transports.matrix import MatrixTransport
from tests.auxil.attestations import BILAN_START, add_bilan, schedule_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.matrix_people import MatrixPerson
from tests.auxil.smtp import (
    SENDER,
    Received,
    SmtpServer,
    free_port,
    mailing_bot_settings,
    send_emails,
)
from tests.auxil.synapse import Synapse
from tests.auxil.telegram_bot import latest_id, trainer_bot
from tests.auxil.telegram_emulator import TelegramEmulator

ADMIN = Member(organisation_id=1, person_id=1, admin=True)

STEPS = [
    "/bilan",
    "Agent de restauration",
    "Programmer le bilan de fin",
    "À distance",
    "jeudi 26 novembre à 14 h",
    "Oui, c'est ça",
    "2 heures",
    "https://visio.example.org/bilan",
    "Oui",
    "Oui",
    "Non",
    "Terminé",
    "Ajouter un partenaire",
    "M. Karim Haddad",
    "Mission locale de Caen",
    "k.haddad@example.org",
    "Ajouter un partenaire",
    "Mme Lina Costa",
    "Passer",
    "Passer",
    "Terminé",
    "Programmer le bilan",
]


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    return mailing_bot_settings(tmp_path, smtp)


async def schedule(trainer: Person) -> None:
    for line in STEPS:
        await trainer.says(line)
    assert "C'est programmé" in trainer.all_text, trainer.all_text


def to(smtp: SmtpServer, address: str) -> list[Received]:
    return [r for r in smtp.received if r.rcpt_tos == [address]]


def body(received: Received) -> str:
    part = received.message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def calendar_of(received: Received) -> tuple[str, dict[str, object]]:
    (ics,) = [a for a in received.message.iter_attachments() if a.get_filename().endswith(".ics")]
    assert ics.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(ics.get_payload(decode=True))
    (event,) = calendar.events
    return str(calendar["METHOD"]), {
        "uid": str(event["UID"]),
        "sequence": int(event["SEQUENCE"]),
        "start": event.decoded("DTSTART"),
    }


async def test_the_invitation_goes_by_e_mail_and_only_the_rest_is_left_to_forward(
    trainer: Person, db: Database, settings: Settings, clock: Clock, smtp: SmtpServer
) -> None:
    await schedule(trainer)
    text = trainer.all_text
    assert "J'envoie moi-même l'invitation (.ics) à : M. Karim Haddad." in text
    assert "J'envoie moi-même le lien personnel par e-mail à M. Karim Haddad" in text
    assert "J'envoie moi-même le message et l'invitation par e-mail à Mme Sophie Leroy" in text
    captions = [r.document.caption for r in trainer.replies if r.document is not None]
    (ics_caption,) = [c for c in captions if c.startswith("Invitation")]
    # Lina Costa gave a chat handle the bot cannot write to; the delegates no address.
    assert "Karim" not in ics_caption
    assert "Mme Lina Costa" in ics_caption and "Hugo Moreau" in ics_caption
    assert "Je n'envoie pas d'e-mails" not in text
    assert smtp.received == []  # nothing inside the conversation's transaction

    assert await send_emails(db, settings) == 3
    attestation, invitation = sorted(
        to(smtp, "k.haddad@example.org"), key=lambda r: str(r.message["Subject"])
    )
    assert invitation.mail_from == SENDER
    assert str(invitation.message["Subject"]) == (
        "Invitation – bilan de fin de formation « Agent de restauration (démo) »"
        " – jeudi 26 novembre 2026 à 14 h 00"
    )
    words = body(invitation)
    assert words.startswith("Bonjour Monsieur,")
    assert "Lien de connexion : https://visio.example.org/bilan" in words
    method, event = calendar_of(invitation)
    assert method == "PUBLISH" and event["sequence"] == 0
    uid = event["uid"]

    assert str(attestation.message["Subject"]).startswith("Attestation sur l'honneur")
    link = body(attestation)
    assert "il a lieu le jeudi 26 novembre 2026" in link  # before the bilan: its date,
    assert "confirm" not in link.lower()  # and nothing to confirm yet
    assert "https://t.me/formabot_demo_bot?start=" in link
    code = link.split("?start=", 1)[1].split()[0]
    assert f"Votre code personnel : {code}" in link

    (charge,) = to(smtp, "sophie.leroy@example.org")
    assert str(charge.message["Subject"]).startswith("Bilan de fin de formation à distance")
    assert body(charge).startswith("Bonjour Madame,")
    names = sorted(a.get_filename() for a in charge.message.iter_attachments())
    assert [n.rsplit(".", 1)[1] for n in names] == ["ics", "pdf"]

    # The same rows sent twice is still one e-mail each (exactly once).
    assert await send_emails(db, settings) == 0
    assert len(smtp.received) == 3

    # Moved: same UID, SEQUENCE 1, to the same people, and nothing to forward to Karim.
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    listing = plain(trainer.last)
    assert "Invitation envoyée à M. Karim Haddad (k.haddad@example.org) le " in listing
    assert "Lien d'attestation envoyé à M. Karim Haddad (k.haddad@example.org)" in listing
    assert "Invitation envoyée à Mme Sophie Leroy (sophie.leroy@example.org)" in listing
    await trainer.presses("Déplacer")
    await trainer.says("vendredi 27 novembre à 10 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    moved = trainer.all_text
    assert "1 participant prévenu par message ou par e-mail" in moved
    assert (
        "Prévenez vous-même (je ne peux leur écrire ni dans une conversation ni par e-mail)"
        in moved
    )
    assert "Karim" not in moved.split("Prévenez vous-même", 1)[1].split("\n", 1)[0]
    await send_emails(db, settings)
    update_mail = to(smtp, "k.haddad@example.org")[-1]
    assert str(update_mail.message["Subject"]).startswith("Nouvelle date")
    method, event = calendar_of(update_mail)
    assert (method, event["uid"], event["sequence"]) == ("PUBLISH", uid, 1)

    # Cancelled: METHOD:CANCEL, same UID, SEQUENCE 2, the chargée de mission told too.
    await trainer.says("/bilans")
    await trainer.presses("27/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    assert "J'envoie moi-même l'annulation par e-mail à Mme Sophie Leroy" in trainer.all_text
    await send_emails(db, settings)
    cancel = to(smtp, "k.haddad@example.org")[-1]
    assert str(cancel.message["Subject"]).startswith("Annulation")
    method, event = calendar_of(cancel)
    assert (method, event["uid"], event["sequence"]) == ("CANCEL", uid, 2)
    cancelled = to(smtp, "sophie.leroy@example.org")[-1]
    method, _ = calendar_of(cancelled)
    assert method == "CANCEL"
    words = next(
        part.get_content()
        for part in cancelled.message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert words.count("Bonjour Madame,") == 1  # greeted once (explorer DC10)


async def test_a_bilan_moved_before_its_invitations_left_sends_only_the_new_date(
    trainer: Person, db: Database, settings: Settings, clock: Clock, smtp: SmtpServer
) -> None:
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Déplacer")
    await trainer.says("vendredi 27 novembre à 10 h")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")

    assert await send_emails(db, settings) == 3  # the invitations of the old date dropped
    _attestation, invitation = sorted(
        to(smtp, "k.haddad@example.org"), key=lambda r: str(r.message["Subject"])
    )
    # He had heard of no date yet: an invitation, not « Nouvelle date ».
    assert str(invitation.message["Subject"]) == (
        "Invitation – bilan de fin de formation « Agent de restauration (démo) »"
        " – vendredi 27 novembre 2026 à 10 h 00"
    )
    method, event = calendar_of(invitation)
    assert (method, event["sequence"]) == ("PUBLISH", 1)
    (charge,) = to(smtp, "sophie.leroy@example.org")
    assert "vendredi 27 novembre 2026" in str(charge.message["Subject"])
    async with db.sessions() as session:
        dropped = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.status == "cancelled"))
        ).all()
    assert sorted(r.about or "" for r in dropped) == ["charge_de_mission", "invited"]
    assert all(a["content"] == "" for r in dropped for a in r.payload["attachments"])

    await trainer.says("/bilans")
    await trainer.presses("27/11/2026")
    listing = plain(trainer.last)
    assert listing.count("Invitation envoyée à M. Karim Haddad (k.haddad@example.org)") == 1
    assert listing.count("Mme Sophie Leroy (sophie.leroy@example.org)") == 1


async def test_a_refused_address_is_said_in_the_bilan_view(
    trainer: Person, db: Database, settings: Settings, clock: Clock, smtp: SmtpServer
) -> None:
    smtp.recorder.refuse_recipients = True
    await schedule(trainer)
    await send_emails(db, settings)
    assert smtp.received == []
    async with db.sessions() as session:
        errors = set((await session.scalars(select(OutboxMessage.last_error))).all())
    assert errors == {"SMTPRecipientsRefused", None}  # None: the notices to the trainer
    async with db.sessions() as session:
        notices = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("bilan:%:not-sent:%"))
            )
        ).all()
    texts = sorted(plain(n.payload["text"]) for n in notices)
    assert all(n.chat_id == "formateur" for n in notices) and len(texts) == 3
    assert (
        "Le bilan de fin de formation d'« Agent de restauration (démo) », le jeudi 26 novembre"
        " 2026 à 14 h 00 : L'invitation pour M. Karim Haddad (k.haddad@example.org) n'a pas pu"
        " être envoyée : adresse refusée. Transmettez-la-lui vous-même"
    ) in "\n".join(texts)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert (
        "Invitation pour M. Karim Haddad (k.haddad@example.org) : n'a pas pu être envoyée : "
        "adresse refusée ; transmettez-la-lui vous-même"
    ) in plain(trainer.last)


async def test_a_server_down_is_retried_until_it_is_back(
    trainer: Person, db: Database, settings: Settings, clock: Clock, smtp: SmtpServer
) -> None:
    await schedule(trainer)
    down = replace(settings, smtp_port=free_port())
    assert await send_emails(db, down, clock=clock) == 0
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert "Invitation pour M. Karim Haddad (k.haddad@example.org) : en cours d'envoi" in plain(
        trainer.last
    )
    assert await send_emails(db, settings, clock=clock) == 0  # the backoff (5 s) is not over
    assert await send_emails(db, settings, timedelta(seconds=6), clock) == 3
    assert len(smtp.received) == 3
    async with db.sessions() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.platform == "email"))
        ).all()
    assert {(r.status, r.attempts) for r in rows} == {("sent", 2)}
    # Once sent, the files' content is not kept (the .ics names the participants).
    assert all(a["content"] == "" for r in rows for a in r.payload["attachments"])
    assert any(a["filename"].endswith(".ics") for r in rows for a in r.payload["attachments"])


async def test_a_process_killed_after_the_commit_sends_once_when_back(
    trainer: Person, db: Database, settings: Settings, clock: Clock, smtp: SmtpServer
) -> None:
    await schedule(trainer)
    # A process claimed the rows, then died before SMTP answered.
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.platform == "email")
            .values(status="sending", claimed_by="dead:1", claimed_at=utcnow())
        )
    assert await send_emails(db, settings) == 0  # still theirs
    after = CLAIM_TIMEOUT + timedelta(seconds=1)
    assert await send_emails(db, settings, after) == 3
    assert await send_emails(db, settings, after) == 0
    assert len(smtp.received) == 3
    ids = {str(r.message["Message-ID"]) for r in smtp.received}
    assert len(ids) == 3


async def test_without_smtp_the_trainer_forwards_as_before_told_once(
    trainer: Person, db: Database, settings: Settings
) -> None:
    trainer.engine.settings = replace(settings, smtp_host="", smtp_from="")
    await schedule(trainer)
    text = trainer.all_text
    assert "J'envoie moi-même" not in text
    captions = [r.document.caption for r in trainer.replies if r.document is not None]
    (ics_caption,) = [c for c in captions if c.startswith("Invitation")]
    assert "M. Karim Haddad" in ics_caption and "Mme Lina Costa" in ics_caption
    assert sum(c.count("Je n'envoie pas d'e-mails") for c in [text, *captions]) == 1
    assert any("Message pour Mme Sophie Leroy" in c for c in captions)
    async with db.sessions() as session:
        emails = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.platform == "email"))
        ).all()
    assert emails == []


# --- the trainer on Telegram (the loopback Bot API emulator) ------------------------------

TOKEN = "987654:FORMABOT-mail"
TRAINER_ID = 601


@pytest.mark.slow
async def test_on_telegram_the_trainer_forwards_only_what_the_bot_could_not_send(
    emulator: TelegramEmulator,
    db: Database,
    settings: Settings,
    clock: Clock,
    demo: None,
    smtp: SmtpServer,
) -> None:
    async with (
        trainer_bot(emulator, db, settings, clock, token=TOKEN, user_id=TRAINER_ID) as bot,
        emulator.user(TOKEN, user_id=TRAINER_ID, first_name="Camille") as user,
    ):
        for line in STEPS[:-1]:
            before = await latest_id(user)
            if line.startswith("/") or line not in (
                "Agent de restauration",
                "Programmer le bilan de fin",
                "À distance",
                "Oui, c'est ça",
                "2 heures",
                "Oui",
                "Non",
                "Terminé",
                "Ajouter un partenaire",
                "Passer",
            ):
                await (user.send_command(line) if line.startswith("/") else user.send_message(line))
            else:
                await user.press_button(line)
            await user.wait_until(
                lambda ms, b=before: any(m.message_id > b for m in ms), 15, what=line
            )
        before = max(m.message_id for m in await user.bot_messages())
        await user.press_button("Programmer le bilan")
        await user.wait_until(
            lambda ms: any(
                m.message_id > before and "J'envoie moi-même le message" in m.body for m in ms
            ),
            20,
            what="the chargée de mission e-mailed",
        )
        shown = [m for m in await user.bot_messages() if m.message_id > before]
        bodies = "\n".join(m.body for m in shown)
        assert "J'envoie moi-même l'invitation (.ics) à : M. Karim Haddad." in bodies
        (ics,) = [m for m in shown if m.document and m.document["file_name"].endswith(".ics")]
        assert "transmettre à : " in ics.body and "Mme Lina Costa" in ics.body
        assert "Karim" not in ics.body

        # The address is refused: the trainer hears of it on Telegram, once.
        smtp.recorder.refuse_recipients = True
        sender = Sender(
            db.sessions,
            {"telegram": bot.send},
            mailer=Mailer(bot.settings).send,
            after=FEATURES.delivered,
        )
        await sender.run_once()
        await sender.run_once()
        notices = await user.wait_until(
            lambda ms: sum("n'a pas pu être envoy" in m.body for m in ms) >= 3,
            20,
            what="the notices of the refused e-mails",
        )
        refused = [m.body for m in notices if "n'a pas pu être envoy" in m.body]
        assert any(
            "L'invitation pour M. Karim Haddad (k.haddad@example.org) n'a pas pu être envoyée"
            " : adresse refusée" in body
            for body in refused
        )
        assert len(refused) == 3


# --- a participant known by their Matrix ID (a real Synapse) ----------------------------


@pytest.mark.slow
async def test_on_matrix_the_bot_opens_the_direct_chat_itself(
    synapse: Synapse, db: Database, settings: Settings, demo: None, tmp_path: Path
) -> None:
    account = synapse.register(synapse.unique("formabot"))
    configured = replace(
        settings,
        matrix_homeserver=synapse.url,
        matrix_user_id=account.user_id,
        matrix_password=account.password,
        matrix_messages_per_second=50,
    )
    bot = MatrixTransport(configured, build_engine(db, configured), sync_timeout_ms=5000)
    await bot.start()
    try:
        async with MatrixPerson.joining(synapse, tmp_path, "karim") as karim:
            bilan_id = await add_bilan(
                db, start=BILAN_START, participants=(("partner", "M. Karim Haddad", None),)
            )
            async with db.sessions() as session, session.begin():
                bilan = await session.get(Bilan, bilan_id)
                assert bilan is not None
                bilan.participants[0].contact = karim.user_id
            reach = Reach(chat_of=nobody, email=False, matrix=True, calendar=calendar)
            async with db.sessions() as session, session.begin():
                moved = await move_bilan(
                    session,
                    ADMIN,
                    utcnow(),
                    bilan_id,
                    BILAN_START + timedelta(days=1),
                    chat_of=reach,
                )
                assert moved is not None
                assert (moved.reached, moved.unreachable) == (1, [])
            assert await Sender(db.sessions, {"matrix": bot.send}).run_once() == 1
            await karim.wait(lambda: bool(karim.client.rooms), what="the direct chat")
            (room,) = list(karim.client.rooms)
            seen = await karim.reply_after(room, 0, "est déplacé")
            assert seen.decrypted and "il aura lieu le vendredi 27 novembre 2026" in seen.body
            # The chat says who writes and why, no one's name but the trainer's (explorer DC2).
            joined = karim.client.rooms[room]
            assert (joined.name, joined.topic) == (
                "formabot – Organisme de démonstration",
                "Organisme de démonstration (Camille Durand) : bilan d'étape du vendredi "
                "27 novembre 2026",
            )
            # The agenda's file with it, as the chargée de mission gets it (explorer DC13).
            await karim.wait(
                lambda: any(m.is_file and m.body.endswith(".ics") for m in karim.in_room(room)),
                what="the .ics",
            )
    finally:
        await bot.stop()


async def nobody(session: AsyncSession, participant: BilanParticipant) -> tuple[str, str] | None:
    return None


def calendar(view: BilanView, cancelled: bool) -> Document:
    return invitation_document(view, stamp=utcnow(), caption="", cancelled=cancelled)


async def test_a_trainee_whose_e_mail_came_with_the_list_gets_the_link_by_e_mail(
    trainer: Person, db: Database, settings: Settings, smtp: SmtpServer
) -> None:
    """An imported list gives trainees an e-mail: the delegate is not left to the trainer."""
    async with db.sessions() as session, session.begin():
        lea = await session.scalar(select(Trainee).where(Trainee.full_name == "Léa Martin"))
        assert lea is not None
        lea.email = "lea.martin@example.org"
    await schedule(trainer)
    assert "J'envoie moi-même le lien personnel par e-mail à" in trainer.all_text
    invites = [r for r in trainer.replies if r.extras.get("invite_code")]
    assert all("Léa Martin" not in r.text for r in invites)  # nothing to forward for her
    await send_emails(db, settings)
    (mail,) = [
        m for m in to(smtp, "lea.martin@example.org") if "Attestation" in str(m.message["Subject"])
    ]
    assert "https://t.me/formabot_demo_bot?start=" in body(mail)


async def test_one_person_to_tell_by_hand_is_spoken_of_in_the_singular(trainer: Person) -> None:
    """Explorer DB2, DC9: « je ne peux leur écrire … Transmettez-leur … leur agenda » for one."""
    await schedule_bilan(trainer, untick=("Hugo Moreau",))
    for step in ("/bilans", "26/11/2026", "Déplacer", "vendredi 27 novembre à 10 h"):
        await (trainer.says(step) if step.startswith(("/", "vendredi")) else trainer.presses(step))
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    assert (
        "Prévenez vous-même (je ne peux lui écrire ni dans une conversation ni par e-mail) : "
        "Léa Martin. Transmettez-lui l'invitation mise à jour ci-jointe : son agenda remplacera "
        "l'ancienne date."
    ) in trainer.all_text
    await trainer.says("/bilans")
    await trainer.presses("27/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    cancelled = trainer.all_text
    assert "je ne peux lui écrire" in cancelled and "Transmettez-lui l'annulation" in cancelled
