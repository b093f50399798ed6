"""A follow-up's deadlines: the rules' deadlines are its only record of what is due.

The Elycoop delays are data in :mod:`bot.rules.catalogue` (ELY-SHORT,
ELY-LONG, ELY-BILAN-COMP, ELY-BILAN-DIFF, ELY-VAE); the deadlines feature
stores them as :class:`~bot.storage.bilans.StoredDeadline` rows keyed
``<RULE>-<MILESTONE>:followup:<id>``.  What a follow-up step completes marks the
matching row done (who, when), so ``/echeances``, the daily digest and the
personal reminders stop showing it:

=================================  ===========================================
recorded in /decrochage            milestone marked done
=================================  ===========================================
contacts with the trainee *and*    ``CONTACT`` (ELY-SHORT, even when no
their company, or « no company »   company is known yet: the seed asks both)
a compte rendu                     ``ENTRETIEN`` or ``REGARD-CROISE``, and
                                   ``COMPTE-RENDU``
the solution agreed                ``SOLUTION`` (ELY-BILAN-COMP)
the livret de suivi                ``LIVRET`` (ELY-VAE)
the ticket qualité                 ``TICKET``
=================================  ===========================================

Closing a follow-up (ticket or not) settles what is left: its deadlines
stay, done, as its history (the timeline tells those settled at closing
apart).  Nothing here commits or logs personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.absences.followups import contacts_of, rule_for
from bot.absences.vocabulary import NO_COMPANY
from bot.deadlines.service import deadlines_of_subject, mark_done_by_key, refresh_deadlines
from bot.deadlines.settled import closes_it
from bot.rules.catalogue import RULES_BY_ID
from bot.storage.absences import FollowUp
from bot.storage.bilans import StoredDeadline

SUBJECT = "followup"


def milestones_of(followup: FollowUp) -> tuple[str, ...]:
    """The milestone keys of the follow-up's rule (``CONTACT``, ``TICKET``…)."""
    rule = RULES_BY_ID[rule_for(followup.path, followup.cause)]
    return tuple(m.key for m in rule.milestones if m.key)


def deadline_key(followup: FollowUp, step: str) -> str:
    """The stored deadline's key of one milestone: ``ELY-SHORT-CONTACT:followup:12``."""
    return f"{rule_for(followup.path, followup.cause)}-{step}:{SUBJECT}:{followup.id}"


def milestone_of(row: StoredDeadline) -> str:
    """``CONTACT`` for ``ELY-SHORT-CONTACT:followup:12``."""
    head = row.key.split(":", 1)[0]
    return head[len(row.rule_id) + 1 :] if head.startswith(row.rule_id + "-") else head


async def deadlines_of(session: AsyncSession, followup: FollowUp) -> list[StoredDeadline]:
    """Every deadline of the follow-up, done ones included, by due day."""
    return await deadlines_of_subject(session, followup.formation_id, SUBJECT, followup.id)


async def left(session: AsyncSession, followup: FollowUp) -> list[StoredDeadline]:
    """What the procedure still expects of the follow-up, dated: its deadlines not done."""
    return [row for row in await deadlines_of(session, followup) if not row.is_done]


async def complete(
    session: AsyncSession,
    followup: FollowUp,
    steps: Iterable[str],
    actor_id: int,
    now: datetime,
) -> list[StoredDeadline]:
    """Mark the deadlines of these milestones done (the rows are refreshed first, so they exist
    with their current dates); the ones marked."""
    if not followup.procedure_applies:
        return []
    await refresh_deadlines(session, followup.formation_id)
    known = milestones_of(followup)
    keys = [deadline_key(followup, step) for step in steps if step in known]
    return await mark_done_by_key(session, followup.formation_id, keys, actor_id, now)


async def reopen(
    session: AsyncSession, followup: FollowUp, steps: Iterable[str], now: datetime
) -> None:
    """Milestones a corrected fact no longer completes are to do again: an interview noted
    as held, then reprogrammed to a day to come (explorer AD13)."""
    keys = {deadline_key(followup, step) for step in steps}
    for row in await deadlines_of(session, followup):
        if row.key in keys and row.is_done:
            row.status, row.done_at, row.done_by, row.updated_at = "open", None, None, now


async def closing_moment(session: AsyncSession, followup: FollowUp, now: datetime) -> datetime:
    """When the follow-up closes: ``now``, or a microsecond after when a step was done at
    that very instant (on a frozen clock; the ticket's own deadline, done as it closes,
    apart).  What closing settles is done
    at the closing's moment (:func:`bot.deadlines.settled.settled`): a step done by what it
    asked, at the same instant, was read « non tenue » (explorer CF6)."""
    rows = await deadlines_of(session, followup)
    taken = {row.done_at for row in rows if row.is_done and not closes_it(row)}
    at = now
    while at in taken:
        at += timedelta(microseconds=1)
    return at


async def settle(
    session: AsyncSession, followup: FollowUp, actor_id: int, now: datetime
) -> list[StoredDeadline]:
    """On closing: every deadline still open is done with the follow-up, and kept."""
    if not followup.procedure_applies:
        return []
    await refresh_deadlines(session, followup.formation_id)
    keys = [row.key for row in await left(session, followup)]
    return await mark_done_by_key(session, followup.formation_id, keys, actor_id, now)


async def contacts_missing(session: AsyncSession, followup: FollowUp) -> list[str]:
    """Who the procedure still expects a contact with (``stagiaire``, ``entreprise``).

    ELY-SHORT asks to contact "le participant absent ... et l'entreprise" (003 §2):
    both, even when the company is not known yet, since an auditor reads the
    seed, not our records; a trainee with no employer is noted as such instead
    (:data:`~bot.absences.vocabulary.NO_COMPANY`, explorer BB1).  No other path asks for contacts (a long or certifying formation's is the
    entretien individuel, ELY-LONG), nor does a follow-up outside the procedure.
    """
    if followup.path != "short" or not followup.procedure_applies:
        return []
    # One made before the first sign is no contact « à la suite de l'absence » (explorer K).
    since = followup.sign_on
    done = {
        c.with_whom
        for c in await contacts_of(session, followup.id)
        if since is None or c.contacted_on >= since
    }
    if NO_COMPANY in done:  # no employer to reach: the trainee is the whole contact (BB1)
        done.add("entreprise")
    return [who for who in ("stagiaire", "entreprise") if who not in done]


async def contact_recorded(
    session: AsyncSession, followup: FollowUp, actor_id: int, now: datetime
) -> list[StoredDeadline]:
    """After a contact: ``CONTACT`` is done once every contact it asks for is recorded; till
    then its words say who is left (the rows refreshed, explorer HB10)."""
    if await contacts_missing(session, followup):
        if followup.procedure_applies:
            await refresh_deadlines(session, followup.formation_id)
        return []
    return await complete(session, followup, ["CONTACT"], actor_id, now)
