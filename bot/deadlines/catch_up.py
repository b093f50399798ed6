"""A new version of the rules, applied to the stored deadlines in the background.

Deadlines are recomputed by the services that change their facts, never
wholesale (the digest reads what is stored).  What no service sees is the
code itself changing: a rule added or corrected by an upgrade.  Each
organisation records the fingerprint of the rules its deadlines were
computed with (``Organisation.rules_version``); the scheduler's
:data:`refresh_outdated` job recomputes, organisation by organisation and
each in its own short transaction, those computed with another version (or
none: the first start after the upgrade that added the column).  A minute's
tick gives it :data:`BUDGET` seconds, the rest waits for the next one; once
a process has found every organisation current it stops asking.

The fingerprint covers the rules and their settings as data (:data:`bot.rules.RULES`)
and :data:`FACTS_REVISION`, to raise by hand when the mapping of rows onto
facts (:mod:`bot.deadlines.facts`) changes what is computed.
"""

from __future__ import annotations

import hashlib
import weakref
from datetime import datetime

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.deadlines.service import refresh_organisation
from bot.manifest import OrganisationJob
from bot.rules import RULES, SETTINGS
from bot.storage.people import Organisation

FACTS_REVISION = "5"
"""Raise when :mod:`bot.deadlines.facts` or :mod:`bot.absences.facts` reads rows differently,
or the engine words what it stores differently (2: a deadline's source is the texts'
citation, no more the seed files' names; 3: an erased trainee is owed nothing, so the
deadlines an erasure had recreated under the pseudonym go, explorer QC2; 4: a Centre-Val de
Loire « Autre programme »'s deadlines say they are kept by prudence, explorer UB3, and an
EOS entry on a day off says that day once, UB5, and an hour the spring change moved says
why, UB4; 5: each deadline stores the day it is counted from, ``anchor_on``, which a final
bilan done reopens on when it moves past its day, reviewer MD3/KB8: filled for every row at
the first start after migration 0046, none reopened by it)."""

RULES_VERSION = hashlib.sha256(f"{FACTS_REVISION}:{RULES!r}:{SETTINGS!r}".encode()).hexdigest()[:16]
"""What ``Organisation.rules_version`` says once its deadlines follow this code."""

BUDGET = 5.0
"""Seconds of recomputation per tick at most (an upgrade of 2,000 organisations takes a few
minutes of ticks, the digest and the chats going on meanwhile)."""

_CURRENT: weakref.WeakSet[Engine] = weakref.WeakSet()
"""Databases this process found entirely current: no query at the next ticks."""


async def outdated(session: AsyncSession, now: datetime, settings: Settings) -> list[int]:
    """The organisations whose deadlines were computed by other rules (none, once all are)."""
    engine = session.get_bind().engine
    if engine in _CURRENT:
        return []
    version = Organisation.rules_version
    found = await session.scalars(
        # "< or >" rather than "!=": each side is a range of the column's index.
        select(Organisation.id).where(
            or_(version.is_(None), version < RULES_VERSION, version > RULES_VERSION)
        )
    )
    ids = sorted(found.all())
    if not ids:
        _CURRENT.add(engine)
    return ids


async def bring_up_to_date(
    session: AsyncSession, organisation_id: int, now: datetime, settings: Settings
) -> None:
    """Recompute one organisation's deadlines with these rules, unless another process did."""
    claimed = await session.execute(
        update(Organisation)
        .where(
            Organisation.id == organisation_id,
            or_(
                Organisation.rules_version.is_(None),
                Organisation.rules_version != RULES_VERSION,
            ),
        )
        .values(rules_version=RULES_VERSION)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0):
        await refresh_organisation(session, organisation_id, now)


refresh_outdated = OrganisationJob("refresh_outdated", outdated, bring_up_to_date, budget=BUDGET)
