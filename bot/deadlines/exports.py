"""``formabot export echeances [--organisation ID] [--formation ID] [--format csv|json|ics]``.

Declared in the deadlines feature's manifest as a table (CSV and JSON go
through the shared writer) and a calendar (``--format ics``: one VEVENT per
deadline, see :func:`bot.deadlines.documents.deadlines_calendar`).

The deadlines are exported as stored (recomputed whenever what they depend
on changes, and daily before the digest); done ones are included, with who
marked them and when, and so are pre-bilan items closed as "non fait avant le
bilan".  ``concerne`` names the trainee, the session or the bilan a line is
about (:func:`bot.deadlines.lines.concerned`).  ``source`` is the text's citation
and ``public`` says in words whose deadline it is; ``faite le`` is to the minute,
in the organisation's time, like ``saisie le`` in the absences; a final bilan reopened
(:mod:`bot.deadlines.reopened`) keeps when (``rouverte le``) and its earlier done mark
(``faite avant réouverture le``).
"""

from __future__ import annotations

import argparse
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates
from bot.deadlines.documents import deadlines_calendar
from bot.deadlines.lines import concerned
from bot.deadlines.service import order
from bot.deadlines.settled import SETTLED, settled_among
from bot.deadlines.status import status_label
from bot.documents.sheets import Moment
from bot.formations.queries import names_apart
from bot.rules.catalogue import RULES_BY_ID
from bot.rules.model import without_source
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import Organisation, Person, zone_of

COLUMNS = (
    "identifiant",
    "organisme",
    "identifiant de la formation",
    "formation",
    "règle",
    "échéance",
    "heure",
    "à faire plutôt le",
    "titre",
    "concerne",
    "explication",
    "source",
    "public",
    "reportable",
    "statut",
    "reportée au",
    "motif du report",
    "faite le",
    "faite par",
    "rouverte le",
    "faite avant réouverture le",
)


AUDIENCES = {"formateur": "personne chargée de la formation", "organisation": "organisme"}
"""Whose deadline it is (the ``public`` column): the digest reminds the first, lists both."""


def citation(deadline: StoredDeadline, formation: Formation) -> str:
    """The source as the chat quotes it (« fiche procédure bilan à distance, Région Normandie,
    §I »), not the seed's file name an auditor cannot look up; a rule no longer in the
    catalogue keeps what was stored."""
    rule = RULES_BY_ID.get(deadline.rule_id)
    return rule.citation_for(formation.programme) if rule is not None else deadline.source


async def _rows(
    session: AsyncSession, args: argparse.Namespace
) -> list[tuple[StoredDeadline, Formation, Organisation]]:
    query = (
        select(StoredDeadline, Formation, Organisation)
        .join(Formation, Formation.id == StoredDeadline.formation_id)
        .join(Organisation, Organisation.id == StoredDeadline.organisation_id)
    )
    if getattr(args, "organisation", None) is not None:
        query = query.where(StoredDeadline.organisation_id == args.organisation)
    if getattr(args, "formation", None) is not None:
        query = query.where(StoredDeadline.formation_id == args.formation)
    found = [(d, f, o) for d, f, o in (await session.execute(query)).all()]
    return sorted(found, key=lambda t: (t[0].formation_id, *order(t[0])))


async def rows(session: AsyncSession, args: argparse.Namespace) -> list[dict[str, Any]]:
    found = await _rows(session, args)
    people = dict((await session.execute(select(Person.id, Person.display_name))).all())
    who = await concerned(session, [d for d, _, _ in found])
    closed_with = await settled_among(session, [d for d, _, _ in found])
    named = await names_apart(session, {o.id for _, _, o in found})
    out = []
    for deadline, formation, organisation in found:
        tz = zone_of(organisation)
        done = deadline.done_at if deadline.id not in closed_with else None
        out.append(
            {
                "identifiant": deadline.id,
                "organisme": organisation.name,
                "identifiant de la formation": formation.id,
                "formation": named.get(formation.id, formation.title),
                "règle": deadline.rule_id,
                "échéance": deadline.due_on,
                "heure": deadline.due_at.astimezone(tz).strftime("%H:%M")
                if deadline.due_at
                else None,
                # The texts' date stays in « échéance »; empty on a working day.
                "à faire plutôt le": dates.day_to_act(
                    deadline.effective_due, deadline.created_at.astimezone(tz).date()
                ),
                "titre": deadline.title,
                "concerne": who.get(deadline.id),
                "explication": without_source(deadline.explanation, deadline.source),
                "source": citation(deadline, formation),
                "public": AUDIENCES.get(deadline.audience, deadline.audience),
                "reportable": deadline.postponable,
                "statut": SETTLED if deadline.id in closed_with else status_label(deadline),
                "reportée au": deadline.postponed_to,
                "motif du report": deadline.postpone_reason,
                "faite le": Moment(done.astimezone(tz), "minutes") if done else None,
                "faite par": people.get(deadline.done_by) if done and deadline.done_by else None,
                **_reopened(deadline, tz),
            }
        )
    return out


def _reopened(deadline: StoredDeadline, tz: ZoneInfo) -> dict[str, Moment | None]:
    """When a done final bilan was opened again, its end moved past that day, and the done
    mark it had: shown open and nothing else, an auditor read it as never done (MD3/KB8)."""
    at, was = deadline.reopened_at, deadline.reopened_from
    return {
        "rouverte le": Moment(at.astimezone(tz), "minutes") if at else None,
        "faite avant réouverture le": Moment(was.astimezone(tz), "minutes") if was else None,
    }


async def calendar(session: AsyncSession, args: argparse.Namespace) -> bytes:
    """The deadlines as one iCalendar file."""
    found = await _rows(session, args)
    # Two groups of one title told apart, as /echeances and the digest do (explorer ED6).
    named = await names_apart(session, {o.id for _, _, o in found})
    titles = {f.id: named.get(f.id, f.title) for _, f, _ in found}
    origins = {f.id: f"{o.id}/{o.created_at.isoformat()}" for _, f, o in found}
    zone = zone_of(found[0][2]) if found else zone_of(None)
    rows = [d for d, _, _ in found]
    closed_with = await settled_among(session, rows)
    return deadlines_calendar(rows, titles, zone, origins=origins, settled=closed_with)
