"""Courtesy around a motive typed after the health warning (« raison personnelle svp »):
never its words (:func:`bot.privacy.health.reworded`)."""

from __future__ import annotations

from bot.answers import fold

COURTESY = frozenset(
    {"svp", "stp", "merci", "merci beaucoup", "merci bien", "please", "pls", "plz"}
    | {"s il vous plait", "s il te plait", "sil vous plait", "sil te plait"}
)
"""Courtesy around a motive (« raison personnelle svp », « please »): never its words."""


THANKS = frozenset({"merci", "merci beaucoup", "merci bien"})
"""Courtesy that may open a phrase (« merci de votre compréhension »): at a motive's start,
only when a comma closes it (« merci, raison personnelle »)."""


def trimmed(words: list[str], fillers: frozenset[str], *, start: bool = False) -> list[str]:
    """``words`` without ``fillers`` (of up to three words) nor bare punctuation at their
    end (``start``: at their start)."""
    while words:
        n = next((n for n in (3, 2, 1) if _filler(words, n, fillers, start=start)), 0)
        if not n and fold(words[0] if start else words[-1]):
            break
        words = words[n or 1 :] if start else words[: -(n or 1)]
    return words


def _filler(words: list[str], n: int, fillers: frozenset[str], *, start: bool) -> bool:
    group = words[:n] if start else words[-n:]
    said = fold(" ".join(group))
    if len(group) < n or said not in fillers:
        return False
    return not start or said not in THANKS or group[-1].endswith((",", ";", ":", ".", "!"))


def without_courtesy(text: str) -> str:
    """The motive typed after the health warning without the courtesy at its ends: « raison
    personnelle svp », « svp raison personnelle », « raison personnelle, merci » are « raison
    personnelle » (explorer BB4: saved with « svp » for the funder); a word inside stays, and
    a text of courtesy only is left as it is."""
    words = trimmed(trimmed(text.split(), COURTESY), COURTESY, start=True)
    kept = " ".join(words).strip(" ,;:-")
    return kept if fold(kept) else text
