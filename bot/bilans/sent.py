"""What the bot sent by itself for a bilan, as the trainer's view of it lists it.

Every message the bot sends about a bilan (the invitation and its updates by
e-mail, a Matrix direct chat, a chat notice, the chargé(e) de mission's
invitation, an attestation link) is an outbox row that names its bilan,
its participant and what it carries (:class:`bot.outbox.About`).  This reads
them back for ``/bilans`` → a bilan: sent with the time, still being sent,
or not sent with the reason in French, so the trainer knows whom to tell
by hand, and only them.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.answers import visible
from bot.outbox import EMAIL
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage

WHAT: dict[str, tuple[str, bool]] = {
    "invited": ("Invitation", True),
    "moved": ("Invitation mise à jour (nouvelle date)", True),
    "cancelled": ("Annulation", True),
    "removed": ("Annonce du retrait", True),
    "link": ("Lien de la visio", False),
    "charge_de_mission": ("Invitation", True),
    "attestation": ("Lien d'attestation", False),
    "reminder": ("Rappel d'attestation", False),
    "proofs": ("Dossier de preuves", False),
}
"""What a row carries: its label and whether the label is feminine (« envoyée »)."""

REASONS = {
    "SMTPRecipientsRefused": "adresse refusée",
    "SMTPSenderRefused": "adresse d'expédition refusée par le serveur de messagerie",
    "SMTPAuthenticationError": "identifiants du serveur de messagerie refusés",
    "SMTPNotSupported": "le serveur de messagerie ne l'accepte pas",
    "MailNotConfigured": "aucun serveur de messagerie n'est configuré",
}
"""Why an e-mail was not sent, from the error the row recorded (its type, never a text)."""


@dataclass(frozen=True)
class SentLine:
    """One message: what, to whom, where, and what became of it."""

    what: str
    feminine: bool
    name: str
    where: str
    """The address of an e-mail; « sur Matrix », « par message » otherwise."""
    status: str
    """``sent`` | ``pending`` | ``failed``."""
    when: str
    reason: str


def _where(row: OutboxMessage) -> str:
    if row.platform == EMAIL:
        return row.chat_id
    return "sur Matrix" if row.platform == "matrix" else "par message"


def _reason(row: OutboxMessage) -> str:
    if row.last_error in REASONS:
        return REASONS[row.last_error]
    if row.platform == EMAIL:
        return "serveur de messagerie injoignable"
    return "la messagerie ne l'a pas accepté"


async def sent_lines(
    session: AsyncSession, bilan: Bilan, formation: Formation, tz: ZoneInfo
) -> list[SentLine]:
    """The messages about ``bilan``, oldest first (cancelled ones left out)."""
    rows = (
        await session.execute(
            select(OutboxMessage, BilanParticipant.name)
            .outerjoin(BilanParticipant, BilanParticipant.id == OutboxMessage.participant_id)
            .where(
                OutboxMessage.bilan_id == bilan.id,
                OutboxMessage.status != "cancelled",
                OutboxMessage.about.is_not(None),
            )
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    ).all()
    lines: list[SentLine] = []
    for row, name in rows:
        what, feminine = WHAT.get(row.about or "", ("Message", False))
        who = name if row.participant_id is not None else formation.cm_name
        moment = (row.sent_at or row.created_at).astimezone(tz)
        lines.append(
            SentLine(
                what=what,
                feminine=feminine,
                name=visible(who) or "la personne chargée de mission",
                where=_where(row),
                status="pending" if row.status == "sending" else row.status,
                when=f"{dates.spell_day_month(moment)} à {dates.spell_time(moment)}",
                reason=_reason(row) if row.status == "failed" else "",
            )
        )
    return lines
