"""Cutting a message by what its platform measures, not by Python's characters.

Telegram counts UTF-16 units (an emoji beyond the plane is two); Matrix caps the encrypted
event, whose JSON nio writes in ASCII (« é » is six bytes, an emoji twelve).  A text cut at
the platform's number of characters could be refused whole and never shown (explorers ME1,
ME3).  The parts stay those of :func:`bot.texts.split_text`, sections then lines, only
smaller where the text needs it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import texts


def split_within(
    text: str,
    characters: int,
    size: Callable[[str], int],
    budget: int,
    *,
    floor: int,
    even: bool = True,
) -> list[str]:
    """``text`` cut into parts of at most ``characters`` whose ``size`` is at most ``budget``.

    ``floor``: a number of characters whose parts always fit (``budget`` over the most one
    character may measure).  A text that fits when cut by characters is cut so, as before;
    otherwise the parts are the largest that fit, found by halving (a rare text: no cost for
    the others)."""
    parts = texts.split_text(text, characters, even=even)
    if all(size(part) <= budget for part in parts):
        return parts
    fits, too_wide = floor, characters
    while too_wide - fits > 1:
        middle = (fits + too_wide) // 2
        if all(size(part) <= budget for part in texts.split_text(text, middle, even=even)):
            fits = middle
        else:
            too_wide = middle
    return texts.split_text(text, fits, even=even)
