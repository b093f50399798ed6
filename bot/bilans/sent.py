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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import visible
from bot.bilans.view import kind_label
from bot.messages import SENT_AS, Reply
from bot.outbox import EMAIL
from bot.people.chats import tell_person
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.formations import Formation
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation, zone_of

WHAT: dict[str, tuple[str, bool]] = {
    "invited": ("Invitation", True),
    "moved": ("Invitation mise à jour (nouvelle date)", True),
    "cancelled": ("Annulation", True),
    "removed": ("Annonce du retrait", True),
    "link": ("Lien de la visio", False),
    "charge_de_mission": ("Invitation", True),
    "charge_de_mission_moved": ("Invitation mise à jour (nouvelle date)", True),
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
    # The person left her Matrix chat, or blocked the bot on Telegram (explorer AJ5).
    "not in the room": "cette personne a quitté sa conversation avec moi",
    "Forbidden": "cette personne m'a bloqué",
}
"""Why a message was not sent, from the error the row recorded (its type, never a text)."""


@dataclass(frozen=True)
class SentLine:
    """One message: what, to whom, where, and what became of it."""

    what: str
    feminine: bool
    name: str
    where: str
    """The address of an e-mail; « sur Matrix », « par message » otherwise."""
    status: str
    """``sent`` | ``pending`` | ``failed`` | ``unjoined`` | ``declined`` (Matrix chats)."""
    when: str
    reason: str

    @property
    def subject(self) -> str:
        """What it is, to begin a sentence: « L'invitation mise à jour … », « Le lien de la
        visio » (explorer AJ5: « Invitation mise à jour … n'a pas pu être envoyée »)."""
        word = self.what[:1].lower() + self.what[1:]
        if word[:1] in tuple("aeéèêiouy"):
            return f"L'{word}"
        return f"{'La' if self.feminine else 'Le'} {word}"


def _where(row: OutboxMessage) -> str:
    if row.platform == EMAIL:
        return row.chat_id
    return "sur Matrix" if row.platform == "matrix" else "par message"


def _reason(row: OutboxMessage, feminine: bool) -> str:
    if row.last_error in REASONS:
        return REASONS[row.last_error]
    if row.platform == EMAIL:
        return "serveur de messagerie injoignable"
    return f"la messagerie ne l'a pas accepté{'e' if feminine else ''}"


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
    waiting = await _unjoined(session, [row for row, _ in rows])
    return [sent_line(row, name, formation, tz, waiting) for row, name in rows]


async def _unjoined(session: AsyncSession, rows: list[OutboxMessage]) -> dict[int, str]:
    """The rows « sent » to a Matrix ID as the welcome of a chat the bot opened, which the
    person has not joined yet (explorer AT3: « envoyée » for days, the new hour never read),
    ``unjoined``, or refused, ``declined`` (explorer MG4), by row id."""
    invitees = {r.chat_id for r in rows if r.platform == "matrix" and r.chat_id.startswith("@")}
    if not invitees:
        return {}
    pending = (
        await session.execute(
            select(MatrixWelcome.invitee, MatrixWelcome.payload, MatrixWelcome.status).where(
                MatrixWelcome.invitee.in_(invitees),
                MatrixWelcome.status.in_(("pending", "declined")),
            )
        )
    ).all()
    return {
        r.id: "unjoined" if status == "pending" else "declined"
        for r in rows
        for who, payload, status in pending
        if welcome_of(r, who, payload)
    }


def welcome_of(row: OutboxMessage, invitee: str, payload: Mapping[str, Any]) -> bool:
    """Whether a Matrix chat's welcome (its invitee, its stored payload) is this outbox row.

    The outbox hands the transport the reply with its key among the extras
    (:data:`~bot.messages.SENT_AS`), which the row's own payload has not: compared
    whole, no welcome was ever this row's and the « not joined » detection never
    fired (explorer AJ4).  The key says which message it is; a welcome stored
    without one is compared by its words.
    """
    if invitee != row.chat_id:
        return False
    key = (payload.get("extras") or {}).get(SENT_AS)
    return key == row.key if key is not None else dict(payload) == row.payload


def sent_line(
    row: OutboxMessage,
    name: str | None,
    formation: Formation,
    tz: ZoneInfo,
    waiting: Mapping[int, str] | None = None,
) -> SentLine:
    what, feminine = WHAT.get(row.about or "", ("Message", False))
    who = name if row.participant_id is not None else formation.cm_name
    moment = (row.sent_at or row.created_at).astimezone(tz)
    return SentLine(
        what=what,
        feminine=feminine,
        name=visible(who) or "la personne chargée de mission",
        where=_where(row),
        status="pending" if row.status == "sending" else (waiting or {}).get(row.id, row.status),
        when=f"{dates.spell_day_month(moment)} à {dates.spell_time(moment)}",
        reason=_reason(row, feminine) if row.status == "failed" else "",
    )


async def tell_trainer_of_failure(session: AsyncSession, row: OutboxMessage) -> None:
    """An outbox follow-up: a message about a bilan given up is told to the formation's
    trainer at once, with whom to tell by hand (the proof bundle has its own notice)."""
    if row.status != "failed" or row.bilan_id is None or row.about in (None, "proofs"):
        return
    bilan = await session.get(Bilan, row.bilan_id)
    formation = await session.get(Formation, bilan.formation_id) if bilan else None
    if bilan is None or formation is None:
        return
    organisation = await session.get(Organisation, bilan.organisation_id)
    tz = zone_of(organisation)
    name = None
    if row.participant_id is not None:
        participant = await session.get(BilanParticipant, row.participant_id)
        name = participant.name if participant else None
    await tell_person(
        session,
        formation.owner_id,
        Reply(
            text=texts.say(
                "bilan.not_sent",
                m=sent_line(row, name, formation, tz),
                kind=kind_label(bilan.kind),
                title=formation.title,
                when=dates.spell_datetime(bilan.starts_at.astimezone(tz)),
            )
        ),
        key=f"bilan:{bilan.id}:not-sent:{row.id}",
        organisation_id=bilan.organisation_id,
    )
