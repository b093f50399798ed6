"""Which session a trainee follows, in a formation of several sessions (explorer IC5).

A « premiers gestes » formation in two sessions (1–31 March, 3 May–30 June 2027) is two
groups: a trainee of session 1 leaves when it ends, and a bon de commande supplémentaire
prolongs their path from there.  The sessions of every other action type are not groups:
every trainee follows them in turn (explorer MA1, 002 §2: « étape + fin »).  The rules read
the same from the facts (:meth:`bot.rules.facts.FormationFacts.group_end_of`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from bot.dates.spelling import day_and_month
from bot.rules.facts import sessions_are_groups
from bot.storage.formations import Formation, FormationSession, Trainee


def group_sessions(formation: Formation) -> list[FormationSession]:
    """The formation's sessions in date order when each is a group of its own (« premiers
    gestes » only, explorer MA1), else none."""
    sessions = sorted(formation.sessions, key=lambda s: (s.start_date, s.id or 0))
    apart = sessions_are_groups(
        formation.funder, formation.programme, formation.action_type, len(sessions)
    )
    return sessions if apart else []


def session_at(formation: Formation, day: date | None) -> FormationSession | None:
    """The session ``day`` falls in, if one does."""
    if day is None:
        return None
    return next((s for s in group_sessions(formation) if s.start_date <= day <= s.end_date), None)


def placed_at(
    spans: Sequence[tuple[date, date]], day: date | None, chosen: int | None, undated: bool
) -> int | None:
    """The index in ``spans`` (each session's start and end) of the session a trainee added
    follows: the one holding his entry; none given, the one ``chosen``; between sessions, the
    one chosen when it is to come and the question was his (nobody of the list without an
    entry: ``undated`` false), else the next to come.  Explorer MB8: Léa Martin's entry on
    20 May no longer narrows the sessions offered to Nadia Roux, who gave none: Nadia is
    asked among all, Léa follows the June session."""
    if day is None:
        return chosen
    holding = next((i for i, (start, end) in enumerate(spans) if start <= day <= end), None)
    if holding is not None:
        return holding
    later = sorted((start, i) for i, (start, _) in enumerate(spans) if start > day)
    if chosen is not None and chosen in {i for _, i in later} and not undated:
        return chosen
    return later[0][1] if later else None


def session_of(formation: Formation, session_id: int | None) -> FormationSession | None:
    """The group session of this id, if the formation still has it."""
    return next((s for s in group_sessions(formation) if s.id == session_id), None)


def sessions_after(formation: Formation, day: date) -> list[FormationSession]:
    """The group sessions starting after ``day``: those an entry between sessions may wait
    for (explorer MB7)."""
    return [s for s in group_sessions(formation) if s.start_date > day]


def entry_session(
    formation: Formation, trainee: Trainee, day: date, chosen: int | None = None
) -> FormationSession | None:
    """The group session a trainee follows once his entry is ``day``: the one holding it;
    between sessions, the one ``chosen`` among those to come, else his own if still to
    come, else the next (explorer MB7: Nadia Roux of Session 1, 1–31 March 2027, entered
    on 15 April follows Session 2, 3 May–30 June, instead of a refusal asking for a
    prolongation); else his own, if any."""
    holding = session_at(formation, day)
    if holding is not None:
        return holding
    own = session_of(formation, trainee.session_id)
    later = sessions_after(formation, day)
    picked = next((s for s in later if s.id == chosen), None)
    if picked is not None:
        return picked
    if own is not None and own in later:
        return own
    return later[0] if later else own


def earlier_session(
    formation: Formation, trainee: Trainee, session_id: int | None = None
) -> FormationSession | None:
    """The session a trainee follows when it ends before the last one; ``None`` for one of
    the last session or of none, whose group ends with the formation.  ``session_id``: the
    session they would follow (an entry moved into another one), else their own."""
    session = session_of(formation, trainee.session_id if session_id is None else session_id)
    if session is None or session.end_date >= max(s.end_date for s in formation.sessions):
        return None
    return session


def group_end(formation: Formation, trainee: Trainee, session_id: int | None = None) -> date:
    """When the group a trainee follows ends: their session's end when it ends before the
    last, else the formation's (extension included)."""
    session = earlier_session(formation, trainee, session_id)
    return formation.effective_end if session is None else session.end_date


def eos_exit(formation: Formation, trainee: Trainee) -> date | None:
    """The day a trainee's EOS exit is due, as the rules date it
    (:meth:`bot.rules.facts.TraineeFacts.exit_on`): his recorded exit, else his extension or
    his group's end, whichever is later; none before he entered."""
    if trainee.left_on is not None:
        return trainee.left_on
    if trainee.entered_on is None:
        return None
    end = group_end(formation, trainee)
    return trainee.path_end if trainee.path_end is not None and trainee.path_end > end else end


Exits = dict[int, date | None]
"""Each trainee's EOS exit before a change: trainee id → :func:`eos_exit`."""

ExitsMoved = tuple[tuple[date, date, tuple[str, ...]], ...]
"""The EOS exits a change moved: (former day, new day, who), in order of the former day."""


def eos_exits(formation: Formation) -> Exits:
    """Every trainee's EOS exit, kept before the sessions (or their type) change."""
    return {t.id: eos_exit(formation, t) for t in formation.trainees if t.id is not None}


def exits_moved(formation: Formation, before: Exits, done: Collection[int] = ()) -> ExitsMoved:
    """Who leaves EOS on another day than ``before`` said, by former and new day; a person
    erased is never named (explorer QA5: the sessions no longer groups, Nadia Roux of Session
    1 leaves on 30 June 2027, no longer on 31 March).  An exit already done (the trainees
    ``done``) keeps its day, said as (day, day, who) (RB's leftover, closing 37)."""
    moves: dict[tuple[date, date], list[str]] = {}
    for trainee in formation.named_trainees:
        was, now = before.get(trainee.id or 0), eos_exit(formation, trainee)
        if was is not None and now is not None and was != now:
            now = was if trainee.id in done else now
            moves.setdefault((was, now), []).append(trainee.full_name)
    return tuple((was, now, tuple(who)) for (was, now), who in sorted(moves.items()))


Held = dict[int, tuple[int, date, date]]
"""Each trainee's group session before the sessions change: trainee id → (its id, start, end)."""


def held_sessions(formation: Formation) -> Held:
    """Who follows which session before the sessions are corrected (:func:`replace_trainees`)."""
    found: Held = {}
    for trainee in formation.trainees:
        part = session_of(formation, trainee.session_id)
        if part is not None and trainee.id is not None:
            found[trainee.id] = (part.id, part.start_date, part.end_date)
    return found


def continued_rows(
    rows: Sequence[FormationSession], dates: Sequence[tuple[date, date]]
) -> list[FormationSession | None]:
    """For each new session's (start, end), the stored row it continues, else ``None`` (a
    new session): the same dates first; then, with as many sessions as before, the n-th by
    dates sharing days with the n-th row (``rows`` in date order: a session postponed into
    the next one's dates is still itself, explorer SA: Session 1 moved to 25 March–20 May
    took Session 2's row by its 18 days of May, Session 2 moved to 21 June got a new row and
    Session 1's done bilan de fin was deleted); then the old session sharing the most days
    (the same group, its dates corrected), each row continued once (explorer MB11: a session
    added on 1–10 March before Session 1 took Session 1's row by position, and with it the
    « done » of its bilan de fin; Session 1 now 11–31 March keeps its row, the new one
    gets its own, its bilan to do).  The n-th continues the n-th only when each of them shares
    days with its own: the same sessions, their dates corrected; one removed and one added
    in the same edit leave a pair sharing none (VC: Session A added on 1–10 March above
    Session 1, now 11–31 March, as Session 2 went, took Session 1's row by position)."""
    in_order = sorted(range(len(dates)), key=lambda index: dates[index])
    place = {index: n for n, index in enumerate(in_order)}
    as_many = len(rows) == len(dates) and all(
        _share(dates[index], rows[n]) for n, index in enumerate(in_order)
    )
    pairs = []
    for index, (start, end) in enumerate(dates):
        for number, row in enumerate(rows):
            shared = (min(end, row.end_date) - max(start, row.start_date)).days + 1
            same = (row.start_date, row.end_date) == (start, end)
            if same or shared > 0:
                rank = 0 if same else 1 if as_many and place[index] == number else 2
                pairs.append((rank, -shared, index, number))
    found: list[FormationSession | None] = [None] * len(dates)
    taken: set[int] = set()
    for _, _, index, number in sorted(pairs):
        if found[index] is None and number not in taken:
            found[index] = rows[number]
            taken.add(number)
    return found


def _share(dates: tuple[date, date], row: FormationSession) -> bool:
    """Whether a session of these (start, end) and ``row`` have a day in common."""
    return max(dates[0], row.start_date) <= min(dates[1], row.end_date)


def replace_trainees(formation: Formation, held: Held) -> list[Trainee]:
    """After its sessions (or what makes them groups) changed, each trainee of a formation of
    group sessions follows the session holding his entry, else the one overlapping his former
    session most (its dates corrected around an entry given between sessions), else the one
    adding him would (:func:`placed_at`): between sessions, the one chosen for him when it is
    still to come, else the next.  The one placement the « Sessions » correction and
    « Financeur et programme » use (explorer MB1).  A session corrected keeps its row only
    when it continues it (:func:`continued_rows`), and its trainees are placed again anyway:
    their entry decides (explorer MA9).  Returns those whose group changed, for the trainer
    to be told: compared by dates, never by row (explorer MB2: a session inserted on 6–20
    April took the May row; Inès David, entered on 15 April, really changes group, Karim
    Benali stays in May's).  Without group sessions nobody follows one, but the session
    chosen stays stored, unread (:func:`group_sessions` is empty), for when they are groups
    again (explorer QA7: the action type pressed away from « premiers gestes » and back
    left Inès David, entered on 15 April, in no session instead of the June one chosen)."""
    groups = group_sessions(formation)
    moved = []
    for trainee in formation.trainees:
        was = held.get(trainee.id) if trainee.id is not None else None
        part = _placed(groups, trainee, was) if groups else None
        if groups:
            trainee.session_id = part.id if part is not None else None
        if _changed_group(groups, was, part):
            moved.append(trainee)
    return moved


def _placed(
    groups: list[FormationSession], trainee: Trainee, was: tuple[int, date, date] | None
) -> FormationSession | None:
    """The group session a trainee follows once the sessions changed (:func:`replace_trainees`):
    never one over before his entry, except the one holding it."""
    entry = trainee.entered_on
    holding = next((s for s in groups if entry and s.start_date <= entry <= s.end_date), None)
    if holding is not None:
        return holding
    kept = _overlapping([s for s in groups if entry is None or s.end_date >= entry], was)
    if kept is not None:
        return kept
    chosen = next((i for i, s in enumerate(groups) if s.id == trainee.session_id), None)
    spans = [(s.start_date, s.end_date) for s in groups]
    at = placed_at(spans, entry, chosen, False)  # explorer QA7: as adding him (MB8)
    return groups[at] if at is not None else None


def _changed_group(
    groups: list[FormationSession],
    was: tuple[int, date, date] | None,
    part: FormationSession | None,
) -> bool:
    """Whether a trainee's group changed: his former session's dates now lead to another
    session than his (its own dates corrected, 1 → 2 March, is the same group), or to none."""
    if was is None:
        return part is not None
    kept = _overlapping(groups, was) if groups else None
    return kept is None or part is not kept


def _overlapping(
    groups: list[FormationSession], was: tuple[int, date, date] | None
) -> FormationSession | None:
    """The session sharing the most days with the former one's dates, if one does."""
    if was is None or not groups:
        return None
    _, start, end = was

    def shared(part: FormationSession) -> int:
        return (min(end, part.end_date) - max(start, part.start_date)).days + 1

    best = max(groups, key=shared)
    return best if shared(best) > 0 else None


def by_session(
    formation: Formation, trainees: Sequence[Trainee]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``trainees`` by the group session they follow, in session order, then those of none
    (label « », also for a session kept from before, unread: explorer QA7); a person erased
    is never named (explorer MB2)."""
    named = [t for t in trainees if not t.erased]
    groups = group_sessions(formation)
    placed = [
        (session_label(s), tuple(t.full_name for t in named if t.session_id == s.id))
        for s in groups
    ]
    ids = {s.id for s in groups}
    placed.append(("", tuple(t.full_name for t in named if t.session_id not in ids)))
    return tuple((label, names) for label, names in placed if names)


def short_period(start: date, end: date) -> str:
    """« du 1er au 31 mars 2027 », « du 3 mai au 30 juin 2027 », « du 3 décembre 2026 au 15
    janvier 2027 »: a session's dates short enough for a button."""
    if (start.year, start.month) == (end.year, end.month):
        first = "1er" if start.day == 1 else str(start.day)
    elif start.year == end.year:
        first = day_and_month(start.day, start.month)
    else:
        first = f"{day_and_month(start.day, start.month)} {start.year}"
    return f"du {first} au {day_and_month(end.day, end.month)} {end.year}"


def session_label(session: FormationSession) -> str:
    """« Session 1 (du 1er au 31 mars 2027) »: a session named in a sentence."""
    return f"{session.label} ({short_period(session.start_date, session.end_date)})"
