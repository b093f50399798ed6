"""When repeated absence becomes a sign: thresholds, sliding windows, settings."""

from __future__ import annotations

from datetime import date, timedelta

from bot.absences.detection import Mark, repeated_absence, repetition_began, setting

D = date(2026, 11, 23)


def mark(i: int, days_before: int, period: str = "matin", justified: bool = False) -> Mark:
    return Mark(i, D - timedelta(days=days_before), period, justified)


def test_one_unjustified_absence_is_not_a_sign() -> None:
    assert repeated_absence([], mark(1, 0), {}) is None


def test_two_unjustified_absences_within_fourteen_days_are_a_sign() -> None:
    signal = repeated_absence([mark(1, 13)], mark(2, 0), {})
    assert signal is not None
    assert signal.by_unjustified and not signal.by_half_days
    assert (signal.unjustified, signal.start, signal.end) == (2, D - timedelta(days=13), D)


def test_a_morning_and_an_afternoon_noted_apart_are_one_day_as_a_whole_day_is() -> None:
    """Explorer AF1: two roll calls of one day made « 2 absences non justifiées », a sign,
    while the same day noted « toute la journée » was none."""
    assert repeated_absence([mark(1, 0, "matin")], mark(2, 0, "apres_midi"), {}) is None
    assert repeated_absence([], mark(1, 0, "journee"), {}) is None
    signal = repeated_absence([mark(1, 0, "matin"), mark(2, 0, "apres_midi")], mark(3, 2), {})
    assert signal is not None and (signal.unjustified, signal.half_days) == (2, 3)


def test_fifteen_days_apart_they_are_not() -> None:
    assert repeated_absence([mark(1, 14)], mark(2, 0), {}) is None


def test_three_half_days_of_any_kind_are_a_sign_and_a_journee_counts_two() -> None:
    justified = [mark(1, 3, "matin", True)]
    assert repeated_absence(justified, mark(2, 1, "apres_midi", True), {}) is None
    signal = repeated_absence(justified, mark(2, 1, "journee", True), {})
    assert signal is not None and signal.by_half_days and signal.half_days == 3
    assert signal.unjustified == 0


def test_a_retard_counts_for_no_absence_threshold() -> None:
    late = [mark(1, 1, "retard"), mark(2, 2, "retard")]
    assert repeated_absence(late, mark(3, 0, "matin"), {}) is None
    assert repeated_absence([mark(1, 1)], mark(3, 0, "retard"), {}) is None


def test_three_unjustified_late_arrivals_within_fourteen_days_are_a_sign() -> None:
    """Explorer AO1: four retards in eight days, two hours missed, and not a word."""
    late = [mark(1, 13, "retard"), mark(2, 6, "retard")]
    signal = repeated_absence(late, mark(3, 0, "retard"), {})
    assert signal is not None and signal.by_lates and signal.sign == "retards"
    assert (signal.lates, signal.start, signal.end) == (3, D - timedelta(days=13), D)
    assert not signal.by_unjustified and not signal.by_half_days
    # Two of them on one day are two; a justified one is not a sign, nor counted.
    assert repeated_absence([mark(1, 0, "retard")], mark(2, 0, "retard"), {}) is None
    twice = repeated_absence([mark(1, 0, "retard"), mark(2, 0, "retard")], mark(3, 1, "retard"), {})
    assert twice is not None and twice.lates == 3
    assert repeated_absence(late, mark(3, 0, "retard", justified=True), {}) is None
    assert (
        repeated_absence([mark(1, 13, "retard", True), late[1]], mark(3, 0, "retard"), {}) is None
    )
    assert repeated_absence([mark(1, 14, "retard"), late[1]], mark(3, 0, "retard"), {}) is None
    # The threshold is the organisation's; a short formation asks no more of a retard.
    assert repeated_absence([], mark(1, 0, "retard"), {"lates_unjustified_threshold": 1})
    assert repeated_absence([], mark(1, 0, "retard"), {}, short=True) is None


def test_a_signal_says_the_sign_a_follow_up_starts_with() -> None:
    repeated = repeated_absence([mark(1, 1)], mark(2, 0), {})
    single = repeated_absence([], mark(1, 0), {}, short=True)
    assert repeated is not None and repeated.sign == "absences_repetees"
    assert single is not None and single.sign == "absence"


def test_an_absence_logged_late_is_judged_against_the_days_around_it() -> None:
    # The new one is three weeks old; its neighbour a week before it.
    signal = repeated_absence([mark(1, 28)], mark(2, 21), {})
    assert signal is not None and signal.end == D - timedelta(days=21)


def test_the_new_absence_is_not_counted_twice_when_already_stored() -> None:
    new = mark(2, 0)
    assert repeated_absence([new], new, {}) is None


def test_settings_change_the_thresholds_and_bad_values_fall_back_to_defaults() -> None:
    strict = {"absences_unjustified_threshold": 1}
    assert repeated_absence([], mark(1, 0), strict) is not None
    wide = {"absences_window_days": 30}
    assert repeated_absence([mark(1, 20)], mark(2, 0), wide) is not None
    assert setting({"absences_window_days": "beaucoup"}, "absences_window_days") == 14
    assert setting({"absences_window_days": 0}, "absences_window_days") == 14
    assert setting({"absences_half_days_threshold": 5}, "absences_half_days_threshold") == 5


def test_repetition_begins_with_the_absence_that_reaches_a_threshold() -> None:
    """Explorer S S8: an isolated absence weeks before is not when absences began to repeat."""
    isolated, first, second = mark(1, 27), mark(2, 2), mark(3, 0)
    assert repetition_began([second, isolated, first], {}, until=D) == D
    assert repetition_began([isolated, first], {}, until=D) is None  # not repeated yet
    # Three half-days, justified, on three days: the third reaches the threshold.
    justified = [mark(i, 3 - i, justified=True) for i in (1, 2, 3)]
    assert repetition_began(justified, {}, until=D) == D
    assert repetition_began([mark(1, 40), mark(2, 35)], {}, until=D) is None  # too long ago
    lates = [
        mark(1, 25, "retard"),  # alone, weeks before
        mark(2, 5, "retard"),
        mark(3, 3, "retard"),
        mark(4, 1, "retard"),
    ]
    assert repetition_began(lates, {}, until=D) is None
    assert repetition_began(lates, {}, until=D, lates=True) == D - timedelta(days=1)


def test_repetition_does_not_reach_back_past_a_follow_up_closed_on_those_absences() -> None:
    """Explorer GF1: absences on 2 and 4 November, their follow-up closed on the 17th, then
    absences on the 23rd and 24th: the second follow-up's first sign is the 24th, not the
    4th (the entretien was due a fortnight before the follow-up existed)."""
    until = date(2026, 11, 24)
    days = (date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 23), until)
    marks = [Mark(i, day, "journee", False) for i, day in enumerate(days, start=1)]
    assert repetition_began(marks, {}, until=until) == date(2026, 11, 4)
    closed = date(2026, 11, 17)
    assert repetition_began(marks, {}, until=until, after=closed) == until
    assert repetition_began(marks[:3], {}, until=date(2026, 11, 23), after=closed) is None


def test_the_sign_is_not_raised_by_the_absences_a_closed_follow_up_covered() -> None:
    """Explorer HA3: absences on 10 and 12 November, their follow-up closed on the 17th, then
    one absence on the 20th: « Absences répétées : 3 absences du 10 au 20 novembre » came
    again, while the follow-up it opened dated its first sign on the 20th. The detection
    counts from the closing day, as :func:`repetition_began` does; the closing day counts."""
    closed = date(2026, 11, 17)
    days = (date(2026, 11, 10), date(2026, 11, 12))
    before = [Mark(i, day, "journee", False) for i, day in enumerate(days, start=1)]
    new = Mark(3, date(2026, 11, 20), "journee", False)
    assert repeated_absence(before, new, {}) is not None
    assert repeated_absence(before, new, {}, after=closed) is None
    on_closing = Mark(4, closed, "matin", False)
    signal = repeated_absence([*before, on_closing], new, {}, after=closed)
    assert signal is not None and (signal.start, signal.end) == (closed, new.day)
    late_before = [Mark(i, date(2026, 11, 9 + i), "retard", False) for i in (1, 2)]
    late = Mark(5, date(2026, 11, 20), "retard", False)
    assert repeated_absence(late_before, late, {}) is not None
    assert repeated_absence(late_before, late, {}, after=closed) is None
    old = Mark(6, date(2026, 11, 13), "journee", False)  # one of those days, typed late
    assert repeated_absence(before, old, {}, after=closed) is None
    assert repeated_absence([], old, {}, short=True, after=closed) is None
