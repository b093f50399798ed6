"""What one Telegram message may hold, counted as Telegram counts it.

The Bot API's 4,096 characters of a message (1,024 of a caption) are UTF-16 code units of
the text once its markup is read: an emoji outside the Basic Multilingual Plane (🌸, 🔴, 😀)
counts two.  Python counts it one, so a message cut at 4,096 of its characters could still be
refused, « Message is too long », and nothing shown (explorer ME1: the roll call of a group
imported with « Léa 🌸🌸… » names never came after « Ce matin »).  The markup is measured,
longer than what Telegram reads: on the safe side.
"""

from __future__ import annotations

import html

from bot.transports.sizes import split_within

MAX_TEXT = 4096
MAX_CAPTION = 1024


def units(text: str) -> int:
    """``text``'s length in UTF-16 code units, as Telegram measures it."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def split(text: str, *, even: bool = True, limit: int = MAX_TEXT) -> list[str]:
    """``text`` cut into messages Telegram accepts (:func:`bot.texts.split_text`)."""
    return split_within(text, limit, units, limit, floor=limit // 2, even=even)


def fits_caption(text: str) -> bool:
    return units(text) <= MAX_CAPTION


def marked(question: str, label: str) -> str:
    """The question answered, with the choice made under it (« ✔ Oui »).

    A question that fills its message keeps its start, cut between lines, and the choice:
    cut at its end, the tick was the part lost, or a tag cut in two refused the edit and the
    buttons stayed (explorer ME2)."""
    if not label:
        return split(question, even=False)[0]
    tick = "" if label.startswith(("✅", "✔")) else "✔ "  # not « ✔ ✅ Terminé » (AC8)
    tail = f"\n\n{tick}{html.escape(label)}"
    whole = question + tail
    if units(whole) <= MAX_TEXT:
        return whole
    tail = "\n…" + tail
    return split(question, even=False, limit=MAX_TEXT - units(tail))[0] + tail
