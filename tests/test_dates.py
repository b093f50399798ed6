"""What trainers type, and what the bot must understand from it.

Every case has its exact expected answer against a fixed ``now``: Monday
23 November 2026, 10:00 in Paris. Days around it:
Tue 24, Wed 25, Thu 26, Fri 27, Sat 28, Sun 29, Mon 30 Nov, Tue 1 Dec.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dates import (
    Prefer,
    Understood,
    clock_change,
    impossible_day,
    previous_working_day,
    spell_date,
    spell_datetime,
    spell_minutes,
    spell_span,
    spell_time,
    understand,
    understand_duration,
    understand_one_end,
    understand_period,
    weekend_words,
    working_day_before,
    wrong_duration,
    wrong_weekday,
    wrong_year,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


def timed(y: int, mo: int, d: int, h: int, mi: int = 0) -> Understood:
    return Understood(at(y, mo, d, h, mi), has_time=True)


def day(y: int, mo: int, d: int) -> Understood:
    return Understood(at(y, mo, d), has_time=False)


def same(got: Understood | None, expected: Understood | None) -> None:
    """Equal instants are not enough: the offset must be Paris's on that day too."""
    assert got == expected
    if got is not None and expected is not None:
        assert got.when.utcoffset() == expected.when.utcoffset()
        assert got.when.tzinfo is PARIS


SCHEDULING = [
    # bare times: today if still ahead, else tomorrow
    ("14h", timed(2026, 11, 23, 14)),
    ("15 h", timed(2026, 11, 23, 15)),
    ("11 heures", timed(2026, 11, 23, 11)),
    ("14h30", timed(2026, 11, 23, 14, 30)),
    ("14 h 30", timed(2026, 11, 23, 14, 30)),
    ("14:30", timed(2026, 11, 23, 14, 30)),
    ("vers 14h30", timed(2026, 11, 23, 14, 30)),
    ("9 heures 30", timed(2026, 11, 24, 9, 30)),
    # Hours in words (explorer O: « quatorze heures trente » was not read).
    ("quatorze heures trente", timed(2026, 11, 23, 14, 30)),
    ("mardi à neuf heures et demie", timed(2026, 11, 24, 9, 30)),
    ("mardi à dix heures moins le quart", timed(2026, 11, 24, 9, 45)),
    ("mardi à dix-sept heures", timed(2026, 11, 24, 17)),
    ("mardi à vingt et une heures", timed(2026, 11, 24, 21)),
    ("quatorze heures trente-cinq", timed(2026, 11, 23, 14, 35)),  # not 14 h 00 (explorer P)
    ("mardi à 14 heures trente", timed(2026, 11, 24, 14, 30)),  # not 14 h 00 (explorer Q)
    ("mardi à 9 h et quart", timed(2026, 11, 24, 9, 15)),
    ("mardi à 10 heures moins le quart", timed(2026, 11, 24, 9, 45)),
    ("9h", timed(2026, 11, 24, 9)),
    ("midi", timed(2026, 11, 23, 12)),
    ("midi et demi", timed(2026, 11, 23, 12, 30)),
    ("midi et quart", timed(2026, 11, 23, 12, 15)),
    ("minuit", timed(2026, 11, 24, 0)),
    ("9h moins le quart", timed(2026, 11, 24, 8, 45)),
    ("8h du soir", timed(2026, 11, 23, 20)),
    # relative days
    ("aujourd'hui", day(2026, 11, 23)),
    ("aujourdhui 16h", timed(2026, 11, 23, 16)),
    ("demain", day(2026, 11, 24)),
    ("demain 14h", timed(2026, 11, 24, 14)),
    ("Demain à 9h", timed(2026, 11, 24, 9)),
    ("après-demain", day(2026, 11, 25)),
    ("apres demain 10h", timed(2026, 11, 25, 10)),
    ("demain en huit", day(2026, 12, 1)),
    # parts of the day
    ("ce matin", timed(2026, 11, 23, 9)),
    ("cet après-midi", timed(2026, 11, 23, 14)),
    ("cet apres-midi", timed(2026, 11, 23, 14)),
    ("ce soir", timed(2026, 11, 23, 18)),
    ("ce midi", timed(2026, 11, 23, 12)),
    ("demain matin", timed(2026, 11, 24, 9)),
    ("demain aprem", timed(2026, 11, 24, 14)),
    ("demain midi", timed(2026, 11, 24, 12)),
    ("demain soir 20h", timed(2026, 11, 24, 20)),
    ("jeudi soir 7h", timed(2026, 11, 26, 19)),
    ("samedi matin", timed(2026, 11, 28, 9)),
    ("matin", timed(2026, 11, 24, 9)),
    # weekdays
    ("mardi", day(2026, 11, 24)),
    ("mardi 10h", timed(2026, 11, 24, 10)),
    ("lundi", day(2026, 11, 30)),
    ("lundi 14h", timed(2026, 11, 23, 14)),
    ("lundi 9h", timed(2026, 11, 30, 9)),
    ("dimanche", day(2026, 11, 29)),
    ("jeudi prochain", day(2026, 11, 26)),
    ("lundi prochain", day(2026, 11, 30)),
    ("LUNDI PROCHAIN 14H", timed(2026, 11, 30, 14)),
    ("lundi prochin", day(2026, 11, 30)),
    ("mecredi prochaine", day(2026, 11, 25)),
    ("lundi qui vient", day(2026, 11, 30)),
    ("vendredi dernier", day(2026, 11, 20)),
    ("lundi dernier", day(2026, 11, 16)),
    ("jeudi passé", day(2026, 11, 19)),
    ("mercredi en huit", day(2026, 12, 2)),
    ("dimanche en quinze", day(2026, 12, 13)),
    ("mardi de la semaine prochaine", day(2026, 12, 1)),
    ("Mercredi prochain à 9h30 ?", timed(2026, 11, 25, 9, 30)),
    ("mardi prochain 1er décembre", day(2026, 12, 1)),
    # day numbers, with or without weekday and month
    ("le 7", day(2026, 12, 7)),
    ("le 23", day(2026, 11, 23)),
    ("le 31", day(2026, 12, 31)),
    ("le 7 à 14h", timed(2026, 12, 7, 14)),
    ("le premier", day(2026, 12, 1)),
    ("jeudi 26", day(2026, 11, 26)),
    ("le jeudi 26 à 14h", timed(2026, 11, 26, 14)),
    ("je propose le jeudi 26 à 14h si possible", timed(2026, 11, 26, 14)),
    ("Jeudi 26 Novembre à 14H30", timed(2026, 11, 26, 14, 30)),
    ("le jeudi 26 novembre 2026 à 14 h 30", timed(2026, 11, 26, 14, 30)),
    ("3 déc", day(2026, 12, 3)),
    ("7 déc. 14h", timed(2026, 12, 7, 14)),
    ("7 déc 2026 14h", timed(2026, 12, 7, 14)),
    ("1er decembre", day(2026, 12, 1)),
    ("mardi 1er décembre", day(2026, 12, 1)),
    ("3 fevrier", day(2027, 2, 3)),
    ("15 aout", day(2027, 8, 15)),
    ("le 20 novembre", day(2027, 11, 20)),
    ("trois décembre", day(2026, 12, 3)),
    ("3/12", day(2026, 12, 3)),
    ("5/12 9h", timed(2026, 12, 5, 9)),
    ("03/12/2026", day(2026, 12, 3)),
    ("3-12-26", day(2026, 12, 3)),
    ("3.12.2026", day(2026, 12, 3)),
    ("2026-12-03", day(2026, 12, 3)),
    ("le 26/11 à 9h", timed(2026, 11, 26, 9)),
    ("jeudi 3/12/2026", day(2026, 12, 3)),
    ("lundi 30/11", day(2026, 11, 30)),
    # words around the date, typos, markup
    ("RDV: mercredi, 10h.", timed(2026, 11, 25, 10)),
    ("plutôt mardi svp", day(2026, 11, 24)),
    ("mardi plutot 10h30", timed(2026, 11, 24, 10, 30)),
    ("pour demain vers 9h merci", timed(2026, 11, 24, 9)),
    ("vendredi aprem", timed(2026, 11, 27, 14)),
    ("<b>lundi</b>", day(2026, 11, 30)),
    # relative offsets (counted in calendar days, weeks, months, years)
    ("dans 3 jours", day(2026, 11, 26)),
    ("dans quinze jours", day(2026, 12, 8)),
    ("dans 2 semaines à 10h", timed(2026, 12, 7, 10)),
]

LOGGING = [
    ("lundi", day(2026, 11, 23)),
    ("lundi 9h", timed(2026, 11, 23, 9)),
    ("lundi 14h", timed(2026, 11, 16, 14)),
    ("mardi 10h", timed(2026, 11, 17, 10)),
    ("samedi", day(2026, 11, 21)),
    ("le 20 novembre", day(2026, 11, 20)),
    ("le 23", day(2026, 11, 23)),
    ("le 7", day(2026, 11, 7)),
    ("le 31", day(2026, 10, 31)),
    # a day and month ahead this month: the nearer one, not eleven months back (explorer D)
    ("3/12", day(2026, 12, 3)),
    ("7 déc. 14h", timed(2026, 12, 7, 14)),
    ("le 15 juin", day(2026, 6, 15)),
    ("le 10/06", day(2026, 6, 10)),
    # half a year either way: the past one, for what is past (explorer L)
    ("le 3 juin", day(2026, 6, 3)),
    ("le 1er juin", day(2026, 6, 1)),
    ("ce matin", timed(2026, 11, 23, 9)),
    ("hier", day(2026, 11, 22)),
    ("hier après-midi", timed(2026, 11, 22, 14)),
    ("hier apres midi", timed(2026, 11, 22, 14)),
    ("hier soir", timed(2026, 11, 22, 18)),
    # half-days as texted (explorer BG7)
    ("ce mat", timed(2026, 11, 23, 9)),
    ("ce mat'", timed(2026, 11, 23, 9)),
    ("ce aprem", timed(2026, 11, 23, 14)),
    ("hier am", timed(2026, 11, 22, 9)),
    ("hier pm", timed(2026, 11, 22, 14)),
    ("avant-hier", day(2026, 11, 21)),
    ("14h", timed(2026, 11, 22, 14)),
    ("9 heures", timed(2026, 11, 23, 9)),
    ("aprem", timed(2026, 11, 22, 14)),
    ("vendredi dernier", day(2026, 11, 20)),
    ("il y a 3 jours", day(2026, 11, 20)),
    ("il y a deux semaines", day(2026, 11, 9)),
    # the weekday says which month, even on the unexpected side: the caller re-asks
    ("jeudi 26", day(2026, 11, 26)),
    ("mercredi 2 décembre", day(2026, 12, 2)),
    # last year's 27 November was a Thursday: a consistent reading
    ("jeudi 27 novembre", day(2025, 11, 27)),
]

VAGUE_OR_IMPOSSIBLE = [
    # Lengths, and minutes not read, are no hour (explorer P: 2 h in the night, 14 h 00).
    "dans deux heures",
    "il y a deux heures",
    "mardi à quatorze heures moins vingt",
    "",
    "   ",
    "\n\t",
    "👍",
    "🙂🙂🙂",
    "dès que possible",
    "des que possible",
    "en fin de semaine",
    "la semaine prochaine",
    "cette semaine",
    "le mois prochain",
    "bientôt",
    "un jour",
    "plus tard",
    "en décembre",
    "décembre",
    "mi-décembre",
    "fin décembre",
    "demain en fin de journée",
    "tous les lundis",
    "lundi ou mardi",
    "14h ou 15h",
    "demain 14h 15h",
    "mercredi 9h-12h",
    "entre 14h et 16h",
    "31/02",
    "30 février",
    "le 31/04",
    "25h",
    "24h",
    "14h60",
    "le 32",
    "32/12",
    "1/13",
    "jeudi 27",
    "demain matin 15h",
    "lundi 10",
    "le 26 à 14",
    "à 14",
    "salle 204 jeudi",
    "7 dec 26",
    "dans 3 heures",
    "dans 2h",
    "d'ici 2 heures",
    "il y a 20 min",
    "maintenant",
    "<script>alert(1)</script>",
    "x" * 201,
    "lundi " * 40,
    "a" * 10_000,
]


@pytest.mark.parametrize(("text", "expected"), SCHEDULING, ids=[t for t, _ in SCHEDULING])
def test_scheduling_reads_forward(text: str, expected: Understood) -> None:
    same(understand(text, NOW, "future"), expected)


def test_weekday_contradicting_the_day_is_refused_when_scheduling() -> None:
    """26 November 2026 is the Thursday; the next Thursday the 27th is a year away."""
    assert understand("jeudi 27 novembre", NOW, "future") is None
    assert understand("vendredi 26", NOW, "future") is None


@pytest.mark.parametrize(("text", "expected"), LOGGING, ids=[t for t, _ in LOGGING])
def test_logging_reads_backward(text: str, expected: Understood) -> None:
    same(understand(text, NOW, "past"), expected)


@pytest.mark.parametrize("text", VAGUE_OR_IMPOSSIBLE, ids=lambda t: repr(t[:30]))
@pytest.mark.parametrize("prefer", ["future", "past"])
def test_vague_or_impossible_is_refused(text: str, prefer: str) -> None:
    assert understand(text, NOW, "future" if prefer == "future" else "past") is None


def test_explicit_days_do_not_move_with_preference() -> None:
    for text in ("ce matin", "demain 14h", "03/12/2026", "jeudi prochain", "dans 3 jours"):
        assert understand(text, NOW, "future") == understand(text, NOW, "past"), text


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("jeu 14h", "future", timed(2026, 11, 26, 14)),
        ("jeu à 14h", "future", timed(2026, 11, 26, 14)),
        ("ven 16h", "past", timed(2026, 11, 20, 16)),
        ("ven 9h30", "future", timed(2026, 11, 27, 9, 30)),
        ("lun matin", "future", timed(2026, 11, 30, 9)),
    ],
)
def test_a_weekday_cut_short_before_an_hour_is_that_day(
    text: str, prefer: str, expected: Understood
) -> None:
    """Explorer DG6: « jeu 14h » on a Tuesday was Tuesday at 14 h, the day dropped unsaid."""
    found = understand(text, NOW, prefer)  # type: ignore[arg-type]
    assert found is not None and found.has_date
    same(found, expected)


def test_a_weekday_cut_short_alone_is_that_day() -> None:
    """Explorer DG4: « ven » at « Quel jour ? » was « Je n'ai pas compris la date »."""
    found = understand("ven", NOW, "past")
    assert found is not None and found.when.date() == date(2026, 11, 20)
    assert understand("sam", NOW, "past") is None  # alone, « Sam » may be a name


def test_a_bare_time_just_ahead_stays_today() -> None:
    """dateparser with TIMEZONE set pushed such times to the next day."""
    late = datetime(2026, 11, 23, 23, 30, tzinfo=PARIS)
    same(understand("23h45", late, "future"), timed(2026, 11, 23, 23, 45))
    early = datetime(2026, 11, 23, 0, 30, tzinfo=PARIS)
    same(understand("1h", early, "future"), timed(2026, 11, 23, 1))
    same(understand("0h15", early, "past"), timed(2026, 11, 23, 0, 15))


def test_today_weekday_with_time_passed_goes_to_next_week() -> None:
    afternoon = datetime(2026, 11, 23, 15, 0, tzinfo=PARIS)
    same(understand("lundi 14h", afternoon, "future"), timed(2026, 11, 30, 14))
    same(understand("lundi 16h", afternoon, "future"), timed(2026, 11, 23, 16))


def test_result_is_in_the_zone_of_now() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=tokyo)
    got = understand("demain 14h", now, "future")
    assert got == Understood(datetime(2026, 11, 24, 14, 0, tzinfo=tokyo), True)


# --- daylight saving time --------------------------------------------------

BEFORE_AUTUMN = datetime(2026, 10, 24, 10, 0, tzinfo=PARIS)  # Saturday, +02:00
BEFORE_SPRING = datetime(2027, 3, 27, 10, 0, tzinfo=PARIS)  # Saturday, +01:00


def test_tomorrow_after_autumn_change_is_in_winter_time() -> None:
    got = understand("demain 14h", BEFORE_AUTUMN, "future")
    assert got is not None
    assert got.when.utcoffset() == timedelta(hours=1)
    assert got.when.astimezone(ZoneInfo("UTC")).hour == 13
    assert got.when.replace(tzinfo=None) == datetime(2026, 10, 25, 14, 0)


def test_tomorrow_after_spring_change_is_in_summer_time() -> None:
    got = understand("demain 14h", BEFORE_SPRING, "future")
    assert got is not None
    assert got.when.utcoffset() == timedelta(hours=2)
    assert got.when.astimezone(ZoneInfo("UTC")).hour == 12


def test_time_in_spring_gap_moves_to_the_hour_it_means() -> None:
    got = understand("demain 2h30", BEFORE_SPRING, "future")
    assert got is not None
    assert got.when.replace(tzinfo=None) == datetime(2027, 3, 28, 3, 30)
    assert got.when.utcoffset() == timedelta(hours=2)
    assert got.when.astimezone(ZoneInfo("UTC")) == datetime(
        2027, 3, 28, 1, 30, tzinfo=ZoneInfo("UTC")
    )


def test_time_in_autumn_overlap_takes_the_first() -> None:
    got = understand("demain 2h30", BEFORE_AUTUMN, "future")
    assert got is not None
    assert got.when.replace(tzinfo=None) == datetime(2026, 10, 25, 2, 30)
    assert got.when.utcoffset() == timedelta(hours=2)


def test_an_hour_moved_or_doubled_by_the_change_of_time_is_told() -> None:
    """Explorer IB1: « dimanche 28 mars à 2h30 » was shown back as 3 h 30, no word why;
    the hour typed is kept with the moment, for the question to say it."""
    spring = understand("demain 2h30", BEFORE_SPRING, "future")
    assert spring is not None and spring.typed == time(2, 30)
    assert clock_change(spring.when, spring.typed) == "ete"
    autumn = understand("demain 2h30", BEFORE_AUTUMN, "future")
    assert autumn is not None and clock_change(autumn.when, autumn.typed) == "hiver"
    plain = understand("demain 3h30", BEFORE_SPRING, "future")
    assert plain is not None and clock_change(plain.when, plain.typed) is None
    day_only = understand("demain", BEFORE_SPRING, "future")
    assert day_only is not None and clock_change(day_only.when, day_only.typed) is None


def test_weekday_across_the_change_keeps_wall_clock() -> None:
    got = understand("lundi 9h", BEFORE_AUTUMN, "future")
    same(got, timed(2026, 10, 26, 9))


# --- periods ---------------------------------------------------------------

PERIODS = [
    ("du 2 mars au 15 juin 2027", (date(2027, 3, 2), date(2027, 6, 15))),
    ("2/3/2027 - 15/6/2027", (date(2027, 3, 2), date(2027, 6, 15))),
    ("2/3/2027-15/6/2027", (date(2027, 3, 2), date(2027, 6, 15))),
    ("du 2 au 15 mars", (date(2027, 3, 2), date(2027, 3, 15))),
    ("Du 1er décembre au 15 janvier", (date(2026, 12, 1), date(2027, 1, 15))),
    ("du 15/12/2026 au 10/01/2027", (date(2026, 12, 15), date(2027, 1, 10))),
    ("du 1/12 au 5/12", (date(2026, 12, 1), date(2026, 12, 5))),
    ("du 28 mars au 3", (date(2027, 3, 28), date(2027, 4, 3))),
    ("du 28 au 3", (date(2026, 11, 28), date(2026, 12, 3))),
    ("du 20 au 25 novembre", (date(2026, 11, 20), date(2026, 11, 25))),
    ("du 2 au 15 novembre", (date(2027, 11, 2), date(2027, 11, 15))),
    ("du 2 mars 2027 au 15 juin", (date(2027, 3, 2), date(2027, 6, 15))),
    ("entre le 2 et le 15 mars", (date(2027, 3, 2), date(2027, 3, 15))),
    ("3/12 → 5/12", (date(2026, 12, 3), date(2026, 12, 5))),
    ("2026-12-01 au 2026-12-15", (date(2026, 12, 1), date(2026, 12, 15))),
    ("du lundi 30 novembre au vendredi 4 décembre", (date(2026, 11, 30), date(2026, 12, 4))),
    # outside test: a day counted from today, a shortened weekday, "à partir de … jusqu'au"
    ("du lundi prochain au 15/01/2027", (date(2026, 11, 30), date(2027, 1, 15))),
    ("à partir de lundi prochain jusqu'au 15/01/2027", (date(2026, 11, 30), date(2027, 1, 15))),
    ("à partir d'aujourd'hui jusqu'au 15 janvier", (date(2026, 11, 23), date(2027, 1, 15))),
    ("de demain au 15/01", (date(2026, 11, 24), date(2027, 1, 15))),
    ("du lun 23 nov au ven 4 déc", (date(2026, 11, 23), date(2026, 12, 4))),
    ("du mar. 1er déc. au ven. 18 déc.", (date(2026, 12, 1), date(2026, 12, 18))),
    ("depuis le 2 mars jusqu'au 15 juin 2027", (date(2027, 3, 2), date(2027, 6, 15))),
]

PERIODS_REFUSED = [
    "",
    "du lundi au vendredi",
    "du lundi 30 novembre au jeudi 4 décembre",
    "du 2 au 31 février",
    "du 15/6/2027 au 2/3/2027",
    "la semaine prochaine",
    "du 2 mars",
    "mars à juin",
    "du lundi prochain au vendredi",  # a bare weekday names no week
    "du lun 23 nov au jeu 4 déc",  # 4 December is a Friday
    "de demain 14h au 15/01",  # a period is made of days
    "jusqu'au 18 décembre",  # one end: see understand_one_end
    "x" * 300,
]


@pytest.mark.parametrize(("text", "expected"), PERIODS, ids=[t for t, _ in PERIODS])
def test_period(text: str, expected: tuple[date, date]) -> None:
    assert understand_period(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("du 16 au 18 novembre", (date(2026, 11, 16), date(2026, 11, 18))),
        ("du 2 au 6", (date(2026, 11, 2), date(2026, 11, 6))),
        ("du 30 au 2", (date(2026, 10, 30), date(2026, 11, 2))),
        ("du 20/11/2026 au 23/11/2026", (date(2026, 11, 20), date(2026, 11, 23))),
    ],
)
def test_a_period_leaning_to_the_past(text: str, expected: tuple[date, date]) -> None:
    """The days of an absence: a period already over wins (« du 2 au 6 » is November's)."""
    assert understand_period(text, NOW, "past") == expected


@pytest.mark.parametrize("text", PERIODS_REFUSED, ids=lambda t: repr(t[:30]))
def test_period_refused(text: str) -> None:
    assert understand_period(text, NOW) is None


CURRENT = (date(2026, 12, 1), date(2027, 6, 15))
ONE_END = [
    # (what was typed, the formation's dates or None, which end and its day)
    ("jusqu'au 18 décembre", CURRENT, ("end", date(2026, 12, 18))),
    ("jusqu’à vendredi 18 décembre", CURRENT, ("end", date(2026, 12, 18))),
    ("au 30 juin", CURRENT, ("end", date(2027, 6, 30))),
    ("à partir du 7 décembre", CURRENT, ("start", date(2026, 12, 7))),
    ("du 7 décembre", CURRENT, ("start", date(2026, 12, 7))),
    ("à partir de lundi prochain", CURRENT, ("start", date(2026, 11, 30))),
    ("jusqu'au 18 décembre", None, ("end", date(2026, 12, 18))),
    ("jusqu'au 31 février", CURRENT, None),
    ("jusqu'au jeudi 18 décembre", CURRENT, None),  # a Friday
    ("du 2 au 15 mars", CURRENT, None),  # both ends
    ("jusqu'au", CURRENT, None),
    ("18 décembre", CURRENT, None),  # which end?
    ("jusqu'au " + "9" * 300, CURRENT, None),
]


@pytest.mark.parametrize(
    ("text", "current", "expected"), ONE_END, ids=[t[:30] for t, _, _ in ONE_END]
)
def test_one_end(text: str, current: tuple[date, date] | None, expected: object) -> None:
    assert understand_one_end(text, NOW, current) == expected


IMPOSSIBLE = [
    ("31 février à 14h", "31 février"),
    ("le 31/04", "31 avril"),
    ("du 2 au 31 février", "31 février"),
    ("29/02/2027", "29 février 2027"),
    ("le 30 février 2028 à 9 h", "30 février 2028"),
    ("29/02", None),  # a leap year will have it
    ("1/13", None),  # not a month: not understood, rather than impossible
    ("demain", None),
    ("", None),
    ("31 février " * 100, None),
]


@pytest.mark.parametrize(("text", "expected"), IMPOSSIBLE, ids=[t[:30] for t, _ in IMPOSSIBLE])
def test_impossible_day_is_named(text: str, expected: str | None) -> None:
    assert impossible_day(text) == expected


LEAP_DAYS: list[tuple[datetime, Prefer, date | None, str | None]] = [
    # typed on, leaning, read as, or the day named as one that does not exist
    (NOW, "future", None, "29 février 2027"),
    (NOW, "past", None, "29 février 2026"),
    (at(2027, 1, 1, 10), "past", None, "29 février 2027"),  # as « le 28 février » is read
    (at(2027, 1, 1, 10), "future", None, "29 février 2027"),
    (at(2028, 1, 1, 10), "past", date(2028, 2, 29), None),  # near ahead: then « à venir »
    (at(2028, 2, 29, 10), "future", date(2028, 2, 29), None),
    (at(2028, 3, 1, 10), "past", date(2028, 2, 29), None),
    (at(2029, 1, 1, 10), "past", date(2028, 2, 29), None),
    (at(2027, 12, 1, 10), "future", date(2028, 2, 29), None),
]


@pytest.mark.parametrize(("now", "prefer", "read", "named"), LEAP_DAYS)
def test_29_february_without_a_year_is_of_the_year_28_february_is(
    now: datetime, prefer: Prefer, read: date | None, named: str | None
) -> None:
    """Explorer IB6: « le 29 février » typed in 2027 was read as 29 February 2024 (the reader
    went back to a leap year), confirmed, then refused as years away: it is the year « le 28
    février » would be, and in a year without one the day is named as not existing."""
    for text in ("le 29 février", "29/02"):
        understood = understand(text, now, prefer)
        assert (understood.when.date() if understood else None) == read
        assert impossible_day(text, now, prefer) == named
    assert impossible_day("le 29 février") is None  # no moment: a leap year will have it


WRONG_YEARS = [
    ("le 12/03/2226", "2226"),
    ("le 12/03/1826", "1826"),
    ("du 1/12/2026 au 31/12/9999", "9999"),
    ("le 12 mars 2226 à 14h", "2226"),
    ("2226-03-12", "2226"),
    ("le 31/12/99999", "99999"),
    ("le 12/03/2027", None),
    ("le 12/03/27", None),  # two digits: this century
    ("12/03", None),
    ("il y a 200 ans", None),  # no year typed: the question's own check says (explorer GD1)
    ("le 12/03/2226 " * 30, None),
]


@pytest.mark.parametrize(("text", "expected"), WRONG_YEARS, ids=[t[:30] for t, _ in WRONG_YEARS])
def test_a_year_no_one_means_is_named(text: str, expected: str | None) -> None:
    """Explorer GD8: « le 12/03/2226 » was « Je n'ai pas compris cette date », the year the
    only thing wrong and unsaid."""
    assert wrong_year(text) == expected
    if expected is not None:
        assert understand(text, NOW, "past") is None  # still no date read


# --- durations -------------------------------------------------------------

DURATIONS = [
    ("2h", timedelta(hours=2)),
    ("2 h 30", timedelta(hours=2, minutes=30)),
    ("1h30", timedelta(hours=1, minutes=30)),
    ("1H30", timedelta(hours=1, minutes=30)),
    ("90 minutes", timedelta(minutes=90)),
    ("une heure", timedelta(hours=1)),
    ("deux heures", timedelta(hours=2)),
    ("1 heure et demie", timedelta(hours=1, minutes=30)),
    ("2 heures et quart", timedelta(hours=2, minutes=15)),
    ("45 min", timedelta(minutes=45)),
    ("1 h 15 min", timedelta(hours=1, minutes=15)),
    ("une demi-heure", timedelta(minutes=30)),
    ("trois quarts d'heure", timedelta(minutes=45)),
    ("1,5 h", timedelta(hours=1, minutes=30)),
    ("environ 2h", timedelta(hours=2)),
    ("7 heures", timedelta(hours=7)),
]

DURATIONS_REFUSED = [
    "",
    "0h",
    "0 min",
    "2 jours",
    "1h75",
    "h",
    "99999999999h",
    "longtemps",
    "a" * 500,
]


@pytest.mark.parametrize(("text", "expected"), DURATIONS, ids=[t for t, _ in DURATIONS])
def test_duration(text: str, expected: timedelta) -> None:
    assert understand_duration(text) == expected


@pytest.mark.parametrize("text", DURATIONS_REFUSED, ids=lambda t: repr(t[:30]))
def test_duration_refused(text: str) -> None:
    assert understand_duration(text) is None


WRONG_DURATIONS = [
    ("-2 h", "negative"),
    ("-5 minutes", "negative"),
    ("−9 h", "negative"),
    ("- 90", "negative"),
    ("99999 h", "too_long"),
    ("5000", "too_long"),
    ("1441", "too_long"),
    ("environ 100000 h", "too_long"),
    ("9" * 20 + " minutes", "too_long"),
    ("2 h", None),
    ("5000 minutes", None),  # read: the question's own range says the rest
    ("20", None),
    ("2 h 75", None),
    ("1e9", None),
    ("longtemps", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), WRONG_DURATIONS, ids=[t[:30] for t, _ in WRONG_DURATIONS]
)
def test_a_length_negative_or_past_any_range_is_named(text: str, expected: str | None) -> None:
    """Explorer GD7: « -2 h » was two hours (the sign folded away), « 99999 h » « pas
    compris » where the question has a range to say."""
    assert wrong_duration(text) == expected


# --- spelling --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 11, 26), "jeudi 26 novembre 2026"),
        (date(2026, 12, 1), "mardi 1er décembre 2026"),
        (datetime(2027, 2, 2, 9, 5), "mardi 2 février 2027"),
        (date(2027, 8, 15), "dimanche 15 août 2027"),
    ],
)
def test_spell_date(value: date, expected: str) -> None:
    assert spell_date(value) == expected


def test_spell_time() -> None:
    assert spell_time(time(14, 0)) == "14 h 00"
    assert spell_time(time(9, 5)) == "9 h 05"
    assert spell_time(datetime(2026, 1, 1, 0, 30)) == "0 h 30"


def test_a_length_is_said_as_a_person_says_it() -> None:
    """Explorer G: a 30-minute bilan's recap read « 0 h 30 »."""
    assert [spell_minutes(m) for m in (30, 60, 90, 125)] == ["30 min", "1 h", "1 h 30", "2 h 05"]


def test_spell_span_says_from_and_to() -> None:
    assert spell_span(at(2027, 1, 14, 14), at(2027, 1, 14, 15, 30)) == (
        "jeudi 14 janvier 2027 de 14 h 00 à 15 h 30"
    )
    assert spell_span(at(2027, 1, 14, 22), at(2027, 1, 15, 1)) == (
        "jeudi 14 janvier 2027 à 22 h 00 jusqu'au vendredi 15 janvier 2027 à 1 h 00"
    )


def test_spell_datetime() -> None:
    assert spell_datetime(at(2026, 11, 26, 14)) == "jeudi 26 novembre 2026 à 14 h 00"
    assert spell_datetime(at(2026, 12, 1, 9, 5)) == "mardi 1er décembre 2026 à 9 h 05"


def test_what_is_understood_spells_back() -> None:
    got = understand("je propose le jeudi 26 à 14h si possible", NOW, "future")
    assert got is not None
    assert spell_datetime(got.when) == "jeudi 26 novembre 2026 à 14 h 00"


def test_huge_input_is_refused_before_any_parsing() -> None:
    assert understand("lundi " * 100_000, NOW, "future") is None
    assert understand_period("1/1 au 2/2 " * 100_000, NOW) is None
    assert understand_duration("2h" * 100_000) is None


OFFSETS_AT_MONTH_ENDS = [
    # (today, phrase, day meant): calendar months and years, the 31st kept when
    # the month has one, else brought back to the month's last day (as dateparser did)
    (date(2026, 1, 31), "dans 1 mois", date(2026, 2, 28)),
    (date(2028, 1, 31), "dans un mois", date(2028, 2, 29)),
    (date(2026, 3, 31), "il y a 1 mois", date(2026, 2, 28)),
    (date(2026, 8, 31), "dans 3 mois", date(2026, 11, 30)),
    (date(2026, 12, 15), "dans 1 mois", date(2027, 1, 15)),
    (date(2027, 1, 15), "il y a deux mois", date(2026, 11, 15)),
    (date(2028, 2, 29), "dans 1 an", date(2029, 2, 28)),
    (date(2028, 2, 29), "il y a 4 ans", date(2024, 2, 29)),
    (date(2026, 12, 31), "dans 1 jour", date(2027, 1, 1)),
    (date(2026, 3, 1), "il y a 1 jour", date(2026, 2, 28)),
    (date(2026, 11, 23), "dans 0 jours", date(2026, 11, 23)),
    (date(2026, 11, 23), "dans 999 ans", date(3025, 11, 23)),
]


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    OFFSETS_AT_MONTH_ENDS,
    ids=[t for _, t, _ in OFFSETS_AT_MONTH_ENDS],
)
def test_offsets_count_calendar_months_and_years(today: date, text: str, expected: date) -> None:
    now = datetime.combine(today, time(10), tzinfo=PARIS)
    prefer = "future" if text.startswith("dans") else "past"
    assert understand(text, now, prefer) == Understood(
        at(*expected.timetuple()[:3]), has_time=False
    )


def test_an_offset_past_the_calendar_is_refused() -> None:
    assert understand("dans 999 ans", at(9500, 1, 1, 10), "future") is None
    assert understand("il y a 999 jours", at(1, 6, 1, 10), "past") is None


@pytest.mark.parametrize(
    ("day", "before", "hint"),
    [
        # (a deadline's day, the working day before it, its hint seen on Wednesday the 25th)
        (date(2026, 11, 23), date(2026, 11, 20), ""),
        (date(2026, 11, 26), date(2026, 11, 25), ""),
        (date(2026, 11, 27), date(2026, 11, 26), ""),
        (date(2026, 11, 28), date(2026, 11, 27), "un samedi vendredi 27 novembre 2026"),
        (date(2026, 11, 29), date(2026, 11, 27), "un dimanche vendredi 27 novembre 2026"),
        (date(2026, 11, 30), date(2026, 11, 27), ""),
    ],
)
def test_working_days_run_monday_to_friday(day: date, before: date, hint: str) -> None:
    assert previous_working_day(day) == before
    assert " ".join(w for w in weekend_words(day, date(2026, 11, 25)) if w) == hint


@pytest.mark.parametrize(
    ("today", "hint"),
    [
        (date(2026, 11, 26), "un dimanche vendredi 27 novembre 2026"),
        (date(2026, 11, 27), "un dimanche vendredi 27 novembre 2026"),  # that Friday: still to do
        (date(2026, 11, 28), ""),  # the Saturday: that Friday is past, the Sunday still ahead
        (date(2026, 11, 29), ""),
    ],
)
def test_a_weekend_hint_points_to_a_friday_still_to_come(today: date, hint: str) -> None:
    assert " ".join(w for w in weekend_words(date(2026, 11, 29), today) if w) == hint
    assert (working_day_before(date(2026, 11, 29), today) is None) == (hint == "")


def test_a_holiday_keeps_its_name_once_its_working_day_before_is_past() -> None:
    """Explorer AS4: « À faire demain : lundi 25 mai » on the Sunday, nothing of Whit Monday."""
    whit_monday = date(2026, 5, 25)
    assert weekend_words(whit_monday, date(2026, 5, 22)) == (
        "jour férié, lundi de Pentecôte",
        "vendredi 22 mai 2026",
    )
    assert weekend_words(whit_monday, date(2026, 5, 24)) == ("jour férié, lundi de Pentecôte", "")
    assert weekend_words(date(2026, 5, 24), date(2026, 5, 24)) == ("", "")  # a Sunday: its date


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("Noël à 10h", "future", datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)),
        ("le jour de Noël", "past", datetime(2025, 12, 25, 0, 0, tzinfo=PARIS)),
        ("la veille de Noël à 14 h", "future", datetime(2026, 12, 24, 14, 0, tzinfo=PARIS)),
        ("jour de l'An", "future", datetime(2027, 1, 1, 0, 0, tzinfo=PARIS)),
        ("la Toussaint", "past", datetime(2026, 11, 1, 0, 0, tzinfo=PARIS)),
        ("Toussaint", "future", datetime(2027, 11, 1, 0, 0, tzinfo=PARIS)),
        ("lundi de Pâques à 10h", "future", datetime(2027, 3, 29, 10, 0, tzinfo=PARIS)),
        ("lundi de Pentecôte", "future", datetime(2027, 5, 17, 0, 0, tzinfo=PARIS)),
        ("l'Ascension", "future", datetime(2027, 5, 6, 0, 0, tzinfo=PARIS)),
        ("Pâques", "past", datetime(2026, 4, 5, 0, 0, tzinfo=PARIS)),
        ("fête du Travail", "future", datetime(2027, 5, 1, 0, 0, tzinfo=PARIS)),
        ("l'Armistice", "past", datetime(2026, 11, 11, 0, 0, tzinfo=PARIS)),
    ],
)
def test_a_day_named_by_its_holiday(text: str, prefer: Prefer, expected: datetime) -> None:
    """« Noël à 10 h » is the 25th, not today at 10 h with « Noël » dropped (explorer C)."""
    found = understand(text, NOW, prefer)
    assert found is not None and found.has_date and found.when == expected


def test_a_holiday_and_another_date_together_are_unclear() -> None:
    assert understand("Noël 3 janvier", NOW, "future") is None


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("mercredi 26 novembre à 14h", "future", (date(2026, 11, 26), date(2026, 11, 25))),
        ("lundi 22/11", "past", (date(2026, 11, 22), date(2026, 11, 16))),
        ("jeudi 26 novembre", "future", None),  # it fits
        ("mercredi à 14h", "future", None),  # no date besides the weekday
        ("26 novembre", "future", None),
        ("mercredi zorro", "future", None),
    ],
)
def test_a_weekday_that_does_not_fit_its_date(
    text: str, prefer: Prefer, expected: tuple[date, date] | None
) -> None:
    assert wrong_weekday(text, NOW, prefer) == expected


SUNDAY = datetime(2026, 12, 6, 12, 30, tzinfo=PARIS)
"""Sunday 6 December 2026: the coming 12th is a Saturday, the next Tuesday the 12th is
12 January 2027."""


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("mardi 12 à 10h", "future", timed(2027, 1, 12, 10)),
        ("le mardi 12 à 10h", "future", timed(2027, 1, 12, 10)),
        ("jeudi 7 à 14h", "future", timed(2027, 1, 7, 14)),
        ("le vendredi 8 à 16h30", "future", timed(2027, 1, 8, 16, 30)),
        ("mardi 8 à 10h", "future", timed(2026, 12, 8, 10)),  # this month's still
        ("lundi 12", "past", day(2026, 10, 12)),  # on the side the question leans to
        ("mardi 12", "past", None),  # none within two months back
        ("vendredi 26", "future", None),  # 26 February 2027: too far to be meant
    ],
)
def test_a_weekday_and_a_day_number_name_the_next_date_where_they_agree(
    text: str, prefer: Prefer, expected: Understood | None
) -> None:
    """Explorer GE1: « mardi 12 à 10h » with no month was « Je n'ai pas compris cette
    date », « le mardi 12 » offered samedi 12 or mardi 8 décembre; it is the next 12th
    that is a Tuesday, within two months on the question's side."""
    same(understand(text, SUNDAY, prefer), expected)
    if expected is not None:
        assert wrong_weekday(text, SUNDAY, prefer) is None


def test_a_weekday_day_and_month_ahead_is_read_as_the_day_alone_is_in_december() -> None:
    """Explorer AB1: « le 11 janvier » leaning to the past was 11 January 2027 in December
    (:data:`bot.dates.NEAR_AHEAD`), « lundi 11 janvier » None; « mardi 11 janvier » (a
    Monday in 2027) stays unread."""
    dec_7 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    for text in ("lundi 11 janvier", "11 janvier"):
        found = understand(text, dec_7, "past")
        assert found is not None and found.when.date() == date(2027, 1, 11)
    assert understand("mardi 11 janvier", dec_7, "past") is None
