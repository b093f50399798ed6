"""What a list's buttons keep of a deadline's title and of a formation's name when cut:
enough to tell them from their neighbours (explorer KB, KB2)."""

from __future__ import annotations

from bot.deadlines.lines import Line


def ending_alike(names: list[str]) -> set[str]:
    """The formation names that end as the one closest to them does (« … groupe 08 – session
    d'hiver Rouen », « … groupe 18 – session d'hiver Rouen »): cut at their end, what tells
    them apart is before it.  Closest: the name sharing most with it, start and end; a city
    ending several trades does not make « Agent de restauration – Évreux » end alike, its
    twin « … – Caen » shares its start (explorer KB, KB2: « Agent de restauration – É… »)."""
    alike = set()
    for name in names:
        others = [(_common_start(name, o), _common_end(name, o)) for o in names if o != name]
        start, end = max(others, key=sum, default=(0, 0))
        if end >= 8 and end > start:
            alike.add(name)
    return alike


TITLE_KEEP = 10
"""What a deadline's title keeps at least in a button, « Tenir l'e… », when others of that
line's trainee or bilan start otherwise."""


def title_keeps(lines: list[Line]) -> list[int]:
    """How much of each line's title its button keeps: enough to tell it from the other
    titles of its trainee or bilan in its formation, « Envoyer les m… » and « Envoyer les
    j… » (explorer KB, KB2: what the other pieces share goes before, never what differs)."""
    titles: dict[tuple[int, str], set[str]] = {}
    for line in lines:
        titles.setdefault((line.first.formation_id, line.who), set()).add(line.title)
    keeps = []
    for line in lines:
        others = titles[(line.first.formation_id, line.who)] - {line.title}
        shared = max((_common_start(line.title, other) for other in others), default=0)
        keeps.append(max(TITLE_KEEP, shared + 2))  # the first letter that differs, and « … »
    return keeps


def _common_start(one: str, other: str) -> int:
    return _common_end(one[::-1], other[::-1])


def _common_end(one: str, other: str) -> int:
    count = 0
    for a, b in zip(reversed(one), reversed(other), strict=False):
        if a != b:
            break
        count += 1
    return count
