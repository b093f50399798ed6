"""What a person does with one stored deadline: open it, mark it done, postpone it, undo.

These are the writes behind ``/echeances`` (and :func:`to_do`, the
list it opens on).  Each takes the session, who acts
and when, checks that the deadline may be changed so, changes it and adds
the audit entry in the caller's transaction (the engine commits it with the
answer).  Who may see which deadline is the caller's business: it passes
the formations the person may see to :func:`visible_deadline` first.

- :func:`complete` marks a deadline done (who and when are kept);
- :func:`postpone_deadline` moves a deadline whose date is the organisation's
  choice to a later day, with a reason; a date the funder fixes cannot move,
  nor go back, nor move more than :data:`MAX_POSTPONE_DAYS` days, and an
  item due before a bilan (preparing it with the group, the modes d'emploi…)
  cannot move to the bilan's day or after, nor a bilan d'étape past the end of
  its span (:func:`postpone_limit`);
- :func:`reopen` undoes either: the deadline is open again at its computed date;
- :func:`mark_done_by_answers` marks done what the trainer already did by
  answering ``/bilan`` (a visio with a password that manages who speaks:
  NOR-VISIO; only delegates invited, invitations produced: NOR-DELEGATES).

Audit entries name the deadline, its rule and formation; the reason typed for
a postponement stays on the deadline, never in the audit trail.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deadlines.facts import formation_facts
from bot.deadlines.postponed import MAX_POSTPONE_DAYS
from bot.deadlines.service import (
    Listed,
    close_begun,
    deadlines_of,
    mark_done,
    postpone,
)
from bot.rules import BEFORE_BILAN, WITHIN_SPAN, milestone_of, owed_bilans
from bot.storage import audit
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Person, zone_of

PostponeProblem = Literal["fixed", "too_early", "too_far", "after_bilan", "after_end"]


class PostponeRefused(ValueError):
    """The postponement asked for is not possible; ``problem`` says why."""

    def __init__(self, problem: PostponeProblem) -> None:
        super().__init__(problem)
        self.problem = problem


# --- reading -----------------------------------------------------------------------


async def to_do(
    session: AsyncSession, formation_ids: Sequence[int], now: datetime
) -> list[StoredDeadline]:
    """These formations' deadlines still to do (open or postponed), by the day that counts.

    Read as stored: the services that change a deadline's facts recompute it
    then (nothing is recomputed here, which cost ten statements a formation).
    Pre-bilan items whose bilan has begun by ``now`` are closed first, in one
    ``UPDATE`` (the minute tick does the same for every organisation).
    """
    if not formation_ids:
        return []
    await close_begun(session, now, formation_ids)
    return await deadlines_of(session, formation_ids)


async def visible_deadline(
    session: AsyncSession, deadline_id: object, formation_ids: Collection[int]
) -> StoredDeadline | None:
    """The deadline ``deadline_id`` if it belongs to one of ``formation_ids``; else ``None``.

    ``deadline_id`` comes from a button or a stored answer: anything that is
    not the id of such a deadline gives ``None``.
    """
    try:
        wanted = int(str(deadline_id))
    except ValueError:
        return None
    if not 0 < wanted < 2**31:  # no such id, and a huge one would not fit the column
        return None
    row = await session.get(StoredDeadline, wanted)
    if row is None or row.formation_id not in formation_ids:
        return None
    return row


@dataclass(frozen=True)
class Limit:
    """The first day a deadline may not be postponed to, and what it is."""

    day: date
    what: Literal["bilan", "end"]
    """``bilan``: the day of the bilan a preparation comes before; ``end``: the day after
    the end of the span a bilan d'étape reviews (after it, it reviews nothing mid-way)."""


async def postpone_limit(session: AsyncSession, row: StoredDeadline) -> Limit | None:
    """How far the deadline may move, when something else than its source bounds it.

    A pre-bilan item may move at the latest to the day before its bilan: on
    the bilan's day it is no longer a preparation.  A bilan d'étape may move
    at the latest to the end of its span (explorer F F10: one was postponed
    two weeks past the formation's end, and that date went to the référente).
    """
    if row.subject == "bilan" and row.rule_id in BEFORE_BILAN:
        bilan = await session.get(Bilan, row.subject_id)
        if bilan is None or bilan.cancelled_at is not None:
            return None
        organisation = await session.get(Organisation, row.organisation_id)
        return Limit(bilan.starts_at.astimezone(zone_of(organisation)).date(), "bilan")
    if row.rule_id in WITHIN_SPAN and row.subject == "formation":
        formation = await session.get(Formation, row.subject_id)
        if formation is None:
            return None
        suffix = row.key.removeprefix(f"{row.rule_id}:formation:{row.subject_id}")
        for owed in owed_bilans(await formation_facts(session, formation)):
            if owed.key_suffix == suffix:
                return Limit(owed.end + timedelta(days=1), "end")
    return None


def postpone_problem(
    row: StoredDeadline, day: date, today: date, limit: Limit | None = None
) -> PostponeProblem | None:
    """Why ``row`` cannot be postponed to ``day`` (``None``: it can).

    ``limit`` is :func:`postpone_limit`'s answer for ``row``.
    """
    if not row.postponable:
        return "fixed"
    if limit is not None and day >= limit.day:
        return "after_bilan" if limit.what == "bilan" else "after_end"
    # A bilan d'étape's date is « arrêtée avec le référent territorial »: the date agreed may
    # come earlier than the default mid-way point (explorer T T7), never before today.
    earlier = row.rule_id in WITHIN_SPAN and day != row.effective_due
    if (day <= row.effective_due and not earlier) or day < today:
        return "too_early"
    if day > row.effective_due + timedelta(days=MAX_POSTPONE_DAYS):
        return "too_far"
    return None


def earliest_postponement(row: StoredDeadline, today: date) -> date:
    """The day a new date must come after: the day that counts now, or today if later (a
    bilan d'étape's may come earlier: the day before today)."""
    if row.rule_id in WITHIN_SPAN:
        return today - timedelta(days=1)
    return max(row.effective_due, today)


# --- acting ------------------------------------------------------------------------


def _audit(
    session: AsyncSession, actor_id: int | None, action: str, row: StoredDeadline, **details: str
) -> None:
    audit.record(
        session,
        organisation_id=row.organisation_id,
        actor_id=actor_id,
        action=action,
        entity="deadline",
        entity_id=row.id,
        rule_id=row.rule_id,
        formation_id=row.formation_id,
        **details,
    )


def too_soon(row: Listed, today: date) -> bool:
    """Something done at an event itself (an entry, an exit in EOS) before the event's day:
    « Fait » months ahead recorded data entered before the person entered (explorer T,
    T2: « Toutes faites » closed an entry due on 29 March on 4 December)."""
    milestone = milestone_of(row.key)
    return milestone is not None and bool(milestone.day_off_after) and today < row.due_on


def filed_by_its_dialogue(row: Listed) -> bool:
    """A follow-up's ticket qualité: filed with /decrochage, which closes the follow-up and
    puts the ticket in the Qualiopi bundle.  « Fait » in /echeances left the follow-up
    open, no ticket anywhere, and nothing to remind any more (explorer K)."""
    return row.subject == "followup" and row.key.split(":", 1)[0].endswith("-TICKET")


async def complete(
    session: AsyncSession, actor_id: int, deadline_id: int, now: datetime
) -> StoredDeadline | None:
    """Mark the deadline done by ``actor_id`` at ``now``; ``None`` if it no longer exists.

    The row is locked first, and one done meanwhile is left as it was (who did it, when):
    two admins pressing « Fait » at once on PostgreSQL were both told « C'est noté », and
    the journal said both did it (explorer R R13).  :func:`done_just_now` tells them apart.
    Read again once locked: the turn had read it open before waiting (explorer XB1).
    """
    row = await session.get(
        StoredDeadline, deadline_id, with_for_update=True, populate_existing=True
    )
    if row is None:
        return None
    if row.status == "done":
        return row
    mark_done(row, actor_id, now)
    _audit(session, actor_id, "done", row)
    await session.flush()
    return row


def done_just_now(row: StoredDeadline, actor_id: int, now: datetime) -> bool:
    """Whether :func:`complete` marked it, rather than finding it done already."""
    return row.done_by == actor_id and row.done_at == now


async def done_by_name(session: AsyncSession, row: StoredDeadline) -> str | None:
    """Who marked the deadline done, as the journal names them."""
    person = await session.get(Person, row.done_by) if row.done_by else None
    return person.display_name if person is not None else None


def postponement_seen(row: StoredDeadline) -> str:
    """The deadline's postponement as one saw it (none, or to when, by whom, at what time),
    kept when « Reporter » is pressed: :func:`postponed_meanwhile` tells from it whether a
    colleague postponed the deadline since (explorer ZA13)."""
    if row.status != "postponed":
        return ""
    return f"{row.postponed_to}|{row.postponed_by}|{row.postponed_at}"


def postponed_meanwhile(row: StoredDeadline, seen: object) -> bool:
    """Whether ``row`` was postponed since ``seen`` (:func:`postponement_seen`) was kept."""
    return isinstance(seen, str) and row.status == "postponed" and postponement_seen(row) != seen


async def postpone_deadline(
    session: AsyncSession,
    actor_id: int,
    deadline_id: int,
    now: datetime,
    *,
    to: date,
    reason: str,
    today: date,
    seen: str | None = None,
) -> StoredDeadline | None:
    """Postpone the deadline to ``to`` for ``reason``; ``None`` if it no longer exists.

    ``today`` is the organisation's day at ``now``.  Raises
    :class:`PostponeRefused` when the date is fixed by its source, or ``to``
    is not after the day that counts, or is too far.

    Locked and read again first, as :func:`complete` does: one marked done meanwhile is
    returned as it is, done (the caller says by whom), not brought back « reportée »
    (explorer XB8: a colleague's « Fait » undone by the postponement finished after it).
    Likewise one postponed by a colleague since ``seen`` (:func:`postponement_seen`) is
    returned as it is (explorer ZA13: Bruno's date silently replaced by Camille's).
    """
    row = await session.get(
        StoredDeadline, deadline_id, with_for_update=True, populate_existing=True
    )
    if row is None or row.status == "done" or postponed_meanwhile(row, seen):
        return row
    problem = postpone_problem(row, to, today, await postpone_limit(session, row))
    if problem is not None:
        raise PostponeRefused(problem)
    postpone(row, to=to, reason=reason, person_id=actor_id, now=now)
    _audit(session, actor_id, "postpone", row)
    await session.flush()
    return row


async def reopen(
    session: AsyncSession,
    actor_id: int | None,
    deadline_id: int,
    now: datetime,
    *,
    undoing: str | None = None,
    **why: str,
) -> StoredDeadline | None:
    """Undo "done" or a postponement: the deadline is open again at its computed date.

    ``None`` if it no longer exists; an open deadline is left as it is (and
    nothing is audited), and so is one no longer ``undoing`` (« postponed »: a
    postponement's undo finds the deadline marked done).  ``actor_id`` None: no
    one's hand, ``why`` says what (a dossier sent gone stale,
    :func:`bot.attestations.mail.reopen_proofs`).

    Locked and read again first, as :func:`complete` does (closing 39's Left: « ↩ Annuler
    le report » pressed as a colleague pressed « Fait » on PostgreSQL read the row
    postponed, and its write after his made the deadline open again, his « Fait » lost).
    """
    row = await session.get(
        StoredDeadline, deadline_id, with_for_update=True, populate_existing=True
    )
    if row is None:
        return None
    if row.status == "open" or undoing not in (None, row.status):
        return row
    undone = row.status
    row.status = "open"
    row.done_at = row.done_by = None
    row.postponed_to = row.postponed_at = row.postponed_by = None
    row.postpone_reason = None
    row.updated_at = now
    _audit(session, actor_id, "reopen", row, undone=undone, **why)
    await session.flush()
    return row


async def mark_done_by_answers(
    session: AsyncSession, bilan_id: int, actor_id: int, now: datetime
) -> list[StoredDeadline]:
    """Mark done the bilan's deadlines its booking already answered; the ones marked.

    Called by ``/bilan`` right after the bilan is stored, so a deadline whose
    lead time had passed at booking but was met then is shown done, not "déjà
    dépassé".  What counts as an answer:

    - NOR-VISIO: the trainer confirmed the tool asks a password to join and
      manages who speaks (the two checks the fiche procédure asks for);
    - NOR-DELEGATES: delegates are the bilan's only trainees (or the others
      came with the chargé(e) de mission's agreement), and booking it
      produced their invitation (the ``.ics`` and each one's link).

    Each is audited as ``done`` with ``by="reponse"``.
    """
    bilan = await session.get(Bilan, bilan_id)
    if bilan is None or not bilan.remote or bilan.cancelled_at is not None:
        return []
    await session.refresh(bilan, ["participants"])
    answered: list[str] = []
    if bilan.visio_url and bilan.visio_password_required and bilan.visio_manages_speakers:
        answered.append("NOR-VISIO")
    kinds = {p.kind for p in bilan.participants}
    # Another trainee counts as a delegate's peer once the chargé(e) de mission agreed
    # (000 §I, recorded by /bilan: bot.bilans.participants.Derogation).
    unagreed = [p for p in bilan.participants if p.kind == "trainee" and p.derogation_by is None]
    if "delegate" in kinds and not unagreed:
        answered.append("NOR-DELEGATES")
    if not answered:
        return []
    rows = (
        await session.scalars(
            select(StoredDeadline).where(
                StoredDeadline.formation_id == bilan.formation_id,
                StoredDeadline.subject == "bilan",
                StoredDeadline.subject_id == bilan.id,
                StoredDeadline.rule_id.in_(answered),
                StoredDeadline.status != "done",
            )
        )
    ).all()
    for row in rows:
        mark_done(row, actor_id, now)
        _audit(session, actor_id, "done", row, by="reponse")
    await session.flush()
    return list(rows)
