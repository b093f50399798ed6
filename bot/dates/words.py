"""The French words dates are made of, and one spelling for the many typed in chats.

Every reader (a day, a period, a duration) folds the text the same way and
matches the same vocabulary, so a typo understood in one is understood in all.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

MAX_LENGTH = 200
"""Longer answers are not a date someone typed; refusing early keeps parsing cheap."""


# Spellings met in chats, folded (lower case, no accents), with their index.
WEEKDAY_WORDS: dict[str, int] = {
    "lundi": 0,
    "lindi": 0,
    "mardi": 1,
    "mercredi": 2,
    "mecredi": 2,
    "mercedi": 2,
    "mercrdi": 2,
    "jeudi": 3,
    "jedi": 3,
    "vendredi": 4,
    "vendedi": 4,
    "vendrdi": 4,
    "samedi": 5,
    "samdi": 5,
    "dimanche": 6,
    "dimache": 6,
    "dimance": 6,
}
MONTH_WORDS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevier": 2,
    "fevrie": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juilet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "septembr": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "octobr": 10,
    "oct": 10,
    "novembre": 11,
    "novembr": 11,
    "nov": 11,
    "decembre": 12,
    "decembr": 12,
    "dec": 12,
}
_UNITS = [
    "zero",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]


def _number_words() -> dict[str, int]:
    """« zéro » to « cinquante-neuf », folded: a day (« trente et un »), an hour, minutes
    (« quatorze heures trente-cinq »), a length (« dix-huit minutes de retard »)."""
    words = {word: n for n, word in enumerate(_UNITS)} | {"une": 1, "premier": 1}
    for tens, name in ((20, "vingt"), (30, "trente"), (40, "quarante"), (50, "cinquante")):
        words |= {name: tens, f"{name} et un": tens + 1, f"{name} et une": tens + 1}
        words |= {f"{name}-{_UNITS[unit]}": tens + unit for unit in range(2, 10)}
    return words


NUMBER_WORDS = _number_words()


def a_day_of_the_month(answer: str) -> bool:
    """« le premier », « premier », « 1er », « le deux » … « le trente et un » (folded): a day
    of the month as French says it, which a question that also reads dates must not take for
    a choice's number (explorer GA1: « le premier » typed to correct a date was « Oui »)."""
    said = answer.replace("'", " ").strip()
    if said in ("premier", "1er", "le 1er"):
        return True
    word = said.removeprefix("le ")
    return word != said and 1 <= NUMBER_WORDS.get(word, 0) <= 31


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so that "janvier" wins over "jan"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


ANY_WEEKDAY = _alternation(WEEKDAY_WORDS)
ANY_MONTH = _alternation(MONTH_WORDS)
ANY_NUMBER = _alternation(NUMBER_WORDS)

# Words that, left over once a date is read, mean the text said more than we
# understood ("lundi ou mardi", "jeudi matin ou soir").
DATE_WORDS = frozenset(
    [
        *WEEKDAY_WORDS,
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
        "prochain",
        "dernier",
        "semprochaine",
        "enhuit",
        "enquinze",
        "semaine",
        "semaines",
        "mois",
        "jour",
        "jours",
        "heure",
        "heures",
        "minute",
        "minutes",
        "matin",
        "matinee",
        "soir",
        "soiree",
        "apresmidi",
        "midi",
        "minuit",
        "nuit",
        "aujourdhui",
        "demain",
        "apresdemain",
        "hier",
        "avanthier",
        "weekend",
        "week",
    ]
)

SHORT_WEEKDAY_NAMES = {
    "lun": "lundi",
    "mar": "mardi",
    "mer": "mercredi",
    "jeu": "jeudi",
    "ven": "vendredi",
    "sam": "samedi",
    "dim": "dimanche",
}

Rewrite = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str], tuple[str, ...]]
"""A pattern, what replaces it, and the words one of which is in any text it matches: a
pattern run on a text without any of them (every pattern but one, for most dates typed) costs
a few µs for nothing, twenty times a reading."""


def _rewritten(text: str, rewrites: Iterable[Rewrite]) -> str:
    for pattern, replacement, needles in rewrites:
        if any(needle in text for needle in needles):
            text = pattern.sub(replacement, text)
    return text


_A_DAY_BEFORE_A_HALF = (
    r"hier|avant[\s-]*hier|aujourd'?\s*hui|aujourdhui|auj|ajd|demain|apres[\s-]*demain"
    rf"|{_alternation(WEEKDAY_WORDS)}|lun|jeu|ven|sam|dim"
)
_TEXTED_HALVES: tuple[Rewrite, ...] = tuple(
    (re.compile(pattern), replacement, needles)
    for pattern, replacement, needles in (
        (r"\bce\s+(?=(?:aprem|apm|apres[\s-]*midi)\b)", "cet ", ("ap",)),
        (r"\bce\s+mat\b'?", "ce matin", ("mat",)),
        (rf"\b({_A_DAY_BEFORE_A_HALF})\s+(?:mat\b'?|am\b)", r"\1 matin", ("mat", "am")),
        (rf"\b(cet|{_A_DAY_BEFORE_A_HALF})\s+(?:pm|apm)\b", r"\1 apres-midi", ("pm",)),
    )
)


def texted_halves(text: str) -> str:
    """« ce mat », « ce aprem », « hier am », « jeudi pm » (folded, apostrophes kept or not):
    a half-day as texted, in the words every reader knows (« ce matin », « cet apres-midi »,
    « hier matin »), so that the day's and the half-day's readers understand it alike
    (explorer BG7: « Je n'ai pas compris la date « ce mat » », « hier am » read as the whole
    day, the half-day asked again). « am », « pm » and « mat » only after a day: elsewhere
    they may be anything else."""
    return _rewritten(text, _TEXTED_HALVES)


# Phrases rewritten to one token each before anything is extracted.
_REWRITES: tuple[Rewrite, ...] = tuple(
    (re.compile(pattern), replacement, needles)
    for pattern, replacement, needles in (
        (
            r"\baujourd\s*hui\b|\baujourdhui\b|\baujourdui\b|\baujourd\b|\bauj\b|\bajd\b",
            "aujourdhui",
            ("auj", "ajd"),
        ),
        (r"\bapres[\s-]*midi\b|\baprem\b|\bapm\b|\bap[\s-]+midi\b", "apresmidi", ("ap",)),
        (r"\bapres[\s-]*demain\b", "apresdemain", ("demain",)),
        (r"\bavant[\s-]*hier\b", "avanthier", ("hier",)),
        (r"\bdemin\b|\bdemaim\b|\bdemai\b", "demain", ("dem",)),
        (
            rf"\b({ANY_WEEKDAY})\s+(?:de\s+la\s+|la\s+)?semaine\s+proch\w*",
            r"\1 semprochaine",
            ("semaine",),
        ),
        (rf"\b({ANY_WEEKDAY})\s+(?:passee?s?)\b", r"\1 dernier", ("pass",)),
        (rf"\b({ANY_WEEKDAY})\s+qui\s+vient\b", r"\1 prochain", ("vient",)),
        (r"\bproch(?:ain|aine|ains|aines|in|ainne|ian|ai)?\b", "prochain", ("proch",)),
        (r"\bderni(?:er|ere|ers|eres|r|e)\b", "dernier", ("derni",)),
        (r"\ben\s+(?:huit|8)\b", "enhuit", ("huit", "8")),
        (r"\ben\s+(?:quinze|15)\b", "enquinze", ("quinze", "15")),
        (r"\bce\s+midi\b", "aujourdhui midi", ("midi",)),
        (r"\bce\s+matin\b", "aujourdhui matin", ("matin",)),
        (r"\bcet(?:te)?\s+apresmidi\b", "aujourdhui apresmidi", ("apresmidi",)),
        (r"\bce\s+soir\b", "aujourdhui soir", ("soir",)),
        # "lun 23 nov", "ven. 4/12": a weekday cut short, only right before the day it names
        (
            rf"\b(lun|mar|mer|jeu|ven|sam|dim)\s+(?=\d{{1,2}}(?:\s*er)?(?:\s*(?:{ANY_MONTH})\b|[/.\-]\d))",
            lambda m: SHORT_WEEKDAY_NAMES[m.group(1)] + " ",
            ("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
        ),
        # « jeu 14h », « ven aprem », « lun matin », « ven » alone: a weekday cut short before an
        # hour or a half-day (explorer DG4, DG6: the day dropped, the hour put on today);
        # « mar », « mer » stay unread (March, the sea), « sam » alone may be a name.
        (
            r"\b(lun|jeu|ven|sam|dim)\.?(?=\s+(?:\d{1,2}\s*(?:h|:)|a\s+\d"
            r"|(?:apresmidi|matin|soir|midi|dernier|prochain)\b))",
            lambda m: SHORT_WEEKDAY_NAMES[m.group(1)],
            ("lun", "jeu", "ven", "sam", "dim"),
        ),
        (
            r"^\s*(lun|jeu|ven|dim)\.?\s*$",
            lambda m: SHORT_WEEKDAY_NAMES[m.group(1)],
            ("lun", "jeu", "ven", "dim"),
        ),
        (r"\b1\s*er\b", "1", ("er",)),
        (r"\ble\s+premier\s*$", "le 1", ("premier",)),
        (r"\b(heures?|hrs?|h)\s+pile\b", r"\1", ("pile",)),
    )
)
_NUMBER_BEFORE_MONTH = re.compile(rf"\b({ANY_NUMBER})\s+(?=(?:{ANY_MONTH})\b)")
_HOUR_IN_WORDS = re.compile(
    rf"(?:^|(?<=\ba\s)(?<!\by\sa\s)|(?<=\bvers\s)|(?<=\bdes\s))"
    rf"(?:({ANY_NUMBER})\s+heures?"
    rf"(?:\s+(et\s+quart|et\s+demie?|moins\s+le\s+quart|{ANY_NUMBER})(?![\w-]))?"
    rf"|(\d{{1,2}})\s*(?:heures?|h)\s+(et\s+quart|et\s+demie?|moins\s+le\s+quart"
    rf"|{ANY_NUMBER})(?![\w-]))"
    rf"(?!\s+(?:moins|{ANY_NUMBER})\b|-)"
)
"""« quatorze heures trente », « à neuf heures et demie » (explorer O: « 14h » was read, the
words were not): at the start or after « à », « vers », « dès » only, so « dans deux heures »
or « absente deux heures » stay lengths (explorer P); minutes it cannot read (« moins
vingt ») leave the whole as typed rather than an hour without them.  Minutes in words after
an hour in digits too (« à 14 heures trente »)."""
_MINUTE_WORDS = {"et quart": 15, "et demi": 30, "et demie": 30, "moins le quart": -15}


def _hour(match: re.Match[str]) -> str:
    if match.group(3):  # « 14 heures trente », « 9 h et quart » (explorer Q Q3: 14 h 00)
        hour, said = int(match.group(3)), match.group(4)
    else:
        hour, said = NUMBER_WORDS[match.group(1)], match.group(2)
    minutes = _MINUTE_WORDS.get(" ".join(said.split())) if said else 0
    if minutes is None:
        minutes = NUMBER_WORDS[said]
    if minutes < 0:
        hour, minutes = hour - 1, 60 + minutes
    if not 0 <= hour <= 23 or minutes >= 60:
        return match.group(0)
    return f"{hour}h{minutes:02d}"


def fold(text: str) -> str:
    """One spelling for the many a phone keyboard produces: accents, case, quotes, markup.

    The accents are looked for among the letters that are not ASCII only (« décembre »: one
    letter, not the sentence's forty, asked whether it is one), the patterns are compiled
    once and run only where their character is: a date typed is folded at every reading."""
    text = html.unescape(text)
    text = _MARKUP.sub(" ", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    if not text.isascii():
        text = _NOT_ASCII.sub(_accents_dropped, text)
        text = text.replace("œ", "oe").replace("–", "-").replace("—", "-")
    if "," in text:  # a replacement with a group costs a few µs even where nothing matches
        text = _DECIMAL_COMMA.sub(r"\1.\2", text)
    text = _NOT_READ.sub(" ", text)
    # Separators only mean something between two digits; elsewhere they are
    # punctuation ("déc.", "rdv: jeudi", "jeudi -").
    if "/" in text or ":" in text or "." in text:
        text = _LONE_SEPARATOR.sub(" ", text)
    if "-" in text:
        text = _LONE_DASH.sub(" ", text)
    return " ".join(text.split())


_MARKUP = re.compile(r"<[^<>]{0,100}>")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_DECIMAL_COMMA = re.compile(r"(\d),(\d)")
_NOT_READ = re.compile(r"[^a-z0-9/:.\- ]+")
_LONE_SEPARATOR = re.compile(r"(?<!\d)[/:.]|[/:.](?!\d)")
_LONE_DASH = re.compile(r"(?<![\da-z])-|-(?![\da-z])")


def _accents_dropped(match: re.Match[str]) -> str:
    """A run of letters beyond ASCII without its combining marks (every one is beyond it)."""
    return "".join(c for c in match.group() if not unicodedata.combining(c))


def rewrite(text: str) -> str:
    """Phrases said several ways become one token, so each pattern lists them once."""
    text = _rewritten(texted_halves(text), _REWRITES)
    if "h" in text:  # « heure(s) » or « h » after a number: no hour in words without one
        text = _HOUR_IN_WORDS.sub(_hour, text)
    return _NUMBER_BEFORE_MONTH.sub(lambda m: f"{NUMBER_WORDS[m.group(1)]} ", text)


class Unclear(Exception):
    """The text names something impossible or contradictory."""


def valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


YEARS = (1900, 2200)
"""The years a date typed in full may name; one outside is a typo, named back as such
(:func:`bot.dates.impossible.wrong_year`)."""


def parse_year(raw: str | None) -> int | None:
    """Two digits mean this century; a year far from ours is a typo, not a date."""
    if raw is None:
        return None
    year = int(raw)
    if len(raw) == 2:
        year += 2000
    if not YEARS[0] <= year <= YEARS[1]:
        raise Unclear
    return year
