"""What the organisation hands an auditor: absences (CSV) and the Qualiopi bundle (ZIP).

Declared in the absences feature's manifest (``formabot export absences
[--formation ID]`` and ``formabot export qualiopi --formation ID --out
FILE.zip``); ``/exporter`` offers the same in chat.

The bundle holds, for one formation: ``absences.csv`` and ``tickets-qualite.csv``
(in the CSV French Excel opens: ``;``, UTF-8 BOM, ``23/11/2026``);
one timeline PDF per trainee with a décrochage follow-up; the comptes rendus
exactly as they were produced (their SHA-256 in the manifest matches the one
recorded when they were written); the proofs of exchanges and the livrets de
suivi kept with the follow-ups; and each justified absence's justificatif, named in
``absences.csv`` (explorer J: « justifiée : oui » had nothing to show the auditor).  The
bundle is the organisation's to hand to its auditor: it holds health motives and proofs.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.absences.clashes import period_label
from bot.absences.timeline import followed_trainees, timeline
from bot.absences.vocabulary import JUSTIFICATIF, labels
from bot.documents.bundle import build_bundle, person_slug, unique_names
from bot.documents.pdf import render_pdf
from bot.documents.sheets import Moment
from bot.documents.sheets import write as sheet
from bot.formations.labels import EXIT_REASONS
from bot.formations.queries import find_formation, names_apart
from bot.invocation import command_on_this_base
from bot.rules.catalogue import rule_label
from bot.storage.absences import Absence, FollowUp, QualityTicket, StoredDocument
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, Person, zone_of
from bot.texts import period_said

ABSENCE_COLUMNS = (
    "formation",
    "stagiaire",
    "date",
    "période",
    "justifiée",
    "motif",
    "saisie par",
    "saisie le",
    "justificatif",
    "organisme",  # several organisations on one base: whose (explorer AI4), last
)
TICKET_COLUMNS = (
    "référence",
    "déposé le",
    "formation",
    "stagiaire",
    "règle",
    "règle (en clair)",
    "ce qui a été fait",
    "note",
    "documents liés",
    "saisi par",
)


EXIT_COLUMNS = ("stagiaire", "sortie", "motif", "suivi de décrochage", "ticket qualité")


async def exit_rows(session: AsyncSession, formation: Formation) -> list[dict[str, Any]]:
    """The trainees who left, with their reason and what followed: an abandon without a
    follow-up is what an auditor of indicator 12 looks for (explorer J: exits were nowhere
    in the bundle)."""
    followed = set(
        (
            await session.scalars(
                select(FollowUp.trainee_id).where(FollowUp.formation_id == formation.id)
            )
        ).all()
    )
    tickets = {
        t.trainee_id: t.reference
        for t in (
            await session.scalars(
                select(QualityTicket).where(QualityTicket.formation_id == formation.id)
            )
        ).all()
    }
    return [
        {
            "stagiaire": t.full_name,
            "sortie": t.left_on,
            "motif": EXIT_REASONS.get(t.exit_reason or "", t.exit_reason),
            "suivi de décrochage": t.id in followed,
            "ticket qualité": tickets.get(t.id),
        }
        for t in sorted(formation.trainees, key=lambda t: (t.left_on or date.max, t.full_name))
        if t.left_on is not None
    ]


async def _people(session: AsyncSession) -> dict[int, str]:
    return {row[0]: row[1] for row in await session.execute(select(Person.id, Person.display_name))}


async def absence_rows(
    session: AsyncSession,
    *,
    organisation_id: int | None = None,
    formation_id: int | None = None,
    named: Mapping[int, str] | None = None,
    among: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """One row per absence (deleted ones excluded), by formation, date and name
    (``named``: the proofs' names in the Qualiopi bundle, by document id; ``among``: those
    formations only, the ones a chat lists, explorer KB8)."""
    await find_formation(session, formation_id, organisation_id)
    query = (
        select(Absence, Formation, Trainee, Organisation, StoredDocument.filename)
        .join(Formation, Formation.id == Absence.formation_id)
        .join(Trainee, Trainee.id == Absence.trainee_id)
        .join(Organisation, Organisation.id == Absence.organisation_id)
        .outerjoin(StoredDocument, StoredDocument.id == Absence.proof_id)
        .where(Absence.deleted_at.is_(None))
        .order_by(Formation.id, Absence.day, Trainee.full_name, Absence.id)
    )
    if organisation_id is not None:
        query = query.where(Absence.organisation_id == organisation_id)
    if formation_id is not None:
        query = query.where(Absence.formation_id == formation_id)
    if among is not None:
        query = query.where(Absence.formation_id.in_(list(among)))
    people = await _people(session)
    found = (await session.execute(query)).all()
    # Two groups of one title told apart by their start day, as the menus do (explorer XB3).
    apart = await names_apart(session, {organisation.id for _, _, _, organisation, _ in found})
    rows = []
    for absence, formation, trainee, organisation, proof in found:
        recorded = absence.recorded_at.astimezone(zone_of(organisation))
        rows.append(
            {
                "organisme": organisation.name,
                "formation": apart.get(formation.id, formation.title),
                "stagiaire": trainee.full_name,
                "date": absence.day,
                "période": period_label(absence.period, absence.late_minutes, absence.late_half),
                "justifiée": absence.justified,
                "motif": absence.reason,
                "saisie par": people.get(absence.recorded_by or 0, ""),
                "saisie le": Moment(recorded, "minutes"),
                # The proof as the Qualiopi bundle names it (explorer J: « justifiée : oui »
                # with nothing to show, although the trainer had sent it).
                "justificatif": (named or {}).get(
                    absence.proof_id or 0, document_name(JUSTIFICATIF, absence.proof_id, proof)
                )
                if proof is not None
                else None,
            }
        )
    return rows


NAMED = {
    "justificatif": "justificatif",
    "preuve_contact": "preuve-echange",
    "piece_suivi": "document-suivi",
}
"""What a stored document's name starts with in the bundle: words, not the stored code
(explorer AH8: « preuve_contact-2-… » among « justificatif-1-… » and « chronologie-… »)."""


def document_name(kind: str, document_id: int | None, filename: str) -> str:
    """A stored document's name in the Qualiopi bundle: a compte rendu by its own name,
    anything else prefixed with its kind and number (two « scan.pdf » never collide)."""
    if kind == "compte_rendu":
        return filename
    return f"{NAMED.get(kind, kind.replace('_', '-'))}-{document_id}-{filename}"


async def ticket_rows(
    session: AsyncSession, formation: Formation, named: Mapping[int, str] | None = None
) -> list[dict[str, Any]]:
    """One row per ticket qualité; ``named``: the documents' names in the bundle, by id."""
    tickets = (
        await session.scalars(
            select(QualityTicket)
            .where(QualityTicket.formation_id == formation.id)
            .order_by(QualityTicket.year, QualityTicket.number)
        )
    ).all()
    names = {t.id: t.full_name for t in formation.trainees}
    people = await _people(session)
    documents = {
        d.id: d
        for d in (
            await session.scalars(
                select(StoredDocument).where(
                    StoredDocument.followup_id.in_([t.followup_id for t in tickets])
                )
            )
        ).all()
    }
    rows = []
    for ticket in tickets:
        linked = [documents[i] for i in ticket.document_ids if i in documents]
        rows.append(
            {
                "référence": ticket.reference,
                "déposé le": ticket.filed_on,
                "formation": formation.title,
                "stagiaire": names.get(ticket.trainee_id, ""),
                "règle": ticket.rule_id,
                "règle (en clair)": rule_label(ticket.rule_id),
                "ce qui a été fait": " | ".join(ticket.actions),
                "note": ticket.note,
                # By their names in the bundle, as the manifest lists them (explorer AH1).
                "documents liés": " | ".join(
                    f"{(named or {}).get(d.id, document_name(d.kind, d.id, d.filename))}"
                    f" (sha256 {d.sha256})"
                    for d in linked
                ),
                "saisi par": people.get(ticket.created_by or 0, ""),
            }
        )
    return rows


async def timeline_pdf(
    session: AsyncSession, formation: Formation, trainee: Trainee, now: datetime
) -> bytes:
    organisation = await session.get(Organisation, formation.organisation_id)
    zone = organisation.timezone if organisation else "Europe/Paris"
    events = await timeline(session, trainee, zone)
    return render_pdf(
        "timeline.html.j2",
        name=trainee.full_name,
        company=trainee.company,
        formation=formation,
        organisation=organisation.name if organisation else "",
        period=period_said(formation.start_date, formation.effective_end),
        generated=dates.spell_datetime(now.astimezone(ZoneInfo(zone))),
        events=[
            {
                "day": dates.spell_date(e.day),
                "hour": dates.spell_time(e.moment) if e.moment and e.kind == "entretien" else "",
                "text": e.text,
                "who": e.who,
                # To the minute: same-day lines in the order they were entered read so
                # (explorer J: « entretien tenu », then « suivi ouvert », no telling why).
                "recorded": dates.spell_datetime(e.recorded_at.astimezone(ZoneInfo(zone))),
            }
            for e in events
        ],
    )


async def qualiopi_bundle(
    session: AsyncSession,
    formation_id: int | None,
    *,
    organisation_id: int | None = None,
    now: datetime | None = None,
) -> bytes:
    """The ZIP for an auditor (indicator 12): absences, tickets, timelines, comptes rendus."""
    if formation_id is None:
        raise LookupError(
            "Précisez la formation : --formation ID (la liste :"
            f" {command_on_this_base()} export formations)."
        )
    formation = await find_formation(session, formation_id, organisation_id)
    assert formation is not None
    await session.refresh(formation, ["trainees"])
    moment = now or datetime.now(UTC)
    followed = await followed_trainees(session, formation.id)
    documents = await _kept_documents(session, formation)
    tables = ["absences.csv", "tickets-qualite.csv", "sorties.csv"]
    timelines = [f"chronologie-{person_slug(t.full_name)}.pdf" for t in followed]
    # Every name as the ZIP will hold it, before anything is written: the manifest, the
    # tickets and the absences name a kept document as its file is named (explorer IB5: two
    # comptes rendus of one day, the second « -2 » in the ZIP, listed once under the first
    # one's name with the second one's SHA-256).
    names = unique_names(
        [*tables, *timelines, *(document_name(d.kind, d.id, d.filename) for d in documents)]
    )
    first = len(tables) + len(timelines)
    named = dict(zip([d.id for d in documents], names[first:], strict=True))
    files: list[tuple[str, bytes]] = []
    # The tables in the CSV French Excel opens with a double click (";", BOM, 23/11/2026):
    # still plain text any tool reads, and the same bytes for the same data.
    absences = await absence_rows(session, formation_id=formation.id, named=named)
    files.append(("absences.csv", sheet(absences, ABSENCE_COLUMNS, "csv-excel")))
    tickets = await ticket_rows(session, formation, named)
    files.append(("tickets-qualite.csv", sheet(tickets, TICKET_COLUMNS, "csv-excel")))
    exits = await exit_rows(session, formation)
    files.append(("sorties.csv", sheet(exits, EXIT_COLUMNS, "csv-excel")))
    for trainee, name in zip(followed, names[len(tables) : first], strict=True):
        files.append((name, await timeline_pdf(session, formation, trainee, moment)))
    kinds = labels()["documents"]
    for document in documents:
        files.append((named[document.id], document.content))
    organisation = await session.get(Organisation, formation.organisation_id)
    manifest = {
        "objet": "Dossier Qualiopi, indicateur 12 : suivi des absences et des décrochages",
        "organisme": organisation.name if organisation else "",
        "formation": {
            "id": formation.id,
            "intitulé": formation.title,
            "début": formation.start_date,
            "fin": formation.effective_end,
        },
        "suivis": len(followed),
        "tickets qualité": len(tickets),
        # Keyed by the file's name in the bundle: two « arret.pdf » were one entry, one
        # recorded SHA-256 lost, and no name matched a file (explorer AH1, IB5).
        "documents conservés": {
            named[d.id]: {
                "nature": kinds.get(d.kind, d.kind),
                "sha256 à l'enregistrement": d.sha256,
            }
            for d in documents
        },
        "produit par": "formabot",
    }
    return build_bundle(files, manifest=manifest, created=moment)


async def _kept_documents(session: AsyncSession, formation: Formation) -> list[StoredDocument]:
    """The documents kept with the formation's follow-ups and its live absences' proofs,
    in the order they were stored."""
    proofs = select(Absence.proof_id).where(
        Absence.formation_id == formation.id, Absence.deleted_at.is_(None)
    )
    followups = select(FollowUp.id).where(FollowUp.formation_id == formation.id)
    documents = (
        await session.scalars(
            select(StoredDocument)
            .where(
                or_(
                    StoredDocument.followup_id.in_(followups),
                    StoredDocument.id.in_(proofs),
                )
            )
            .order_by(StoredDocument.created_at, StoredDocument.id)
        )
    ).all()
    return list(documents)


# --- command line registration ------------------------------------------------------------


async def cli_absences(session: AsyncSession, args: argparse.Namespace) -> list[dict[str, Any]]:
    return await absence_rows(
        session, organisation_id=args.organisation, formation_id=args.formation
    )


async def cli_qualiopi(session: AsyncSession, args: argparse.Namespace) -> bytes:
    return await qualiopi_bundle(session, args.formation, organisation_id=args.organisation)
