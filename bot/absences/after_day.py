"""The words typed after an absence's day without a comma: « hier pour maladie », « jeudi
aprem rdv FT » (explorer KA11), a motive only when said as one (explorer SA3-SA5)."""

from __future__ import annotations

import re

from bot.absences.line import courtesy_only, names_a_day_only, read_period, soft_fold
from bot.dates.words import MONTH_WORDS, WEEKDAY_WORDS, texted_halves

_SAID_AGAIN = re.compile(r"\s+(?:non\s+plus|aussi|egalement)$")
"""« hier non plus », « hier aussi »: said of the day before, no day nor motive (KA11)."""
_HIMSELF_TOO = re.compile(
    r"(?:\s*,)?\s*\b(?:lui|elle|toi|eux|elles)(?:\s+-)?\s+(?:aussi|egalement|non\s+plus)\b"
)
"""« vendredi lui aussi », « vendredi, elle aussi », « malade lui aussi »: said of the person as
« hier aussi » is of the day, no motive (explorer UA4: « lui aussi » was saved as one)."""
_A_LENGTH = re.compile(r"(?:jours?|semaines?|mois|ans?|minutes?|min|mn|h|heures?)\b")
_A_DAY_WORD = re.compile(r"\d|\b(?:hier|aujourd|demain)|\b(?:matin|apres-midi|aprem|soir)\b")
_A_MOTIVE = re.compile(
    r"(?:(?:il|elle)\s+(?:est|etait|a|avait)\s+(?:eu\s+)?(?:un\s+|une\s+|en\s+)?)?"
    r"(?:(?:pour|rdv|rendez-vous|malades?|maladie|medecin|arret|greve)\b|a\s+cause\s+d|en\s+raison\s+d)"
)
"""How a motive after the day opens (« pour maladie », « rdv FT », « elle est malade », « il avait
rdv chez le médecin »: explorer KF16, dictated without a comma, shown as the day's words, then
asked again): other words stay the day's, read as before explorer KA11, and « Un motif connu ? »
is asked (explorer SA5: « selon Julie », « comme d'habitude » were saved as the motive)."""
_NOT_A_MOTIVE = re.compile(
    r"retard|\b(?:apres|avant)\s+(?:la|le|l')\s*(?:pause|dejeuner|repas|recre|midi)"
    r"|\ben\s+(?:fin|debut)\s+d|\bfois\b|\bhabitude|\bencore\b|\btoujours\b|\bcomme\b"
    r"|\bselon\b|\bd'apres\b|\bde\s+nouveau\b|\bpause\b|\bdejeuner\b|\brepas\b|\brecre"
    r"|\bpour\s+(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|dix|quinze|quelques"
    r"|plusieurs|la|le|toute|tout)\s+(?:jours?|semaines?|mois|heures?|h|demi|journee|matinee)"
    r"|\bpour\s+(?:l'instant|le\s+moment|l'heure|l'instant\s+present)"
    r"|\bpour\s+(?:moi|toi|lui|elle|nous|vous|eux|elles|info\w*|ca|cela|la\s+formation$)"
    r"|\bc'est\s+bon\b"
    r"|\bjusqu|\bpendant\b|\bau\s+(?:\d|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
)
"""Words after the day that never are its motive: a lateness (« vendredi en retard »: explorer
SA3, a half-day absence whose motive was « en retard »), a time of day (« après la pause »,
« en fin de journée »: SA4, SA5), how often or who said so (« pour la 3e fois », « selon … »),
how long or for now (« pour 2 jours », « pour l'instant »: explorer SB8, Friday alone noted with
the motive « pour 2 jours »), until when (« pour maladie jusqu'à lundi »: explorer UA5, Friday
alone noted, the span in the motive: refused as before, or « de vendredi à lundi » read), whom
or what it is said for (« oui pour moi c'est bon », « oui, pour info »: explorer XA1, saved as
the motive)."""


_OTHER_HALF_TOO = re.compile(
    r"^(?P<day>.*?)\s*\b(?:(?:le|la)\s+)?(?P<half>matin|apres-midi|aprem)"
    r"(?P<why>\s+(?:pour|car)\s.*?)\s+et\s+(?:(?:le|la)\s+|l'\s*)?"
    r"(?P<other>matin|apres-midi|aprem)\s+(?:aussi|egalement)$"
)


def other_half_too(rest: str) -> str:
    """« vendredi matin pour rdv ft et l'apres-midi aussi » → « vendredi matin et apres-midi
    pour rdv ft »: the other half-day said after the motive is the day's, the whole day
    (explorer XA7: the morning alone was saved, « et l'après-midi aussi » in its motive)."""
    found = _OTHER_HALF_TOO.match(rest)
    if found is None or (found["half"] == "matin") == (found["other"] == "matin"):
        return rest
    return f"{found['day']} matin et apres-midi{found['why']}"


def day_then_words(rest: str) -> tuple[str, str]:
    """« hier pour maladie » → (« hier », « pour maladie »), « jeudi aprem rdv ft » →
    (« jeudi aprem », « rdv ft »), « hier non plus » → (« hier », ""): one day (folded),
    then the words after it, its motive as after a comma (explorer KA11: they were shown in
    the day's label, « hier pour maladie (dimanche …) », then « Un motif connu ? » asked, the
    motive typed lost).  Words that may be the day's (« jusqu'à demain », « pour la journée »,
    « de 14h à 17h »: EA12) stay with it, read or refused as before; after « pour », a day or
    an hour is the motive's (« pour un rdv à 14h »)."""
    said = rest.rstrip(" .;!")
    if "," in rest or not said.strip():
        return rest, ""
    day_alone = _SAID_AGAIN.sub("", said)
    if names_a_day_only(read_period(day_alone)[2]):
        return day_alone, ""
    words = said.split()
    for count in range(len(words) - 1, 0, -1):
        day, tail = " ".join(words[:count]), " ".join(words[count:])
        named = _A_DAY_WORD.search(texted_halves(day)) or any(
            w in WEEKDAY_WORDS or w in MONTH_WORDS for w in words[:count]
        )
        if not named or not names_a_day_only(read_period(day)[2]):
            continue
        another = _SAID_AGAIN.search(f" {tail}")  # « hier Léa aussi »: said apart (KA11)
        if not (another or reads_as_a_motive(tail)) or _NOT_A_MOTIVE.search(tail):
            return rest, ""  # no motive said: the words stay the day's, as before (SA3-SA5)
        why = tail.startswith("pour ")  # « pour un rdv à 14h », « pour le rdv de jeudi »
        dated = _A_DAY_WORD.search(tail) or any(w in WEEKDAY_WORDS for w in tail.split())
        if (
            _A_LENGTH.match(tail)
            or (dated and not why)  # « jusqu'à demain », « de 14h à 17h »: the day's (EA12)
            or names_a_day_only(read_period(tail.removeprefix("pour "))[2])
        ):
            return rest, ""
        return day, "" if courtesy_only(tail) else tail
    return rest, ""


def reads_as_a_motive(words: str) -> bool:
    """Whether ``words`` read as an absence's motive: opened as one (« pour maladie », « rdv
    FT », « malade », « à cause du bus »), none of the words that never are one (a lateness,
    a time of day, a length, « comme d'habitude »). The one reader of the words after a
    sentence's day and of the words after a yes to « Noter l'absence … ? » (explorer UA1:
    « oui, exactement », « oui, 20 minutes » were saved as the motive)."""
    said = " ".join(soft_fold(words).split())
    return bool(_A_MOTIVE.match(said)) and not _NOT_A_MOTIVE.search(said)


def without_himself_too(rest: str) -> str:
    """The folded words after the absence without a pronoun said with « aussi » (« vendredi
    lui aussi » → « vendredi », « malade lui aussi » → « malade »): explorer UA4."""
    return _HIMSELF_TOO.sub("", rest)


_SAID_BESIDE = re.compile(
    r"^(?P<day>.*?\S)\s*(?:\((?P<aside>[^()]*)\)"
    r"|(?P<word>\b(?:(?:non|pas)\s+)?(?:in)?justifi[eé]e?s?\b.*))\s*$",
    re.IGNORECASE | re.DOTALL,
)


def said_beside_the_day(rest: str) -> tuple[str, str]:
    """« hier justifié arrêt maladie » → (« hier », « justifié arrêt maladie »), « hier pas
    justifié », « hier (arrêt maladie) » → (« hier », « arrêt maladie »): as typed, the day's
    words and what is said of the absence after them without a comma, read apart as its
    motive and justification are, to be shown apart from the day (explorer BG6: « hier
    justifié arret maladie (lundi …) ? »); ``(rest, "")`` when nothing is."""
    found = _SAID_BESIDE.match(rest)
    if found is None:
        return rest, ""
    return found["day"], (found["aside"] if found["aside"] is not None else found["word"]).strip()
