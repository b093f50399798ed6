"""A bilan's proofs of participation as one ZIP, checkable by whoever receives it.

Inside (see :func:`bot.documents.bundle.build_bundle`):

- ``recapitulatif.pdf``: the bilan, each participant and how they are
  accounted for, every file with its SHA-256;
- per attestation: the PDF the participant received
  (``attestation-01-lea-martin.pdf``) and the exact text they confirmed
  (``attestation-01-lea-martin.txt``, whose SHA-256 is the one recorded at
  confirmation);
- the feuilles d'émargement uploaded for on-site participants;
- ``manifest.json``: the size and SHA-256 of every file, and per participant
  the frozen evidence (typed name, time, platform and chat user id,
  invitation, text hash), with earlier versions listed as superseded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.answers import visible
from bot.attestations.evidence import bilan_words, file_stem
from bot.attestations.service import ROLE_LABELS, ParticipantStatus, Progress, progress
from bot.bilans.view import BilanView, view_of
from bot.documents.bundle import build_bundle, safe_name, sha256_hex
from bot.documents.pdf import render_pdf
from bot.storage.attestations import AttendanceSheet, Attestation

MANIFEST_FORMAT = "formabot-attestations/1"
RECAP = "recapitulatif.pdf"
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


@dataclass(frozen=True)
class ProofBundle:
    filename: str
    content: bytes
    complete: bool
    missing: list[str]
    attestations: int
    sheets: int

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(moment: datetime, info: BilanView) -> str:
    return dates.spell_datetime(moment.astimezone(info.tz))


def sheet_name(number: int, sheet: AttendanceSheet) -> str:
    extension = EXTENSIONS.get(sheet.mime_type)
    if extension is None:
        _, dot, suffix = sheet.filename.rpartition(".")
        extension = f".{suffix.lower()[:5]}" if dot and suffix.isalnum() else ".bin"
    return safe_name(f"emargement-{number}{extension}")


def status_words(row: ParticipantStatus, info: BilanView) -> str:
    answer = row.answer
    state = row.state
    if state == "attested" and answer is not None:
        words = f"attestation sur l'honneur du {_local(answer.answered_at, info)}"
        if not answer.name_matches:
            words += f" (nom tapé : « {answer.typed_name} »)"
        return words
    if state == "on_sheet" and row.sheet is not None:
        return "figure sur la feuille d'émargement"
    if state == "absent" and row.participant.no_show_at is not None:
        return f"n'a pas participé au bilan (noté le {_local(row.participant.no_show_at, info)})"
    if state in ("declined", "declined_no_reason") and answer is not None:
        reason = (answer.reason or "").strip()
        return f"déclare ne pas avoir participé ({_local(answer.answered_at, info)})" + (
            f" : « {reason} »" if reason else ", sans raison donnée"
        )
    return "aucun justificatif"


def _answer_entry(answer: Attestation, files: dict[str, str]) -> dict[str, Any]:
    return {
        "version": answer.version,
        "answer": answer.answer,
        "typed_name": answer.typed_name,
        "name_matches": answer.name_matches,
        "role": answer.role,
        "role_matches": answer.role_matches,
        "structure": answer.structure,
        "reason": answer.reason,
        "answered_at": _utc(answer.answered_at),
        "platform": answer.platform,
        "chat_user_id": answer.chat_user_id,
        "invitation_id": answer.invitation_id,
        "text_sha256": answer.text_sha256,
        "pdf_sha256": answer.pdf_sha256,
        **files,
    }


def assemble(prog: Progress, *, now: datetime) -> ProofBundle:
    """The ZIP of ``prog`` (pure: everything needed is already loaded)."""
    info = prog.info
    words = bilan_words(info)
    files: list[tuple[str, bytes]] = []
    described: list[dict[str, str]] = []
    participants: list[dict[str, Any]] = []
    sheet_names = {s.id: sheet_name(n, s) for n, s in enumerate(prog.sheets, start=1)}
    number = 0
    for row in prog.rows:
        p = row.participant
        entry: dict[str, Any] = {
            "participant_id": p.id,
            "name": visible(p.name),
            "invited_as": p.kind,
            "structure": p.structure,
            "status": row.state,
            "accounted": row.accounted,
            "on_sheet": sheet_names.get(row.sheet.id) if row.sheet else None,
        }
        answer = row.answer
        if answer is not None:
            names: dict[str, str] = {}
            if answer.answer == "attested" and answer.pdf is not None:
                number += 1
                stem = file_stem(number, p.name)
                names = {"pdf": f"{stem}.pdf", "text_file": f"{stem}.txt"}
                files.append((names["pdf"], answer.pdf))
                files.append((names["text_file"], answer.text.encode("utf-8")))
                who = visible(p.name)
                described.append({"name": names["pdf"], "what": f"attestation de {who} (PDF)"})
                described.append(
                    {"name": names["text_file"], "what": f"texte exact confirmé par {who}"}
                )
            entry["answer"] = _answer_entry(answer, names)
        participants.append(entry)
    for sheet in prog.sheets:
        files.append((sheet_names[sheet.id], sheet.content))
        described.append({"name": sheet_names[sheet.id], "what": "feuille d'émargement signée"})
    current = {r.answer.id for r in prog.rows if r.answer is not None}
    names_by_id = {r.participant.id: visible(r.participant.name) for r in prog.rows}
    superseded = [a for a in prog.history if a.id not in current]
    missing = [visible(p.name) for p in prog.missing]
    rows = [
        {
            "name": visible(r.participant.name),
            "role": ROLE_LABELS.get(r.participant.kind, r.participant.kind)
            + (f" ({visible(r.participant.structure)})" if r.participant.structure else ""),
            "status": status_words(r, info),
        }
        for r in prog.rows
    ]
    recap = render_pdf(
        "attestations_recap.html.j2",
        b=words,
        rows=rows,
        files=[
            {**d, "sha256": sha256_hex(data)} for d, (_, data) in zip(described, files, strict=True)
        ],
        superseded=[
            {
                "name": names_by_id.get(a.participant_id, ""),
                "version": a.version,
                "when": _local(a.answered_at, info),
                "text_sha256": a.text_sha256,
            }
            for a in superseded
        ],
        complete=prog.complete,
        missing=missing,
        created=_local(now, info),
    )
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "about": "Justificatifs de participation au bilan (Région Normandie, fiche procédure "
        "bilan à distance, §III ; règle NOR-PROOF)",
        "bilan": {
            "id": info.bilan.id,
            "kind": info.bilan.kind,
            "remote": info.bilan.remote,
            "starts_at": _utc(info.bilan.starts_at),
            "ends_at": _utc(info.bilan.ends_at),
            "timezone": str(info.tz),
            "formation": words["formation"],
            "formation_id": info.formation.id,
            "funder": info.formation.funder,
            "organisation": words["organisation"],
            "chargee_de_mission": words["cm"],
        },
        "complete": prog.complete,
        "missing": missing,
        "participants": participants,
        "superseded": [
            {"participant_id": a.participant_id, **_answer_entry(a, {})} for a in superseded
        ],
        "sheets": [
            {
                "file": sheet_names[s.id],
                "uploaded_at": _utc(s.uploaded_at),
                "original_name": s.filename,
                "sha256": s.sha256,
            }
            for s in prog.sheets
        ],
    }
    content = build_bundle([(RECAP, recap), *files], manifest=manifest, created=now)
    day = info.start.date().isoformat()
    return ProofBundle(
        filename=f"justificatifs-bilan-{info.bilan.id}-{day}.zip",
        content=content,
        complete=prog.complete,
        missing=missing,
        attestations=number,
        sheets=len(prog.sheets),
    )


async def build(
    session: AsyncSession, bilan_id: int, *, now: datetime, organisation_id: int | None = None
) -> ProofBundle:
    """The bundle of ``bilan_id``; ``LookupError`` (French message) for an unknown bilan."""
    info = await view_of(session, bilan_id)
    if info is None or (
        organisation_id is not None and info.bilan.organisation_id != organisation_id
    ):
        raise LookupError(f"Bilan inconnu : {bilan_id}. L'identifiant est donné par /attestations.")
    return assemble(await progress(session, info), now=now)
