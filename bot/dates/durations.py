"""How long something lasts ("1 h 30", "trois quarts d'heure"), never in days."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from bot.dates.words import ANY_NUMBER, MAX_LENGTH, NUMBER_WORDS, fold

_DURATION_FILLER = re.compile(
    r"^(?:(?:environ|pendant|duree|dure|en|a\s+peu\s+pres|approx|approximativement|ca\s+dure|de)\s+)*"
)
_NUM = rf"(?:\d{{1,4}}(?:\.\d{{1,2}})?|{ANY_NUMBER})"
_DURATION_HOURS = re.compile(
    rf"^(?P<h>{_NUM})\s*(?:heures?|hrs?|h)"
    rf"(?:\s*(?:et\s+)?(?P<m>\d{{1,2}}|{ANY_NUMBER})\s*(?:minutes?|mins?|mn|m)?"
    r"|\s+(?P<extra>et\s+demie?|et\s+quart|moins\s+(?:le\s+)?quart))?$"
)
_DURATION_MINUTES = re.compile(rf"^(?P<m>\d{{1,5}}|{ANY_NUMBER})\s*(?:minutes?|mins?|mn|m)$")
_DURATION_WORDS = {
    "demi-heure": 30,
    "une demi-heure": 30,
    "demi heure": 30,
    "une demi heure": 30,
    "quart d heure": 15,
    "un quart d heure": 15,
    "trois quarts d heure": 45,
    "trois quart d heure": 45,
}


def _count(raw: str) -> float:
    return float(raw) if raw[0].isdigit() else float(NUMBER_WORDS[raw])


def understand_duration(text: str) -> timedelta | None:
    """Read how long something lasts; days are refused, their length in hours is not ours to guess."""
    if len(text) > MAX_LENGTH:
        return None
    folded = fold(text)
    folded = re.sub(r"\s+environ$", "", _DURATION_FILLER.sub("", folded))
    minutes: float
    if folded in _DURATION_WORDS:
        minutes = _DURATION_WORDS[folded]
    elif m := _DURATION_HOURS.match(folded):
        minutes = _count(m.group("h")) * 60
        if m.group("m"):
            part = _count(m.group("m"))
            if part >= 60 or "." in m.group("h"):
                return None
            minutes += part
        elif extra := m.group("extra"):
            if extra.startswith("et demi"):
                minutes += 30
            elif extra.startswith("et quart"):
                minutes += 15
            else:  # moins le quart
                minutes -= 15
    elif m := _DURATION_MINUTES.match(folded):
        minutes = _count(m.group("m"))
    else:
        return None
    if minutes <= 0 or minutes > 10_000 * 60:
        return None
    return timedelta(minutes=round(minutes))


_SIGNED = re.compile(r"^\s*[-−–—]\s*\d")
_UNREAD_AMOUNT = re.compile(r"^0*[1-9]\d{3,}(?:\.\d+)?\s*(?:heures?|hrs?|h|minutes?|mins?|mn|m)?$")


def wrong_duration(text: str) -> Literal["negative", "too_long"] | None:
    """Why an amount of time typed is none a question takes, where it names one: a minus
    sign before it (« -2 h », « -5 minutes »: folding drops the sign, and the rest was read
    as a length), or more digits than any length asked has (« 99999 h », « 5000 »: beyond
    what is read, while the question has a range to say).  Explorer GD7."""
    if len(text) > MAX_LENGTH:
        return None
    if _SIGNED.match(text):
        return "negative"
    folded = re.sub(r"\s+environ$", "", _DURATION_FILLER.sub("", fold(text)))
    if _UNREAD_AMOUNT.match(folded) and understand_duration(text) is None:
        return "too_long"
    return None
