"""Dates and times written out in French, the way the bot says them back."""

from __future__ import annotations

from datetime import date, datetime, time

WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def spell_date(d: date | datetime) -> str:
    """Written out in French whatever the process locale, which servers rarely set to fr_FR."""
    return f"{WEEKDAY_NAMES[d.weekday()]} {spell_day_month(d)} {d.year}"


def spell_date_before(day: date, last: date) -> str:
    """``day`` spelled without its year when ``last``, spelled in full after it, has it."""
    spelled = spell_date(day)
    return spelled.removesuffix(f" {day.year}") if day.year == last.year else spelled


def spell_span_days(first: date, last: date) -> str:
    """ "du lundi 14 septembre au lundi 21 septembre 2026": days apart, the year said once
    when both share it."""
    return f"du {spell_date_before(first, last)} au {spell_date(last)}"


def spell_day_month(d: date | datetime) -> str:
    """ "6 décembre", "1er mars": the short form a sentence uses when the weekday follows."""
    return day_and_month(d.day, d.month)


def day_and_month(day: int, month: int) -> str:
    """ "1er mars", "31 février": also a day that does not exist, to say so."""
    return f"{'1er' if day == 1 else day} {_MONTH_NAMES[month - 1]}"


def month_name(month: int) -> str:
    """ "novembre" for 11."""
    return _MONTH_NAMES[month - 1]


def spell_example(d: date | datetime, *, hour: int | None = None) -> str:
    """ "jeudi 3 décembre à 14 h": a date as a user would type it, for an example the bot
    gives (no year: the weekday and the step's leaning place it)."""
    day = f"{WEEKDAY_NAMES[d.weekday()]} {spell_day_month(d)}"
    return day if hour is None else f"{day} à {hour} h"


def weekend_day(d: date | datetime) -> str | None:
    """ "samedi" or "dimanche" when ``d`` falls on a weekend, else ``None``.

    Training days are weekdays: a date typed on a weekend is more often a slip
    than a fact, so the dialogues ask once before keeping it.
    """
    return WEEKDAY_NAMES[d.weekday()] if d.weekday() >= 5 else None


def spell_time(t: time | datetime) -> str:
    """French typography puts spaces around the "h" and always two digits of minutes."""
    return f"{t.hour} h {t.minute:02d}"


def spell_datetime(dt: datetime) -> str:
    """In the datetime's own zone: converting to the organisation's is the caller's choice."""
    return f"{spell_date(dt)} à {spell_time(dt)}"


def spell_span(start: datetime, end: datetime) -> str:
    """ "jeudi 14 janvier 2027 de 14 h 00 à 15 h 30": a meeting of one day said as people
    say it (not « à 14 h 00 jusqu'à 15 h 30 »); the end's day is named when it differs."""
    if end.date() != start.date():
        return f"{spell_datetime(start)} jusqu'au {spell_datetime(end)}"
    return f"{spell_date(start)} de {spell_time(start)} à {spell_time(end)}"


def spell_minutes(minutes: int) -> str:
    """ "30 min", "2 h", "1 h 30": a length as a person says it (never "0 h 30")."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
