"""How long a formation's personal data is kept, and the daily jobs that forget it.

- :data:`RETENTION_YEARS`, a ``/reglages`` setting per organisation: a
  formation's data is purged that many years after its end (the extension's
  end when there is one).  Default 3: the funders (Région, France Travail,
  OPCO) may audit an action for three years after it ended, and the proofs
  (attendance, attestations, follow-up) must be there for them.
- :func:`purge_expired` (daily, per organisation): deletes every formation
  past retention with everything hanging from it (trainees, absences,
  follow-ups and their documents, bilans, participants, attestations,
  sheets, proofs sent, deadlines), and the people created only to answer an
  attestation of it.  What remains is the audit trail (ids and actions, no
  names) and a :class:`~bot.storage.privacy.RetentionPurge` row with counts,
  which the next daily digest reports (:func:`digest_notes`).
- :func:`forget_abandoned_conversations`: a conversation left half-way loses
  what was typed when it expires; the state row keeps only which
  conversation it was, so the person is told it expired.
- :func:`forget_sent_messages`: the text of a message the bot sent on its
  own (digests, reminders, invitations with their code, Matrix welcomes) is
  erased a day after it was sent; the row stays, so it is never sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import Settings
from bot.manifest import OrganisationJob
from bot.privacy.erasure import delete_formation, forget_answers
from bot.rules import Setting, SettingError
from bot.storage.audit import record
from bot.storage.formations import Formation
from bot.storage.matrix import MatrixWelcome
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation, zone_of
from bot.storage.privacy import RetentionPurge
from bot.storage.state import UNFORGOTTEN, ConversationState
from bot.storage.sweeps import SWEEP_BATCH, sweep_in_order

log = logging.getLogger(__name__)

RETENTION_YEARS = Setting(
    key="retention_years",
    label="Conservation des données d'une formation (années après sa fin)",
    type=int,
    default=3,
    minimum=1,
    maximum=10,
    rules=(),
    help="Passé ce délai, la formation et tout ce qui la concerne (stagiaires, absences, suivis, "
    "bilans, attestations) sont effacés. Trois ans par défaut : la durée pendant laquelle les "
    "financeurs peuvent contrôler une action et demander ses preuves.",
)

SENT_CONTENT_KEPT = timedelta(days=1)
"""How long the text of a message the bot sent on its own is kept after sending."""


def retention_years(organisation: Organisation) -> int:
    """The organisation's setting, else the default (a bad stored value is not guessed at)."""
    raw = (organisation.settings or {}).get(RETENTION_YEARS.key)
    if raw is None:
        return int(RETENTION_YEARS.default)
    try:
        return int(RETENTION_YEARS.check(raw))
    except SettingError:
        log.warning("organisation setting %s is invalid; default used", RETENTION_YEARS.key)
        return int(RETENTION_YEARS.default)


def years_before(day: date, years: int) -> date:
    """``day`` moved back ``years`` years (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Purged:
    formation_id: int
    trainees: int


async def expired_formations(
    session: AsyncSession, organisation: Organisation, today: date, years: int | None = None
) -> list[Formation]:
    """The organisation's formations whose end is more than its retention ago (or
    ``years``: what a shorter retention would purge, said before it is saved)."""
    limit = years_before(today, retention_years(organisation) if years is None else years)
    rows = await session.scalars(
        select(Formation).where(
            Formation.organisation_id == organisation.id, Formation.end_date < limit
        )
    )
    return [f for f in rows.all() if f.effective_end < limit]


async def organisations_with_expired(
    session: AsyncSession, now: datetime, settings: Settings
) -> list[int]:
    """Organisations with a formation ended before the shortest retention allowed.

    One query through ``formations.end_date``'s index (the organisation's own
    retention, often longer, is applied next, organisation by organisation).
    """
    latest_today = (now + timedelta(days=1)).date()
    limit = years_before(latest_today, int(RETENTION_YEARS.minimum or 1))
    ids = await session.scalars(select(Formation.organisation_id).where(Formation.end_date < limit))
    return sorted(set(ids.all()))


async def purge_organisation(
    session: AsyncSession, organisation_id: int, now: datetime, settings: Settings
) -> None:
    """Delete every formation of the organisation past its retention."""
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        return
    today = now.astimezone(zone_of(organisation)).date()
    # ids only: deleting leaves rows stale
    for formation_id in [f.id for f in await expired_formations(session, organisation, today)]:
        await purge_formation(session, organisation_id, formation_id, now)
        log.info("retention: formation %s purged", formation_id)


purge_expired = OrganisationJob("purge_expired", organisations_with_expired, purge_organisation)
"""Every formation past its organisation's retention deleted (a daily job, safe to rerun):
organisation by organisation, each in its own transaction."""


async def purge_formation(
    session: AsyncSession, organisation_id: int, formation_id: int, now: datetime
) -> Purged:
    trainees = await delete_formation(session, formation_id, now)
    session.add(
        RetentionPurge(
            organisation_id=organisation_id,
            formation_id=formation_id,
            trainees=trainees,
            purged_at=now,
        )
    )
    record(
        session,
        organisation_id=organisation_id,
        actor_id=None,
        action="purge_retention",
        entity="formation",
        entity_id=formation_id,
        trainees=trainees,
    )
    await session.flush()
    return Purged(formation_id, trainees)


async def digest_notes(
    session: AsyncSession, organisation_ids: Sequence[int], now: datetime
) -> dict[int, str]:
    """What the purge erased since each organisation's last digest, said once (the rows are
    marked told): organisation → its note, for those that have one.  One query for a
    chunk of organisations (the digest hour asks for them together)."""
    if not organisation_ids:
        return {}
    rows = (
        await session.scalars(
            select(RetentionPurge).where(
                RetentionPurge.organisation_id.in_(list(organisation_ids)),
                RetentionPurge.reported_at.is_(None),
            )
        )
    ).all()
    purges: dict[int, list[RetentionPurge]] = {}
    for row in rows:
        row.reported_at = now
        purges.setdefault(row.organisation_id, []).append(row)
    notes = {}
    for organisation_id, told in purges.items():
        organisation = await session.get(Organisation, organisation_id)  # in the session: no query
        years = retention_years(organisation) if organisation else int(RETENTION_YEARS.default)
        notes[organisation_id] = texts.say(
            "privacy.digest_purged",
            formations=len(told),
            trainees=sum(r.trainees for r in told),
            years=years,
        )
    return notes


async def forget_abandoned_conversations(
    session: AsyncSession, now: datetime, settings: Settings
) -> None:
    """An expired conversation keeps which one it was (to say so), nothing that was typed.

    Read through the partial index of the conversations not forgotten yet,
    at most :data:`~bot.storage.sweeps.SWEEP_BATCH` a tick, the longest
    expired first: a tick reads what it forgets, not every conversation that
    ever expired (issue 14).
    """
    rows = (
        await session.scalars(
            select(ConversationState)
            .where(
                ConversationState.flow.is_not(None),
                text(UNFORGOTTEN),  # the partial index's own predicate: None when forgotten
                ConversationState.expires_at < now,
            )
            .order_by(ConversationState.expires_at)
            .limit(SWEEP_BATCH)
        )
    ).all()
    for state in rows:
        forget_answers(state)


async def forget_sent_messages(session: AsyncSession, now: datetime, settings: Settings) -> None:
    """The text of what the bot sent on its own is erased a day later; the row stays.

    Outbox rows (digests, reminders, attestation invitations sent on Matrix
    with their code) and Matrix welcomes (a formateur invitation's code);
    the row's key keeps it from being sent twice.  Failed rows keep their
    text: someone may still need to know what did not go out.  Each tick
    erases at most :data:`~bot.storage.sweeps.SWEEP_BATCH` rows of each
    table, oldest first, from where the last committed tick stopped
    (through ``(status, sent_at)``'s index): the day after a digest hour of
    20,000 organisations, the texts go within minutes over the next ticks,
    and no tick reads more than its batch (issue 14).  A row marked sent
    with a time before the sweep's place but committed after it would need
    its commit to come a day after its sending: it cannot be passed over.
    """
    cutoff = now - SENT_CONTENT_KEPT
    for model in (OutboxMessage, MatrixWelcome):
        await sweep_in_order(
            session,
            f"sent_texts:{model.__tablename__}",
            model,
            model.sent_at,
            [model.status == "sent"],
            cutoff,
            {"payload": {}},
            only=[cast(model.payload, String) != "{}"],
            batch=SWEEP_BATCH,
        )
