"""What one line typed after ``/absence`` says: "Dupont hier matin", "Julie retard de 20 min".

:func:`understand_line` reads, each if present, the trainee (tolerant of
case, accents, word order and one typo: :func:`bot.answers.match_names`,
shared with every choice the flow kit offers), the date
(leaning towards the past), the period or the minutes of a late arrival,
and "justifiée" / "non justifiée".  It only reads: the dialogue shows back
what it understood and asks for the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot import dates
from bot.absences.lengths import late_minutes_of as late_minutes_of
from bot.absences.lengths import spoken_lengths
from bot.answers import closest_names as closest_names
from bot.answers import match_names as match_names  # its home since the flow kit shares it
from bot.dates.words import MONTH_WORDS, SHORT_WEEKDAY_NAMES, WEEKDAY_WORDS, texted_halves
from bot.typos import SIGN_OFFS

_DATE_FILLERS = {
    *("le", "la", "l", "du", "de", "des", "au", "dernier", "derniere", "passe", "ce", "a", "h"),
    *("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre"),
    *("octobre", "novembre", "decembre", "janv", "fevr", "sept", "oct", "nov", "dec"),
}


_DATE_STARTS = {"depuis", "il", "y", "avant", "apres", "dans", "en", "jusqu", "cette", "cet"}


def _dated(word: str, date_of: Callable[[list[str]], datetime | None]) -> bool:
    """Whether ``word`` may begin or end the words of a date (« hier », « le », « 3/12 »,
    « depuis »), not another name's."""
    return (
        word in _DATE_FILLERS
        or word in _DATE_STARTS
        or any(ch.isdigit() for ch in word)
        or date_of([word]) is not None
    )


_SAID_OF_SOMEONE = re.compile(
    r"(?:malades?|excusee?s?|absente?s?|justifiee?s?|hospitalisee?s?|convoquee?s?|enfants?"
    r"|rdv|rendez|covid|greve|accident|arret|medecin|transport|bus|train|panne|famille|deuil"
    r"|prevenu|prevenue|prevenus|non|pas|toujours|encore|aussi)"
)
"""Words a phone capitalises after a name that say something of the person, not her name."""


def another_name(word: str, text: str, people: Sequence[tuple[str, object]]) -> bool:
    """Whether ``word`` (folded) reads as part of a name: a word of someone's name
    (« benali » beside « karim »), or typed with a capital and no word said of someone
    (« Karim Dupont », nobody of that name: explorer BD5, CB5; « Karim Malade »: CA4)."""
    if any(word in soft_fold(name).split() for name, _ in people):
        return True
    return as_typed(text, word)[:1].isupper() and not _SAID_OF_SOMEONE.fullmatch(word)


def _unknown_name(
    tokens: list[str], whole: datetime, date_of: Callable[[list[str]], datetime | None]
) -> str:
    """The words the date reader skipped ("zorro hier": "zorro"), which name nobody known."""
    for size in range(len(tokens) - 1, 0, -1):
        for name, rest in ((tokens[:size], tokens[size:]), (tokens[-size:], tokens[:-size])):
            if date_of(rest) != whole:
                continue
            if not any(_dated(w, date_of) for w in name):
                return " ".join(name)
    return ""


# --- the whole line -------------------------------------------------------------------


def soft_fold(text: str) -> str:
    """Lower case, no accents, punctuation kept ("3/12" stays a date)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


_A_DAY_OF_A_LIST = (
    r"(?:lun|mar|mer|jeu|ven|sam|dim|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?"
    r"(?:\s+(?:matin|aprem|apres-midi|apres\s+midi))?"
)
_WEEKDAY_LIST = re.compile(
    rf"\b{_A_DAY_OF_A_LIST}(?:\s*(?:,|\bet\b)\s*{_A_DAY_OF_A_LIST})+(?![\w-])"
)


def weekday_lists(folded: str) -> str:
    """« lun et mar », « mer, jeu et ven » (folded): weekdays cut short in a list of weekdays
    written whole, where « mar » cannot be March nor « sam » a name (explorer EE2: « Karim
    absent lun et mar » read « Karim lun » as a name)."""

    def whole(match: re.Match[str]) -> str:
        return re.sub(
            r"\b(lun|mar|mer|jeu|ven|sam|dim)\b\.?", lambda m: SHORT_WEEKDAY_NAMES[m[1]], match[0]
        )

    return _WEEKDAY_LIST.sub(whole, folded)


def as_typed(text: str, folded: str) -> str:
    """The words of ``text`` that ``folded`` stands for, as typed: "léa" → "Léa", "decembre" →
    "décembre".

    The readers work on :func:`soft_fold`'s text, whose names and dates are
    what the bot shows back; a careful writer shows them as the person typed
    them.  Spaces between the words may differ; ``folded`` itself when the
    words are not found (a rewritten phrase such as "aujourdhui").
    """
    words = folded.split()
    if not words:
        return folded
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in soft_fold(char):
            chars.append(piece)
            origin.append(index)
    pattern = r"\s+".join(re.escape(word) for word in words)
    found = re.search(rf"(?<!\w){pattern}(?!\w)", "".join(chars))
    if found is None:  # never the reader's own spelling quoted back (explorer AM3)
        return folded.replace("aujourdhui", "aujourd'hui")
    return text[origin[found.start()] : origin[found.end() - 1] + 1]


_REWRITES = [
    # « 1/2 journée » on an attendance sheet is a half-day, not the 1st of February (CA13).
    (re.compile(r"(?<![\d/])1\s*/\s*2\s*(?:journee|j)\b"), "demi-journee"),
    (re.compile(r"\bce\s+matin\b"), "aujourdhui matin"),
    # « depuis jeudi jusqu'à ce jour »: today (explorer ZA3: « pas compris »); « ce jour-là » not
    (re.compile(r"\bce\s+jour\b(?![\w-])"), "aujourdhui"),
    (re.compile(r"\bcet(?:te)?\s+(?:apres\s*-?\s*midi|aprem)\b"), "aujourdhui apres-midi"),
    # « vendredi matin et après-midi » is the whole day (explorer UA5: the afternoon alone).
    (
        re.compile(
            r"(?:\b(?:le|la)\s+)?\bmatin(?:ee)?\s+et\s+(?:l'\s*|aujourdhui\s+)?(?:apres\s*-?\s*midi|aprem)\b"
        ),
        "journee",
    ),
]
_MINUTES = r"(?:minutes?|min|mn)"
_HOURS = rf"\d{{1,2}}\s*h(?:eures?)?(?:\s*\d{{1,2}}(?:\s*{_MINUTES})?)?"
_LATE = [
    re.compile(rf"\b(\d{{1,5}}\s*{_MINUTES}|{_HOURS})\s+de\s+retard\b"),
    re.compile(
        rf"\bretard(?:\s+de|\s*d')?(?:\s*({_HOURS}|\d{{1,5}}(?:\s*{_MINUTES})?))?(?=\s|$|[.,;!])"
    ),
]
"""« 20 min de retard », « retard de 20 », « en retard de 2h », « retard d'1 h 30 »: the
amount, in minutes or hours (explorer E E12 e: « de 2h » was read as part of the date)."""


_LATER_AMOUNT = re.compile(
    rf"(?:\bde\s+|\bd'\s*|(?<!\S))(\d{{1,5}}\s*{_MINUTES})(?![a-z0-9])"
    rf"|(?:\bde\s+|\bd'\s*)({_HOURS})(?![a-z0-9])"
)
"""The length said after the day (« en retard ce matin de 20 min », « retard hier 15
minutes »: explorer AM3, « Je n'ai pas compris la date »); hours only after « de », so that
« à 9 h 30 » stays an hour."""

_LEADING_AMOUNT = re.compile(rf"(?:de\s+|d'\s*)(\d{{1,5}}\s*{_MINUTES}|{_HOURS})(?![a-z0-9])")


_BARE_LENGTH = re.compile(
    rf"([1-7]\s*h(?:eures?)?(?:\s*\d{{1,2}}(?:\s*{_MINUTES})?)?|\d{{1,3}}\s*{_MINUTES})(?![a-z0-9])"
)
"""Hours or minutes right after « retard », without « de » (« retard 1h », « en retard 1h30 »,
« retard 20mn »): a length under the day's eight hours (explorer BG4: shown as the day, « 1h
(lundi …) »; KF1: « julie retard 20mn » asked which day); « retard 10h20 » may be an arrival's
hour, left to the day's reading."""


def leading_late_minutes(text: str, *, right_after: bool = False) -> tuple[int | None, str]:
    """« de 1h30 hier » → (90, " hier"): the length a late arrival's words start with, and
    the rest (folded text, as :func:`read_period`'s); ``right_after`` « retard », bare hours
    too (« 1h ce matin »)."""
    found = _LEADING_AMOUNT.match(text) or (_BARE_LENGTH.match(text) if right_after else None)
    if found is None:
        return None, text
    return late_minutes_of(found[1]), text[found.end() :]


_ARTICLE = r"(?:\b(?:le|la|les|l'|dans\s+la|en|chaque|tous\s+les)\s*)?"
"""« le matin », « l'après-midi », « dans la matinée »: the article goes with the half-day,
not with the date (« du 16 au 18, le matin » names the 16th to the 18th)."""
_PERIOD_WORDS = [
    # « demi-journée » says no half: asked, not the whole day (explorer CA13).
    (re.compile(r"(?<!demi-)(?<!demi )\b(?:toute\s+la\s+)?journee(?:\s+entiere)?\b"), "journee"),
    (re.compile(_ARTICLE + r"(?:\bapres\s*-?\s*midis?\b|\baprem\b)"), "apres_midi"),
    (re.compile(_ARTICLE + r"\bmatin(?:ee|s)?\b"), "matin"),
]
_JUSTIFIED = [
    (re.compile(r"\b(?:non\s+justifiee?|injustifiee?|pas\s+justifiee?)\b"), False),
    (re.compile(r"\bjustifiee?\b"), True),
]


@dataclass
class Line:
    """What one line of text says about an absence."""

    matches: list[tuple[int, int]] = field(default_factory=list)
    """(formation id, trainee id) of the trainees the name fits."""
    name_text: str = ""
    when: datetime | None = None
    date_text: str = ""
    period: str | None = None
    late_minutes: int | None = None
    late_half: str | None = None
    """The half-day a late arrival is said of (« 20 min de retard jeudi matin »)."""
    justified: bool | None = None


def read_period(text: str) -> tuple[str | None, int | None, str]:
    """The period a text names (or a late arrival and its minutes), and the text without it.

    "hier matin" → ("matin", None, "hier"); "lundi retard de 20 min" →
    ("retard", 20, "lundi"); the text comes back folded (:func:`soft_fold`),
    "ce matin" as "aujourdhui", which the date reader understands.
    """
    period, minutes, _, rest = read_period_and_half(text)
    return period, minutes, rest


def day_words_only(part: str) -> bool:
    """A part between commas that names a day or a half-day alone (« mardi », « le matin »),
    never a clause holding one (explorer XA7: « ce matin, il arrive cet après-midi » read its
    second part as a half-day, then « Je n'ai pas compris la date « aujourd'hui , il arrive
    aujourd'hui » », the bot's own rewriting quoted)."""
    period, _, left = read_period(part)
    return names_a_day_only(part) or (period is not None and names_a_day_only(left))


def read_period_and_half(text: str) -> tuple[str | None, int | None, str | None, str]:
    """:func:`read_period`, and the half-day a late arrival is said of: « 20 min de retard
    jeudi matin » → ("retard", 20, "matin", "jeudi"), the morning kept with the late arrival
    (explorer DG5: said back in the question, then dropped)."""
    period: str | None = None
    minutes: int | None = None
    half: str | None = None
    folded = texted_halves(weekday_lists(" ".join(soft_fold(text).split())))
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    folded = spoken_lengths(folded)
    for pattern in _LATE:
        match = pattern.search(folded)
        if match:
            period = "retard"
            if match.group(1):
                minutes = late_minutes_of(match.group(1))
            folded = folded[: match.start()] + " " + folded[match.end() :]
            break
    later = _LATER_AMOUNT.search(folded) if period == "retard" and minutes is None else None
    if later is not None:
        minutes = late_minutes_of(later.group(1) or later.group(2))
        folded = folded[: later.start()] + " " + folded[later.end() :]
    for pattern, named in _PERIOD_WORDS:
        match = pattern.search(folded)
        if match:
            if period is None:
                period = named
            elif period == "retard" and named != "journee" and half is None:
                half = named
            folded = folded[: match.start()] + " " + folded[match.end() :]
    return period, minutes, half, " ".join(folded.split())


_REASON = re.compile(
    r"(?P<word>\bjustifi[eé]e?s?\b)\s*(?P<sep>[,:;(–—-]|\bpar\b|\bpour\b|\bcar\b)?"
    r"\s*(?:(?:le\s+)?motif\s*:?\s*)?(?P<reason>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def split_reason(text: str, now: datetime) -> tuple[str, str | None]:
    """The reason written after « justifiée » (« justifié, rdv France Travail », « justifiée
    (arrêt maladie) », « justifiée, motif : convocation »), as typed, and the text without it;
    ``(text, None)`` when none follows, or when what follows is a day or a half-day
    (« justifiée, hier matin »)."""
    match = _REASON.search(text)
    if match is None:
        return text, None
    reason = match["reason"].strip(" .,;:()–—-")
    explicit = match["sep"] not in (None, ",") or "motif" in match.group(0).casefold()
    if not reason or not re.search(r"[^\W\d_]{2}", reason):
        return text, None
    if not explicit and (read_period(reason)[0] or dates.understand(reason, now, "past")):
        return text, None
    return text[: match.end("word")], reason[:300]


def day_words(text: str, now: datetime) -> str:
    """What names the day or days in a sentence's words, its reason left out (« du 16 au 18
    novembre justifiée, arrêt maladie » → « du 16 au 18 novembre »)."""
    return date_words(split_reason(text, now)[0])


_DAY_FILLER = re.compile(
    r"(?:le|la|les|l|du|au|et|hier|aujourd|hui|aujourdhui|avant|demain|apres|midi|matin|journee"
    r"|toute|ce|cet|cette|er|derniere?s?|prochaine?s?|proch|pro|passee?s?|semaine|soir|soiree|demi"
    # What goes with the days of a list, not a comment (explorer CA1, CA7: « vendredi, lundi
    # aussi », « jeudi et vendredi derniers », « … justifiés » were read as one day).
    r"|aussi|egalement|puis|idem|encore|non|justifiee?s?|absente?s?"
    # « lundi, de nouveau aujourd'hui », « …, toujours absent aujourd'hui » (explorer DA14).
    r"|de|nouveau|toujours|pareil|pareille|meme|inclus|compris)"
)


SHORT_WEEKDAYS = frozenset({"lun", "jeu", "ven", "dim"})
"""Weekdays cut short that the date reader knows alone (« ven »), read in a list too (« ven
et lun »: explorer EA7); « mar », « mer », « sam » stay unread (March, the sea, a name)."""


def names_a_day_only(text: str) -> bool:
    """« mardi », « le 3 décembre », « lundi dernier » name a day; « mardi il revient » says
    something of one (explorer AY5: « absent hier, mardi il revient » was two days off)."""
    return all(
        _DAY_FILLER.fullmatch(word)
        or word in WEEKDAY_WORDS
        or word in MONTH_WORDS
        or word in SHORT_WEEKDAYS
        for word in re.findall(r"[a-z]+", soft_fold(text))
    )


_A_DAY = re.compile(r"\d|\b(?:hier|aujourd|demain)")
_LAST_DAY = re.compile(
    r"^(?P<head>.*\bet\s+"  # a list's last day: « lundi et mardi malade »
    # a span's end (explorer EA6: « du 30 novembre au 2 décembre malade » lost its motive)
    r"|(?:.*?\s)?(?:du|de)\s+.+?\s(?:au|a|jusqu'?\s*au|jusqu'?\s*a)\s+"
    r"|(?:.*?\s)?depuis\s+"
    r"|(?:toute\s+)?(?:la|cette)\s+semaine\s+)(?P<last>[^,]+)$"
)
_A_UNIT = re.compile(r"(?:jours?|semaines?|mois|ans?|minutes?|min|mn|h|heures?)\b")
_COURTESY_ONLY = re.compile(
    rf"(?:[\s,.;!-]*\b(?:(?:tres|et)\s+)?(?:{'|'.join(SIGN_OFFS)})\b)+[\s,.;!-]*"
)


def courtesy_only(words: str) -> bool:
    """« svp », « stp merci », « s'il vous plaît »: courtesy, never a motive (explorer EA13)."""
    return bool(words.strip()) and bool(_COURTESY_ONLY.fullmatch(soft_fold(words).strip()))


_UP_TO = re.compile(r"(?P<a>.+?)\s+jusqu'?\s*(?:au|a)\s+(?P<b>.+)")


def _up_to(days: str) -> bool:
    """« jeudi jusqu'a hier »: a day, then the span's end (explorer XA12: « jusqu'à
    aujourd'hui » was the motive of « malade depuis jeudi jusqu'à aujourd'hui »)."""
    found = _UP_TO.fullmatch(days)
    return found is not None and names_a_day_only(found["a"]) and names_a_day_only(found["b"])


def trailing_words(text: str) -> tuple[str, str]:
    """A list of days or a span (folded) and the words after its last day: « lundi et mardi
    malade » → (« lundi et mardi », « malade ») (explorer DA2: the whole list was refused,
    then « mardi 1er » taken for a clash), « depuis lundi rdv France Travail », « toute la
    semaine malade » alike (explorer EA6: the span's words were dropped unsaid).  After a
    comma the words are no day's (« hier, mardi il revient »: explorer AY5): ``(text, "")``;
    so too when they hold a figure (« de 14h à 17h », « 9h15 »: hours, never a motive, and
    the days not read: explorer EA12).  Courtesy words are left out (« svp »: EA13)."""
    match = _LAST_DAY.match(text.strip())
    if match is None or names_a_day_only(match["last"]) or _up_to(match["last"]):
        # « depuis jeudi jusqu'a vendredi matin », « … vendredi inclus »: the end's half-day
        # or « inclus », the span's words, never its motive (explorer ZA4)
        return text, ""
    words = match["last"].split()
    week = match["head"].rstrip().endswith("semaine")
    for n in range(len(words) - 1, -1 if week else 0, -1):
        day = " ".join(words[:n])
        named = (
            week
            or _A_DAY.search(day)
            or any(w in WEEKDAY_WORDS or w in MONTH_WORDS or w in SHORT_WEEKDAYS for w in words[:n])
        )
        if named and (names_a_day_only(day) or _up_to(day)):
            tail = " ".join(words[n:])
            if re.search(r"\d", tail) or _A_UNIT.match(tail) or tail.startswith("jusqu"):
                # « 14h », « depuis 3 jours », « mardi 10 minutes »; « depuis jeudi jusqu'à
                # aujourd'hui »: the span's end, never its motive (explorer XA12)
                return text, ""
            return (match["head"] + day).strip(), "" if courtesy_only(tail) else tail
    return text, ""


def date_words(text: str) -> str:
    """``text`` folded, without its half-day, late-arrival and "justifiée" words: what is left
    to name the day or days (« du 1er au 3 décembre matin justifiée » → « du 1er au 3
    decembre »)."""
    folded = read_period(text)[2]
    for pattern, _ in _JUSTIFIED:
        folded = pattern.sub(" ", folded)
    # The commas that stood around the words taken out (« lundi et mardi, matin, justifiée »).
    folded = re.sub(r"\s*,(?:\s*,)+", ",", " ".join(folded.split()))
    return folded.strip(" ,")


def understand_line(text: str, now: datetime, people: list[tuple[str, tuple[int, int]]]) -> Line:
    """Trainee, date, period and justification read from free text, each if present; the
    name as typed (:func:`as_typed`), to be shown back."""
    line = _understand_folded(text, now, people)
    line.name_text = as_typed(text, line.name_text)
    return line


def _understand_folded(text: str, now: datetime, people: list[tuple[str, tuple[int, int]]]) -> Line:
    line = Line()
    line.period, line.late_minutes, line.late_half, folded = read_period_and_half(text)
    for pattern, justified in _JUSTIFIED:
        match = pattern.search(folded)
        if match:
            line.justified = justified
            folded = folded[: match.start()] + " " + folded[match.end() :]
            break
    tokens = folded.split()
    if not tokens:
        return line

    def date_of(words: list[str]) -> datetime | None:
        if not words:
            return None
        understood = dates.understand(" ".join(words), now, "past")
        return understood.when if understood else None

    best: tuple[list[tuple[int, int]], list[str], list[str]] | None = None
    for size in range(len(tokens), 0, -1):
        for name, rest, beside in (
            (tokens[:size], tokens[size:], tokens[size : size + 1]),
            (tokens[-size:], tokens[:-size], tokens[-size - 1 : -size]),
        ):
            if any(ch.isdigit() for word in name for ch in word):
                continue
            found = match_names(" ".join(name), people)
            if not found:
                continue
            if beside and another_name(beside[0], text, people) and not _dated(beside[0], date_of):
                # « Karim Benali hier », nobody of that name: « Benali » is a name, not a date
                # word, so the name is not « Karim » (explorer BD5: other Karims
                # « correspondaient »); « karim malade hier » stays Karim's.
                continue
            if not rest or date_of(rest) is not None:
                line.matches, line.name_text = found, " ".join(name)
                line.when = date_of(rest)
                return line
            if best is None:
                best = (found, name, rest)
    whole = date_of(tokens)
    if whole is not None:
        line.when = whole
        line.name_text = _unknown_name(tokens, whole, date_of)
        return line
    if best is not None:
        line.matches, line.name_text = best[0], " ".join(best[1])
        line.date_text = " ".join(best[2])
        return line
    # Nobody fits: the name typed is what stands before (or after) a date, if one is there.
    for size in range(len(tokens) - 1, 0, -1):
        for name, rest in ((tokens[:size], tokens[size:]), (tokens[-size:], tokens[:-size])):
            when = date_of(rest)
            if when is not None:
                line.name_text, line.when = " ".join(name), when
                return line
    line.name_text = " ".join(tokens)
    return line


def half_kept(corrected: str, first: str) -> str:
    """« jeudi », correcting « vendredi matin » → « jeudi matin »: the half-day said first,
    when the day corrected says none (closing 38's Left: after « non, c'était jeudi », the
    morning was asked again); a half-day said with it is that one (« jeudi après-midi »)."""
    half = read_period(first)[0]
    if half not in ("matin", "apres_midi") or read_period(corrected)[0] is not None:
        return corrected
    return f"{corrected} {'matin' if half == 'matin' else 'après-midi'}"
