"""A start day typed with a formation's title after a command: « /formations agent 2026 ».

Two formations of one title are told apart by their start day alone, which the bot adds to
their labels and buttons (« Agent de restauration (03/11/2025) », explorer KB2). The words
after a command are read in the titles only (explorer MA4: « /formations lundi » picked by
weekday, « /echeances démo 4 » by count), so the twins could no longer be named at all
(explorer MB5). Here a year, a month, a day with its month (« 3 novembre 2026 », « 03/11 »)
typed beside title words narrows the formations those words fit to those starting then; a
weekday is only read as part of such a day, a bare number never.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.answers import fold
from bot.dates.spelling import day_and_month, month_name
from bot.dates.words import MONTH_WORDS, WEEKDAY_WORDS

_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DAY = re.compile(r"(\d{1,2})(?:er)?|premier")


@dataclass(frozen=True)
class Start:
    """The parts of a start day typed (``None``: not said)."""

    day: int | None = None
    month: int | None = None
    year: int | None = None

    def fits(self, start: date) -> bool:
        return (
            self.day in (None, start.day)
            and self.month in (None, start.month)
            and self.year in (None, start.year)
        )

    def said(self) -> str:
        """« le 3 novembre 2024 », « en novembre », « en 2024 »: when, as a sentence says it
        back (explorer MB5's leftover: a start day that fits none of the title's formations)."""
        year = f" {self.year}" if self.year else ""
        if self.day and self.month:
            return f"le {day_and_month(self.day, self.month)}{year}"
        if self.month:
            return f"en {month_name(self.month)}{year}"
        return f"en {self.year}"


def read_start(typed: str) -> tuple[str, Start] | None:
    """The title words and the start day in ``typed`` (« agent 2026 » → « agent », 2026);
    ``None`` when no year, month or dated day is in it."""
    words = [
        folded
        for word in re.sub(r"[(),]", " ", typed).split()
        for folded in ([word] if _NUMERIC.fullmatch(word) else fold(word).split())
    ]
    kept: list[str] = []
    day = month = year = None
    for word in words:
        numeric = _NUMERIC.fullmatch(word)
        if numeric and 1 <= int(numeric[1]) <= 31 and 1 <= int(numeric[3]) <= 12:
            _drop_day_words(kept)
            day, month = int(numeric[1]), int(numeric[3])
            if numeric[4]:
                year = int(numeric[4]) + (2000 if len(numeric[4]) == 2 else 0)
        elif _YEAR.fullmatch(word):
            year = int(word)
        elif word in MONTH_WORDS and word != "sept":
            month = MONTH_WORDS[word]
            said = _DAY.fullmatch(kept[-1]) if kept else None
            if said and 1 <= int(said[1] or 1) <= 31:
                day = int(said[1] or 1)
                kept.pop()
            _drop_day_words(kept)
        else:
            kept.append(word)
    if day is month is year is None:
        return None
    return " ".join(kept), Start(day, month, year)


def _drop_day_words(kept: list[str]) -> None:
    """« (mardi 3 novembre 2026) », « le 03/11 »: the words before a day belong to it."""
    if kept and kept[-1] in WEEKDAY_WORDS:
        kept.pop()
    if kept and kept[-1] in ("le", "du"):
        kept.pop()
