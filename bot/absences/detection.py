"""When repeated absence becomes a sign of décrochage.

The Elycoop procedure (003 §2) names "absence répétée" as a sign without
saying how many: the threshold is an organisation setting.  By default a
trainee shows the sign with **2 unjustified absences within 14 days** (on two
days: a morning and an afternoon noted apart are one day's absence), or
**3 half-days of absence of any kind within 14 days** (a journée counts two
half-days).  A late arrival (retard) counts for neither: the trainee was
there.  Repeated lateness is a sign of its own (« Retards »): by default
**3 unjustified late arrivals within 14 days** (explorer AO1: four retards
in eight days, two hours missed, and not a word).

Windows slide: the sign is shown when some 14-day window *containing the
new absence* reaches a threshold, so an absence logged late (last week's,
entered today) is judged against the days around it, not against today.

**Short formations** (neither long nor certifying, ELY-SHORT): the seed asks
to act "en cas d'absence ou de rupture", from **one** absence.  There, any
absence (not a retard) gives the signal (:attr:`Signal.single` when the
thresholds are not reached), so saving it offers the follow-up at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.rules.settings import Setting, SettingError

log = logging.getLogger(__name__)

SETTINGS: tuple[Setting, ...] = (
    Setting(
        key="absences_window_days",
        label="Fenêtre des absences et retards répétés (jours)",
        type=int,
        default=14,
        minimum=1,
        maximum=90,
        rules=("ELY-SHORT", "ELY-LONG"),
        help="Les absences (et les retards) comptent ensemble quand ils tombent dans cette fenêtre glissante.",
    ),
    Setting(
        key="absences_unjustified_threshold",
        label="Absences répétées (nombre d'absences non justifiées)",
        type=int,
        default=2,
        minimum=1,
        maximum=20,
        rules=("ELY-SHORT", "ELY-LONG"),
        help="Deux absences non justifiées en deux semaines : un signe de décrochage à suivre.",
    ),
    Setting(
        key="absences_half_days_threshold",
        label="Absences répétées (demi-journées d'absence, justifiées ou non)",
        type=int,
        default=3,
        minimum=1,
        maximum=40,
        rules=("ELY-SHORT", "ELY-LONG"),
        help="Trois demi-journées manquées en deux semaines, même justifiées, méritent un échange.",
    ),
    Setting(
        key="lates_unjustified_threshold",
        label="Retards répétés (nombre de retards non justifiés)",
        type=int,
        default=3,
        minimum=1,
        maximum=20,
        rules=("ELY-SHORT", "ELY-LONG"),
        help="Trois retards non justifiés dans la même fenêtre : un signe de décrochage à suivre.",
    ),
)
_BY_KEY = {s.key: s for s in SETTINGS}


def setting(settings: Mapping[str, object], key: str) -> int:
    """An organisation's value for one of :data:`SETTINGS`, or its default.

    A stored value the catalogue refuses is not fatal here (an absence must
    still be saved): the default applies and the key (never a value) is logged.
    """
    spec = _BY_KEY[key]
    value = settings.get(key)
    if value is None:
        return int(spec.default)
    try:
        checked = spec.check(value)
    except SettingError:
        log.warning("organisation setting %s is invalid; default used", key)
        return int(spec.default)
    return int(checked)


@dataclass(frozen=True)
class Mark:
    """What detection needs of an absence: its day, its kind, justified or not."""

    id: int
    day: date
    period: str
    justified: bool

    @property
    def half_days(self) -> int:
        return {"matin": 1, "apres_midi": 1, "journee": 2}.get(self.period, 0)

    @property
    def counts(self) -> bool:
        return self.half_days > 0

    @property
    def late(self) -> bool:
        return self.period == "retard"


@dataclass(frozen=True)
class Signal:
    """Repeated absence: which threshold was reached, over which days."""

    unjustified: int
    half_days: int
    start: date
    end: date
    window_days: int
    unjustified_threshold: int
    half_days_threshold: int
    single: bool = False
    """One absence in a short formation: the procedure applies from the first one."""
    lates: int = 0
    """Unjustified late arrivals in the window, when lateness repeats (then no absence counts)."""
    lates_threshold: int = 0

    @property
    def by_unjustified(self) -> bool:
        return self.unjustified >= self.unjustified_threshold

    @property
    def by_half_days(self) -> bool:
        return self.half_days >= self.half_days_threshold

    @property
    def by_lates(self) -> bool:
        return self.lates_threshold > 0 and self.lates >= self.lates_threshold

    @property
    def sign(self) -> str:
        """The sign of décrochage a follow-up opened on this signal starts with, ticked."""
        return "retards" if self.by_lates else "absence" if self.single else "absences_repetees"


def repeated_absence(
    marks: Iterable[Mark],
    new: Mark,
    settings: Mapping[str, object],
    *,
    short: bool = False,
    after: date | None = None,
) -> Signal | None:
    """The signal when ``new`` (already among ``marks`` or not) makes absence repeated.

    ``short``: the formation follows ELY-SHORT, where one absence is enough.

    ``after``: the day the trainee's last follow-up closed. The absences before it were that
    follow-up's and count no more, the sign raised on saving as the first sign dated when
    the next follow-up opens (:func:`repetition_began`; explorer HA3: a closed follow-up's
    two absences and one new one made « 3 absences du 10 au 20 novembre », the follow-up it
    opened a first sign on the 20th). The closing day itself counts.
    """
    if after is not None:
        if new.day < after:
            return None
        marks = [m for m in marks if m.day >= after]
    window = setting(settings, "absences_window_days")
    max_unjustified = setting(settings, "absences_unjustified_threshold")
    max_half_days = setting(settings, "absences_half_days_threshold")
    if new.late:
        return repeated_lateness(marks, new, settings)
    if not new.counts:
        return None
    if short:
        found = repeated_absence(marks, new, settings)
        return found or Signal(
            unjustified=0 if new.justified else 1,
            half_days=new.half_days,
            start=new.day,
            end=new.day,
            window_days=window,
            unjustified_threshold=max_unjustified,
            half_days_threshold=max_half_days,
            single=True,
        )
    others = [m for m in marks if m.id != new.id and m.counts]
    every = [*others, new]
    best: Signal | None = None
    for shift in range(window):
        start = new.day - timedelta(days=window - 1 - shift)
        end = start + timedelta(days=window - 1)
        inside = [m for m in every if start <= m.day <= end]
        # Days, not rows: a morning and an afternoon noted apart (two roll calls) are one
        # day away, as « toute la journée » is (explorer AF1: two « absences » from one day).
        unjustified = len({m.day for m in inside if not m.justified})
        half_days = sum(m.half_days for m in inside)
        if unjustified >= max_unjustified or half_days >= max_half_days:
            found = Signal(
                unjustified=unjustified,
                half_days=half_days,
                start=min(m.day for m in inside),
                end=max(m.day for m in inside),
                window_days=window,
                unjustified_threshold=max_unjustified,
                half_days_threshold=max_half_days,
            )
            if best is None or (found.half_days, found.unjustified) > (
                best.half_days,
                best.unjustified,
            ):
                best = found
    return best


def repeated_lateness(
    marks: Iterable[Mark], new: Mark, settings: Mapping[str, object]
) -> Signal | None:
    """The signal when ``new``, an unjustified late arrival, makes lateness repeat: each
    retard counts (two on one day are two), in a window containing ``new``."""
    if new.justified:
        return None
    window = setting(settings, "absences_window_days")
    threshold = setting(settings, "lates_unjustified_threshold")
    lates = [m for m in marks if m.id != new.id and m.late and not m.justified] + [new]
    windows = (
        [m for m in lates if start <= m.day <= start + timedelta(days=window - 1)]
        for start in (new.day - timedelta(days=shift) for shift in range(window))
    )
    inside = max(windows, key=len)  # the window that holds the most of them
    if len(inside) < threshold:
        return None
    return Signal(
        unjustified=0,
        half_days=0,
        start=min(m.day for m in inside),
        end=max(m.day for m in inside),
        window_days=window,
        unjustified_threshold=setting(settings, "absences_unjustified_threshold"),
        half_days_threshold=setting(settings, "absences_half_days_threshold"),
        lates=len(inside),
        lates_threshold=threshold,
    )


def repetition_began(
    marks: Iterable[Mark],
    settings: Mapping[str, object],
    *,
    until: date,
    days: int = 30,
    lates: bool = False,
    after: date | None = None,
) -> date | None:
    """The day absences began to repeat, within the ``days`` before ``until``: the absence
    that reached a threshold, the absences replayed in the order of their days.

    « Absences répétées » appears with that absence, not with the first of them: counted
    from an isolated absence weeks before, the entretien was due before the sign existed
    (explorer S S8: « Premier signe : l'absence du vendredi 6 novembre », due 13 November,
    for absences repeated on 1 and 3 December).  ``lates``: the day late arrivals began to
    repeat, the same way.

    ``after``: the day the trainee's last follow-up closed.  The absences before it were
    that follow-up's and do not count again: a second follow-up took the first one's sign,
    its entretien « dépassé » at its opening, its ticket contradicting the first one's
    (explorer GF1).  The closing day itself still counts (absent that afternoon, the
    trainee was not in its ticket).
    """
    since = until - timedelta(days=days)
    recent = sorted(
        (m for m in marks if (m.late if lates else m.counts) and since < m.day <= until),
        key=lambda m: (m.day, m.id),
    )
    for index, mark in enumerate(recent):
        if repeated_absence(recent[: index + 1], mark, settings, after=after) is not None:
            return mark.day
    return None
