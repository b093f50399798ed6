"""A choice's label made to fit, shortening first what several lines share.

A label holds :data:`bot.messages.MAX_LABEL` characters; cut at its end,
« Envoyer les modes d'emploi du bilan à distance – bilan de fin du 08/12 ·
Agent de… » read the same for Caen and for Rouen.  A label is built
from :class:`Piece` s instead, each saying how far it may shrink and in which
order: a long title every line repeats gives way first, the name that tells
two lines apart last, cut in its middle (« Agent de r… – Caen ») so its two
ends stay.  Pieces at their ``keep`` still too long give way again, in the same
order, below it: the label is never cut as a whole in its middle, which fell inside
a trainee's name (explorer KB, KB2: « Youss…ure… »).  A label that fits is left
exactly as it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.messages import MAX_LABEL, shorten


@dataclass(frozen=True)
class Piece:
    """Part of a label: ``text``, after ``joiner``; ``shrink`` orders the cuts (0: never),
    down to ``keep`` characters; ``middle`` cuts in the middle, the end kept."""

    text: str
    joiner: str = " "
    shrink: int = 0
    keep: int = 12
    middle: bool = False


def fit(pieces: Sequence[Piece], limit: int = MAX_LABEL) -> str:
    """The pieces joined, shortened in their ``shrink`` order until the label fits ``limit``:
    each down to its ``keep`` first, then, if that is not enough, below it."""
    texts = [p.text for p in pieces]
    excess = len(_joined(pieces, texts)) - limit
    order = sorted((i for i, p in enumerate(pieces) if p.shrink), key=lambda i: pieces[i].shrink)
    for floor in (lambda piece: max(piece.keep, 2), lambda piece: 2):
        for index in order:
            if excess <= 0:
                break
            piece, before = pieces[index], len(texts[index])
            room = before - floor(piece)
            if room <= 0:
                continue
            texts[index] = shorten(piece.text, before - min(excess, room), middle=piece.middle)
            excess -= before - len(texts[index])
    return shorten(_joined(pieces, texts), limit, middle=True)


def _joined(pieces: Sequence[Piece], texts: list[str]) -> str:
    return "".join(
        (p.joiner if i else "") + t for i, (p, t) in enumerate(zip(pieces, texts, strict=True))
    )
