"""bot.attestations.reminders on its own: "Inviter ou relancer" changes no link (the same one
is given again, sealed), reminds in their chat those who talk to the bot, audits each
relance; before the bilan a participant reads its date and is asked nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attestations import invitations, reminders, service
from bot.attestations.service import Author, Chat
from bot.bilans.view import BilanView
from bot.invitations import code_hash
from bot.messages import ROOM_NAME, ROOM_TOPIC, Document
from bot.outbox_payload import payload_to_mail
from bot.privacy.replies import Sealer
from bot.storage.attestations import AttestationInvitation
from bot.storage.audit import AuditEntry
from bot.storage.bilans import BilanParticipant
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.attestations import BILAN_END, BILAN_START, add_bilan, demo_author
from tests.auxil.dialogue import Clock

LEA = Chat("console", "lea", "lea")
TWO = (("delegate", "Léa Martin", None), ("delegate", "Hugo Moreau", None))


async def info_of(session: AsyncSession, bilan_id: int) -> BilanView:
    info = await service.view_of(session, bilan_id)
    assert info is not None
    return info


async def audited(session: AsyncSession, action: str) -> list[AuditEntry]:
    return list(
        (await session.scalars(select(AuditEntry).where(AuditEntry.action == action))).all()
    )


async def test_relancer_gives_the_same_link_and_reminds_who_talks(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    sealer = Sealer(tmp_path)
    bilan_id = await add_bilan(db, start=BILAN_START, participants=TWO)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        done = await reminders.invite_or_remind(
            session, info, author=author, now=clock.now, event="c:1", only_new=True, sealer=sealer
        )
        assert [f.participant.name for f in done.fresh] == ["Léa Martin", "Hugo Moreau"]
        lea_code, hugo_code = (f.code for f in done.fresh)
        assert await invitations.redeem(session, lea_code, chat=LEA, author=Author(), now=clock.now)
        relance = await reminders.invite_or_remind(
            session, info, author=author, now=clock.now, event="c:3", sealer=sealer
        )
        assert relance.fresh == [] and relance.lost == []
        assert [(f.participant.name, f.code) for f in relance.again] == [("Hugo Moreau", hugo_code)]
        assert relance.reminded == ["Léa Martin"]
        rows = (await session.scalars(select(AttestationInvitation))).all()
        assert len(rows) == 2 and all(r.revoked_at is None for r in rows)
        assert {r.code_hash for r in rows} == {code_hash(lea_code), code_hash(hugo_code)}
        for row in rows:  # sealed, never in clear
            assert row.code_sealed and lea_code not in row.code_sealed
            assert hugo_code not in row.code_sealed
        [reminder] = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("attestation:remind:%"))
            )
        ).all()
        assert (reminder.platform, reminder.chat_id) == ("console", "lea")
        assert reminder.key.endswith(":c:3")
        assert len(await audited(session, "invite")) == 2
        assert sorted(e.details["how"] for e in await audited(session, "remind")) == [
            "chat",
            "link",
        ]


async def test_a_link_that_cannot_be_unsealed_is_reported_never_replaced(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        before, _ = await invitations.issue(  # as before 0022_relances: no sealed code
            session, info, info.bilan.participants[0], by=None, now=clock.now
        )
        other_key = Sealer(tmp_path / "elsewhere")
        (tmp_path / "elsewhere").mkdir()
        for sealer in (Sealer(tmp_path), other_key):
            done = await reminders.invite_or_remind(
                session, info, author=author, now=clock.now, event="c:1", sealer=sealer
            )
            assert done.lost == ["Léa Martin"] and done.fresh == done.again == []
        rows = (await session.scalars(select(AttestationInvitation))).all()
        assert [r.id for r in rows] == [before.id] and before.revoked_at is None


async def test_an_expired_unopened_link_gets_a_first_link_again(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        old, _ = await invitations.issue(
            session, info, info.bilan.participants[0], by=None, now=clock.now
        )
        later = BILAN_END + timedelta(days=60)
        done = await reminders.invite_or_remind(
            session, info, author=author, now=later, event="c:1", sealer=Sealer(tmp_path)
        )
        assert [f.participant.name for f in done.fresh] == ["Léa Martin"]
        assert old.revoked_at is not None


async def test_before_the_bilan_a_reminder_gives_the_date_and_asks_nothing(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    sealer = Sealer(tmp_path)
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        _, code = await invitations.issue(
            session, info, info.bilan.participants[0], by=None, now=clock.now, sealer=sealer
        )
        assert await invitations.redeem(session, code, chat=LEA, author=Author(), now=clock.now)
        during = BILAN_START + (BILAN_END - BILAN_START) / 2
        for event, now in (("c:before", clock.now), ("c:during", during), ("c:after", BILAN_END)):
            await reminders.invite_or_remind(
                session, info, author=author, now=now, event=event, sealer=sealer
            )
        texts = {
            m.key.rsplit(":", 1)[1]: m.payload["text"]
            for m in await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("attestation:remind:%"))
            )
        }
    # Its end too: a délégué(e) or a partner at work asks for the time off (explorer GE9).
    assert (
        "Le bilan a lieu le <b>jeudi 26 novembre 2026</b> de 14 h 00 à 16 h 00" in texts["before"]
    )
    assert "confirmer" not in texts["before"] and "approche" in texts["before"]
    # While it runs, it has begun (explorer H H6: « approche », twenty minutes in).
    assert "approche" not in texts["during"] and "a commencé." in texts["during"]
    assert "Le bilan a commencé le <b>jeudi 26 novembre 2026</b> à 14 h 00" in texts["during"]
    assert "merci de confirmer votre participation" in texts["after"]
    assert "Le bilan a lieu" not in texts["after"]


async def test_a_participant_on_matrix_gets_the_same_link_from_the_bot_at_each_relance(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    sealer = Sealer(tmp_path)
    bilan_id = await add_bilan(db, start=BILAN_START, participants=TWO)
    async with db.sessions() as session, session.begin():
        lea = await session.scalar(
            select(BilanParticipant).where(
                BilanParticipant.bilan_id == bilan_id, BilanParticipant.name == "Léa Martin"
            )
        )
        assert lea is not None
        lea.contact = "@lea.martin:tchap.example"
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        first = await reminders.invite_or_remind(
            session, info, author=author, now=clock.now, event="c:1", on_matrix=True, sealer=sealer
        )
        assert first.on_matrix == ["Léa Martin"]
        assert [f.participant.name for f in first.fresh] == ["Hugo Moreau"]
        again = await reminders.invite_or_remind(
            session, info, author=author, now=clock.now, event="c:2", on_matrix=True, sealer=sealer
        )
        # The same link again, said a relance to both (explorer GB3).
        assert again.on_matrix_again == ["Léa Martin"] and again.fresh == again.on_matrix == []
        sent = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.key.like("attestation:invite:%"))
                .order_by(OutboxMessage.id)
            )
        ).all()
        live = await session.scalar(
            select(AttestationInvitation).where(
                AttestationInvitation.participant_id == lea.id,
                AttestationInvitation.revoked_at.is_(None),
            )
        )
        assert live is not None
        assert [m.key for m in sent] == [
            f"attestation:invite:{live.id}:matrix",
            f"attestation:invite:{live.id}:matrix:c:2",
        ]
        for message in sent:
            assert (message.platform, message.chat_id) == ("matrix", "@lea.martin:tchap.example")
            text = message.payload["text"]
            code = text.split("/start ", 1)[1].split("<", 1)[0].strip()
            assert live.code_hash == code_hash(code)  # the live link, the same both times
            assert "Le bilan a lieu le" in text and "confirmer" not in text
        relance = "Je vous renvoie votre invitation, restée sans réponse : le lien est le même."
        assert [relance in m.payload["text"] for m in sent] == [False, True]


async def test_the_chat_opened_for_the_link_names_the_organisation_and_the_bilan_not_her(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    """Explorer DC2: the Matrix invitation arrived bare; its room now says who writes and why
    (the bilan to come, then the attestation once it is over), and never the trainee's name."""
    bilan_id = await add_bilan(db, start=BILAN_START, participants=TWO)
    async with db.sessions() as session, session.begin():
        lea = await session.scalar(
            select(BilanParticipant).where(
                BilanParticipant.bilan_id == bilan_id, BilanParticipant.name == "Léa Martin"
            )
        )
        assert lea is not None
        lea.contact = "@lea.martin:tchap.example"
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        for event, now in (("c:1", clock.now), ("c:2", BILAN_END + timedelta(hours=1))):
            await reminders.invite_or_remind(
                session,
                info,
                author=author,
                now=now,
                event=event,
                on_matrix=True,
                sealer=Sealer(tmp_path),
            )
        sent = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.key.like("attestation:invite:%"))
                .order_by(OutboxMessage.id)
            )
        ).all()
    topics = [m.payload["extras"][ROOM_TOPIC] for m in sent]
    assert topics == [
        "Organisme de démonstration (Camille Durand) : invitation au bilan d'étape du jeudi "
        "26 novembre 2026",
        "Organisme de démonstration (Camille Durand) : attestation de participation au bilan "
        "d'étape du jeudi 26 novembre 2026",
    ]
    assert {m.payload["extras"][ROOM_NAME] for m in sent} == {
        "formabot – Organisme de démonstration"
    }
    assert not any("Léa" in str(m.payload["extras"]) for m in sent)


async def test_the_matrix_invitation_brings_the_ics_before_the_bilan_and_not_after(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    """Explorer DB4: the chat the bot opens is the participant's only invitation; once the
    bilan is over, what it asks is the attestation, with no agenda file."""
    bilan_id = await add_bilan(db, start=BILAN_START, participants=TWO)
    calendar = Document("bilan.ics", "text/calendar", b"BEGIN:VCALENDAR")
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(BilanParticipant)
            .where(BilanParticipant.name == "Léa Martin")
            .values(contact="@lea.martin:tchap.example")
        )
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        for event, now in (("c:1", clock.now), ("c:2", BILAN_END + timedelta(hours=1))):
            await reminders.invite_or_remind(
                session,
                info,
                author=author,
                now=now,
                event=event,
                on_matrix=True,
                sealer=Sealer(tmp_path),
                calendar=calendar,
            )
        sent = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.chat_id == "@lea.martin:tchap.example")
                .order_by(OutboxMessage.id)
            )
        ).all()
    assert [m.payload.get("document", {}).get("filename") for m in sent] == ["bilan.ics", None]


async def test_a_relance_by_e_mail_sends_the_same_link_again_as_a_reminder(
    db: Database, demo: None, clock: Clock, tmp_path: Path
) -> None:
    """SMTP configured and the participant's contact an address: the bot e-mails the link
    itself; the relance is its own e-mail (another key) with the very same code."""
    sealer = Sealer(tmp_path)
    links = reminders.Links(telegram="formabot_demo_bot")
    bilan_id = await add_bilan(db, start=BILAN_START, participants=TWO)
    async with db.sessions() as session, session.begin():
        hugo = await session.scalar(
            select(BilanParticipant).where(BilanParticipant.name == "Hugo Moreau")
        )
        assert hugo is not None
        hugo.contact = "hugo.moreau@example.org"
    async with db.sessions() as session, session.begin():
        author = Author(*await demo_author(session))
        info = await info_of(session, bilan_id)
        first = await reminders.invite_or_remind(
            session, info, author=author, now=clock.now, event="c:1", sealer=sealer, by_email=links
        )
        assert first.emailed == ["Hugo Moreau"]
        assert [f.participant.name for f in first.fresh] == ["Léa Martin"]
        relance = await reminders.invite_or_remind(
            session, info, author=author, now=clock.now, event="c:2", sealer=sealer, by_email=links
        )
        assert relance.emailed == ["Hugo Moreau"] and relance.fresh == []
        mails = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.platform == "email")
                .order_by(OutboxMessage.id)
            )
        ).all()
    assert [m.chat_id for m in mails] == ["hugo.moreau@example.org"] * 2
    assert mails[0].key != mails[1].key
    sent = [payload_to_mail(m.payload) for m in mails]
    codes = [s.body.split("?start=", 1)[1].split()[0] for s in sent]
    assert codes[0] == codes[1]  # the same link: a relance changes nothing
    assert sent[1].subject.startswith("Rappel – Attestation sur l'honneur")
    assert "le même lien que dans notre précédent message" in sent[1].body
    assert "Le bilan" not in sent[0].subject and "il a lieu le" in sent[0].body
    assert "Le lien de la visio vous sera envoyé avant le bilan." in sent[0].body
