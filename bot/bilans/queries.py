"""What the bilan dialogues read: the formations that owe a bilan, the bilans a person
may see, what a formation owes, a bilan's deadlines and documents.

A :class:`Member` says who looks: a formateur sees the formations they own,
an admin every formation of the organisation.  Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bilans.notify import ChatOf
from bot.bilans.view import kind_label
from bot.deadlines.facts import formation_facts
from bot.deadlines.org_settings import rules_settings
from bot.formations.queries import Member, load_formation, visible_to
from bot.people.names import bare_name
from bot.rules import BilanFacts, deadlines, owed_bilans
from bot.rules.arithmetic import shift_hours
from bot.rules.settings import SETTINGS_BY_KEY
from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Organisation, zone_of

BILAN_FUNDERS = ("normandie", "cvl")
"""The funders whose rules owe bilans (Région Normandie, Région Centre-Val de Loire)."""

DOCS_RULE = "NOR-DOCS"
"""The Normandie rule: the bilan's documents 48 h before a remote bilan at the latest."""
PROOF_RULE = "NOR-PROOF"
"""The Normandie rule: the proofs of participation after the bilan (000 §III)."""
DOCS_HOURS = "nor_docs_hours_before"
"""Its setting, whose default is the fiche's own limit (``text_bound``): 48 h."""


# --- formations --------------------------------------------------------------------------


async def bilan_formations(session: AsyncSession, viewer: Member) -> list[Formation]:
    """The formations ``viewer`` may see whose funder asks for bilans, latest first."""
    query = select(Formation).where(*visible_to(viewer), Formation.funder.in_(BILAN_FUNDERS))
    query = query.order_by(Formation.start_date.desc(), Formation.id.desc())
    return list((await session.scalars(query)).all())


async def bilan_formation(
    session: AsyncSession, viewer: Member, formation_id: object, *, lock: bool = False
) -> Formation | None:
    """:func:`bot.formations.queries.load_formation`, only when its funder asks for bilans."""
    formation = await load_formation(session, viewer, formation_id, lock=lock)
    if formation is None or formation.funder not in BILAN_FUNDERS:
        return None
    return formation


# --- bilans ------------------------------------------------------------------------------


async def visible_bilans(
    session: AsyncSession, viewer: Member, now: datetime, *, held_first: bool = False
) -> list[tuple[Bilan, Formation]]:
    """The bilans of the formations ``viewer`` may see, not cancelled: upcoming first
    (soonest first), then the past ones (most recent first); ``held_first``, the past ones
    first, where /attestations looks for the answers due (explorer BF6: on page 3 of 4)."""
    query = select(Formation).where(*visible_to(viewer))
    formations = {f.id: f for f in (await session.scalars(query)).all()}
    if not formations:
        return []
    rows = (
        await session.scalars(
            select(Bilan).where(
                Bilan.formation_id.in_(list(formations)), Bilan.cancelled_at.is_(None)
            )
        )
    ).all()
    upcoming = sorted((b for b in rows if b.ends_at >= now), key=lambda b: b.starts_at)
    past = sorted((b for b in rows if b.ends_at < now), key=lambda b: b.starts_at, reverse=True)
    ordered = [*past, *upcoming] if held_first else [*upcoming, *past]
    return [(b, formations[b.formation_id]) for b in ordered]


async def visible_bilan(
    session: AsyncSession, viewer: Member, bilan_id: object, *, lock: bool = False
) -> tuple[Bilan, Formation] | None:
    """The bilan and its formation if ``viewer`` may see it and it is not cancelled.

    ``lock`` (a change to the bilan or its participants) holds the bilan's row until the
    turn commits, as a participant's answer does (PostgreSQL: ``FOR NO KEY UPDATE``;
    SQLite's turns take the whole base already), and reads it and its participants
    again: a cancelling, a move or « n'a pas participé » and « Je l'atteste » at the same
    moment go one after the other (explorers UD1, UD3)."""
    try:
        wanted = int(str(bilan_id))
    except ValueError:
        return None
    if not 0 < wanted < 2**63:
        return None
    if lock:
        bilan = await lock_bilan(session, wanted)
    else:
        bilan = await session.get(Bilan, wanted)
    if bilan is None or bilan.cancelled_at is not None:
        return None
    formation = await load_formation(session, viewer, bilan.formation_id)
    if formation is None:
        return None
    await session.refresh(bilan, ["participants"])
    return bilan, formation


async def lock_bilan(session: AsyncSession, bilan_id: int) -> Bilan | None:
    """The bilan, its row held until the turn commits, read again with its participants
    (what another turn changed before the lock is seen: explorers UD1, UD3)."""
    bilan = await session.get(
        Bilan, bilan_id, with_for_update={"key_share": True}, populate_existing=True
    )
    if bilan is not None:
        await session.scalars(
            select(BilanParticipant)
            .where(BilanParticipant.bilan_id == bilan_id)
            .execution_options(populate_existing=True)
        )
    return bilan


async def scheduled_bilans(session: AsyncSession, formation_id: int) -> list[Bilan]:
    """The formation's bilans that are not cancelled, soonest first."""
    return list(
        (
            await session.scalars(
                select(Bilan)
                .where(Bilan.formation_id == formation_id, Bilan.cancelled_at.is_(None))
                .order_by(Bilan.starts_at)
            )
        ).all()
    )


@dataclass(frozen=True)
class LeftOut:
    """A bilan to come that new dates leave outside its formation."""

    bilan: Bilan
    after: bool
    """After the new end; else before the new start."""


async def bilans_left_out(
    session: AsyncSession,
    formation_id: int,
    was: tuple[date, date],
    new: tuple[date, date],
    *,
    now: datetime,
    tz: ZoneInfo,
) -> list[LeftOut]:
    """The bilans to come, not cancelled, after an end brought forward or before a start
    put back, each on its day in the organisation's zone (explorer AD22: a formation
    shortened to 4 December kept its bilan de fin of 15 January, invitations sent, unsaid).
    Only an end that moved counts: a bilan booked just after the end is no news when the
    start moves."""
    found = []
    for bilan in await scheduled_bilans(session, formation_id):
        if bilan.ends_at <= now:
            continue
        day = bilan.starts_at.astimezone(tz).date()
        if new[1] < was[1] and day > new[1]:
            found.append(LeftOut(bilan, after=True))
        elif new[0] > was[0] and day < new[0]:
            found.append(LeftOut(bilan, after=False))
    return found


@dataclass(frozen=True)
class Clash:
    """Another bilan at the same time, and who would have to be at both."""

    bilan: Bilan
    title: str
    same_trainer: bool
    same_cm: str | None
    """The chargé(e) de mission both formations name, if any."""


async def clashes(
    session: AsyncSession,
    formation: Formation,
    start: datetime,
    end: datetime,
    *,
    besides: int | None = None,
) -> list[Clash]:
    """The organisation's other bilans (not cancelled, not ``besides``) that overlap
    [``start``, ``end``) and need the same trainer (the one in charge of both formations,
    whoever scheduled them: explorer EA14, a formation handed over kept its bilans'
    clashes with the one who gave it) or the same chargé(e) de mission (explorer W, W7:
    two bilans at 14 h on 15 December, one adviser invited to both, without a word)."""
    found = await session.execute(
        select(Bilan, Formation)
        .join(Formation, Formation.id == Bilan.formation_id)
        .where(
            Bilan.organisation_id == formation.organisation_id,
            Bilan.cancelled_at.is_(None),
            Bilan.id != (besides or 0),
            Bilan.starts_at < end,
            Bilan.ends_at > start,
        )
        .order_by(Bilan.starts_at)
    )
    cm = bare_name(formation.cm_name or "")
    result = []
    for bilan, other in found.all():
        shared = cm and bare_name(other.cm_name or "") == cm
        same_trainer = other.owner_id == formation.owner_id
        if same_trainer or shared:
            result.append(
                Clash(bilan, other.title, same_trainer, other.cm_name if shared else None)
            )
    return result


async def invited_after(session: AsyncSession, trainee: Trainee, day: date) -> list[Bilan]:
    """The bilans not cancelled, after ``day`` (the trainee's exit), the trainee is invited to
    (explorer I: an exit before a bilan the delegate was invited to said nothing)."""
    found = await session.scalars(
        select(Bilan)
        .join(BilanParticipant, BilanParticipant.bilan_id == Bilan.id)
        .where(
            BilanParticipant.trainee_id == trainee.id,
            BilanParticipant.removed_at.is_(None),
            Bilan.cancelled_at.is_(None),
            Bilan.starts_at >= datetime.combine(day + timedelta(days=1), time(), UTC),
        )
        .order_by(Bilan.starts_at)
    )
    return list(found.all())


async def deadlines_of_bilan(session: AsyncSession, bilan: Bilan) -> list[StoredDeadline]:
    """The stored deadlines of one bilan (done ones included), by due day then hour."""
    rows = (
        await session.scalars(
            select(StoredDeadline).where(
                StoredDeadline.formation_id == bilan.formation_id,
                StoredDeadline.subject == "bilan",
                StoredDeadline.subject_id == bilan.id,
            )
        )
    ).all()
    return sorted(rows, key=lambda r: (r.due_on, r.due_at.timestamp() if r.due_at else 0.0))


WRITTEN_BILAN_RULES = {"fin": "CVL-BQ-END", "etape": "CVL-BQ-MID"}
"""Centre-Val de Loire: the written bilan qualitatif owed for a bilan de fin or d'étape."""


async def written_bilan_deadline(session: AsyncSession, bilan: Bilan) -> StoredDeadline | None:
    """The deadline of the written bilan qualitatif the bilan holds (Centre-Val de Loire):
    the owed bilan's key (``fin:session:3``) names the same span as the rule's key."""
    rule = WRITTEN_BILAN_RULES.get(bilan.kind)
    if rule is None or not bilan.owed_key or not bilan.owed_key.startswith(bilan.kind):
        return None
    suffix = bilan.owed_key.removeprefix(bilan.kind)
    key = f"{rule}:formation:{bilan.formation_id}{suffix}"
    found: StoredDeadline | None = await session.scalar(
        select(StoredDeadline).where(
            StoredDeadline.formation_id == bilan.formation_id, StoredDeadline.key == key
        )
    )
    return found


async def documents_deadlines(session: AsyncSession, bilan: Bilan) -> list[StoredDeadline]:
    """What the bilan's documents promise: its own deadlines, and the written bilan it owes."""
    rows = await deadlines_of_bilan(session, bilan)
    written = await written_bilan_deadline(session, bilan)
    return [*rows, written] if written is not None else rows


async def unreachable(session: AsyncSession, bilan: Bilan, chat_of: ChatOf) -> list[str]:
    """Names of the participants the bot cannot write to: the trainer tells them."""
    return [p.name for p in bilan.participants if await chat_of(session, p) is None]


# --- what a formation owes ---------------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """One bilan the formation owes its funder, and whether it is already scheduled."""

    key: str
    """The owed bilan's stable key (``fin``, ``etape:session:3``…), stored as ``owed_key``."""
    kind: str
    label: str
    suggested_on: date
    reason: str
    scheduled: bool
    past: bool
    """Its span is over (still schedulable, never proposed first)."""


def owed_label(kind: str, scope: str | None) -> str:
    label = kind_label(kind)
    return f"{label} de {scope}" if scope else label


async def owed_by(
    session: AsyncSession, formation: Formation, today: date
) -> tuple[list[Owed], list[Bilan]]:
    """What ``formation`` owes (in the rules' order) and the bilans already scheduled."""
    facts = await formation_facts(session, formation)
    scheduled = await scheduled_bilans(session, formation.id)
    taken = {b.owed_key for b in scheduled}
    owed = []
    for o in owed_bilans(facts):
        key = o.kind + o.key_suffix
        scope = o.scope_label if (o.session is not None or o.composante is not None) else None
        owed.append(
            Owed(
                key=key,
                kind=o.kind,
                label=owed_label(o.kind, scope),
                suggested_on=o.suggested_on,
                reason=o.reason,
                scheduled=key in taken,
                past=o.end < today,
            )
        )
    return owed, scheduled


def documents_limit(starts_at: datetime, tz: ZoneInfo) -> datetime:
    """The fiche's own limit for a remote Normandie bilan's documents (« 48h avant maximum »,
    000 §I): NOR-DOCS itself, unless the organisation gave itself more (/reglages)."""
    return shift_hours(starts_at, -int(SETTINGS_BY_KEY[DOCS_HOURS].default), tz)


async def documents_due(
    session: AsyncSession,
    formation: Formation,
    *,
    kind: str,
    starts_at: datetime,
    minutes: int,
    exclude: int | None = None,
) -> datetime | None:
    """When NOR-DOCS would fall for a remote bilan at ``starts_at`` (``None``: no such rule).

    ``exclude`` leaves out a stored bilan (the one being moved), so the
    preview stands in for it.
    """
    if formation.funder != "normandie":
        return None
    others = [b for b in await scheduled_bilans(session, formation.id) if b.id != exclude]
    probe = BilanFacts(
        id=-1,
        kind="etape" if kind == "etape" else "fin",
        remote=True,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
    )
    facts = await formation_facts(session, formation, bilans=others, extra=[probe])
    organisation = await session.get(Organisation, formation.organisation_id)
    settings = rules_settings(organisation) if organisation else {}
    for deadline in deadlines(facts, settings, zone_of(organisation)):
        if deadline.key == f"{DOCS_RULE}:bilan:-1":
            return deadline.due_at
    return None
