"""The Elycoop procedure (003 §2): paths, opening a follow-up, what it holds, its ticket.

Conversations call these functions inside their transaction; they never
commit and never log personal data.

Which path a follow-up takes depends on the formation:

====================  ===========================  ==================
formation             path                         rule
====================  ===========================  ==================
short, not certif.    ``short``                    ELY-SHORT
long or certifying    ``long``                     ELY-LONG
bilan de compétences  ``bilan_comp`` + sick leave  ELY-BILAN-COMP
bilan de compétences  ``bilan_comp`` + difficulty  ELY-BILAN-DIFF
VAE                   ``vae``                      ELY-VAE
====================  ===========================  ==================

What each step is due by is the rules' business (ELY-* in
:mod:`bot.rules.catalogue`, stored as the formation's deadlines, see
:mod:`bot.absences.followup_deadlines`); what a follow-up records (signs,
contacts, interviews, documents, the ticket) is here and in
:mod:`bot.absences.records`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.absences.opened import AlreadyOpen, already_open
from bot.absences.vocabulary import (
    CHANNELS,
    DOCUMENT_KINDS,
    ENTRETIEN_KINDS,
    GAPS,
    NO_COMPANY,
    SIGNS,
    SOLUTIONS,
    WITH_WHOM,
)
from bot.deadlines.service import refresh_deadlines
from bot.documents.bundle import sha256_hex
from bot.documents.kinds import SCRIPTED
from bot.rules.settings import bool_setting
from bot.storage import audit
from bot.storage.absences import (
    Entretien,
    FollowUp,
    FollowUpContact,
    FollowUpSign,
    QualityTicket,
    StoredDocument,
)
from bot.storage.conflicts import insert_unless_taken
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ACCEPTED_MIME_PREFIXES = ("image/",)
ACCEPTED_MIME_TYPES = frozenset(
    {
        "application/pdf",
        "message/rfc822",
        "text/plain",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
)


def accepted_mime(mime_type: str) -> bool:
    mime = mime_type.lower().strip()
    if mime in SCRIPTED:  # an SVG « photo » is a page that runs scripts (explorer EC4)
        return False
    return mime.startswith(ACCEPTED_MIME_PREFIXES) or mime in ACCEPTED_MIME_TYPES


def path_for(formation: Formation) -> str:
    """The procedure's path for a formation (003 §2)."""
    if formation.kind == "bilan_competences":
        return "bilan_comp"
    if formation.kind == "vae":
        return "vae"
    if formation.long or formation.certifying:
        return "long"
    return "short"


def rule_for(path: str, cause: str | None) -> str:
    if path == "bilan_comp":
        return "ELY-BILAN-COMP" if cause == "sick_leave" else "ELY-BILAN-DIFF"
    return {"short": "ELY-SHORT", "long": "ELY-LONG", "vae": "ELY-VAE"}[path]


def procedure_on(organisation: Organisation | None) -> bool:
    """The organisation's ``ely_procedure`` setting (on by default)."""
    return bool_setting(organisation.settings if organisation else {}, "ely_procedure")


def short_procedure(organisation: Organisation | None, formation: Formation) -> bool:
    """Whether ELY-SHORT governs the formation's absences: one absence is enough to act.

    A subcontracted formation (known so) or an organisation that switched the
    procedure off keeps the repeated-absence thresholds only.
    """
    return (
        path_for(formation) == "short"
        and procedure_on(organisation)
        and not formation.subcontracted
    )


# --- opening -----------------------------------------------------------------------


async def open_followup(
    session: AsyncSession,
    *,
    organisation: Organisation,
    formation: Formation,
    trainee: Trainee,
    actor_id: int,
    now: datetime,
    signs: list[str],
    note: str | None,
    cause: str | None,
    applies: bool,
    absence_id: int | None,
    sign_on: date | None = None,
    subcontracted: bool | None = None,
) -> FollowUp | AlreadyOpen:
    """A new follow-up with its signs; when the procedure applies, the rules date its steps
    (from ``sign_on``, the first sign's day, else the opening).  ``subcontracted``, when
    given, is remembered on the formation.  :class:`AlreadyOpen`, with nothing written,
    when the trainee has one open: a unique index holds "one open follow-up per trainee"
    when two people open one at once."""
    path = path_for(formation)
    followup_id = await insert_unless_taken(
        session,
        FollowUp,
        {
            "organisation_id": organisation.id,
            "formation_id": formation.id,
            "trainee_id": trainee.id,
            "path": path,
            "cause": cause if path == "bilan_comp" else None,
            "procedure_applies": applies,
            "absence_id": absence_id,
            "sign_on": sign_on,
            "opened_by": actor_id,
            "opened_at": now,
        },
    )
    if followup_id is None:
        return await already_open(session, trainee.id)
    if subcontracted is not None and formation.subcontracted != subcontracted:
        formation.subcontracted = subcontracted
        audit.record(
            session,
            organisation_id=organisation.id,
            actor_id=actor_id,
            action="set_subcontracted",
            entity="formation",
            entity_id=formation.id,
            value=subcontracted,
        )
    followup = await session.get(FollowUp, followup_id)
    assert followup is not None  # inserted just now, in this transaction
    add_signs(session, followup, signs, note, actor_id, now)
    audit.record(
        session,
        organisation_id=organisation.id,
        actor_id=actor_id,
        action="open",
        entity="followup",
        entity_id=followup.id,
        trainee_id=trainee.id,
        path=followup.path,
        rule=rule_for(followup.path, followup.cause),
        applies=followup.procedure_applies,
        signs=sorted(signs),
        sign_on=sign_on.isoformat() if sign_on else None,
    )
    await refresh_deadlines(session, formation.id)
    return followup


def add_signs(
    session: AsyncSession,
    followup: FollowUp,
    signs: Iterable[str],
    note: str | None,
    actor_id: int,
    now: datetime,
) -> None:
    for code in signs:
        if code in SIGNS:
            session.add(
                FollowUpSign(
                    followup_id=followup.id,
                    code=code,
                    note=note if code == "autre" else None,
                    recorded_by=actor_id,
                    recorded_at=now,
                )
            )


# --- lookups -----------------------------------------------------------------------


async def find_followup(
    session: AsyncSession, followup_id: object, organisation_id: int
) -> FollowUp | None:
    """The follow-up of this id in this organisation; ``None`` for anything else."""
    try:
        wanted = int(str(followup_id))
    except ValueError:
        return None
    followup = await session.get(FollowUp, wanted)
    if followup is None or followup.organisation_id != organisation_id:
        return None
    return followup


async def organisation_of(session: AsyncSession, organisation_id: int) -> Organisation | None:
    return await session.get(Organisation, organisation_id)


async def open_followup_of(session: AsyncSession, trainee_id: int) -> FollowUp | None:
    """The trainee's follow-up still open (the latest, should there be several)."""
    return await session.scalar(
        select(FollowUp)
        .where(FollowUp.trainee_id == trainee_id, FollowUp.closed_at.is_(None))
        .order_by(FollowUp.opened_at.desc(), FollowUp.id.desc())
        .limit(1)
    )


async def current_entretien(
    session: AsyncSession, followup_id: int, kind: str | None = None
) -> Entretien | None:
    """The latest interview not cancelled (held or not), of ``kind`` if given."""
    query = select(Entretien).where(
        Entretien.followup_id == followup_id, Entretien.cancelled_at.is_(None)
    )
    if kind is not None:
        query = query.where(Entretien.kind == kind)
    return await session.scalar(
        query.order_by(Entretien.scheduled_at.desc(), Entretien.id.desc()).limit(1)
    )


async def find_entretien(
    session: AsyncSession, entretien_id: object, followup_id: int
) -> Entretien | None:
    """The interview of this id, if it belongs to this follow-up."""
    try:
        wanted = int(str(entretien_id))
    except ValueError:
        return None
    entretien = await session.get(Entretien, wanted)
    return entretien if entretien is not None and entretien.followup_id == followup_id else None


async def contacts_of(session: AsyncSession, followup_id: int) -> list[FollowUpContact]:
    return list(
        (
            await session.scalars(
                select(FollowUpContact)
                .where(FollowUpContact.followup_id == followup_id)
                .order_by(FollowUpContact.contacted_on, FollowUpContact.id)
            )
        ).all()
    )


async def signs_of(session: AsyncSession, followup_id: int) -> list[FollowUpSign]:
    return list(
        (
            await session.scalars(
                select(FollowUpSign)
                .where(FollowUpSign.followup_id == followup_id)
                .order_by(FollowUpSign.recorded_at, FollowUpSign.id)
            )
        ).all()
    )


REPEATING_SIGNS = {"absence"}
"""Signs each one an event of its own: a second absence added the same day is another one."""


async def noted_today(
    session: AsyncSession,
    followup_id: int,
    signs: Iterable[str],
    note: str | None,
    *,
    now: datetime,
    tz: ZoneInfo,
) -> list[str]:
    """The signs among ``signs`` the follow-up holds already today (``tz``'s day), « Autre »
    with the same note: the same observation noted twice, not a second one (explorer EC6:
    « Abandon de la formation » twice, « Signes : 2 »)."""
    today = now.astimezone(tz).date()
    seen = {
        (s.code, s.note)
        for s in await signs_of(session, followup_id)
        if s.recorded_at.astimezone(tz).date() == today
    }
    return [
        code
        for code in signs
        if code not in REPEATING_SIGNS and (code, note if code == "autre" else None) in seen
    ]


async def documents_of(session: AsyncSession, followup_id: int) -> list[StoredDocument]:
    return list(
        (
            await session.scalars(
                select(StoredDocument)
                .where(StoredDocument.followup_id == followup_id)
                .order_by(StoredDocument.created_at, StoredDocument.id)
            )
        ).all()
    )


async def entretiens_of(session: AsyncSession, followup_id: int) -> list[Entretien]:
    return list(
        (
            await session.scalars(
                select(Entretien)
                .where(Entretien.followup_id == followup_id)
                .order_by(Entretien.scheduled_at, Entretien.id)
            )
        ).all()
    )


# --- documents ---------------------------------------------------------------------


def store_document(
    session: AsyncSession,
    *,
    organisation_id: int,
    followup_id: int | None,
    kind: str,
    filename: str,
    mime_type: str,
    content: bytes,
    actor_id: int,
    now: datetime,
) -> StoredDocument:
    document = StoredDocument(
        organisation_id=organisation_id,
        followup_id=followup_id,
        kind=kind,
        filename=filename[:200],
        mime_type=mime_type[:100],
        size=len(content),
        sha256=sha256_hex(content),
        content=content,
        created_by=actor_id,
        created_at=now,
    )
    session.add(document)
    return document


# --- the ticket qualité ------------------------------------------------------------


async def next_reference(session: AsyncSession, organisation_id: int, year: int) -> tuple[int, str]:
    """The next ``TQ-<year>-<nnnn>`` of an organisation (the unique key guards races)."""
    highest = await session.scalar(
        select(func.max(QualityTicket.number)).where(
            QualityTicket.organisation_id == organisation_id, QualityTicket.year == year
        )
    )
    number = int(highest or 0) + 1
    return number, f"TQ-{year}-{number:04d}"


@dataclass(frozen=True)
class Summary:
    """What a follow-up holds, for the ticket qualité and the /decrochage menu."""

    followup: FollowUp
    signs: list[FollowUpSign]
    contacts: list[FollowUpContact]
    entretiens: list[Entretien]
    documents: list[StoredDocument]

    @property
    def entretien(self) -> Entretien | None:
        live = [e for e in self.entretiens if e.cancelled_at is None]
        return live[-1] if live else None

    def has_contact_with(self, who: str) -> bool:
        return any(c.with_whom == who for c in self.contacts)

    @property
    def has_compte_rendu(self) -> bool:
        return any(e.compte_rendu_id is not None for e in self.entretiens)

    @property
    def has_livret(self) -> bool:
        return any(d.kind == "livret_suivi" for d in self.documents)

    def missing(self) -> list[str]:
        """Codes of the steps the procedure expects and the follow-up does not show yet."""
        f = self.followup
        if not f.procedure_applies:
            return []
        gaps: list[str] = []
        if f.path == "short":
            if not self.has_contact_with("stagiaire"):
                gaps.append("contact_stagiaire")
            if not self.has_contact_with("entreprise") and not self.has_contact_with(NO_COMPANY):
                gaps.append("contact_entreprise")
        elif f.path == "long":
            if self.entretien is None or self.entretien.held_at is None:
                gaps.append("entretien")
            if not self.has_compte_rendu:
                gaps.append("compte_rendu")
        elif f.path == "bilan_comp" and f.cause == "sick_leave":
            if f.solution is None:
                gaps.append("solution")
        elif f.path == "bilan_comp":
            if not self.has_contact_with("equipe"):
                gaps.append("equipe")
            if self.entretien is None or self.entretien.held_at is None:
                gaps.append("regard_croise")
            if not self.has_compte_rendu:
                gaps.append("compte_rendu")
        elif f.path == "vae" and not self.has_livret:
            gaps.append("livret")
        return gaps


async def summary_of(session: AsyncSession, followup: FollowUp) -> Summary:
    return Summary(
        followup=followup,
        signs=await signs_of(session, followup.id),
        contacts=await contacts_of(session, followup.id),
        entretiens=await entretiens_of(session, followup.id),
        documents=await documents_of(session, followup.id),
    )


def ticket_actions(summary: Summary, zone: str, left_on: date | None = None) -> list[str]:
    """What was done, one plain French line each, for the ticket qualité; ``left_on``: the
    trainee's exit, said with an entretien cancelled for it (explorer GF3)."""
    rendered = texts.say(
        "decrochage.ticket_actions",
        s=summary,
        left_on=left_on,
        f=summary.followup,
        rule=rule_for(summary.followup.path, summary.followup.cause),
        zone=ZoneInfo(zone),
        signs=SIGNS,
        whom=WITH_WHOM,
        channels=CHANNELS,
        solutions=SOLUTIONS,
        kinds=ENTRETIEN_KINDS,
        documents=DOCUMENT_KINDS,
        gaps=GAPS,
        by_id={d.id: d for d in summary.documents},
    )
    return [line.strip() for line in texts.plain(rendered).splitlines() if line.strip()]
