"""French wording helpers for the rules' sentences.

Dates and times are spelled by :mod:`bot.dates`, the project's one
convention ("jeudi 26 novembre 2026 à 14 h 00", "1er" for the first day of a
month, independent of the process locale), so a reminder and a chat message
never spell the same day two ways; "de"/"d'" before a name is the chat's
own (:func:`bot.texts.of`).  Only the small counting helpers the rules need
live here.
"""

from __future__ import annotations

from bot.dates import spell_date, spell_datetime, spell_time
from bot.texts import of

__all__ = ["decimal", "of", "plural", "spell_date", "spell_datetime", "spell_time"]


def plural(amount: int, singular: str, plural_form: str | None = None) -> str:
    """``1 jour``, ``7 jours``, ``0 jour`` (French takes the singular below 2); thousands
    apart, ``1 200 minutes`` (explorer AA, AA9: « 1200 minutes »)."""
    word = singular if abs(amount) < 2 else (plural_form or singular + "s")
    return f"{amount:,} {word}".replace(",", "\u202f")


def decimal(value: float) -> str:
    """``4,5``; ``4``: a French decimal comma, no useless trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
