"""The part of the day a sentence names with its day and no hour (« bilan demain aprem »),
and the hours that belong to it: the hour asked next is held to it rather than the day and
the part being asked again (explorer KF5b)."""

from __future__ import annotations

import re
from datetime import time

from bot.dates.words import MAX_LENGTH, fold, rewrite

PART_WORD = re.compile(r"\b(matin(?:ee)?|apresmidi|soir(?:ee)?)\b")
"""A part of the day, in a folded and rewritten text (:func:`bot.dates.words.rewrite`); also
the hour a moment without one takes (:mod:`bot.dates.moments`)."""
_NEAR = re.compile(r"\b(aujourdhui|apresdemain|demain)\b")

PART_SAID = {"matin": "le matin", "apresmidi": "l'après-midi", "soir": "le soir"}
"""The part as the question says it (« Demain (…), l'après-midi : à quelle heure ? »)."""

PART_EXAMPLES = {
    "matin": "« 9 h » ou « 10 h 30 »",
    "apresmidi": "« 14 h » ou « 15 h 30 »",
    "soir": "« 18 h » ou « 19 h 30 »",
    "": "« 14 h » ou « 9 h 30 »",
}
"""Hours to type, of the part asked (any part: ``""``)."""

PART_SPAN = {"matin": "entre 5 h et 13 h", "apresmidi": "entre 12 h et 19 h", "soir": "après 17 h"}
"""The hours :func:`in_part` takes, said when one typed is not of them."""

_HOURS = {"matin": range(5, 13), "apresmidi": range(12, 19), "soir": range(17, 24)}
"""The hours (of the wall clock) each part holds; « midi » opens the afternoon and ends the
morning alike."""

_AFTER_NOON = {"apresmidi": range(1, 7), "soir": range(5, 12)}
"""An hour said the way people speak in the afternoon or the evening (« à 3 h » for 15 h,
« 8 h » for 20 h): read past noon, the confirmation showing it."""


def part_of_day(text: str) -> str | None:
    """``"matin"``, ``"apresmidi"`` or ``"soir"`` when ``text`` names one part of the day (one
    only), else ``None``."""
    if len(text) > MAX_LENGTH:
        return None
    found = {m.group(1).removesuffix("ee") for m in PART_WORD.finditer(rewrite(fold(text)))}
    return found.pop() if len(found) == 1 else None


def near_day(text: str) -> str | None:
    """The day as named from today (« aujourd'hui », « demain », « après-demain »), said so
    back before its date; ``None`` for a day named otherwise."""
    if len(text) > MAX_LENGTH:
        return None
    found = _NEAR.search(rewrite(fold(text)))
    words = {"aujourdhui": "aujourd'hui", "apresdemain": "après-demain", "demain": "demain"}
    return words[found.group(1)] if found else None


def in_part(clock: time, part: str) -> time | None:
    """``clock`` as meant in ``part`` (« 3 h » in the afternoon is 15 h), or ``None`` when it
    is none of that part's hours (« 9 h » when the afternoon was said)."""
    if clock.hour in _AFTER_NOON.get(part, range(0)):
        clock = clock.replace(hour=clock.hour + 12)
    return clock if clock.hour in _HOURS[part] else None
