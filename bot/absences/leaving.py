"""A trainee leaving, said in a sentence outside any conversation: for good (« Joao a abandonné
hier », « Inès a trouvé un CDI, elle arrête lundi »: an exit, noted in the formation), or
before the end of the séance (« Julie est partie à 16 h hier »: noted as the half-day's
absence, its hour the motive).

What tells them apart is an hour, « plus tôt », « en avance » or « avant la fin » in the words
right after the verb, before any comma (explorers HA2, HB2): « Julie quitte la formation à
15 h » leaves early, « Julie quitte la formation vendredi, elle a trouvé un CDI à 35 h » for
good; so is a leaving of the formation whose words say it (« …, il ne reviendra pas », « il
abandonne »: explorer JA5), not one whose hour merely comes after its day (« a quitté la
formation hier à 15h pour un rdv »: explorer JB2).  Both only read: the dialogue says or asks before anything is noted.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot import dates
from bot.absences.arrival import hour_after_the_day
from bot.absences.line import as_typed, day_words, names_a_day_only, read_period, soft_fold
from bot.absences.names_said import NOT_NAMES, looks_like_a_name
from bot.absences.roundabout import but_someone
from bot.absences.sentence import (
    NO_LONGER,
    AbsenceSentence,
    sentence_words,
    without_courtesies,
)
from bot.dates.words import MONTH_WORDS

_THE_FORMATION = (
    r"(?:(?:la|le|sa|son|cette|ce|leur)\s+|l')"
    r"(?:formation|stage|session|dispositif|parcours|cursus|programme)\b"
)
"""The formation however named (« sa formation », « le dispositif »: explorer IA1)."""
_NOTHING_ELSE = r"(?!\s+(?:l'|le|la|les|un|une|son|sa|ses|leur|ce|cette|cet)\b)"
"""No other thing left or given up (« l'exercice », « la salle »: explorer IA1)."""
_LEFT = re.compile(
    r"^(?P<who>.+?)\s+(?:"
    r"(?:a|avait|ont|avaient)\s+(?:abandonnee?s?|arretee?s?|quittee?s?|lache)\b"
    rf"(?:\s+{_THE_FORMATION}|{_NOTHING_ELSE})"
    # Told ahead, as a job is (explorer GF6: « Nadia quitte la formation vendredi, elle a
    # trouvé un CDI » got the general menu); « Julie quitte à 16 h » is a leaving early.
    rf"|(?:quitte|quittent|arrete|arretent|arretera|va\s+quitter|vont\s+quitter|va\s+arreter"
    rf"|vont\s+arreter)"
    rf"\s+{_THE_FORMATION}"
    r"|(?:abandonne|abandonnent|va\s+abandonner|vont\s+abandonner)\b"
    rf"(?:\s+{_THE_FORMATION}|{_NOTHING_ELSE})"
    r")"
)
_HIRED = (
    r"(?:a|ont|vient\s+d'|viennent\s+d')\s*(?:trouve|decroche|signe)\s+(?:un|une|du|son|sa)\s+"
    r"(?:cdi|cdd|emploi|travail|boulot|job|poste|contrat)\b"
)
_STOPS = (
    r"(?:arrete|arretent|arretera|quitte|quittent|quittera|part|partent|partira|finit|termine"
    r"|nous\s+quitte|va\s+(?:arreter|quitter|partir)|vont\s+(?:arreter|quitter|partir))\b"
)
_PRONOUN = r"(?:(?:il|elle|iel)\s+)?"
_HIRED_THEN_STOPS = re.compile(
    rf"^(?P<who>.+?)\s+{_HIRED}[^,;]*?(?:[,;]\s*|\s+)(?:et\s+|donc\s+)?{_PRONOUN}{_STOPS}"
)
"""« Inès a trouvé un CDI, elle arrête lundi »: told ahead, a leaving for good (HB2); typed
without its comma too (« hugo a trouvé un cdi il arrete »: explorer BG16)."""
_STOPS_FOR_A_JOB = re.compile(
    rf"^(?P<who>.+?)\s+{_STOPS}[^,;]*[,;]\s*(?:car\s+|parce\s+qu'\s*)?{_PRONOUN}{_HIRED}"
)
"""« Inès arrête lundi, elle a trouvé un CDI »: the same, the job said after."""


def read_left_sentence(text: str) -> str | None:
    """The name, as typed, of « Joao a abandonné hier », « Zoé a quitté la formation »: a
    trainee who left, which is noted as an exit, not as an absence (explorer Z, Z4)."""
    if len(text) > 300 or "\n" in text.strip():
        return None
    soft = sentence_words(text)
    match = _LEFT.match(soft) or _HIRED_THEN_STOPS.match(soft) or _STOPS_FOR_A_JOB.match(soft)
    if match is None or NO_LONGER.search(match["who"]) or read_early_leaving(text) is not None:
        return None  # « Julie a quitté la formation à 15 h hier »: for the day (HA2, HB2)
    who = match["who"].strip()
    if not looks_like_a_name(who) or any(w in NOT_NAMES for w in who.split()):
        return None
    return as_typed(text, who)


_GONE = (
    r"(?:est|etait|sont|etaient)\s+(?:partie?s?|sortie?s?)|partie?s?"
    r"|(?:a|ont|avait|avaient)\s+(?:du\s+)?(?:quitte|partir|quitter|filer)"
)
_GOING = (
    r"part|partent|partira|partiront|quitte|quittent|quittera|quitteront|arrete|arretent"
    r"|arretera|s'en\s+va|s'en\s+vont|s'en\s+ira"
    r"|(?:va|vont|doit|doivent|devra|devront)\s+(?:partir|quitter|arreter)"
)
_PLACE = (
    r"la\s+formation|le\s+stage|la\s+session|la\s+salle|la\s+classe|le\s+centre|les?\s+cours"
    r"|la\s+seance"
)
_WENT = re.compile(
    rf"^(?P<who>.+?)\s+(?:(?P<gone>{_GONE})|(?P<going>{_GOING}))(?:\s+(?P<place>{_PLACE}))?"
    r"(?P<rest>(?:\s.*)?)$"
)
_EARLY = re.compile(
    r"\b(?P<at>a|vers|des|avant)\s+(?:(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?(?!\d)"
    r"|(?P<noon>midi)\b)"
    r"|\b(?:plus\s+tot|en\s+avance|avant\s+la\s+fin(?:\s+d[eu]\s+(?:la\s+)?"
    r"(?:journee|seance|matinee|cours))?)\b"
)
"""What makes a leaving one for the day: an hour, « plus tôt », « en avance », « avant la
fin » (explorer HA2)."""
_NOT_BACK_FOR = (
    r"(?!\s+(?:de\s+(?:la\s+)?(?:journee|matinee|seance|semaine)|aujourd|demain|hier"
    r"|ce(?!\s+n')|cet|cette|(?:avant|d'ici)(?!\s+la\s+fin)|apres|lundi|mardi|mercredi|jeudi"
    r"|vendredi|samedi|dimanche|le\s+\d|\d|en\s+cours|la\s+semaine)\b)"
)
"""« il ne reviendra pas aujourd'hui / cet après-midi / de la journée »: only that day (JB2);
not « … avant la fin de la formation », « … d'ici la fin », « … ce n'est plus la peine »
(explorer KA7)."""
_STOPS_NOW = rf"(?:il|elle|iel|ils|elles)\s+arrete(?:nt)?(?=\s*(?:[,;.!]|$)|\s+{_THE_FORMATION})"
"""« …, il arrête », « …, elle arrête la formation »: stopping, nothing else said (KA7)."""
_FOR_GOOD = re.compile(
    rf"\b(?:{_HIRED}|{_STOPS_NOW}"
    r"|ne\s+(?:re)?(?:viendra|vient|viendront|viennent)\s+(?:(?:pas|plus)"
    rf"{_NOT_BACK_FOR}|jamais)"
    r"|ne\s+(?:veut|veulent|voudra|voudront)\s+plus|abandon|abandonnee?s?|abandonner"
    r"|demission\w*|sortie\s+definitive|definitivement|pour\s+de\s+bon|pour\s+toujours)\b"
)
"""What says a leaving of the formation is for good (« il ne reviendra pas », « il abandonne »,
« il a trouvé un CDI »): an exit, whatever hour is said (explorer JA5); so are « abandon »,
« il arrête (la formation) », « démission », « sortie définitive », « il ne reviendra jamais »,
« il ne veut plus venir », « ils ne reviendront pas » (explorer KA7: noted as a half-day's
absence); without them, an hour is a leaving early, wherever the day is (« a quitté la
formation hier à 15h pour un rdv »: explorer JB2)."""
_STOPPING = re.compile(r"(?:arrete|arretent|arretera|(?:va|vont)\s+arreter)$")
_COURSE = ("la formation", "le stage")


def _stops_on_a_day(went: re.Match[str], before_hour: str) -> bool:
    """« Karim arrête la formation le 4 décembre à midi »: stopping the formation on a day said
    before the hour is leaving it for good, as « il ne reviendra pas » says (explorer JA5); with
    the hour right after it (« Julie arrête le stage à midi jeudi ») it is the day's leaving
    early, as « quitte la formation à 15 h » is (explorers HA2, JB2)."""
    return (
        bool(_STOPPING.match(went["going"] or ""))
        and went["place"] in _COURSE
        and bool(before_hour.strip())
    )


_WHY = re.compile(r"\s+(?=(?:pour|car|parce\s+qu|a\s+cause\s+d|en\s+raison\s+d)\b)")
_SEVERAL = re.compile(r"\s*(?:,|\bet\b|&|\+)\s*")
_AT_WORDS = {"a": "à", "vers": "vers", "des": "dès", "avant": "avant"}
AFTERNOON_FROM = 12
"""A leaving at noon or after misses the afternoon; before, the half-day is asked."""


def read_early_leaving(text: str, now: datetime | None = None) -> AbsenceSentence | None:
    """« Julie est partie à 16 h hier », « Karim partira plus tôt jeudi »: a leaving before
    the end of the séance, as the absence of the afternoon when its hour is noon or after
    (else of the day, its half asked), the motive « départ à 16 h » (explorer HB2: « Je ne
    suis pas sûr … »). ``future`` when told ahead (« partira », « quitte à 16 h vendredi »),
    answered as « sera absent » is; ``None`` when no hour nor « plus tôt » says so. ``now``
    tells a past date at the end of the reason (« pour un rdv le 20/11 ») from one to come."""
    if len(text) > 300 or "\n" in text.strip():
        return None
    typed = without_courtesies(text.strip())
    soft = sentence_words(typed)
    # « tous là sauf Karim parti à 11h »: his (closing 38); « absent vendredi, parti à 15h »: UA4
    soft = hour_after_the_day(but_someone(soft, typed) or soft)
    match = _WENT.match(soft)
    if match is None or NO_LONGER.search(match["who"]):
        return None
    clause, comma, after = match["rest"].partition(",")
    early = _EARLY.search(clause)
    if early is None:
        return None
    said_hour = early["hour"] is not None or early["noon"] is not None
    if _stops_on_a_day(match, clause[: early.start()]):
        return None  # « arrête la formation le 4 décembre à midi »: stops it, an exit (JA5)
    if re.fullmatch(_THE_FORMATION, match["place"] or "") and _FOR_GOOD.search(f"{clause} {after}"):
        return None  # « a quitté la formation hier à 15h, il ne reviendra pas »: for good (JA5)
    if not said_hour and re.search(rf"\b{_HIRED}", soft):
        return None  # « quitte la formation avant la fin, elle a trouvé un emploi »: for good
    hour = int(early["hour"]) if early["hour"] is not None else 12 if early["noon"] else None
    if hour is not None and (hour > 23 or int(early["minute"] or 0) > 59):
        return None
    day, _, why = _WHY.sub("\n", f"{clause[: early.start()]} {clause[early.end() :]}").partition(
        "\n"
    )
    # « a quitté la session de ce matin à 11h »: the session's day, « ce matin » (KA11).
    day = _OF_A_DAY.sub("", " ".join(day.split()))
    asked = False
    if not day:  # « partie à 16h pour un rdv hier »: the day after the reason (explorer JA6)
        day, why, asked = _day_at_the_end(why, hour, now)
    names = [n for n in _SEVERAL.split(match["who"]) if n]
    if not names_a_day_only(day) or not names:
        return None
    if any(not looks_like_a_name(n) or n.split()[0] in NOT_NAMES for n in names):
        return None
    return AbsenceSentence(
        names=tuple(as_typed(typed, n) for n in names),
        # Unsure whose day it is: none said, so that it is asked (explorer KA1).
        rest="" if asked else _half_day(as_typed(typed, day) if day else "", hour),
        late=False,
        reason=_motive(typed, early, why, after if comma else ""),
        future=match["going"] is not None,
        leaving=True,
    )


_PAST_DAY = re.compile(
    r"(?:avant[- ]?)?hier|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+derniere?"
)
"""Days past for sure, whatever the date: the leaving's when they end its reason."""
_OF = re.compile(r"^(?:de|du|d')\s*", re.IGNORECASE)
_OF_A_DAY = re.compile(r"^(?:de\s+|d')(?=(?:ce|cet|cette|hier|avant-hier|aujourd'?hui)\b)")
"""« de ce matin », « d'hier »: the session's day, said without its « de » (explorer KA11)."""
_EVENING = re.compile(r"\s+soir$", re.IGNORECASE)
_LONGEST_DAY = 5
"""The most words a day at the end of a reason is looked for in (« le jeudi 19 novembre »)."""


def _day_at_the_end(why: str, hour: int | None, now: datetime | None) -> tuple[str, str, bool]:
    """ "pour un rdv hier matin" → ("hier matin", "pour un rdv", False): the day that ends the
    reason, the leaving's when it is past for sure (« hier matin », « avant-hier », « vendredi
    dernier », « le 20/11 », « jeudi 19 novembre »: explorer KA1, they were noted today); one
    that is today or to come is the appointment's and stays in the reason, the leaving today's
    (explorer JB3: « pour un rdv lundi matin », « … demain »). ``True`` last when it may be
    either (« pour un rdv vendredi »: last Friday's or next one's), or when its half-day is not
    the hour's (« partie à 16h pour un rdv hier matin »): the day is asked, never guessed."""
    words = why.split()
    for count in range(min(len(words) - 1, _LONGEST_DAY), 0, -1):
        tail = " ".join(words[-count:])
        if not names_a_day_only(tail):
            continue
        kept = " ".join(words[:-count])
        of = _OF.match(tail)
        day = _EVENING.sub(" après-midi", tail[of.end() :] if of else tail)
        when = _when(tail, now)
        if when == "none":
            continue
        if when == "ahead":
            return "", why, False
        if when == "unsure" or not _half_agrees(day, hour):
            return "", why, True
        # « pour son rdv de vendredi dernier »: the reason kept whole (KA1: « … rdv de ? »)
        return day, why if of else kept, False
    return "", why, False


def _when(tail: str, now: datetime | None) -> str:
    """« past » when the words name a day before ``now``'s for sure, « ahead » when they name
    today or a day to come, « unsure » when they may name either (a weekday alone, « le 3 »:
    last one or next one), « none » when they name no day."""
    rest = read_period(tail)[2].strip()
    if _PAST_DAY.fullmatch(_OF.sub("", rest)):
        return "past"
    if now is None:
        return "none"
    said = day_words(tail, now)
    before = dates.understand(said, now, "past") if said else None
    if before is None or not before.has_date:
        return "unsure" if re.search(r"\bderniere?s?\b|\bpassee?s?\b", rest) else "none"
    after = dates.understand(said, now, "future")
    past, today = before.when.date(), now.date()
    ahead = after.when.date() if after is not None and after.has_date else past
    if past >= today:
        return "ahead"
    if ahead == past:
        return "past"
    if re.search(r"\d+/\d+", rest) or any(w in MONTH_WORDS for w in rest.split()):
        # « le 20/11 »: this year's, three days ago, or next year's: the nearest (KA1)
        return "past" if today - past <= ahead - today else "ahead"
    return "unsure"


def _half_agrees(day: str, hour: int | None) -> bool:
    """Whether the half-day said (« hier matin ») is the one the hour falls in: a leaving at
    16 h « pour un rdv hier matin » is not that morning's (explorer JB3)."""
    period = read_period(day)[0]
    if hour is None or period not in ("matin", "apres_midi"):
        return True
    return (period == "matin") == (hour < AFTERNOON_FROM)


def _half_day(day: str, hour: int | None) -> str:
    """The day's words with the afternoon a leaving at noon or after misses: « hier » →
    « hier après-midi », nothing or « aujourd'hui » → « cet après-midi »; a half-day typed
    stays."""
    if read_period(day)[0] is not None or hour is None or hour < AFTERNOON_FROM:
        return day or "aujourd'hui"
    today = not day or re.fullmatch(r"aujourd'?\s*hui", soft_fold(day).strip())
    return "cet après-midi" if today else f"{day} après-midi"


def _motive(typed: str, early: re.Match[str], why: str, after: str) -> str:
    """« départ à 16 h », « départ vers 15 h 30 pour un rdv médical », « départ avant la fin de
    la séance, rdv France Travail »: the absence's motive, the words after the hour as typed."""
    if early["noon"]:
        said = f"départ {_AT_WORDS[early['at']]} midi"
    elif early["hour"] is not None:
        minute = f" {early['minute']}" if early["minute"] and early["minute"] != "00" else ""
        said = f"départ {_AT_WORDS[early['at']]} {int(early['hour'])} h{minute}"
    else:
        said = "départ avant la fin de la séance"
    why = as_typed(typed, why.strip()) if why.strip() else ""
    after = as_typed(typed, after.strip(" .;")) if after.strip(" .;") else ""
    return ", ".join(w for w in (f"{said} {why}".strip(), after) if w)
