"""A late arrival's length said in words: « en retard d'un quart d'heure », « dix-huit
minutes de retard », read as « 15 min », « 18 min » for :mod:`bot.absences.line` (moved out of
it whole when the half-days said together were read: explorer UA5); a length in figures
(:func:`late_minutes_of`), and the one said after a retard's days (:func:`length_ending_days`,
moved out of :mod:`bot.absences.sentence` when it read hours: explorer ZA6)."""

from __future__ import annotations

import re

from bot.answers import fold
from bot.dates.words import ANY_NUMBER, NUMBER_WORDS

_LENGTH = (
    r"(?:(?:un|1)\s+quart\s+d'\s*heure|trois\s+quarts?\s+d'\s*heure|une\s+demi\s*-?\s*heure"
    rf"|(?:{ANY_NUMBER}|\d{{1,5}})\s+minutes?"
    rf"|(?:{ANY_NUMBER}|\d{{1,2}})\s*h(?:eures?)?\s+et\s+(?:quart|demie)"
    rf"|(?:{ANY_NUMBER}|\d{{1,2}})\s*h(?:eures?)?\s+(?:{ANY_NUMBER})(?![\w-])"
    rf"|(?:{ANY_NUMBER})\s+heures?)"
)
_SPOKEN = re.compile(
    rf"(?P<before>\bretard\s+(?:de\s+|d'\s*))(?P<after>{_LENGTH})(?![\w-])"
    rf"|(?<![\w-])(?P<ahead>{_LENGTH})(?=\s+(?:de|en)\s+retard\b)"
)
"""A late arrival's length said in words, next to « retard » only (explorers L, M, N: « un
quart d'heure de retard », « dix-huit minutes »; « le train de sept heures » in a reason
stays as typed)."""


_SAID_LENGTH = re.compile(
    r"(?P<count>[a-z0-9-]+(?: et une?)?)\s*(?P<unit>minutes?|h(?:eures?)?)"
    r"(?:\s+et\s+(?P<part>quart|demie)|\s+(?P<more>[a-z-]+(?: et une?)?))?"
)


def _minutes(length: str) -> int:
    """The minutes of a length :data:`_LENGTH` found: « dix-huit minutes » → 18, « deux
    heures et quart » → 135, « un quart d'heure » → 15."""
    said = " ".join(length.replace("'", "' ").split())
    if "quart d'" in said or "quarts d'" in said:
        return 45 if said.startswith("trois") else 15
    if "demi" in said and not said.endswith("demie"):
        return 30
    found = _SAID_LENGTH.fullmatch(said)
    if found is None:
        return 0
    count = found["count"]
    amount = int(count) if count.isdecimal() else NUMBER_WORDS.get(count, 0)
    if found["unit"].startswith("minute"):
        return amount
    more = NUMBER_WORDS.get(found["more"] or "", 0)  # « une heure trente » (explorer Q)
    if more >= 60:
        return 0
    return amount * 60 + {"quart": 15, "demie": 30}.get(found["part"] or "", 0) + more


_DAY_WORD = (
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|matin|midi|apres-midi|aprem|soir"
    r"|hier|aujourd'hui|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre"
    r"|novembre|decembre|\d{1,4})"
)
_SPOKEN_LAST = re.compile(
    rf"\bretard\b.*\b{_DAY_WORD}\s*,?\s+(?P<length>(?:de\s+|d'\s*)(?P<said>{_LENGTH}))"
    r"\s*[.!]?\s*$"
)
"""A retard's length said in words after its day (« Karim et Julie en retard vendredi matin
d'une heure »: explorer ZA6's rest, dropped), right after a day's word: « …, le train de sept
heures » stays a motive."""


def spoken_lengths(folded: str) -> str:
    """« en retard d'un quart d'heure » → « en retard de 15 min », « dix-huit minutes de
    retard » → « 18 min de retard », « en retard vendredi matin d'une heure » → « … vendredi
    matin de 1h » (:data:`_SPOKEN_LAST`, read as « de 1h15 » is), in :func:`soft_fold`'s text;
    the rest as it was."""

    def said(found: re.Match[str]) -> str:
        length = found["after"] or found["ahead"]
        head = (found["before"] or "").replace("d'", "de ").rstrip()
        return f"{head} {_minutes(length)} min".lstrip()

    folded = _SPOKEN.sub(said, folded)
    last = _SPOKEN_LAST.search(folded)
    minutes = _minutes(last["said"]) if last is not None else 0
    if last is None or not minutes:
        return folded
    hours, rest = divmod(minutes, 60)
    length = f"{hours}h{rest:02d}" if hours and rest else f"{hours}h" if hours else f"{rest} min"
    return f"{folded[: last.start('length')]}de {length}"


def late_minutes_of(amount: str) -> int:
    """« 20 min » → 20, « 2h » → 120, « 1 h 30 » → 90, « de 1h30 » → 90 (explorer AA5: its
    « de » failed the reading)."""
    amount = re.sub(r"^\s*(?:de\s+|d'\s*)", "", amount)
    hours, _, rest = amount.partition("h")
    if not rest and "h" not in amount:
        return int(re.sub(r"\D", "", amount))
    rest = re.sub(r"^eures?", "", rest)
    extra = re.sub(r"\D", "", rest)
    return int(hours.strip()) * 60 + (int(extra) if extra else 0)


_LENGTH_LAST = re.compile(
    r"(?:^|,|\s)\s*(?:(?:de\s+|d'\s*)?(?P<minutes>\d{1,5})\s*(?:minutes?|min|mn)"
    r"|(?:de\s+|d'\s*)(?P<hours>\d{1,2}\s*h(?:eures?)?(?:\s*\d{1,2}(?:\s*(?:minutes?|min|mn))?)?))"
    r"\s*[.,;!]?\s*$"
)
"""A retard's length at the end of its days (« lundi et mardi 10 minutes », « vendredi matin
de 1h15 »: hours after « de » only, explorer ZA6)."""
_SEVERAL_DAYS = re.compile(r"\bet\b|^\s*(?:du|de|depuis|entre)\b")


def length_ending_days(rest: str) -> tuple[int | None, str]:
    """A retard's length said after its days, and the days without it: « lundi et mardi, 10
    minutes » → (10, « lundi et mardi ») (explorer EA12: not a motive, nor « mardi 10 »),
    « vendredi matin de 1h15 » → (75, « vendredi matin ») (explorer ZA6: echoed as the day);
    one day's minutes stay with the day, read with it as before (DA13): ``(None, rest)``."""
    length = _LENGTH_LAST.search(rest)
    if length is None or not (length["hours"] or _SEVERAL_DAYS.search(rest[: length.start()])):
        return None, rest
    return late_minutes_of(length["minutes"] or length["hours"]), rest[: length.start()]


ARRIVAL_FROM = 5
"""Hours from which an hour typed bare (« 8h », « 7h30 », « dix heures ») reads as the hour
someone arrived, not a retard's length: five hours late is past a half-day, an absence rather."""

_HOUR = r"\d{1,2}\s*h\s*(?:\d{2})?"
_AT_AN_HOUR = re.compile(
    r"(?:(?:(?:(?:il|elle)\s+(?:est|etait)\s+)?"
    r"(?:(?:arrivee?|venue?)\s+(?:(?:a|vers|depuis)\s+)?|(?:la|presente?)\s+depuis\s+)"
    rf"|(?:a|vers|depuis)\s+){_HOUR}(?:\s*pile)?|{_HOUR}\s*pile)\s*"
)
"""Folded « à 10h », « vers 9h30 », « il est arrivé à 10h », « arrivée vers 9 h 45 »,
« arrivé 10h30 », « 10h pile »: an hour, never a length (explorer BB1; CB14: the last two
were read as the day); « il est là depuis 10h », « là depuis 9h45 », « présente depuis 10h »
too (CB15: « non il est là depuis 10h » dropped the retard)."""
_BARE_HOUR = re.compile(
    rf"(?P<hour>\d{{1,2}}|{ANY_NUMBER})\s*(?:h|heures?)"
    rf"(?:\s*\d{{2}}|\s+(?:et\s+(?:quart|demie?)|{ANY_NUMBER}))?"
)
_COLON = re.compile(r"\b\d{1,2}\s*:\s*\d{2}\b")
"""« 10:30 »: a clock time as written, never a length."""
_CLOCK_LENGTH = re.compile(r"(?P<hours>\d{1,2})\s*:\s*(?P<minutes>[0-5]\d)")


def clock_length(typed: str) -> int | None:
    """« 0:45 », « 1:30 » typed alone where a retard's length is asked: that length in
    minutes, as a clock writes it, under :data:`ARRIVAL_FROM` hours (explorer DC4: « 0:45 »
    was said to be an hour of arrival); ``None`` for anything else, « 10:30 » and « 0:00 » included."""
    found = _CLOCK_LENGTH.fullmatch(typed.strip())
    if found is None or int(found["hours"]) >= ARRIVAL_FROM:
        return None
    return int(found["hours"]) * 60 + int(found["minutes"]) or None


def an_arrival_hour(typed: str) -> bool:
    """Whether ``typed``, where a retard's length is asked, is the hour of arrival: « à 10h »,
    « il est arrivé à 10h », « 10:30 », or an hour typed bare from :data:`ARRIVAL_FROM` on
    (« 8h », « 7h30 », « dix heures »; explorer BB2, BB20: « non, 8h » was a retard of 8 h).
    The hour the session starts at is not known: the length is asked in those words. « 0:45 »
    is a length (:func:`clock_length`)."""
    said = fold(typed)
    if (_COLON.search(typed) and clock_length(typed) is None) or _AT_AN_HOUR.fullmatch(said):
        return True
    bare = _BARE_HOUR.fullmatch(said)
    if bare is None:
        return False
    hour = bare["hour"]
    return (int(hour) if hour.isdecimal() else NUMBER_WORDS[hour]) >= ARRIVAL_FROM
