"""Helpers for the attestation tests: a bilan scheduled through ``/bilan`` (or inserted),
the invitation codes a trainer received, and the bundle opened back."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.view import view_of
from bot.messages import Reply
from bot.storage.attestations import AttendanceSheet, AttendanceSheetEntry
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import ChatIdentity, Membership, Organisation, Person
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker

BILAN_START = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
"""Thursday 26 November 2026, 14 h 00 in Paris (the demo clock is Monday 23, 9 h UTC)."""
BILAN_END = BILAN_START + timedelta(hours=2)


UP_TO_PARTICIPANTS = (
    "/bilan",
    "Agent de restauration",
    "Programmer le bilan de fin",
    "À distance",
    "jeudi 26 novembre à 14 h",
    "oui",
    "2 heures",
    "https://visio.example.org/bilan",
    "oui",
    "oui",
    "non",
)
"""``/bilan`` for the demo's Normandie formation, remote, Thursday 14 h, up to « Qui participe ? »."""


async def schedule_bilan(
    trainer: Talker,
    formation: str = "Agent de restauration",
    which: str = "Programmer le bilan de fin",
    *,
    untick: tuple[str, ...] = (),
) -> int:
    """``/bilan`` for the demo's Normandie formation (or ``formation``'s bilan ``which``),
    remote, Thursday 14 h, its delegates (but those named in ``untick``)."""
    for line in ("/bilan", formation, which, *UP_TO_PARTICIPANTS[3:]):
        await trainer.says(line)
    for name in untick:
        await trainer.presses(name)
    for line in ("Terminé", "Terminé"):
        await trainer.says(line)
    await trainer.presses("Programmer le bilan")
    assert "C'est programmé" in trainer.all_text, trainer.all_text
    db = trainer.engine.db
    async with db.sessions() as session:
        bilan = await session.scalar(select(Bilan).order_by(Bilan.id.desc()).limit(1))
        assert bilan is not None
        return bilan.id


def codes(replies: list[Reply]) -> dict[str, str]:
    """Invitation codes in the trainer's replies, by the participant's name."""
    found: dict[str, str] = {}
    for reply in replies:
        code = reply.extras.get("invite_code")
        if code:
            first = reply.text.split("\n", 1)[0]
            name = first.removeprefix("Bonjour ").rstrip(",")
            found[name] = code
    return found


@dataclass
class Other:
    """Another organisation with its own trainer, formation and bilan."""

    organisation_id: int
    bilan_id: int
    participant_ids: list[int]


async def _trainer_with_bilan(
    session: AsyncSession,
    organisation: Organisation,
    *,
    name: str,
    user: str,
    role: str,
    title: str,
    participants: list[BilanParticipant],
    **formation: Any,
) -> tuple[int, Bilan]:
    """A trainer of ``organisation``, their formation and a bilan in it: (person id, bilan)."""
    owner = Person(display_name=name)
    session.add(owner)
    await session.flush()
    session.add(ChatIdentity(person_id=owner.id, platform="console", user_id=user, chat_id=user))
    session.add(Membership(organisation_id=organisation.id, person_id=owner.id, role=role))
    row = Formation(
        organisation_id=organisation.id,
        owner_id=owner.id,
        title=title,
        funder="normandie",
        start_date=datetime(2026, 10, 1).date(),
        end_date=datetime(2027, 3, 1).date(),
        **formation,
    )
    session.add(row)
    await session.flush()
    bilan = Bilan(
        organisation_id=organisation.id,
        formation_id=row.id,
        kind="etape",
        remote=True,
        starts_at=BILAN_START,
        ends_at=BILAN_END,
        participants=participants,
    )
    session.add(bilan)
    await session.flush()
    return owner.id, bilan


async def insert_other_organisation(db: Database, *, trainer_user: str = "autre") -> Other:
    """Rows only (no ``/bilan``): a second OF, so isolation can be checked."""
    async with db.sessions() as session, session.begin():
        organisation = Organisation(name="Autre Organisme", timezone="Europe/Paris")
        session.add(organisation)
        await session.flush()
        _, bilan = await _trainer_with_bilan(
            session,
            organisation,
            name="Bruno Autre",
            user=trainer_user,
            role="admin",
            title="Cuisine (autre OF)",
            participants=[
                BilanParticipant(kind="delegate", name="Zoé Autre"),
                BilanParticipant(
                    kind="partner", name="Marc Partenaire", structure="Mission locale"
                ),
            ],
            cm_name="M. Paul Girard",
            cm_email="paul.girard@example.org",
        )
        return Other(organisation.id, bilan.id, [p.id for p in bilan.participants])


def open_zip(data: bytes) -> tuple[dict[str, bytes], dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return files, json.loads(files["manifest.json"])


async def add_bilan(
    db: Database,
    *,
    start: datetime = BILAN_START + timedelta(days=7),
    kind: str = "etape",
    participants: tuple[tuple[str, str, str | None], ...] = (("delegate", "Léa Martin", None),),
    formation_title: str = "Agent de restauration (démo)",
    remote: bool = True,
) -> int:
    """Another bilan of a demo formation, inserted as rows (kind, name, structure)."""
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.title == formation_title)
        )
        assert formation is not None
        bilan = Bilan(
            organisation_id=formation.organisation_id,
            formation_id=formation.id,
            kind=kind,
            remote=remote,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            participants=[
                BilanParticipant(kind=k, name=name, structure=structure)
                for k, name, structure in participants
            ],
        )
        session.add(bilan)
        await session.flush()
        return bilan.id


async def issue_code(db: Database, bilan_id: int, name: str, *, at: datetime) -> str:
    """A fresh personal code for the participant called ``name`` (as a trainer would)."""
    from bot.attestations import invitations

    async with db.sessions() as session, session.begin():
        info = await view_of(session, bilan_id)
        assert info is not None
        participant = next(p for p in info.bilan.participants if p.name == name)
        _, code = await invitations.issue(session, info, participant, by=None, now=at)
        return code


async def demo_author(session: AsyncSession) -> tuple[int, int]:
    """(person id, organisation id) of the demo's admin formateur, Camille Durand."""
    row = (
        await session.execute(
            select(Membership.person_id, Membership.organisation_id)
            .join(Person, Person.id == Membership.person_id)
            .where(Person.display_name == "Camille Durand")
        )
    ).one()
    return int(row[0]), int(row[1])


async def add_colleague(db: Database, *, user: str = "colleague") -> tuple[int, int]:
    """A formateur (no admin) of the demo organisation with a formation of their own and a
    bilan in it: (person id, bilan id)."""
    async with db.sessions() as session, session.begin():
        organisation = await session.scalar(select(Organisation))
        assert organisation is not None
        colleague_id, bilan = await _trainer_with_bilan(
            session,
            organisation,
            name="Nina Colleague",
            user=user,
            role="formateur",
            title="Cuisine (collègue)",
            participants=[BilanParticipant(kind="delegate", name="Paul Délégué")],
        )
        return colleague_id, bilan.id


async def on_signed_sheet(
    session: AsyncSession, bilan: Bilan, participant_id: int, *, at: datetime
) -> None:
    """An attendance sheet uploaded at ``at`` with one participant ticked on it."""
    sheet = AttendanceSheet(
        organisation_id=bilan.organisation_id,
        bilan_id=bilan.id,
        filename="f.pdf",
        mime_type="application/pdf",
        content=b"%PDF-",
        sha256="1" * 64,
        uploaded_at=at,
    )
    session.add(sheet)
    await session.flush()
    session.add(AttendanceSheetEntry(sheet_id=sheet.id, participant_id=participant_id))
    await session.flush()


async def after_the_bilan(trainer: Talker, clock: Clock) -> dict[str, str]:
    """The demo's bilan scheduled, its invitations, and the clock after its end."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.now = BILAN_END + timedelta(minutes=30)
    return invited


async def lea_opening_her_link(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> Talker:
    """The bilan scheduled and over; Léa, its delegate, asked her name by her link."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.now = BILAN_END + timedelta(minutes=5)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    return lea


async def lea_at_the_text(trainer: Talker, person: Callable[..., Talker], clock: Clock) -> Talker:
    """The bilan scheduled and over; Léa, its delegate, shown her attestation's text."""
    lea = await lea_opening_her_link(trainer, person, clock)
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    return lea


async def one_account_for_two_organisations(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> tuple[Other, Talker]:
    """Explorer AF5 (the other organisation, and ``lea``): the console account ``lea`` attests the demo's bilan as Léa Martin,
    then, at the same hour, « Autre Organisme »'s bilan as its delegate Zoé Autre
    (« Oui, je suis Zoé Autre » after typing « Léa Martin »)."""
    await schedule_bilan(trainer)
    lea_code = codes(trainer.replies)["Léa Martin"]
    other = await insert_other_organisation(trainer.engine.db)
    zoe_code = await issue_code(trainer.engine.db, other.bilan_id, "Zoé Autre", at=clock.now)
    clock.now = BILAN_END + timedelta(hours=1)
    lea = person("lea")
    for line in (f"/start {lea_code}", "Léa Martin", "oui"):
        await lea.says(line)
    await lea.presses("Je l'atteste")
    for line in (f"/start {zoe_code}", "Léa Martin"):
        await lea.says(line)
    await lea.presses("Oui, je suis Zoé Autre")
    await lea.says("oui")
    await lea.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in lea.all_text, lea.all_text
    return other, lea


async def trainer_corrects_name(trainer: Talker, old: str, new: str) -> None:
    """/formations → the demo formation → « Entrées et sorties » → ``old`` → « Corriger son
    nom » → ``new``, confirmed."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    await trainer.presses(old)
    await trainer.presses("Corriger son nom")
    await trainer.says(new)
    await trainer.presses("Oui")
    await trainer.presses("Terminé")
