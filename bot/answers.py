"""What people type: normalised, compared and refused the same way everywhere.

Kept apart from the steps so that services and exports can compare names
the way the dialogues do (:func:`fold`) without importing the flow kit.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from bot import texts

MAX_TEXT = 4000
"""Longest answer a step accepts; anything longer is refused before parsing."""


@dataclass(frozen=True)
class Invalid:
    """What a parser returns when the answer does not fit: the French reason."""

    message: str


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: how labels and names are compared.

    A turn folds what was typed three or four times (the command check, the
    options, a number) and the same labels at every turn: short texts are
    kept (:func:`_fold_kept`), long ones (a pasted list, hostile input) are not.
    """
    return _fold_kept(text) if len(text) <= KEPT_FOLDS else _fold(text)


QUESTION_MARKS = frozenset("?？¿⸮﹖؟‽⁇⁈⁉❓❔")
"""Question marks besides « ? »: full-width (iOS CJK or emoji keyboards), Spanish, reversed,
small, Arabic, interrobangs, emoji (explorer XA5: « oui ？ » signed the attestation)."""


def asks(text: str) -> bool:
    """Whether ``text`` holds a question mark, any of them (:data:`QUESTION_MARKS`, or any
    character whose Unicode name says so): fold drops them all, so this reads the typed text."""
    return any(
        c in QUESTION_MARKS or (ord(c) > 127 and "QUESTION" in unicodedata.name(c, ""))
        for c in text
    )


KEPT_FOLDS = 200
"""Texts up to this length keep their folded form (8,192 of them at most)."""


@lru_cache(maxsize=8192)
def _fold_kept(text: str) -> str:
    return _fold(text)


class _Uncombined(dict[int, int | None]):
    """``str.translate``'s table dropping the combining marks (accents once decomposed), each
    character looked up once for the process rather than at every fold."""

    def __missing__(self, code: int) -> int | None:
        kept = self[code] = None if unicodedata.combining(chr(code)) else code
        return kept


_UNCOMBINED = _Uncombined()

_NOT_ALNUM = re.compile(r"[\W_]+")
"""What ``str.isalnum`` refuses: the regular expressions' word characters are exactly its
letters and digits (``Py_UNICODE_ISALNUM``), and the underscore."""

_NOT_ALNUM_ASCII = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """NFKD, combining marks dropped, case folded, every run of what is no letter nor digit a
    blank. A text typed in ASCII has no mark to drop and folds as it lowers; the rest goes
    through a table and a search rather than a test per character (a typed answer of thirty
    characters 15-20 µs at every new text, CA)."""
    if text.isascii():
        return " ".join(_NOT_ALNUM_ASCII.sub(" ", text.lower()).split())
    stripped = unicodedata.normalize("NFKD", text).translate(_UNCOMBINED)
    return " ".join(_NOT_ALNUM.sub(" ", stripped.casefold()).split())


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F, a set fixed
since Unicode 1.1) but line breaks and tabs, and the bidi embeddings and isolates.  One
search instead of a category looked up per character: every typed answer is checked, and
that loop was a few per cent of a question turn (ZP)."""


def has_control_characters(text: str) -> bool:
    """Terminal escapes, NULs and bidi overrides: never part of an honest answer."""
    return _CONTROL.search(text) is not None


def clean_line(text: str, *, limit: int) -> str | Invalid:
    """One line of user text, blanks folded, or why it is refused."""
    if has_control_characters(text):
        return Invalid(texts.say("common.control_characters"))
    line = " ".join(text.split())
    if not line:
        return Invalid(texts.say("common.empty_answer"))
    if len(line) > limit:
        return Invalid(texts.say("common.line_too_long", length=len(line), limit=limit))
    return line


PICTURES = {"👍": "oui", "👌": "ok", "✅": "oui", "✔": "oui", "👎": "non", "❌": "non"}
"""A thumb or a tick sent for an answer, as its word (explorer Z, Z10: « 👍 » at « C'est
bien ça ? » was « pas reconnu »)."""


def picture_word(text: str) -> str:
    """The word of a picture sent alone (:data:`PICTURES`), else the empty string."""
    return PICTURES.get(text.strip().replace("\ufe0f", ""), "")


YES_NO = {
    "oui": "yes",
    "o": "yes",
    "ok": "yes",
    "d accord": "yes",
    "daccord": "yes",
    "yes": "yes",
    "c est bien ca": "yes",
    "exact": "yes",
    "parfait": "yes",
    "valider": "yes",
    "je confirme": "yes",
    "ouais": "yes",
    "ouai": "yes",
    "oui oui": "yes",
    "c est ca": "yes",
    "tout a fait": "yes",
    "bien sur": "yes",
    "c est bon": "yes",  # explorer AG1: a hurried trainer's « c'est bon », « c bon »
    "c bon": "yes",
    "cest bon": "yes",
    "ca marche": "yes",
    "ca me va": "yes",
    "non": "no",
    "nan": "no",
    "non merci": "no",
    "n": "no",
    "no": "no",
    "pas du tout": "no",
    "corriger": "no",
}


AGREEING = tuple(word for word, meaning in YES_NO.items() if meaning == "yes")
"""What says « yes » to an option the bot proposes (« oui », « ok », « c'est bon »)."""


SKIP = {
    word: "skip"
    for word in (
        "passer",
        "plus tard",
        "pas maintenant",
        "aucun",
        "aucune",
        "rien",
        "je ne sais pas",
        "ne sais pas",
    )
}
"""What a text question with a « Passer » / « Plus tard » button also takes as that button:
« Passer » typed where the button says « Plus tard » became a trainee called Passer."""


LATER = frozenset(
    {"plus tard", "pas maintenant", "pas tout de suite", "tout a l heure", "apres", "demain"}
    | {"demain matin", "ce soir", "un instant", "un moment", "une minute", "une seconde"}
    | {"attendez", "attends", "attendez svp", "patientez", "je reviens", "je reviens plus tard"}
    | {"deux minutes", "2 minutes", "2 min", "5 minutes", "5 min", "2 sec", "une petite minute"}
)
"""What someone who wants to answer later types where a name is asked (folded): no name to
swear under (explorer QB12: « Garder « Plus Tard » »)."""


def has_words(line: str, *, letters: int = 0) -> bool:
    """At least ``letters`` letters, or with none asked one letter or digit: not only symbols."""
    if letters:
        return sum(ch.isalpha() for ch in line) >= letters
    return any(ch.isalnum() for ch in line)


_MARKUP = re.compile(r"<[^<>]*>|\bhttps?://\S+")


def worded(text: str) -> bool:
    """A letter outside markup and links: « 12345 », « 31/02 », « 😀🎉🔥 », « . » or « <b></b> »
    say nothing in words. One check for every free answer that goes into a file as typed (an
    absence's motive, a participant's reason for not taking part: explorer UC1)."""
    return any(ch.isalpha() for ch in _MARKUP.sub(" ", text))


MATRIX_ID = re.compile(r"^@[a-z0-9._=/+-]+:[A-Za-z0-9.-]+(:\d+)?$")
"""A Matrix user ID (``@prenom.nom-organisme.fr:agent.tchap.gouv.fr``), lower-case localpart."""


def same_matrix_id(stored: str, user: str) -> bool:
    """Matrix IDs compared as the spec reads them: the user part exactly, the server name
    (a DNS name) whatever its case."""
    local, _, server = stored.strip().partition(":")
    their_local, _, their_server = user.strip().partition(":")
    return local == their_local and server.casefold() == their_server.casefold()


def matrix_id(text: str) -> str | None:
    """The Matrix ID typed, if ``text`` is one (surrounding blanks ignored)."""
    candidate = text.strip()
    return candidate if MATRIX_ID.match(candidate) else None


def typed_matrix_id(text: str) -> str | None:
    """A Matrix ID as a person types it (a partner's contact, a chargé(e) de mission's ID,
    /inviter's argument), lower-cased: user parts are lower-case in the Matrix grammar and
    servers create them so, so « @Karim.Haddad:matrix.org » was copied from a display name
    and the bot could reach it only as « @karim.haddad:matrix.org » (explorer JA12; JB4: it
    was read so at the partner's question only)."""
    return matrix_id(text.lower())


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
"""A terminal escape sequence (colours, cursor moves): dropped whole, not just its ESC."""


_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""ASCII's control characters but the tab and line breaks, which :func:`visible` makes blanks."""


def visible(text: str | None) -> str:
    """A name typed elsewhere, without the invisible characters that could disturb a chat.

    Terminal escape sequences, control and format characters (NUL, bidi
    overrides) are dropped; markup is left to the templates, which escape it.
    """
    if not text:
        return ""
    text = _ANSI.sub("", text)
    if text.isascii():  # its only invisible characters are controls: one search (CA)
        return " ".join(_ASCII_CONTROL.sub("", text).split())
    kept = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.split())


# --- names and labels: how a typed word finds what it means ---------------------------

T = TypeVar("T")


def _name_words(name: str) -> list[str]:
    return fold(name).split()


def match_names(query: str, names: Sequence[tuple[str, T]]) -> list[T]:
    """The entries whose name fits ``query`` best, tolerant of case, accents, order, typos.

    Tiers, the first that finds anyone wins: the whole name; every word a
    whole word of the name; every word the start of a word ("dupon",
    "Dupont J"); every word inside the name; every word close to a word of
    the name (one typo: "Dupond", "Benaly").
    """
    words = fold(query).split()
    if not words:
        return []
    whole = " ".join(words)
    tiers: list[Callable[[list[str]], bool]] = [
        lambda parts: " ".join(parts) == whole or " ".join(reversed(parts)) == whole,
        lambda parts: all(w in parts for w in words),
        lambda parts: _each_prefix(words, parts),
        lambda parts: all(any(w in p for p in parts) for w in words),
        lambda parts: close_words(words, parts),
    ]
    for test in tiers:
        found = [value for name, value in names if test(_name_words(name))]
        if found:
            return found
    return []


def _each_prefix(words: list[str], parts: list[str]) -> bool:
    """Each typed word starts a different word of the name."""
    free = list(parts)
    for word in sorted(words, key=len, reverse=True):
        hit = next((p for p in free if p.startswith(word)), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


def close_words(words: list[str], parts: list[str]) -> bool:
    """Each typed word is a word of ``parts`` give or take one typo ("presentiel", "Dupond")."""
    return bool(words) and all(_close(w, parts) for w in words)


def _close(word: str, parts: list[str]) -> bool:
    if len(word) < 4:
        return any(p.startswith(word) for p in parts)
    return any(_alike(word, p) for p in parts)


def _alike(word: str, part: str) -> bool:
    """The two within one typo: a ratio of 0.8 at least.

    Two words whose lengths alone, or letters in common, put them under it are not compared
    letter by letter: the bounds difflib's ``real_quick_ratio`` and ``quick_ratio`` compute,
    as the same floats, for less.  A typed e-mail, name or date met every word of every
    label so, a tenth of a question turn at the steps that offer choices (ZP)."""
    total = len(word) + len(part)
    if 2.0 * min(len(word), len(part)) / total < 0.8:
        return False
    shared = sum(min(word.count(ch), part.count(ch)) for ch in set(word) & set(part))
    if 2.0 * shared / total < 0.8:
        return False
    return difflib.SequenceMatcher(None, word, part).ratio() >= 0.8


def closest_names(typed: str, names: Sequence[str], *, limit: int = 3) -> list[str]:
    """The names nearest to ``typed``, best first, to suggest when none fits.

    Compared whole and word by word ("zoro" is near "Zora Benali"), folded;
    names too far from it are not suggested at all.
    """
    query = fold(typed)
    if not query:
        return []
    scored: list[tuple[float, str]] = []
    for name in names:
        folded = fold(name)
        candidates = [folded, *folded.split()]
        score = max(difflib.SequenceMatcher(None, query, c).ratio() for c in candidates)
        if score >= 0.65:  # « alice » is 0.6 from « julie »: nothing alike (explorer O)
            scored.append((score, name))
    scored.sort(key=lambda pair: (-pair[0], by_surname(pair[1])))
    return [name for _, name in scored[:limit]]


PARTICLES = frozenset(
    {"de", "du", "des", "d", "le", "la", "van", "von", "der", "den", "di", "da", "del", "ben", "el"}
)
"""Words of a name that belong to its surname and are written in lower case inside it
(« Paul de Lattre », « Marie de la Tour »): how names sort, are written and are read."""


@lru_cache(maxsize=8192)
def by_surname(full_name: str) -> tuple[str, str]:
    """Sort key: surname, then given names, accents folded (Élodie Étienne between Dupont and Fabre).

    Names are typed "Prénom Nom"; a word in capitals marks the surname
    wherever it stands ("DUPONT Marie"), and a particle before the last word
    belongs to it ("Paul de Lattre" sorts under L, "de" ignored as in a
    directory).  Kept for the names already seen: every roster, list and
    picker sorts the same names again at each turn.
    """
    words = full_name.split()
    capitals = [w for w in words if len(w) > 1 and w.isupper()]
    surname = capitals if capitals and len(capitals) < len(words) else words[-1:]
    given = [w for w in words if w not in surname and fold(w) not in PARTICLES]
    return fold(" ".join(surname)), fold(" ".join(given))


_NO_THEN = re.compile(
    r"^\s*(?:non|nan|pas (?:ça|ca))\b[\s,.;:!-]*"
    r"(?:(?:en fait|plutôt|plutot|c'est|c’est|c est|c['’ ][ée]tait|ce sera|mais|le|la)\b"
    r"[\s,.;:-]*)*",  # « non, c'était jeudi »: jeudi, not « c'était jeudi » (explorer UA9)
    re.IGNORECASE,
)


def correction(text: str) -> str | None:
    """What follows a « non » that corrects at once: « non, du 14/12 au 30/04 », « non en
    fait mercredi » give the new answer (the caller checks it reads as one); a bare « non »
    or anything else, ``None`` (explorer U U1: the dates after « non » were refused)."""
    found = _NO_THEN.match(text)
    rest = text[found.end() :].strip() if found else ""
    return rest or None


EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff]")


def printable(text: str) -> bool:
    """Fit to be printed as typed on the documents a funder or an auditor reads: no markup
    signs (« <b>Cuisine</b> », « <script> ») and no emoji (the PDFs' fonts have none)."""
    return "<" not in text and ">" not in text and EMOJI.search(text) is None


FORMULA_STARTS = ("=", "+", "@")
"""How a spreadsheet's formula starts (« =HYPERLINK(…) »): printed as is on a document."""


def printed_as_is(text: str) -> bool:
    """No markup nor a spreadsheet's formula: « <i>SARL</i> » or « =HYPERLINK(…) » would be
    printed as is on the lists and documents, or run when an export is opened."""
    text = text.strip()
    return not any(ch in "<>{}[]" for ch in text) and not text.startswith(FORMULA_STARTS)
