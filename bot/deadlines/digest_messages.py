"""What the digest hour reads for a chunk of organisations, and the messages it makes of it.

:mod:`bot.deadlines.digest` claims a chunk of organisations and calls these:
each kind of row is read **for the whole chunk in one query** (the deadlines
still to do with their formations; who receives the digest:
:mod:`bot.deadlines.digest_recipients`), so the statements of a chunk do
not grow with its organisations; the deadlines are read as tuples of the
columns shown (:class:`Item`), not ORM objects.  Then each digest and
reminder is rendered (``templates/chat/digest.j2``, compiled once).

Group digests name no trainee: they give each formation's title and its
counts only.  Private digests and reminders name what tells a line apart
(the trainee, the session, the bilan) and show the entries or exits of one
formation as one line ("3 entrées à saisir dans EOS", the names after it),
see :mod:`bot.deadlines.lines`.  Formations for one person (bilan de
compétences, VAE), whose titles often name them, are numbered rather than
named in a group.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import by_surname, fold
from bot.deadlines.documents import clock_moved, due_text
from bot.deadlines.lines import Line, bundle, interview_kind
from bot.deadlines.reminded import reminder_key
from bot.deadlines.service import STILL_TO_DO, Group, Listed, order
from bot.deadlines.status import status_label
from bot.formations.labels import KIND_NOUNS, SINGLE_PERSON_KINDS
from bot.formations.queries import names_apart
from bot.messages import Reply
from bot.outbox import Queued
from bot.rules.facts import region_contact
from bot.rules.model import without_source
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import ChatIdentity, Organisation, zone_of
from bot.undelivered import Undelivered

MAX_LINES = 25
"""Lines per group in a private digest; the rest is counted ("… et 4 autres")."""

INDIVIDUAL_KINDS = {k: KIND_NOUNS[k] for k in SINGLE_PERSON_KINDS}
"""Formations for one person, whose title often names them: a group digest numbers them."""


@dataclass(frozen=True)
class Titled:
    """A formation as the digest names it: its title, with its start day when another
    formation of the organisation in the digest has the same title (explorer BD2: three
    groups of « Agent de restauration » read alike in every line)."""

    title: str
    kind: str
    owner_id: int
    funder: str | None = None
    """Whose rules: who follows it at the Région is named by its words (« personne référente
    territoriale » in Centre-Val de Loire: fixer EA's leftover)."""


class Item(NamedTuple):
    """A stored deadline as the digest reads it (:class:`bot.deadlines.service.Listed`):
    the columns it shows, in a tuple (a chunk reads thousands: as ORM objects they were
    about 40 % of the digest hour's time)."""

    id: int
    organisation_id: int
    formation_id: int
    key: str
    subject: str
    subject_id: int
    due_on: date
    due_at: datetime | None
    title: str
    detail: str | None
    explanation: str
    source: str
    audience: str
    status: str
    postponed_to: date | None
    reminded_at: datetime | None = None

    @property
    def effective_due(self) -> date:
        """The day that counts: the postponed date when it was postponed."""
        if self.status == "postponed" and self.postponed_to is not None:
            return self.postponed_to
        return self.due_on


_ITEM_COLUMNS = [getattr(StoredDeadline, name) for name in Item._fields]


def by_moment(since: Mapping[int, datetime]) -> dict[datetime, list[int]]:
    """Organisations grouped by their previous digest's moment: a chunk done together the
    day before shares one, so a query's conditions stay one or two whatever its size."""
    found: dict[datetime, list[int]] = {}
    for organisation_id, moment in sorted(since.items()):
        found.setdefault(moment, []).append(organisation_id)
    return found


async def to_do_of(
    session: AsyncSession,
    organisation_ids: Sequence[int],
    missed_since: Mapping[int, datetime] | None = None,
) -> tuple[dict[int, list[Item]], dict[int, Titled]]:
    """Each organisation's deadlines still to do, in order, and their formations: one query.

    ``missed_since``: each organisation's previous digest; with those closed as ``missed``
    because their bilan began after it (before they were done), which the digest tells once
    rather than let them vanish (explorer QC7: not « since 24 hours ago », which a digest
    sent late or after a day without one never told).  The bilan's start says when, not the
    row's ``updated_at``: a rewording of the rules touches that, and would tell every past
    miss again.
    """
    wanted: ColumnElement[bool] = StoredDeadline.status.in_(STILL_TO_DO)
    if missed_since:
        wanted = or_(
            wanted,
            and_(
                StoredDeadline.status == "missed",
                StoredDeadline.subject == "bilan",
                or_(
                    *(
                        and_(
                            StoredDeadline.organisation_id.in_(ids),
                            StoredDeadline.subject_id.in_(
                                select(Bilan.id).where(Bilan.starts_at > since)
                            ),
                        )
                        for since, ids in by_moment(missed_since).items()
                    )
                ),
            ),
        )
    connection = await session.connection()  # plain rows: no ORM loading for thousands
    found = (
        await connection.execute(
            select(*_ITEM_COLUMNS, Formation.kind, Formation.owner_id, Formation.funder)
            .join(Formation, Formation.id == StoredDeadline.formation_id)
            .where(StoredDeadline.organisation_id.in_(list(organisation_ids)), wanted)
        )
    ).all()
    width = len(Item._fields)
    seen: dict[int, tuple[str, int, str]] = {}
    rows: dict[int, list[Item]] = {}
    for found_row in found:
        item = Item._make(found_row[:width])
        if item.formation_id not in seen:
            kind, owner, funder = found_row[width:]
            seen[item.formation_id] = (str(kind), int(owner), str(funder))
        rows.setdefault(item.organisation_id, []).append(item)
    for each in rows.values():
        each.sort(key=order)
    names = await names_apart(connection, rows)
    formations = {fid: Titled(names[fid], *each) for fid, each in seen.items()}
    return rows, formations


async def bilans_over(session: AsyncSession, missed: Sequence[Item], now: datetime) -> set[int]:
    """The bilans of these items closed as missed that have ended by ``now``: the digest
    says « a eu lieu », not « a commencé » the morning after (explorer QC4).  No query
    when nothing was missed, the usual morning."""
    wanted = sorted({r.subject_id for r in missed if r.subject == "bilan"})
    if not wanted:
        return set()
    found = await session.scalars(
        select(Bilan.id).where(Bilan.id.in_(wanted), Bilan.ends_at <= now)
    )
    return set(found.all())


class Shown(NamedTuple):
    """One line of a private digest as the template reads it (attributes, not a dict: Jinja
    tries an attribute before an item, and the failed tries were most of the template's time)."""

    due: str
    title: str
    formation: str
    who: str
    postponed: str
    weekend: str
    """« samedi » or « dimanche »: the line says « à faire plutôt le vendredi … »."""
    friday: str
    booked: datetime | None = None
    """An entretien still to hold: when it is planned (:func:`bot.deadlines.lines.booked`)."""
    passed: bool = False
    """That moment is past: « a-t-il eu lieu ? », not « prévu » alone (explorer HB15)."""
    friday_today: bool = False
    """The working day before its day off is today: « à faire plutôt aujourd'hui, … », as the
    reminder says (explorer QC5)."""
    today: bool = False
    """Due today: « aujourd'hui, lundi 1er mars 2027 » (explorer QC5)."""
    clock: str = ""
    """« 13 h 00 et non 14 h 00 »: its hour moved by a clock change, marked and explained
    once under the list (:func:`bot.deadlines.documents.clock_moved`; WB)."""


def digest_text(
    organisation: Organisation,
    groups: dict[Group, list[Item]],
    local: datetime,
    *,
    private: bool,
    formations: dict[int, Titled],
    who: dict[int, str],
    failures: Sequence[Undelivered] = (),
    missed: Sequence[Item] = (),
    booked: Mapping[int, datetime] | None = None,
    bilans_over: Set[int] = frozenset(),
) -> str | None:
    """The digest of ``groups`` (stored, still to do, :func:`grouped`) as one chat reads it;
    ``None``: nothing to say.

    ``who`` names what each deadline concerns (:func:`bot.deadlines.lines.concerned`),
    ``booked`` when an entretien is planned (:func:`bot.deadlines.lines.booked`);
    ``missed``: closed since the last digest because their bilan began first, said once;
    ``bilans_over``: the bilans among theirs that have ended (« a eu lieu », QC4).
    """
    overdue, week = groups["overdue"], groups["week"]
    if not overdue and not week and not failures and not missed:
        return None
    concerned_ids = {row.formation_id for row in (*overdue, *week, *missed)}
    titles = {
        fid: (
            f"{INDIVIDUAL_KINDS[f.kind]} n° {fid}"
            if not private and f.kind in INDIVIDUAL_KINDS
            else f.title
        )
        for fid, f in formations.items()
        if fid in concerned_ids
    }
    tz = zone_of(organisation)
    today = local.date()
    if not private:
        counts: dict[int, dict[str, int]] = {}
        # Each formation's lines due on a day off whose working day before is still to come,
        # by the day off named (« » for a weekend, else « le lundi 17 mai, férié (lundi de
        # Pentecôte) »): explorer UB2, a holiday Monday's is to be done on the Friday as a
        # weekend's is.  The days: (first day off, its working day before) of each name.
        off: dict[int, dict[str, int]] = {}
        days_off: dict[str, tuple[date, date]] = {}
        for name, items in (("overdue", overdue), ("week", week), ("missed", missed)):
            # Lines, as the private digest and /echeances count them: « 10 entrées à saisir
            # dans EOS » is one (explorer KB, KB6: « Maçon – Caen : 21 en retard », 3 lines).
            for item in bundle(items, {}, local):
                fid = item.first.formation_id
                count = counts.setdefault(fid, {"overdue": 0, "week": 0, "missed": 0})
                count[name] += 1
                ahead = sorted(
                    (row.effective_due, before)
                    for row in item.rows
                    if row.status != "postponed"
                    and (before := dates.working_day_before(row.effective_due, today))
                )
                if name != "missed" and ahead:
                    day, before = ahead[0]  # a line is counted once, on its first day off
                    said = day_off_named(day, today)
                    off.setdefault(fid, {})[said] = off.get(fid, {}).get(said, 0) + 1
                    first = days_off.get(said, (day, before))
                    days_off[said] = min(first, (day, before))
        by_first = sorted(days_off, key=lambda said: days_off[said])
        lines = [
            {
                "title": titles.get(fid, ""),
                **c,
                "off": [(off[fid][said], said) for said in by_first if said in off.get(fid, {})],
            }
            # Accents and case aside, as the /echeances filter: « Évreux » among the E,
            # not after « Rouen » (explorer XB2).
            for fid, c in sorted(counts.items(), key=lambda p: (fold(titles.get(p[0], "")), p[0]))
        ]
        # Seven days hold one weekend whose Friday is still to come, and maybe a holiday:
        # each working day to act on, with the days off it is for.
        befores: dict[date, list[str]] = {}
        for said in by_first:
            befores.setdefault(days_off[said][1], []).append(said)
        return texts.say(
            "digest.group",
            day=today,
            lines=lines,
            befores=sorted(befores.items()),
            # On a Saturday or a Sunday, the weekend whose Friday is to come is the next one
            # (on a holiday Monday or Thursday, this week's, as on any weekday).
            next_weekend=dates.weekend_day(today) is not None,
            undelivered=[f.local(tz) for f in failures],
        )

    def line(item: Line) -> Shown:
        row = item.first
        weekend, friday = day_off_words(row, today)
        days = sorted({r.effective_due for r in item.rows})
        return Shown(
            # Entries of several days on one line: their days, not the first's (AV1: Thomas,
            # entered on the 21st, read as due on the 14th).
            due=due_text(row, tz) if len(days) == 1 else dates.spell_span_days(days[0], days[-1]),
            title=item.title,
            formation=titles.get(row.formation_id, ""),
            who=item.briefly(),
            postponed=status_label(row) if row.status == "postponed" and not item.several else "",
            weekend=weekend,
            friday=friday,
            booked=planned.astimezone(tz) if (planned := (booked or {}).get(row.id)) else None,
            passed=planned is not None and planned <= local,
            friday_today=bool(friday)
            and dates.working_day_before(row.effective_due, today) == today,
            today=days == [today],
            clock=clock_moved(row) if len(days) == 1 else "",
        )

    late = bundle(overdue, who, local)
    soon = bundle(week, who, local)
    gone = bundle(missed, who, local)
    return texts.say(
        "digest.private",
        day=today,
        organisation=organisation.name,
        # The latest overdue, not the same oldest ones every morning (explorer BD3: for
        # eighteen days the 25 oldest, everything newer « … et 169 autres »).
        overdue=[line(r) for r in late[-MAX_LINES:]],
        overdue_more=max(0, len(late) - MAX_LINES),
        week=[line(r) for r in soon[:MAX_LINES]],
        week_more=max(0, len(soon) - MAX_LINES),
        missed=[line(r) for r in gone[:MAX_LINES]],
        missed_more=max(0, len(gone) - MAX_LINES),
        # Agreed with the items and their bilans, said as past once over (explorer QC4).
        missed_bilans=len({r.subject_id for r in missed}),
        missed_over=all(r.subject_id in bilans_over for r in missed),
        # Who may have waited for them, as each funder names her, once each (fixer EA).
        contacts=list(
            dict.fromkeys(
                region_contact(f.funder if (f := formations.get(r.formation_id)) else None)
                for r in missed
            )
        ),
        undelivered=[f.local(tz) for f in failures],
    )


def day_off_named(day: date, today: date) -> str:
    """« » for a day of the weekend (the group digest says « ce week-end »), « le lundi 17
    mai, férié (lundi de Pentecôte) » for a public holiday in the week (explorer UB2), its
    year said when it is not ``today``'s."""
    if dates.weekend_day(day):
        return ""
    return f"le {dates.spell_date_before(day, today)}, férié ({dates.public_holiday(day)})"


MOST_SINGLE_REMINDERS = 3
"""Up to this many reminders a day, each is its own message; more come as one list
(explorer H: forty follow-ups opened the same day sent forty messages at once)."""


def reminder_messages(
    organisation: Organisation,
    local: datetime,
    rows: Sequence[Item],
    formations: dict[int, Titled],
    chats: dict[int, ChatIdentity],
    who: dict[int, str],
    booked: Mapping[int, datetime] | None = None,
) -> list[tuple[Queued, tuple[int, ...]]]:
    """Each formateur's own deadlines of today and tomorrow, and on a Friday the weekend's
    and the Monday's, in private (:func:`bot.deadlines.reminded.reminders_due`), with the deadlines each message
    reminds of; ``booked``: an entretien's planned moment, asked about once past (HB15).

    A deadline already reminded of today (a second look after a change) is left out; a
    formateur with more than :data:`MOST_SINGLE_REMINDERS` gets one message listing them.
    """
    tz = zone_of(organisation)
    today = local.date()
    mine: dict[int, list[tuple[Item, Titled]]] = {}
    for row in rows:
        formation = formations.get(row.formation_id)
        if formation is None or chats.get(formation.owner_id) is None:
            continue
        if row.reminded_at is not None and row.reminded_at.astimezone(tz).date() == today:
            continue
        mine.setdefault(formation.owner_id, []).append((row, formation))
    messages: list[tuple[Queued, tuple[int, ...]]] = []
    for owner, theirs in mine.items():
        identity = chats[owner]
        # A day's items of one title by surname, as the digest's line names them (explorer I).
        theirs.sort(
            key=lambda i: (i[0].effective_due, i[0].title, by_surname(who.get(i[0].id, "")))
        )
        shown = [
            _reminded(row, formation.title, who, local, (booked or {}).get(row.id))
            for row, formation in theirs
        ]
        if len(theirs) <= MOST_SINGLE_REMINDERS:
            for (row, _), one in zip(theirs, shown, strict=True):
                said = without_source(row.explanation, row.source)
                text = texts.say("digest.reminder", r=one, explanation=said, source=row.source)
                key = reminder_key(row, today)
                single = Queued(
                    key,
                    identity.platform,
                    identity.chat_id,
                    Reply(text),
                    organisation.id,
                    recipient=identity.user_id,
                )
                messages.append((single, (row.id,)))
            continue
        keys = hashlib.sha256(" ".join(sorted(r.key for r, _ in theirs)).encode()).hexdigest()
        text = texts.say("digest.reminders", shown=shown)
        queued = Queued(
            f"rappels:{owner}:{today.isoformat()}:{keys[:16]}",
            identity.platform,
            identity.chat_id,
            Reply(text=text),
            organisation.id,
            recipient=identity.user_id,
        )
        messages.append((queued, tuple(r.id for r, _ in theirs)))
    return messages


class Reminded(NamedTuple):
    """One deadline as a reminder says it (alone, or in a list)."""

    title: str
    who: str
    formation: str
    due: str
    today: bool
    tomorrow: bool
    weekend: str
    friday: str
    friday_today: bool
    """The working day before a day off is today: « à faire plutôt aujourd'hui, … »."""
    planned: str
    """The day it was due before it was postponed (its text still says that one)."""
    moved: str
    """« reportée » or « avancée », when ``planned``."""
    in_followup: bool = False
    """A décrochage follow-up's step: done when noted with /decrochage, not « Fait » (AF5)."""
    held_yet: datetime | None = None
    """An entretien planned at this past moment, not noted as held: « a-t-il eu lieu ? »
    rather than « à faire d'ici » (explorer HB15)."""
    regard: bool = False
    """That interview is a regard croisé."""
    clock: str = ""
    """Its hour moved by a clock change (:func:`bot.deadlines.documents.clock_moved`; WB)."""


def day_off_words(row: Listed, today: date) -> tuple[str, str]:
    """:func:`bot.dates.weekend_words` for a deadline, none for one postponed: its day was
    chosen, a day off on purpose (explorer K: « à faire plutôt le jeudi 31 décembre » for a
    ticket postponed to Saturday 2 January, before even its first date)."""
    if row.status == "postponed":
        return "", ""
    return dates.weekend_words(row.effective_due, today)


def _reminded(
    row: Item, formation: str, who: dict[int, str], local: datetime, planned: datetime | None
) -> Reminded:
    tz, today = local.tzinfo, local.date()
    assert isinstance(tz, ZoneInfo)
    weekend, friday = day_off_words(row, today)
    return Reminded(
        title=row.title,
        who=who.get(row.id, ""),
        formation=formation,
        due=due_text(row, tz),
        today=row.effective_due == today,
        tomorrow=row.effective_due == today + timedelta(days=1),
        weekend=weekend,
        friday=friday,
        friday_today=bool(friday) and dates.working_day_before(row.effective_due, today) == today,
        planned=dates.spell_date(row.due_on) if row.status == "postponed" else "",
        moved=status_label(row),
        in_followup=row.subject == "followup",
        held_yet=planned.astimezone(tz) if planned is not None and planned <= local else None,
        regard=interview_kind(row) == "regard_croise",
        clock=clock_moved(row),
    )
