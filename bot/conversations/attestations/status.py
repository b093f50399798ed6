"""The bilan's status, the text of ``/attestations``' menu: each participant's line, or,
past what one chat message holds, how many answered which way and who has not answered yet
(explorer CF8: a bilan of 203 participants made one message of 16 KB, which Telegram, at
4,096 characters a message, cut in five, and an edited menu kept only the first part).

    Bilan d'étape – Agent de restauration (démo)
    lundi 23 novembre 2026, de 14 h 00 à 16 h 00, à distance
    203 participants :
    ✅ 120 ont attesté leur participation
    ⏳ 83 n'ont pas encore répondu : Léa Martin, Hugo Moreau, … et 61 autres.
    La liste complète, avec la réponse de chacun : le récapitulatif du dossier de preuves …
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import dates
from bot.answers import visible
from bot.attestations.concerns import reserves
from bot.attestations.evidence import bilan_words
from bot.attestations.service import (
    ROLE_LABELS,
    ParticipantStatus,
    progress,
    signed_as,
    structure_sworn,
    when_words,
)
from bot.bilans.view import BilanView
from bot.conversations.attestations.who import this_bilan
from bot.conversations.kit.context import Context
from bot.storage.attestations import ProofSending

STATUS_BUDGET = 3_500
"""Characters the status may take, its markup included: a message of Telegram holds 4,096
(its menu's question and the transports' marks need the rest); past it, the summary."""

_COUNTED = {
    "attested": "attested",
    "on_sheet": "on_sheet",
    "declined": "declined",
    "declined_no_reason": "declined",
    "absent": "absent",
    "to_review": "to_check",
    "outdated": "to_check",
    "rejected": "to_check",
    "contradicted": "to_check",
}
"""Each state's count in the summary; any other (``opened``, ``invited``, ``not_invited``)
has not answered yet."""


def _summary(ctx: Context, said: dict[str, Any], rows: list[ParticipantStatus]) -> dict[str, Any]:
    """The counts, and as many names of those who have not answered as the message holds,
    the others counted (« … et 61 autres »)."""
    counts = dict.fromkeys(("attested", "on_sheet", "declined", "to_check", "absent"), 0)
    waiting: list[str] = []
    for row in rows:
        if row.state in _COUNTED:
            counts[_COUNTED[row.state]] += 1
        else:
            waiting.append(visible(row.participant.name))
    summary: dict[str, Any] = counts | {"total": len(rows), "waiting": len(waiting)}
    said["s"]["summary"] = summary | {"names": [], "more": len(waiting)}
    room = STATUS_BUDGET - len(ctx.render("attestation_trainer.status", **said))
    names: list[str] = []
    for name in waiting:
        room -= len(name) + 2
        if room < 0:
            break
        names.append(name)
    while True:  # the names' marks and « … et N autres » told, checked whole
        said["s"]["summary"] = summary | {"names": names, "more": len(waiting) - len(names)}
        if not names or len(ctx.render("attestation_trainer.status", **said)) <= STATUS_BUDGET:
            return dict(said["s"]["summary"])
        names = names[:-1]


async def status_values(ctx: Context) -> dict[str, Any]:
    """The bilan's status for the menu's text (``s``; ``None`` once the bilan is gone)."""
    info = await this_bilan(ctx)
    if info is None:
        return {"s": None}
    prog = await progress(ctx.session, info, now=ctx.now)
    words = bilan_words(info)
    last = prog.sending
    said = {
        "s": {
            "kind": words["kind"],
            "formation": words["formation"],
            "day": words["day"],
            "start": words["start"],
            "end": words["end"],
            "remote": info.bilan.remote,
            "rows": [row_words(r, info) for r in prog.rows],
            "complete": prog.complete,
            "held": prog.held,
            "missing": prog.missing_names,
            "when": when_words(info, ctx.now),
            "sending": None if last is None else sending_words(info, last),
            "stale": prog.stale,
            "to_review": [visible(r.participant.name) for r in prog.to_review],
            "summary": None,  # each participant's line, as long as the message holds them
        }
    }
    if len(ctx.render("attestation_trainer.status", **said)) > STATUS_BUDGET:
        said["s"]["summary"] = _summary(ctx, said, prog.rows)
    return said


def local(info: BilanView, moment: datetime) -> str:
    """``moment`` as the bilan's organisation reads it: « jeudi 26 novembre 2026 à 14 h 00 »."""
    return dates.spell_datetime(moment.astimezone(info.tz))


def row_words(row: ParticipantStatus, info: BilanView) -> dict[str, Any]:
    """One participant's line: their state and its moment (the template words them)."""
    p, answer, invitation = row.participant, row.answer, row.invitation
    moment: datetime | None = None
    if (
        row.state in ("attested", "declined", "declined_no_reason", "contradicted")
        and answer is not None
    ):
        moment = answer.answered_at
    elif row.state == "on_sheet" and row.sheet is not None:
        moment = row.sheet.uploaded_at
    elif row.state in ("outdated", "to_review", "rejected") and answer is not None:
        moment = answer.answered_at
    elif row.state == "opened" and invitation is not None:
        moment = invitation.redeemed_at or invitation.created_at
    elif row.state == "invited" and invitation is not None:
        moment = invitation.created_at
    elif row.state == "absent":
        moment = p.no_show_at
    role = ROLE_LABELS.get(p.kind, p.kind)
    if p.structure:
        role += f", {visible(p.structure)}"
    return {
        "name": visible(p.name),
        "role": role,
        "state": row.state if moment is not None else "not_invited",
        "at": local(info, moment) if moment is not None else "",
        "reason": visible(answer.reason) if answer is not None else "",
        "mismatch": answer is not None and not answer.name_matches,
        # Said as long as the name typed is (explorer M: gone once validated, unlike it).
        "sworn_as": (
            ROLE_LABELS.get(answer.role, answer.role)
            if answer is not None and answer.role != p.kind
            else ""
        ),
        "sworn_for": structure_sworn(answer, p),
        "typed": answer.typed_name if answer is not None else "",
        "signed_as": signed_as(answer, p),  # her name corrected since she signed (KE2)
        "concerns": list(row.concerns),
        # Written under the text before attesting: said as long as the name typed is (GB5).
        "words": (answer.words_before or "") if answer and answer.answer == "attested" else "",
        # Only words that may take the oath back were examined: « (réponse validée) » (IA3).
        "reserved": answer is not None
        and reserves(answer.words_before, answer.typed_name, answer.role),
        "former": (
            local(info, answer.bilan_starts_at)
            if answer is not None and answer.bilan_starts_at is not None
            else ""
        ),
    }


def sending_words(info: BilanView, last: ProofSending) -> dict[str, str]:
    """The last e-mail of the bundle: ``sent`` (with when), ``failed`` or ``pending``."""
    if last.status == "sent" and last.sent_at is not None:
        return {"status": "sent", "to": last.to_address, "at": local(info, last.sent_at)}
    status = "failed" if last.status == "failed" else "pending"
    return {"status": status, "to": last.to_address, "at": ""}
