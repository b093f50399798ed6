"""Several days of absence in one phrase: « du 16 au 18 novembre », « lundi et mardi »."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.absences.days import (
    MOST_DAYS,
    Days,
    day_periods,
    list_periods,
    read_days,
    read_days_and_words,
    span_halves,
    spell_days,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Monday


def d(day: int, month: int = 11, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(
    ("text", "days", "skipped"),
    [
        ("du 16 au 18 novembre", (d(16), d(17), d(18)), ()),
        ("du 16 au 18", (d(16), d(17), d(18)), ()),
        ("du 16/11 au 18/11", (d(16), d(17), d(18)), ()),
        ("Du 16 au 18 Novembre.", (d(16), d(17), d(18)), ()),
        # Weekdays: the last such days, the start before the end (said on a Monday).
        ("de lundi à mercredi", (d(16), d(17), d(18)), ()),
        ("du lundi au mercredi", (d(16), d(17), d(18)), ()),
        ("entre mardi et jeudi", (d(17), d(18), d(19)), ()),
        # A span leaves out its weekend and public holidays, and says which.
        ("de jeudi à lundi", (d(19), d(20), d(23)), (d(21), d(22))),
        ("de jeudi à mardi", (d(12), d(13), d(16), d(17)), (d(14), d(15))),
        ("du 9 au 12 novembre", (d(9), d(10), d(12)), (d(11),)),
        ("du 10 au 11 novembre", (d(10),), (d(11),)),
        # A list: exactly the days named, a weekend day included.
        ("lundi et mardi", (d(16), d(17)), ()),  # said on a Monday: last week's
        ("mardi, mercredi et vendredi", (d(17), d(18), d(20)), ()),
        ("les 30 et 31 octobre", (d(30, 10), d(31, 10)), ()),
        ("le 2 et le 3", (d(2), d(3)), ()),
        ("samedi et dimanche", (d(21), d(22)), ()),
        ("hier et avant-hier", (d(21), d(22)), ()),
        # « depuis jeudi »: from Thursday to today (explorer AW9: Thursday alone was noted);
        # « depuis 3 jours »: the last three days of training, today among them.
        ("depuis jeudi", (d(19), d(20), d(23)), (d(21), d(22))),
        ("depuis le 18 novembre", (d(18), d(19), d(20), d(23)), (d(21), d(22))),
        ("depuis 3 jours", (d(19), d(20), d(23)), (d(21), d(22))),
        ("depuis trois jours", (d(19), d(20), d(23)), (d(21), d(22))),
        # « huit jours », « quinze jours »: a week, a fortnight (explorer AZ5).
        ("depuis 8 jours", (d(16), d(17), d(18), d(19), d(20), d(23)), (d(21), d(22))),
        ("depuis une semaine", (d(16), d(17), d(18), d(19), d(20), d(23)), (d(21), d(22))),
        ("depuis 7 jours", (d(16), d(17), d(18), d(19), d(20), d(23)), (d(21), d(22))),  # CA6
        ("jeudi et vendredi derniers", (d(19), d(20)), ()),  # explorer CA7
        ("vendredi, lundi aussi", (d(20), d(23)), ()),  # explorer CA1
        (
            "depuis neuf jours",
            (d(10), d(12), d(13), d(16), d(17), d(18), d(19), d(20), d(23)),
            (d(11), d(14), d(15), d(21), d(22)),
        ),
    ],
)
def test_several_days(text: str, days: tuple[date, ...], skipped: tuple[date, ...]) -> None:
    found = read_days(text, NOW)
    assert found is not None and not found.too_long
    assert (found.days, found.skipped) == (days, skipped)


@pytest.mark.parametrize(
    "text",
    [
        "hier",
        "lundi",
        "le 3",
        "du 3 au 3 novembre",
        "",
        "   ",
        "karim et julie",
        "du zorro au pluton",
        "lundi et zorro",
        "le 20 décembre et le 3 novembre",  # a year apart: no list across a year
        "du " + "1 " * 300 + "au 3",
        "💥 et 🎉",
        "depuis aujourd'hui",
        "depuis 1 jour",
        "depuis 99 jours",
        "depuis zorro",
        "hier, mardi il revient",  # a day, and what was said of it (explorer AY5)
    ],
)
def test_one_day_or_no_days_is_not_several(text: str) -> None:
    assert read_days(text, NOW) is None


@pytest.mark.parametrize(
    "text", ["<b>lundi</b> et <i>mardi</i>'; DROP TABLE absences; --", "lundi\x00 et mardi"]
)
def test_hostile_text_reads_as_past_days_or_none(text: str) -> None:
    """Whatever is read is shown back in full for confirmation: past days, never a crash."""
    found = read_days(text, NOW)
    assert found is None or all(day <= NOW.date() for day in found.days)


def test_a_span_over_a_month_is_refused_not_written() -> None:
    found = read_days("du 1er septembre au 20 novembre", NOW)
    assert found == Days(days=(d(1, 9), d(20)), span=True, too_long=True)
    assert read_days(f"du 1er au {MOST_DAYS} octobre", NOW) == Days(
        days=tuple(x for x in (d(n, 10) for n in range(1, 32)) if x.weekday() < 5),
        skipped=tuple(x for x in (d(n, 10) for n in range(1, 32)) if x.weekday() >= 5),
        span=True,
    )


def test_a_span_typed_end_first_is_said_as_such() -> None:
    """Explorer E E12 f: « du 20/11 au 16/11 » was read up to next year's 16 November and
    refused as « plus de 31 jours »; the year's turn still reads forward."""
    assert read_days("du 20/11 au 16/11", NOW) == Days(
        days=(d(20), d(16)), span=True, too_long=True, backwards=True
    )
    # Months apart either way: too long, whichever was meant.
    far = read_days("du 20 novembre au 1er septembre", NOW)
    assert far is not None and far.too_long and not far.backwards
    turn = read_days("du 29/12 au 2/01", NOW)
    assert turn is not None and not turn.too_long and date(2027, 1, 1) in turn.skipped
    # A bare first day after the last one (explorer M: « du 5 au 3 » was from 5 October);
    # a few days over the month's turn is how it is said (« du 30 au 2 novembre »).
    assert read_days("du 18 au 16 novembre", NOW) == Days(
        days=(d(18), d(16)), span=True, too_long=True, backwards=True
    )
    over = read_days("du 30 au 2 novembre", NOW)
    assert over is not None and not over.backwards and over.days[0] == d(30, 10)
    # No month at all (explorer N: « du 3 au 2 » on 4 December spoke of January 2027).
    december = NOW.replace(month=12, day=4)
    assert read_days("du 3 au 2", december) == Days(
        days=(d(3, 12), d(2, 12)), span=True, too_long=True, backwards=True
    )
    turn = read_days("du 30 au 2", december)
    assert turn is not None and not turn.backwards and turn.days[0] == d(30, 11)


def test_a_weekday_after_a_relative_day_is_the_coming_one() -> None:
    """Explorer M: « de demain à mardi » on a Friday was read from the Saturday a week back
    to last Tuesday, and offered to save; « de vendredi à mardi » is still the Friday before."""
    friday = NOW.replace(month=12, day=4)
    ahead = read_days("de demain à mardi", friday)
    assert ahead is not None and ahead.skipped[0] == d(5, 12) and ahead.last == d(8, 12)
    back = read_days("de vendredi à mardi", friday)
    assert back is not None and back.first == d(27) and back.last == d(1, 12)


def test_a_span_a_year_back_is_the_coming_one() -> None:
    """Explorer I: « du 28/12 au 2/01 » on 23 November was read in 2025, nearly a year before
    the formation, and offered to save."""
    found = read_days("du 28/12 au 2/01", NOW)
    assert found is not None and found.first == date(2026, 12, 28)  # to come: refused as such
    # Half a year either way: the past one (explorer L: « du 1er au 3 juin » was next June).
    june = read_days("du 1er juin au 3 juin", NOW.replace(month=12, day=4))
    assert june is not None and june.first == date(2026, 6, 1)


def test_a_period_already_begun_is_this_years() -> None:
    """On 4 December, « du 1er au 3 décembre » is this year's, not last year's."""
    now = NOW.replace(month=12, day=2)
    found = read_days("du 1er au 3 décembre", now)
    assert found is not None and found.days == (d(1, 12), d(2, 12), d(3, 12))


def test_the_days_spelled_as_a_sentence_says_them() -> None:
    assert spell_days([d(16), d(17), d(18)], span=True) == (
        "du lundi 16 novembre au mercredi 18 novembre 2026 (3 jours)"
    )
    assert spell_days([d(16), d(17), d(20)], span=False) == (
        "le lundi 16 novembre, le mardi 17 novembre et le vendredi 20 novembre 2026 (3 jours)"
    )
    assert spell_days([d(31, 12), date(2027, 1, 4)], span=True) == (
        "du jeudi 31 décembre 2026 au lundi 4 janvier 2027 (2 jours)"
    )
    assert spell_days([d(16)], span=True) == "lundi 16 novembre 2026"


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("de jeudi après-midi à lundi matin", ("apres_midi", "matin")),
        ("de jeudi à lundi matin", ("journee", "matin")),
        ("Karim absent de jeudi aprem à lundi", ("apres_midi", "journee")),
        ("entre lundi après-midi et mercredi", ("apres_midi", "journee")),
        # From a morning or to an afternoon is the whole of that day.
        ("du lundi matin au mercredi", ("journee", "journee")),
        ("du lundi matin au mercredi après-midi", ("journee", "journee")),
        ("depuis jeudi matin jusqu'à lundi", ("journee", "journee")),  # explorer AA3
        ("depuis jeudi jusqu'à vendredi après-midi", ("journee", "journee")),
        # Said of every day, or not at all: no ends of their own.
        ("du 16 au 18 novembre le matin", None),
        ("du 16 au 18 novembre, le matin", None),
        ("du 16 au 18 novembre chaque après-midi", None),
        ("du 16 au 18 novembre", None),
        ("lundi matin et mardi", None),
    ],
)
def test_the_half_days_of_a_span_s_ends(text: str, ends: tuple[str, str] | None) -> None:
    assert span_halves(text) == ends


def test_each_day_of_a_span_gets_its_period() -> None:
    days = [d(19), d(20), d(23)]
    ends = {d(19).isoformat(): "apres_midi", d(23).isoformat(): "matin"}
    assert day_periods(days, "journee", ends) == [
        (d(19), "apres_midi"),
        (d(20), "journee"),
        (d(23), "matin"),
    ]
    assert day_periods(days, "matin", None) == [(day, "matin") for day in days]
    assert day_periods([d(20)], "journee", ends) == [(d(20), "journee")]  # not an end
    first_only = {d(19).isoformat(): "apres_midi", d(23).isoformat(): "journee"}
    assert spell_days(days, span=True, own=first_only) == (
        "du jeudi 19 novembre après-midi au lundi 23 novembre 2026 (3 jours)"
    )


@pytest.mark.parametrize(
    ("text", "own"),
    [
        ("lundi matin et mardi après-midi", {d(16): "matin", d(17): "apres_midi"}),
        ("hier après-midi et ce matin", {d(22): "apres_midi", d(23): "matin"}),
        ("lundi matin, mardi toute la journée", {d(16): "matin", d(17): "journee"}),
        ("lundi matin et mardi", {d(16): "matin", d(17): "journee"}),
        # Only the last part, or none: the half-day is every day's, as before.
        ("lundi et mardi matin", None),
        ("lundi et mardi", None),
        ("du 16 au 18 novembre", None),
    ],
)
def test_each_listed_day_keeps_its_own_half_day(text: str, own: dict[date, str] | None) -> None:
    """Explorer E: « lundi matin et mardi après-midi » was two afternoons."""
    assert list_periods(text, NOW) == own


def test_listed_days_are_spelled_with_their_half_days() -> None:
    own = {d(16).isoformat(): "matin", d(17).isoformat(): "apres_midi"}
    assert spell_days([d(16), d(17)], span=False, own=own) == (
        "le lundi 16 novembre matin et le mardi 17 novembre 2026 après-midi (2 jours)"
    )
    assert day_periods([d(16), d(17)], "journee", own) == [
        (d(16), "matin"),
        (d(17), "apres_midi"),
    ]


def test_today_then_since_a_day_is_the_span_and_its_motive() -> None:
    """Explorer AY6: « absent aujourd'hui, malade depuis jeudi » was Thursday and Monday."""
    found, words = read_days_and_words("aujourd'hui, malade depuis jeudi", NOW)
    assert found is not None and found.days == (d(19), d(20), d(23))
    assert words == "malade"


@pytest.mark.parametrize(
    ("text", "days", "words"),
    [
        # AZ4: up to the day before the comma; AZ1: a second comma's words are motive.
        ("hier, malade depuis jeudi", (d(19), d(20)), "malade"),
        (
            "aujourd'hui, malade depuis jeudi, revient mercredi",
            (d(19), d(20), d(23)),
            "malade, revient mercredi",
        ),
        # DA9: a past Friday, « depuis mardi » that week's Tuesday, not this week's.
        ("vendredi, malade depuis mardi", (d(17), d(18), d(19), d(20)), "malade"),
        ("vendredi, malade depuis jeudi", (d(19), d(20)), "malade"),
    ],
)
def test_a_day_then_since_a_day_is_the_span_up_to_it(
    text: str, days: tuple[date, ...], words: str
) -> None:
    found, said = read_days_and_words(text, NOW)
    assert found is not None and (found.days, said) == (days, words)


def test_since_a_day_off_up_to_today_is_today_with_its_motive() -> None:
    """Explorer CA5: « aujourd'hui, malade depuis samedi » on a Monday asked a nonsense date."""
    found, said = read_days_and_words("aujourd'hui, malade depuis samedi", NOW)
    assert found is not None and (found.days, found.skipped, said) == (
        (d(23),),
        (d(21), d(22)),
        "malade",
    )


def test_since_days_off_up_to_a_day_off_is_that_day_with_its_motive() -> None:
    """Explorer CB6: « hier, malade depuis samedi » on a Monday offered two weekend days."""
    found, said = read_days_and_words("hier, malade depuis samedi", NOW)
    assert found is not None and (found.days, found.skipped, said) == ((d(22),), (d(21),), "malade")


def test_days_of_training_are_counted_as_such() -> None:
    """Explorer CB6: « 7 jours de formation » became a calendar week; « quatorze » unread."""
    found = read_days("depuis 7 jours de formation", NOW)
    assert found is not None and len(found.days) == 7 and found.first == d(13)
    assert read_days("depuis quatorze jours", NOW) == read_days("depuis 14 jours", NOW)


def test_fifteen_days_is_a_fortnight() -> None:
    found = read_days("depuis quinze jours", NOW)
    assert found is not None and found.first == d(9)
    assert read_days("depuis 15 jours", NOW) == found


def test_a_retard_since_a_day_is_no_span() -> None:
    """Explorer AY4: « en retard depuis mardi » became a retard on each day since."""
    assert read_days_and_words("depuis mardi", NOW, late=True) == (None, "")
    found, _ = read_days_and_words("depuis mardi", NOW)
    assert found is not None and found.span


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("jeudi et vendredi sans justificatif", (d(19), d(20))),
        ("mardi, mercredi et jeudi malade", (d(17), d(18), d(19))),
        ("le 19 et le 20 pour maladie", (d(19), d(20))),
        ("mardi et mercredi inclus", (d(17), d(18))),  # no motive « inclus » (DF3)
    ],
)
def test_words_after_a_list_s_last_day_leave_the_days_read(
    text: str, days: tuple[date, ...]
) -> None:
    """Explorer DA2: the whole list was refused for the words after its last day."""
    found = read_days(text, NOW)
    assert found is not None and found.days == days


def test_a_day_said_after_a_comma_with_words_is_still_no_second_day() -> None:
    """Explorer AY5 stays: « hier, mardi il revient » names one day."""
    assert read_days("vendredi, mardi il revient", NOW) is None


@pytest.mark.parametrize(
    "text",
    ["jeudi, de nouveau vendredi", "jeudi, toujours absent vendredi", "jeudi, pareil vendredi"],
)
def test_a_second_day_said_again_after_the_comma_is_a_day(text: str) -> None:
    """Explorer DA14: the second day was the motive, the first one alone noted."""
    found, said = read_days_and_words(text, NOW)
    assert found is not None and (found.days, said) == ((d(19), d(20)), "")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("toute la semaine", (d(23), d(24), d(25))),
        ("cette semaine", (d(23), d(24), d(25))),
        ("depuis le début de la semaine", (d(23), d(24), d(25))),
        ("la semaine dernière", (d(16), d(17), d(18), d(19), d(20))),
    ],
)
def test_a_week_said_in_words_is_its_days_of_training(text: str, days: tuple[date, ...]) -> None:
    """Explorer DA15: « Karim absent toute la semaine » was « Je n'ai pas compris la date »."""
    wednesday = NOW.replace(day=25)
    found = read_days(text, wednesday)
    assert found is not None and found.days == days


@pytest.mark.parametrize(
    "text", ["la semaine prochaine", "la semaine pro", "sem pro", "toute la semaine prochaine"]
)
def test_next_week_is_its_days_to_come(text: str) -> None:
    """Explorer BG8: « la semaine pro » was « Je n'ai pas compris la date « la semaine » »,
    « pro » set aside as a motive; the days read are refused as to come."""
    found, said = read_days_and_words(text, NOW.replace(day=25))
    assert found is not None and (found.days, said) == (
        (d(30), *(d(n, 12) for n in (1, 2, 3, 4))),
        "",
    )


@pytest.mark.parametrize(
    ("text", "days", "words"),
    [
        ("du 16 au 18 novembre malade", (d(16), d(17), d(18)), "malade"),
        ("de mardi a jeudi grippe", (d(17), d(18), d(19)), "grippe"),
        ("du mardi au jeudi enfant malade", (d(17), d(18), d(19)), "enfant malade"),
        ("depuis jeudi rdv France Travail", (d(19), d(20), d(23)), "rdv france travail"),
        ("du mardi au mercredi inclus malade", (d(17), d(18)), "malade"),
        ("la semaine dernière malade", (d(16), d(17), d(18), d(19), d(20)), "malade"),
        ("mardi et mercredi malade", (d(17), d(18)), "malade"),
        ("mardi et mercredi sans nouvelles", (d(17), d(18)), "sans nouvelles"),
    ],
)
def test_the_words_after_a_span_or_a_list_are_returned_as_its_motive(
    text: str, days: tuple[date, ...], words: str
) -> None:
    """Explorer EA6, EA1: the span read, its motive typed without a comma dropped unsaid; a
    list's words cut by :func:`read_days` and never given to /absence's recap."""
    found, said = read_days_and_words(text, NOW)
    assert found is not None and (found.days, said) == (days, words)


@pytest.mark.parametrize(
    "text", ["mardi et mercredi svp", "mardi et mercredi stp merci", "du 16 au 18, s'il vous plaît"]
)
def test_courtesy_after_the_days_is_no_motive(text: str) -> None:
    """Explorer EA13: « svp » was stored as the motive."""
    found, said = read_days_and_words(text, NOW)
    assert found is not None and said == ""


@pytest.mark.parametrize(
    "text",
    ["mardi et mercredi de 14h a 17h", "mardi et mercredi 14h-17h", "mardi et mercredi 9h15"],
)
def test_hours_after_a_list_leave_the_list_unread(text: str) -> None:
    """Explorer EA12: two whole days noted, « 14h à 17h » as their motive; refused now, as
    « hier de 14h à 17h » is."""
    assert read_days_and_words(text, NOW) == (None, "")


def test_this_week_on_a_monday_is_that_monday_and_on_a_weekend_monday_to_friday() -> None:
    """Explorer EA9: on a Monday « toute la semaine » was « Je n'ai pas compris la date »; on a
    Sunday, Saturday and Sunday, never typed, were « laissés de côté »."""
    for text in ("toute la semaine", "cette semaine", "depuis le début de la semaine"):
        found = read_days(text, NOW)
        assert found is not None and (found.days, found.skipped) == ((d(23),), ()), text
    found = read_days("toute la semaine", NOW.replace(day=29))  # a Sunday
    assert found is not None
    assert (found.days, found.skipped) == ((d(23), d(24), d(25), d(26), d(27)), ())
