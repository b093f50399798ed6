"""A name in any script written in ASCII letters, for a file name (explorer DC5).

A trainee named in Cyrillic, Arabic or Greek letters had « compte-rendu-stagiaire-….pdf »
and « chronologie-stagiaire.pdf »: the accents fold away, but those letters have no ASCII
part. Cyrillic is written as the usual French-readable romanization (« Иван Петров » :
« ivan petrov »); other alphabets by their letters' Unicode names (« محمد » : « mhmd »,
« Νίκος » : « nikos »), kana and hangul by their syllables (« 김 » : « gim »). Ideographs
have no reading here: the caller's fallback names the file.
"""

from __future__ import annotations

import re
import unicodedata

_TABLE = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэіїґ", "abvgdeziiklmnoprstufyeiig", strict=True)),
        **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ю": "iou", "я": "ia", "є": "ie", "ъ": "", "ь": ""},
        **{"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i"},
    }
)
_SKIPPED = {"CAPITAL", "SMALL", "FINAL"}
_SPELT_WHOLE = ("HIRAGANA", "KATAKANA", "HANGUL")


def romanized(text: str) -> str:
    """``text`` lower case in ASCII letters (digits and signs kept), each letter it cannot
    write dropped."""
    return "".join(_letter(char) for char in text.lower().translate(_TABLE))


def _letter(char: str) -> str:
    if char.isascii():
        return char
    folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    if folded or not char.isalpha():
        return folded.lower() or (" " if char.isspace() else "")
    name = unicodedata.name(char, "")
    if name.startswith("LATIN") or (" LETTER " not in name and " SYLLABLE " not in name):
        return ""
    words = re.split(r" (?:LETTER|SYLLABLE) ", name, maxsplit=1)[1].split()
    said = next((w for w in words if w not in _SKIPPED), "")
    if name.startswith(_SPELT_WHOLE):
        return said.lower()
    # The letter's sound is its name's leading consonants: « SHEEN » sh, « ALPHA » a.
    leading = len(said) - len(said.lstrip("BCDFGHJKLMNPQRSTVWXYZ"))
    return (said[:leading] or said[:1]).lower()
