"""A trainee whose data is everywhere, and the search for what is left of it in every table."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import LargeBinary, select

from bot.storage.absences import (
    Absence,
    Entretien,
    FollowUp,
    FollowUpContact,
    FollowUpSign,
    QualityTicket,
    StoredDocument,
)
from bot.storage.attestations import Attestation, AttestationInvitation, ProofSending
from bot.storage.base import Base
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import ChatIdentity, Person
from bot.storage.state import ConversationState
from tests.auxil.dialogue import Person as Talker
from tests.auxil.race import one_after_the_other

NOTE = "Confidentiel-Zorglub"
"""A word of the trainee's notes, found nowhere else."""


@dataclass
class Placed:
    trainee_id: int
    formation_id: int
    kept_attestation: int
    kept_participant: int
    sent_bundle: int
    person_id: int
    words: tuple[str, ...] = field(default_factory=tuple)
    unsent_attestation: int = 0


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def everywhere(
    db: Database, full_name: str, *, at: datetime, declined: tuple[bool, bool] = (False, False)
) -> Placed:
    """``full_name`` (a demo trainee) given absences, a follow-up, two bilans' attestations
    (one bundle sent to the funder, one not; ``declined``: which of the two, sent and unsent,
    is a declaration of non-participation instead), an account, a queued message and a
    half-typed conversation naming them."""
    first, last = full_name.split(" ", 1)
    words = (full_name, last, NOTE)
    async with db.sessions() as session, session.begin():
        trainee, formation = (
            await session.execute(
                select(Trainee, Formation)
                .join(Formation, Formation.id == Trainee.formation_id)
                .where(Trainee.full_name == full_name)
            )
        ).one()
        org = formation.organisation_id
        proof = StoredDocument(
            organisation_id=org,
            kind="justificatif",
            filename=f"arret-{last}.pdf",
            mime_type="application/pdf",
            size=10,
            sha256=sha("x"),
            content=f"{full_name} {NOTE}".encode(),
        )
        session.add(proof)
        await session.flush()
        session.add(
            Absence(
                organisation_id=org,
                formation_id=formation.id,
                trainee_id=trainee.id,
                day=date(2026, 11, 20),
                period="matin",
                justified=True,
                reason=f"Rendez-vous médical ({NOTE})",
                proof_id=proof.id,
            )
        )
        followup = FollowUp(
            organisation_id=org,
            formation_id=formation.id,
            trainee_id=trainee.id,
            path="long",
            opened_at=at,
        )
        session.add(followup)
        await session.flush()
        session.add_all(
            [
                FollowUpSign(followup_id=followup.id, code="autre", note=f"{first} {NOTE}"),
                FollowUpContact(
                    followup_id=followup.id,
                    with_whom="stagiaire",
                    channel="telephone",
                    contacted_on=date(2026, 11, 21),
                    outcome=f"{full_name} dit : {NOTE}",
                ),
                Entretien(
                    followup_id=followup.id,
                    scheduled_at=at,
                    constat=f"Constat sur {full_name}, {NOTE}",
                ),
                StoredDocument(
                    organisation_id=org,
                    followup_id=followup.id,
                    kind="compte_rendu",
                    filename=f"cr-{last}.pdf",
                    mime_type="application/pdf",
                    size=3,
                    sha256=sha("y"),
                    content=NOTE.encode(),
                ),
                QualityTicket(
                    organisation_id=org,
                    reference="TQ-2026-0099",
                    year=2026,
                    number=99,
                    followup_id=followup.id,
                    formation_id=formation.id,
                    trainee_id=trainee.id,
                    rule_id="ELY-LONG",
                    actions=[f"Entretien avec {full_name}"],
                    note=NOTE,
                    filed_on=date(2026, 11, 22),
                ),
                StoredDeadline(
                    organisation_id=org,
                    formation_id=formation.id,
                    key=f"TEST:trainee:{trainee.id}",
                    rule_id="CVL-EOS",
                    subject="trainee",
                    subject_id=trainee.id,
                    due_on=date(2026, 12, 1),
                    title=f"Entrée de {full_name}",
                    explanation=f"{full_name} est entré(e)",
                    source="test",
                    audience="formateur",
                ),
            ]
        )
        account = Person(display_name=full_name)
        session.add(account)
        await session.flush()
        session.add(
            ChatIdentity(person_id=account.id, platform="telegram", user_id="9001", chat_id="9001")
        )
        placed: dict[str, int] = {}
        unsent = 0
        for (label, sent), refused in zip(
            (("sent", True), ("unsent", False)), declined, strict=True
        ):
            start = at - timedelta(days=10 if sent else 3)
            participant = BilanParticipant(kind="trainee", name=full_name, trainee_id=trainee.id)
            bilan = Bilan(
                organisation_id=org,
                formation_id=formation.id,
                kind="etape",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                participants=[participant],
            )
            session.add(bilan)
            await session.flush()
            invitation = AttestationInvitation(
                organisation_id=org,
                bilan_id=bilan.id,
                participant_id=participant.id,
                code_hash=sha(label),
                expires_at=at + timedelta(days=30),
                redeemed_at=start,
                redeemed_platform="telegram",
                redeemed_user_id="9001",
                redeemed_chat_id="9001",
                redeemed_person_id=account.id,
            )
            session.add(invitation)
            await session.flush()
            text = f"Je soussigné(e) {full_name} atteste avoir participé."
            attestation = Attestation(
                organisation_id=org,
                bilan_id=bilan.id,
                participant_id=participant.id,
                invitation_id=invitation.id,
                answer="declined" if refused else "attested",
                typed_name=full_name,
                role="delegate",
                name_matches=True,
                role_matches=True,
                text=text,
                text_sha256=sha(text),
                pdf=text.encode(),
                answered_at=start + timedelta(hours=3),
                platform="telegram",
                chat_user_id="9001",
                chat_id="9001",
                person_id=account.id,
            )
            session.add(attestation)
            sending = ProofSending(
                organisation_id=org,
                bilan_id=bilan.id,
                to_address="cm@example.org",
                subject="Preuves",
                body=f"Attestation de {full_name}",
                filename="preuves.zip",
                bundle=full_name.encode(),
                bundle_sha256=sha(full_name),
                complete=True,
                status="sent" if sent else "failed",
                sent_at=start + timedelta(days=1) if sent else None,
            )
            session.add(sending)
            await session.flush()
            if sent:
                placed = {
                    "attestation": attestation.id,
                    "participant": participant.id,
                    "sending": sending.id,
                }
            else:
                unsent = attestation.id
        session.add(
            OutboxMessage(
                key="test:reminder",
                organisation_id=org,
                platform="console",
                chat_id="formateur",
                payload={"text": f"Pensez à appeler {full_name}"},
            )
        )
        session.add(
            ConversationState(
                platform="console",
                chat_id="formateur",
                user_id="formateur-2",
                flow="absence",
                step="reason",
                data={"_q": 3, "name": full_name, "reason": NOTE},
                expires_at=at + timedelta(hours=2),
            )
        )
        return Placed(
            trainee_id=trainee.id,
            formation_id=formation.id,
            kept_attestation=placed["attestation"],
            kept_participant=placed["participant"],
            sent_bundle=placed["sending"],
            person_id=account.id,
            words=words,
            unsent_attestation=unsent,
        )


async def a_correction(db: Database, attestation_id: int, *, after: timedelta) -> int:
    """The participant's next version of the answer ``attestation_id``, given ``after`` it."""
    async with db.sessions() as session, session.begin():
        first = await session.get(Attestation, attestation_id)
        assert first is not None
        columns = Attestation.__table__.columns.keys()
        values = {c: getattr(first, c) for c in columns if c not in ("id", "version")}
        values["answered_at"] = first.answered_at + after
        correction = Attestation(**values, version=first.version + 1)
        session.add(correction)
        await session.flush()
        return correction.id


Kept = dict[str, set[Any]]
"""Table name → primary keys whose rows may still hold the words (what the README keeps)."""


async def traces(db: Database, words: tuple[str, ...], kept: Kept | None = None) -> list[str]:
    """Every (table, column, key) of every table whose text or bytes hold one of ``words``."""
    kept = kept or {}
    found: list[str] = []
    async with db.sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            keys = [c.name for c in table.primary_key.columns]
            for row in rows:
                key = row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)
                if key in kept.get(table.name, set()):
                    continue
                for column in table.columns:
                    value = row[column.name]
                    if value is None:
                        continue
                    if isinstance(column.type, LargeBinary):
                        text = bytes(value).decode("utf-8", "replace")
                    elif isinstance(value, dict | list):
                        text = json.dumps(value, ensure_ascii=False)
                    else:
                        text = str(value)
                    for word in words:
                        if word.casefold() in text.casefold():
                            found.append(f"{table.name}.{column.name}[{key}]: {word}")
    return found


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def fill_demo(db: Database, today: date) -> None:
    """The demo organisation in ``db`` (the ``demo`` fixture works on SQLite only)."""
    from bot import demo

    async with db.sessions() as session, session.begin():
        await demo.fill(session, today=today)


def matrix_welcome(n: int, sent_at: datetime | None) -> MatrixWelcome:
    """The ``n``-th Matrix welcome, its invitation code in its text; sent at ``sent_at``, or
    still waiting (None): what the retention sweeps erase or leave."""
    return MatrixWelcome(
        account="@bot:example.org",
        key=f"welcome:{n}",
        invitee=f"@nina{n}:example.org",
        payload={"text": f"/start CODE{n}"},
        status="pending" if sent_at is None else "sent",
        sent_at=sent_at,
    )


def closed_by_the_erasure(flow: str) -> str:
    """What someone whose dialogue an erasure overtook is told (« suivre un décrochage »)."""
    return (
        f"J'ai refermé « {flow} » : les données dont il s'agissait viennent d'être effacées "
        "(droit à l'effacement), rien n'a été enregistré."
    )


async def erasing_first(
    db: Database, trainee_id: int, eraser: Talker, turn: Awaitable[object]
) -> None:
    """``eraser`` confirms the erasure of ``trainee_id`` as ``turn`` runs in another process,
    the erasure holding the trainee's row first (:func:`tests.auxil.race.one_after_the_other`),
    and is told it is done."""
    await one_after_the_other(
        db, Trainee, trainee_id, eraser.presses("Effacer définitivement"), turn
    )
    assert eraser.last.startswith("C'est fait : les données de cette personne sont effacées.")
