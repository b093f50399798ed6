"""bot.attestations.answers on its own: attesting, declining, correcting; what is stored, the
PDF, the participant's person renamed as they signed, the audit and the trainer's notice."""

from __future__ import annotations

from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attestations import invitations, service
from bot.attestations.answers import Said, record_answer
from bot.attestations.evidence import attestation_text, text_sha256
from bot.attestations.invitations import Held
from bot.attestations.keys import SigningKey
from bot.attestations.service import Author, Chat
from bot.bilans.view import view_of
from bot.documents.bundle import sha256_hex
from bot.privacy.journal_rows import names_on_bilans
from bot.storage.attestations import Attestation
from bot.storage.audit import AuditEntry
from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Person
from tests.auxil.attestations import (
    BILAN_END,
    BILAN_START,
    add_bilan,
    demo_author,
    insert_other_organisation,
)
from tests.auxil.dialogue import Clock
from tests.auxil.pdf import pdf_words

LEA = Chat("console", "lea", "lea")
KEY = SigningKey(Ed25519PrivateKey.generate())


async def held(session: AsyncSession, bilan_id: int, now: datetime) -> Held:
    info = await view_of(session, bilan_id)
    assert info is not None
    _, code = await invitations.issue(session, info, info.bilan.participants[0], by=None, now=now)
    found = await invitations.redeem(session, code, chat=LEA, author=Author(), now=now)
    opened = await invitations.open_invitation(session, found, chat=LEA, now=now)
    assert isinstance(opened, Held)
    return opened


def said(
    found: Held,
    name: str,
    *,
    attested: bool,
    role: str = "delegate",
    structure: str | None = None,
    reason: str | None = None,
) -> Said:
    text = attestation_text(found.info, name=name, role=role, structure=structure)
    return Said(name, role, structure, text, attested, reason)


async def test_an_attestation_is_stored_with_its_pdf_and_the_trainer_told(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    after = BILAN_START + timedelta(hours=3)
    async with db.sessions() as session, session.begin():
        found = await held(session, bilan_id, clock.now)
        person_id = found.invitation.redeemed_person_id
        answer = await record_answer(
            session,
            found,
            said(found, "Léa Martin", attested=True),
            chat=LEA,
            author=Author(person_id, None),
            now=after,
            key=KEY,
        )
        assert (answer.version, answer.answer, answer.answered_at) == (1, "attested", after)
        assert answer.text_sha256 == text_sha256(answer.text)
        assert "Moi, Léa Martin," in answer.text
        assert answer.name_matches and answer.role_matches and answer.reason is None
        assert answer.pdf is not None and answer.pdf_sha256 == sha256_hex(answer.pdf)
        assert "Attestation sur l'honneur – Léa Martin" in pdf_words(answer.pdf)
        assert (answer.platform, answer.chat_user_id, answer.chat_id) == ("console", "lea", "lea")
        assert answer.person_id == person_id and answer.invitation_id == found.invitation.id
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "attest"))
        assert entry is not None and entry.entity_id == answer.id
        assert entry.details == {"bilan_id": bilan_id, "version": 1}
        assert "Léa" not in repr(entry.details)
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key == f"attestation:answer:{answer.id}")
        )
        assert notice is not None and notice.chat_id == "formateur"
        assert notice.payload["text"].startswith(
            "✅ Léa Martin a attesté sur l'honneur sa participation au bilan d&#39;étape du jeudi "
        )
        assert ", formation « Agent de restauration (démo) »." in notice.payload["text"]


async def test_a_decline_keeps_its_reason_and_has_no_pdf(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        found = await held(session, bilan_id, clock.now)
        answer = await record_answer(
            session,
            found,
            said(found, "Léa Martin", attested=False, reason="Malade ce jour-là"),
            chat=LEA,
            author=Author(),
            now=BILAN_END,
            key=KEY,
        )
        assert (answer.answer, answer.reason, answer.pdf) == ("declined", "Malade ce jour-là", None)
        assert answer.person_id == found.invitation.redeemed_person_id
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.like("attestation:answer:%"))
        )
        assert notice is not None and "« Malade ce jour-là »" in notice.payload["text"]


async def test_a_correction_adds_a_version_and_the_journal_names_the_last_name_typed(
    db: Database, demo: None, clock: Clock
) -> None:
    """The organisation's journal names the participant as they last signed its bilan; the
    person is not renamed (explorer AF5: a name typed for another organisation's bilan
    renamed her here)."""
    bilan_id = await add_bilan(db, start=BILAN_START)
    async with db.sessions() as session, session.begin():
        found = await held(session, bilan_id, clock.now)
        first = await record_answer(
            session,
            found,
            said(found, "Lea Martinez", attested=True, role="partner", structure="Mission locale"),
            chat=LEA,
            author=Author(),
            now=BILAN_END,
            key=KEY,
        )
        assert not first.name_matches and not first.role_matches
        assert first.structure == "Mission locale"
        person = await session.get(Person, found.invitation.redeemed_person_id)
        assert person is not None and person.display_name == "Léa Martin"  # the invitation's
        assert await journal_name(session, person.id) == "Lea Martinez"
        second = await record_answer(
            session,
            found,
            said(found, "Léa Martin", attested=True, structure="ignored for a delegate"),
            chat=LEA,
            author=Author(),
            now=BILAN_END + timedelta(hours=1),
            key=KEY,
        )
        assert (second.version, second.structure, second.name_matches) == (2, None, True)
        assert await journal_name(session, person.id) == "Léa Martin"
        current = await service.current_answer(session, found.participant.id)
        assert current is not None and current.id == second.id
        assert len((await session.scalars(select(Attestation))).all()) == 2


async def journal_name(session: AsyncSession, person_id: int) -> str:
    """How the demo's journal and ``formabot export membres`` name the person."""
    _, organisation_id = await demo_author(session)
    return (await names_on_bilans(session, {person_id}))[(organisation_id, person_id)]


async def test_a_member_answering_keeps_their_own_name(
    db: Database, demo: None, clock: Clock
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    other = await insert_other_organisation(db)
    async with db.sessions() as session, session.begin():
        found = await held(session, bilan_id, clock.now)
        person = await session.get(Person, found.invitation.redeemed_person_id)
        assert person is not None
        await record_answer(
            session,
            found,
            said(found, "Quelqu'un d'autre", attested=True),
            chat=LEA,
            author=Author(person.id, other.organisation_id),  # a member of another organisation
            now=BILAN_END,
            key=KEY,
        )
        assert person.display_name == "Léa Martin"
