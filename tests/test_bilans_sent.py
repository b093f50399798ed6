"""What the bot sent for a bilan, read back from the outbox as /bilans lists it: sent
with the time, still going, refused with the reason in French; and the trainer's notice
when a message is given up."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.bilans.sent import sent_lines, tell_trainer_of_failure
from bot.messages import Reply
from bot.outbox import About, enqueue, queue_email
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.texts import plain
from tests.auxil.attestations import BILAN_START, add_bilan
from tests.auxil.matrix_welcome import invitation_waiting

PARIS = ZoneInfo("Europe/Paris")
SENT_AT = datetime(2026, 3, 3, 9, 2, tzinfo=UTC)  # 10 h 02 in Paris


async def test_each_message_is_listed_with_what_became_of_it(db: Database, demo: None) -> None:
    bilan_id = await add_bilan(
        db, start=BILAN_START, participants=(("partner", "M. Karim Haddad", "Mission locale"),)
    )
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        (karim,) = bilan.participants
        for key, what, participant in (
            ("a", "invited", karim.id),
            ("b", "moved", karim.id),
            ("c", "charge_de_mission", None),
            ("d", "attestation", karim.id),
        ):
            await queue_email(
                session,
                to="k.haddad@example.org" if participant else "sophie.leroy@example.org",
                subject="Objet",
                body="Texte",
                key=key,
                about=About(bilan_id=bilan_id, participant_id=participant, what=what),
            )
        await enqueue(
            session,
            key="e",
            platform="matrix",
            chat_id="@karim:example.org",
            reply=Reply(text="Le bilan est déplacé."),
            about=About(bilan_id=bilan_id, participant_id=karim.id, what="link"),
        )
        await enqueue(  # no "about": not a message of the bilan's list
            session, key="f", platform="console", chat_id="x", reply=Reply(text="…")
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key.in_(("a", "e")))
            .values(status="sent", sent_at=SENT_AT)
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == "b")
            .values(status="failed", last_error="SMTPRecipientsRefused")
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.key == "d")
            .values(status="failed", last_error="SMTPServerDisconnected")
        )
        formation = await session.get(Formation, bilan.formation_id)
        assert formation is not None
        lines = await sent_lines(session, bilan, formation, PARIS)

    assert [(x.what, x.name, x.where, x.status, x.reason) for x in lines] == [
        ("Invitation", "M. Karim Haddad", "k.haddad@example.org", "sent", ""),
        (
            "Invitation mise à jour (nouvelle date)",
            "M. Karim Haddad",
            "k.haddad@example.org",
            "failed",
            "adresse refusée",
        ),
        ("Invitation", "Mme Sophie Leroy", "sophie.leroy@example.org", "pending", ""),
        (
            "Lien d'attestation",
            "M. Karim Haddad",
            "k.haddad@example.org",
            "failed",
            "serveur de messagerie injoignable",
        ),
        ("Lien de la visio", "M. Karim Haddad", "sur Matrix", "sent", ""),
    ]
    assert lines[0].when == "3 mars à 10 h 02"
    assert lines[0].feminine and not lines[3].feminine

    # The Matrix chat opened for it, not joined yet: waiting, not « envoyé » (explorer AT3).
    async with db.sessions() as session, session.begin():
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.key == "e"))
        assert row is not None
        session.add(
            MatrixWelcome(
                account="@formabot:example.org",
                key="dm:e",
                room_id="!dm:example.org",
                invitee="@karim:example.org",
                payload=row.payload,
            )
        )
        await session.flush()
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None and formation is not None
        lines = await sent_lines(session, bilan, formation, PARIS)
    assert lines[-1].status == "unjoined"


async def test_a_message_given_up_is_told_to_the_trainer_once(db: Database, demo: None) -> None:
    bilan_id = await add_bilan(
        db, start=BILAN_START, participants=(("partner", "M. Karim Haddad", None),)
    )
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        await queue_email(
            session,
            to="k.haddad@example.org",
            subject="Objet",
            body="Texte",
            key="refused",
            about=About(bilan_id=bilan_id, participant_id=bilan.participants[0].id, what="link"),
        )
        await queue_email(session, to="x@example.org", subject="O", body="T", key="proofs:1")
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.key == "refused"))
        assert row is not None
        await tell_trainer_of_failure(session, row)  # still pending: nothing to say
        row.status, row.last_error = "failed", "SMTPRecipientsRefused"
        await tell_trainer_of_failure(session, row)
        await tell_trainer_of_failure(session, row)  # the same outcome twice: one notice
        notices = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("bilan:%:not-sent:%"))
            )
        ).all()
    (notice,) = notices
    assert notice.chat_id == "formateur" and notice.platform == "console"
    text = plain(notice.payload["text"])
    assert (
        "Le lien de la visio pour M. Karim Haddad (k.haddad@example.org) n'a pas pu être envoyé :"
        in text
    )
    assert "adresse refusée. Transmettez-le-lui vous-même" in text


async def test_a_matrix_chat_not_joined_is_waiting_as_the_outbox_really_sent_it(
    db: Database, demo: None
) -> None:
    """Explorer AJ4: the welcome kept by the transport carries the outbox key the outbox
    adds when sending; /bilans still finds it: « en attente », not « envoyée »."""
    bilan_id = await invitation_waiting(db, SENT_AT, "@sophie:example.org")
    async with db.sessions() as session:
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        formation = await session.get(Formation, bilan.formation_id)
        assert formation is not None
        (line,) = await sent_lines(session, bilan, formation, PARIS)
    assert (line.what, line.status) == ("Invitation", "unjoined")


async def test_a_matrix_chat_refused_is_said_not_received(db: Database, demo: None) -> None:
    """Explorer MG4: the chat the bot opened for her refused, the bot left it and the message
    will never reach her: « non parvenue », not « en attente » nor « envoyée »."""
    bilan_id = await invitation_waiting(db, SENT_AT, "@sophie:example.org")
    async with db.sessions() as session, session.begin():
        await session.execute(update(MatrixWelcome).values(status="declined"))
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        formation = await session.get(Formation, bilan.formation_id)
        assert formation is not None
        (line,) = await sent_lines(session, bilan, formation, PARIS)
    assert (line.what, line.status) == ("Invitation", "declined")


async def test_a_matrix_message_refused_says_the_person_left_the_chat(
    db: Database, demo: None
) -> None:
    """Explorer AJ5: « Invitation mise à jour … n'a pas pu être envoyée : la messagerie ne
    l'a pas accepté » (no article, no agreement, the reason known but not said)."""
    bilan_id = await add_bilan(
        db, start=BILAN_START, participants=(("partner", "M. Karim Haddad", None),)
    )
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        for key, error in (("left", "not in the room"), ("other", "M_UNKNOWN")):
            await enqueue(
                session,
                key=key,
                platform="matrix",
                chat_id="!dm:example.org",
                reply=Reply(text="Le bilan est déplacé."),
                about=About(
                    bilan_id=bilan_id, participant_id=bilan.participants[0].id, what="moved"
                ),
            )
            row = await session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
            assert row is not None
            row.status, row.last_error = "failed", error
            await tell_trainer_of_failure(session, row)
        notices = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.key.like("bilan:%:not-sent:%"))
                .order_by(OutboxMessage.id)
            )
        ).all()
    left, other = (plain(n.payload["text"]) for n in notices)
    assert (
        ": L'invitation mise à jour (nouvelle date) pour M. Karim Haddad (sur Matrix) n'a pas "
        "pu être envoyée : cette personne a quitté sa conversation avec moi. Transmettez-la-lui "
        "vous-même" in left
    )
    assert "n'a pas pu être envoyée : la messagerie ne l'a pas acceptée. Transmettez" in other
