"""A choice's label made to fit, shortening first what several lines share.

A label holds :data:`bot.messages.MAX_LABEL` characters; cut at its end,
« Envoyer les modes d'emploi du bilan à distance – bilan de fin du 08/12 ·
Agent de… » read the same for Caen and for Rouen.  A label is built
from :class:`Piece` s instead, each saying how far it may shrink and in which
order: a long title every line repeats gives way first, the name that tells
two lines apart last, cut in its middle (« Agent de r… – Caen ») so its two
ends stay.  Pieces at their ``keep`` still too long give way again below it, a
letter each in turn, down to their ``floor``, the last of the order (a trainee's name) only
after them: the label is never cut as a whole in its middle, which fell inside a trainee's
name (explorer KB, KB2: « Youss…ure… »).  Below the floors, every piece in turn, last: a
title at its floor still tells an entry from an exit (explorer MA2: both read « S… » when
the name and the formation filled the button).  A label that fits is left
exactly as it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.conversations.kit.flow import Option
from bot.messages import MAX_LABEL, shorten


@dataclass(frozen=True)
class Piece:
    """Part of a label: ``text``, after ``joiner``; ``shrink`` orders the cuts (0: never),
    down to ``keep`` characters, then to ``floor`` when the others are too; ``middle`` cuts
    in the middle, the end kept."""

    text: str
    joiner: str = " "
    shrink: int = 0
    keep: int = 12
    middle: bool = False
    floor: int = 2


def fit(pieces: Sequence[Piece], limit: int = MAX_LABEL) -> str:
    """The pieces joined, shortened in their ``shrink`` order until the label fits ``limit``:
    each down to its ``keep`` first; if that is not enough, all but the last of that order
    below it, a letter each in turn down to their ``floor``, then that last one; then all of
    them, down to two characters."""
    texts = [p.text for p in pieces]
    excess = len(_joined(pieces, texts)) - limit
    order = sorted((i for i, p in enumerate(pieces) if p.shrink), key=lambda i: pieces[i].shrink)
    for index in order:
        if excess > 0:
            excess -= _cut(pieces[index], texts, index, excess, max(pieces[index].keep, 2))
    turns = [(order[:-1], False), (order[-1:], False), (order, True)]
    for turn, below in turns:
        floors = {i: 2 if below else max(pieces[i].floor, 2) for i in turn}
        while excess > 0 and any(len(texts[i]) > floors[i] for i in turn):
            for index in turn:
                if excess > 0 and len(texts[index]) > floors[index]:
                    excess -= _cut(pieces[index], texts, index, 1, floors[index])
    return shorten(_joined(pieces, texts), limit, middle=True)


def _cut(piece: Piece, texts: list[str], index: int, wanted: int, floor: int) -> int:
    """``texts[index]`` shortened by up to ``wanted`` characters, not below ``floor``: how
    many it lost."""
    before = len(texts[index])
    room = before - floor
    if room <= 0:
        return 0
    texts[index] = shorten(piece.text, before - min(wanted, room), middle=piece.middle)
    return before - len(texts[index])


def _joined(pieces: Sequence[Piece], texts: list[str]) -> str:
    return "".join(
        (p.joiner if i else "") + t for i, (p, t) in enumerate(zip(pieces, texts, strict=True))
    )


def listed_where_cut(options: list[Option]) -> list[Option]:
    """``options`` keeping their whole line (:attr:`Option.detail`) only when one of them
    was cut: then every line is listed whole with the question, so the numbers run on
    (explorer GE7: « 1. 3. 5. » read as lines gone); none when all fit."""
    if all(o.label == o.detail for o in options):
        return [replace(o, detail="") for o in options]
    return options
