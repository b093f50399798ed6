"""A bilan's proofs of participation as one ZIP, checkable by whoever receives it.

Inside (see :func:`bot.documents.bundle.build_bundle`):

- ``recapitulatif.pdf``: the bilan (cancelled or moved, said at the top),
  each participant and how they are accounted for, what the trainer must
  still check, every file with its SHA-256, the signing key's fingerprint;
- per attestation: the PDF the participant received
  (``attestation-01-lea-martin.pdf``) and the exact text they confirmed
  (``attestation-01-lea-martin.txt``, whose SHA-256 is the one recorded at
  confirmation);
- the feuilles d'émargement uploaded for on-site participants;
- ``cle-publique.pem``: the organisation's Ed25519 public key;
- ``manifest.json`` (French keys): the size and SHA-256 of every file, per
  participant the frozen evidence, the flagged answers, and ``chaîne``:
  every answer of the bilan, oldest first, with its chain hash and
  signature (:mod:`bot.attestations.chain`);
- ``manifest.json.signature``: the Ed25519 signature of ``manifest.json``.

``formabot verifier FICHIER.zip`` (:mod:`bot.attestations.verify`) checks
all of it without the database.  A cancelled bilan's bundle is still built
(an auditor may ask what was collected before the cancellation) but says
``annulé`` everywhere and is never complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import visible
from bot.attestations.chain import ANSWER_WORDS, gaps, record_of, utc_text
from bot.attestations.evidence import bilan_words, file_stem
from bot.attestations.keys import SigningKey, spaced
from bot.attestations.service import (
    ROLE_LABELS,
    ParticipantStatus,
    Progress,
    progress,
    signed_as,
    structure_sworn,
)
from bot.bilans.participants import agreement_words, derogation_of
from bot.bilans.view import BilanView, view_of
from bot.documents.bundle import SIGNATURE, build_bundle, safe_name, sha256_hex
from bot.documents.pdf import render_pdf
from bot.storage.attestations import AttendanceSheet, Attestation
from bot.storage.bilans import BilanParticipant
from bot.storage.people import Person

MANIFEST_FORMAT = "formabot-attestations/2"
KEY_FILE = "cle-publique.pem"
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
    cancelled: bool = False
    flagged: list[str] = field(default_factory=list)
    """Who has an answer the trainer must check (other account, other role, former date)."""

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)


def _local(moment: datetime, info: BilanView) -> str:
    return dates.spell_datetime(moment.astimezone(info.tz))


def sheet_name(number: int, sheet: AttendanceSheet) -> str:
    extension = EXTENSIONS.get(sheet.mime_type)
    if extension is None:
        _, dot, suffix = sheet.filename.rpartition(".")
        extension = f".{suffix.lower()[:5]}" if dot and suffix.isalnum() else ".bin"
    return safe_name(f"emargement-{number}{extension}")


def words(block: str, **values: Any) -> str:
    """A phrase of ``templates/chat/attestations_bundle.j2``, as plain text."""
    return texts.plain(texts.say(f"attestations_bundle.{block}", **values))


def state_words(state: str) -> str:
    return words("state", state=state)


def concern_words(concern: str, typed: str = "", said: str | None = None) -> str:
    """``identity`` | ``name`` (with the name ``typed``) | ``role`` | ``reserve`` (with the
    words ``said`` before attesting) | ``moved``, said to the auditor."""
    return words("concern", concern=concern, typed=typed, words=said or "")


def row_concerns(row: ParticipantStatus) -> list[str]:
    """What the trainer has to check in the participant's current answer, said."""
    answer = row.answer
    typed, before = (answer.typed_name, answer.words_before) if answer else ("", None)
    said = [concern_words(c, typed, before) for c in row.concerns]
    if row.state == "contradicted":  # its « état » says « à vérifier » (explorer AH9)
        said.append(concern_words("contradicted"))
    return said


def status_words(row: ParticipantStatus, info: BilanView) -> str:
    """How the summary accounts for one participant, in a sentence."""
    answer = row.answer
    state = row.state if answer is not None or row.state in ("on_sheet", "absent") else ""
    if state == "absent" and row.participant.no_show_at is not None:
        return words("status", state=state, at=_local(row.participant.no_show_at, info))
    if answer is None:
        return words("status", state=state)
    former = answer.bilan_starts_at
    return words(
        "status",
        state=state,
        at=_local(answer.answered_at, info),
        typed="" if answer.name_matches else answer.typed_name,
        # Kept beside the oath once validated, as the review weighed them (explorer GB5).
        words=answer.words_before or "",
        former=_local(former, info) if former is not None else "",
        concerns=row_concerns(row),
        reason=(answer.reason or "").strip(),
        signed=signed_as(answer, row.participant),
    )


def agreement_entry(participant: BilanParticipant) -> dict[str, str] | None:
    """The chargé(e) de mission's agreement for a trainee who is not a delegate, as the
    agenda words it and in parts a program can read: without it, the Région reading the
    bundle sees a trainee at a bilan « réservé aux représentants » (explorer AE1)."""
    derogation = derogation_of(participant)
    if derogation is None:
        return None
    return {
        "texte": derogation.words(),
        "donné_par": derogation.by,
        "le": derogation.on.isoformat(),
        "moyen": derogation.how_words,
    }


def role_words(row: ParticipantStatus) -> str:
    """The summary's column Rôle: the invited role as the agenda says it, then what the
    answer swore when it differs."""
    p, answer = row.participant, row.answer
    said = ROLE_LABELS.get(p.kind, p.kind)
    if p.structure:
        said += f" ({visible(p.structure)})"
    if (agreement := agreement_words(p)) is not None:
        said += f" ({agreement})"
    # Sworn in another role (validated, or still to check): said beside the invited one,
    # never hidden behind it (explorer M: « stagiaire » in the recap, the attestation
    # « représentant les stagiaires »).
    if answer is not None and answer.role != p.kind:
        said += f" ; a attesté comme « {ROLE_LABELS.get(answer.role, answer.role)} »"
    if sworn := structure_sworn(answer, p):
        said += f" ; a attesté pour la structure « {sworn} »"
    return said


def _answer_entry(answer: Attestation, files: dict[str, str]) -> dict[str, Any]:
    return {
        "version": answer.version,
        "réponse": ANSWER_WORDS.get(answer.answer, answer.answer),
        "nom_tapé": answer.typed_name,
        "nom_conforme": answer.name_matches,
        "rôle": ROLE_LABELS.get(answer.role, answer.role),
        "rôle_conforme": answer.role_matches,
        "structure": answer.structure,
        "raison": answer.reason,
        "répondu_le": utc_text(answer.answered_at),
        "messagerie": answer.platform,
        "compte": answer.chat_user_id,
        "invitation_id": answer.invitation_id,
        "texte_sha256": answer.text_sha256,
        "pdf_sha256": answer.pdf_sha256,
        "bilan_du": utc_text(answer.bilan_starts_at),
        "bilan_au": utc_text(answer.bilan_ends_at),
        # Not in the signed record (its keys are fixed), in the signed manifest (GB5).
        "écrit_avant_de_répondre": answer.words_before,
        **files,
    }


def reviews_of(
    prog: Progress, answer: Attestation, deciders: dict[int, str]
) -> list[dict[str, Any]]:
    """The trainer's decisions on ``answer``: what was flagged, decided by whom and when
    (explorer AL6: a delegate's answer from a second account, validated, showed as a plain
    « attestée », nothing of the flag nor of who decided)."""
    return [
        {
            "motif": concern_words(r.concern, answer.typed_name, answer.words_before),
            "décision": "validée" if r.decision == "validated" else "écartée",
            "par": deciders.get(r.decided_by) if r.decided_by is not None else None,
            "le": utc_text(r.decided_at),
            "le_local": _local(r.decided_at, prog.info),
        }
        for r in sorted(prog.reviews, key=lambda r: r.id)
        if r.attestation_id == answer.id
    ]


def chain_entry(answer: Attestation) -> dict[str, Any]:
    """One link of the chain as the verifier recomputes it (no signature: ``null``)."""
    return {
        **record_of(answer),
        "empreinte": answer.chain_sha256,
        "signature": answer.signature,
        "clé_sha256": answer.key_sha256,
    }


def bilan_state(prog: Progress) -> str:
    if prog.cancelled:
        return "annulé"
    return "complet" if prog.complete else "incomplet"


def flagged(prog: Progress) -> list[dict[str, Any]]:
    """What the summary and the manifest say the trainer has to look at."""
    found: list[dict[str, Any]] = []
    for row in prog.rows:
        reasons = row_concerns(row)
        if row.outdated and row.answer is not None:
            reasons.append(concern_words("moved"))
        if reasons:
            found.append(
                {
                    "participant_id": row.participant.id,
                    "nom": visible(row.participant.name),
                    "motifs": reasons,
                }
            )
    return found


PROOFS = "Justificatifs de participation au bilan"


def subject_of(info: BilanView) -> str:
    """The manifest's ``objet``: the procedure that asks for these proofs, or none.

    The Région Normandie's (seed 000 §III, rule NOR-PROOF) asks for them after a
    bilan remote or on site; no other funder's text does (the Centre-Val de Loire's
    seeds 001 and 002 ask for a written bilan qualitatif): a CVL bilan's proofs
    cited the Normandie procedure (explorer KC5).
    """
    if info.formation.funder == "normandie":
        return (
            f"{PROOFS} (Région Normandie, fiche procédure bilan à distance, §III ; règle NOR-PROOF)"
        )
    return PROOFS


def assemble(
    prog: Progress, *, now: datetime, key: SigningKey, deciders: dict[int, str] | None = None
) -> ProofBundle:
    """The ZIP of ``prog``, signed with ``key`` (pure: everything is already loaded);
    ``deciders``: the names of those who examined flagged answers, by person id."""
    deciders = deciders or {}
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
            "nom": visible(p.name),
            "invité_comme": ROLE_LABELS.get(p.kind, p.kind),
            "structure": p.structure,
            "accord_chargé_de_mission": agreement_entry(p),
            "état": state_words(row.state),
            "justifié": row.accounted,
            "à_vérifier": row_concerns(row),
            "ancienne_date": row.outdated,
            "sur_feuille": sheet_names.get(row.sheet.id) if row.sheet else None,
        }
        answer = row.answer
        if answer is not None:
            names: dict[str, str] = {}
            if answer.answer == "attested" and answer.pdf is not None:
                number += 1
                stem = file_stem(number, p.name)
                names = {"pdf": f"{stem}.pdf", "texte": f"{stem}.txt"}
                files.append((names["pdf"], answer.pdf))
                files.append((names["texte"], answer.text.encode("utf-8")))
                who = visible(p.name)
                described.append(
                    {"name": names["pdf"], "what": f"attestation {texts.of(who)} (PDF)"}
                )
                described.append(
                    {"name": names["texte"], "what": f"texte exact confirmé par {who}"}
                )
            entry["réponse"] = _answer_entry(answer, names)
            # Her name corrected since she signed: both, for the auditor (explorer KE2).
            entry["signée_sous_le_nom"] = signed_as(answer, p) or None
            entry["examens"] = reviews_of(prog, answer, deciders)
        participants.append(entry)
    for sheet in prog.sheets:
        files.append((sheet_names[sheet.id], sheet.content))
        described.append({"name": sheet_names[sheet.id], "what": "feuille d'émargement signée"})
    files.append((KEY_FILE, key.public_pem))
    described.append({"name": KEY_FILE, "what": "clé publique Ed25519 de l'organisme"})
    current = {r.answer.id for r in prog.rows if r.answer is not None}
    names_by_id = {r.participant.id: visible(r.participant.name) for r in prog.rows}
    superseded = [a for a in prog.history if a.id not in current]
    kept_account = {
        r.participant.id: (r.answer.platform, r.answer.chat_user_id)
        for r in prog.rows
        if r.answer is not None
    }
    examined = [
        {"name": visible(r.participant.name), **review}
        for r in prog.rows
        if r.answer is not None
        for review in reviews_of(prog, r.answer, deciders)
    ] + [  # a version set aside then answered again (explorer DB4: read as a correction)
        {"name": names_by_id.get(a.participant_id, ""), "version": a.version, **review}
        for a in superseded
        for review in reviews_of(prog, a, deciders)
    ]
    missing = prog.missing_names
    to_check = flagged(prog)
    cancelled_at = info.bilan.cancelled_at
    moved = any(r.outdated for r in prog.rows)
    links = [chain_entry(a) for a in sorted(prog.history, key=lambda a: a.id)]
    rows = [
        {
            "name": visible(r.participant.name),
            "role": role_words(r),
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
                "answer": a.answer,  # what it said, not only its text (explorer DB7)
                "reason": visible(a.reason) if a.reason else "",
                "other_account": kept_account.get(a.participant_id)
                not in (None, (a.platform, a.chat_user_id)),
            }
            for a in superseded
        ],
        examined=examined,
        complete=prog.complete,
        held=prog.held,
        missing=missing,
        created=_local(now, info),
        cancelled=_local(cancelled_at, info) if cancelled_at is not None else None,
        moved=moved,
        flagged=to_check,
        fingerprint=spaced(key.fingerprint),
        erased=len(gaps(links, info.bilan.id)),
        answered=len(links),
    )
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "objet": subject_of(info),
        "bilan": {
            "id": info.bilan.id,
            "nature": words["kind"],
            "à_distance": info.bilan.remote,
            "début": utc_text(info.bilan.starts_at),
            "fin": utc_text(info.bilan.ends_at),
            "fuseau": str(info.tz),
            "formation": words["formation"],
            "formation_id": info.formation.id,
            "financeur": words["funder"],
            "organisme": words["organisation"],
            "chargé_de_mission": words["cm"],
            "annulé_le": utc_text(cancelled_at),
            "déplacé_après_des_réponses": moved,
        },
        "état": bilan_state(prog),
        "complet": prog.complete,
        "manquants": missing,
        "à_vérifier": to_check,
        "participants": participants,
        "versions_remplacées": [
            {
                "participant_id": a.participant_id,
                **_answer_entry(a, {}),
                "examens": reviews_of(prog, a, deciders),
            }
            for a in superseded
        ],
        "chaîne": links,
        "chaîne_interrompue": gaps(links, info.bilan.id),
        "feuilles": [
            {
                "fichier": sheet_names[s.id],
                "déposée_le": utc_text(s.uploaded_at),
                "nom_d_origine": s.filename,
                "sha256": s.sha256,
            }
            for s in prog.sheets
        ],
        "clé_publique": {
            "algorithme": "Ed25519",
            "empreinte_sha256": key.fingerprint,
            "pem": key.public_pem.decode("ascii"),
            "fichier": KEY_FILE,
        },
    }
    content = build_bundle(
        [(RECAP, recap), *files],
        manifest=manifest,
        created=now,
        seal=lambda data: [(SIGNATURE, key.sign(data).encode("ascii") + b"\n")],
    )
    suffix = "-annule" if cancelled_at is not None else ""
    return ProofBundle(
        # Named as the bilan's agenda, by its day and formation (explorer YD3: « bilan-1 »,
        # « bilan-2 », the database's numbers, for two bilans of one day).
        filename=f"justificatifs-{info.file_stem}{suffix}.zip",
        content=content,
        complete=prog.complete,
        missing=missing,
        attestations=number,
        sheets=len(prog.sheets),
        cancelled=cancelled_at is not None,
        flagged=[f["nom"] for f in to_check],
    )


async def build(
    session: AsyncSession,
    bilan_id: int,
    *,
    now: datetime,
    key: SigningKey,
    organisation_id: int | None = None,
) -> ProofBundle:
    """The bundle of ``bilan_id``; ``LookupError`` (French message) for an unknown bilan."""
    info = await view_of(session, bilan_id)
    if info is None or (
        organisation_id is not None and info.bilan.organisation_id != organisation_id
    ):
        raise LookupError(f"Bilan inconnu : {bilan_id}.")
    return await assembled(session, await progress(session, info, now=now), now=now, key=key)


async def assembled(
    session: AsyncSession, prog: Progress, *, now: datetime, key: SigningKey
) -> ProofBundle:
    """:func:`assemble` with the names of those who examined flagged answers, looked up: every
    copy of the dossier says who validated (explorer AU1: the chat's and the e-mailed ones
    read « par » null, the command line's « par Camille Durand »)."""
    ids = {r.decided_by for r in prog.reviews if r.decided_by is not None}
    deciders = (
        {
            person.id: visible(person.display_name)
            for person in (await session.scalars(select(Person).where(Person.id.in_(ids)))).all()
        }
        if ids
        else {}
    )
    return assemble(prog, now=now, key=key, deciders=deciders)
