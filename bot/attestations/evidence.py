"""The attestation text, frozen with its hash, and the documents made from it.

The text comes from ``templates/documents/attestation.txt.j2`` and is
rendered **once**, when it is shown to the participant; what they confirm is
that exact string, stored with its SHA-256 (of its UTF-8 bytes).  Rewording
the template changes the attestations given afterwards, never those already
given.  The PDF made at confirmation is stored too, so the copy in the
bundle is byte for byte the one the participant received.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC
from typing import Any

from bot import dates, texts
from bot.answers import visible
from bot.attestations.service import ROLE_LABELS
from bot.bilans.view import BilanView
from bot.documents.bundle import slug
from bot.documents.pdf import render_pdf
from bot.people.zones import hour_words
from bot.rules.facts import ACTION_TYPES, FUNDERS, PROGRAMMES
from bot.storage.attestations import Attestation

TEXT_TEMPLATE = "documents/attestation.txt.j2"
PDF_TEMPLATE = "attestation.html.j2"
PLATFORM_LABELS = {"telegram": "Telegram", "matrix": "Matrix", "console": "console (essai local)"}

_BLANKS = re.compile(r"\n{3,}")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def zone_words(info: BilanView) -> str:
    return hour_words(str(info.tz))


def action_words(info: BilanView) -> str:
    formation = info.formation
    parts: list[str] = []
    if formation.programme and formation.programme in PROGRAMMES:
        parts.append(PROGRAMMES[formation.programme])
    if formation.action_type and formation.action_type in ACTION_TYPES:
        parts.append(ACTION_TYPES[formation.action_type])
    period = (
        f"du {dates.spell_date(formation.start_date)} au {dates.spell_date(formation.end_date)}"
    )
    return ", ".join([*parts, f"action {period}"])


def bilan_words(info: BilanView) -> dict[str, Any]:
    """What the text, the summary and the e-mail say about the bilan (no user escaping)."""
    formation = info.formation
    return {
        "formation": visible(formation.title),
        "action": action_words(info),
        "funder": FUNDERS.get(formation.funder, "Région"),
        "kind": info.kind_label,
        "remote": info.bilan.remote,
        "day": dates.spell_date(info.start),
        "start": dates.spell_time(info.start),
        "end": dates.spell_time(info.end),
        "zone": zone_words(info),
        "organisation": visible(info.organisation_name),
        "trainer": info.trainer,
        "cm": visible(formation.cm_name) or None,
        "cm_email": formation.cm_email,
    }


def attestation_text(info: BilanView, *, name: str, role: str, structure: str | None) -> str:
    """The text to show and freeze: normalised (NFC, tidy blank lines), ending with a newline."""
    words = bilan_words(info)
    raw = texts.render_document(
        TEXT_TEMPLATE,
        name=visible(name),
        role=role,
        structure=visible(structure) or "une structure partenaire",
        formation=words["formation"],
        action=words["action"],
        funder=words["funder"],
        kind=words["kind"],
        remote=words["remote"],
        day=words["day"],
        start=words["start"],
        end=words["end"],
        zone=words["zone"],
        organisation=words["organisation"],
        trainer=words["trainer"],
        cm_name=words["cm"],
    )
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", raw).strip().splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines)) + "\n"


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def evidence(answer: Attestation, info: BilanView) -> dict[str, Any]:
    moment = answer.answered_at
    return {
        "typed_name": answer.typed_name,
        "local": dates.spell_datetime(moment.astimezone(info.tz)) + f" ({zone_words(info)})",
        "utc": moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "platform": PLATFORM_LABELS.get(answer.platform, answer.platform),
        "chat_user_id": answer.chat_user_id,
        "invitation_id": answer.invitation_id if answer.invitation_id is not None else "—",
        "version": answer.version,
        "text_sha256": answer.text_sha256,
        "role": ROLE_LABELS.get(answer.role, answer.role),
    }


def attestation_pdf(answer: Attestation, info: BilanView) -> bytes:
    return render_pdf(
        PDF_TEMPLATE,
        name=answer.typed_name,
        paragraphs=paragraphs(answer.text),
        e=evidence(answer, info),
    )


def file_stem(number: int, name: str) -> str:
    """``attestation-01-lea-martin``: numbered, ASCII, safe on every file system."""
    return f"attestation-{number:02d}-{slug(visible(name), empty='participant')}"
