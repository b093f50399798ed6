"""The deadlines of a formation just created: the saving turn of ``/formation``.

:func:`~bot.deadlines.service.refresh_deadlines` serves every change: it
locks the formation, reads it back with its trainees, sessions, bilans and
follow-ups, compares with the stored deadlines and upserts.  A formation
created in this very transaction needs none of it: no other transaction
can see it yet (nothing to lock), it has no stored deadline, no bilan and
no follow-up, and its facts are the formation in hand, its ids included
(the deadlines' keys use them).  The same rules, the same rows, the same
"look again" for the digest; one ``INSERT`` for them all.
"""

from __future__ import annotations

import logging

from sqlalchemy import Table, insert

from bot.deadlines.columns import values_of
from bot.deadlines.facts import facts_of
from bot.deadlines.service import apply_rules, in_window, look_again
from bot.rules import SettingError
from bot.storage import turn_rows
from bot.storage.base import utcnow
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Formation

log = logging.getLogger(__name__)

_deadlines: Table = StoredDeadline.__table__  # type: ignore[assignment]
_INSERT = insert(_deadlines).returning(_deadlines.c.id)
"""Built once (its ids returned only for :meth:`~bot.storage.turn_rows.TurnRows.inserted`)."""


async def store_first_deadlines(rows: turn_rows.TurnRows, formation: Formation) -> None:
    """Store the deadlines of ``formation``, created in this transaction (see module doc).

    A formation the rules cannot read is saved without them, as a refresh
    would keep what is stored rather than block the change.
    """
    try:
        computed = await apply_rules(rows, formation.organisation_id, facts_of(formation))
    except (ValueError, SettingError) as exc:
        log.warning("deadlines of formation %s not computed: %s", formation.id, type(exc).__name__)
        return
    if not computed:
        return
    stamp = utcnow()
    written = [
        {
            **values_of(deadline),
            "organisation_id": formation.organisation_id,
            "formation_id": formation.id,
            "key": deadline.key,
            "status": "open",
            "created_at": stamp,
        }
        for deadline in computed
    ]
    await rows.inserted(_INSERT, written)  # one multi-row statement, as the trainees (BA)
    if in_window(stamp, [deadline.due_on for deadline in computed]):
        await look_again(rows, formation.organisation_id)
