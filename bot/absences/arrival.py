"""The hour a late arrival was at, in a sentence (« Léa est arrivée à 10h20 », « Léa en retard
ce matin, arrivée à 10h20 »): taken out of the sentence, its day kept, the half-day it says
added; after an absence (« Karim absent le matin, arrivé vers 13h30 hier ») the arrival is the
absence's motive and its day the absence's.  Read for :mod:`bot.absences.sentence`.
"""

from __future__ import annotations

import re

from bot.absences.line import names_a_day_only, read_period, soft_fold

_HOUR = r"(?P<hour>\d{1,2})\s*(?:h|:)(?:\s*(?P<minute>\d{2}))?(?!\d)"
"""« 10h », « 10 h 20 », « 10:20 »; the blank after a bare « 10h » is no part of it (explorer
JA4: « hierpour cause de bus », « leaen »)."""
_ARRIVED = re.compile(
    rf"(?P<comma>\s*,\s*|\s+)(?:(?:il|elle)\s+)?(?:est\s+|etait\s+|sont\s+)?arrivee?s?\s+"
    rf"(?P<between>(?:[\w'/-]+\s+){{0,4}}?)(?:(?P<at>a|vers)\s+)?{_HOUR}"
)
"""« …, arrivée à 10h20 »: when, not why (explorer HB1: it was kept as the motive); the day
may come before the hour (« arrivée hier à 10h20 »: explorer JA8), « à » may be left out
(« Karim arrivé 10h15 (bus) »: brief PC), not before a length (« arrivée 1h en retard »)."""
_LATE_FIRST = re.compile(r"^(?:en|avec(?:\s+du)?)\s+retard\b\s*")
"""« arrivé en retard à 10h »: the hour is the arrival's, as « arrivé à 10h » (brief PC)."""
_A_LENGTH_NEXT = re.compile(r"\s*(?:de|en|d')\s*(?:retard|avance|plus|moins)\b")
_OTHER_KIND = re.compile(
    r"\b(?:absente?s?|abs|malades?|pas\s+(?:venue?s?|la|pu\s+venir)|retard|(?:re)?partie?s?"
    r"|(?:re)?sortie?s?|quitte\w*|(?:re)?partir|(?:re)?sortir)\b"
)
"""What makes a sentence more than an arrival (explorer JA13, JA8; KA10: « arrivée à 10h pour
repartir à 11h » is a leaving too, not a late arrival of the day « pour repartir à 11h »)."""


_SAYS_A_DAY = re.compile(
    r"\d+(?:er)?(?:[/.-]\d+)*|(?:avant-)?hier|aujourd|hui|demain|matin|midi|apres-?midi|aprem|soir|journee"
    r"|semaine|derniere?s?|prochaine?s?|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
)
"""A word a day's words may end with: « le 3 décembre », « 20/11 », « cet après-midi »
(explorer JB1: « … à 10h le 3 décembre » stopped at « le 3 »)."""
_A_MOTIVE = re.compile(
    r"(?:\(|(?:a|pour)\s+cause\s+d|car\b|pour\b|parce\s+qu|en\s+raison\s+d|suite\s+a\b"
    r"|en\s+\w+$)"
)
"""What the words after an arrival's day start with when they are its motive: « à cause du
bus », « car malade », « (bus) », « en bus » (explorer JB1)."""
_A_DAY_S_MOTIVE = re.compile(
    r"en\s+(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre"
    r"|decembre)\b|.*\b(?:matin|matinee|apres-?midi|aprem|soir|midi)\b"
)
_PAST_LAST = re.compile(
    r"\s+(?P<day>(?:avant-)?hier|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
    r"\s+derniere?)$"
)
"""A day past for sure ending the motive: the arrival's (« … pour cause de grève hier »), as
it is a leaving's (explorer KA1); any other day there is the motive's (KA10)."""
"""A motive that may be the day's words (« en novembre », « pour la séance de l'après-midi »):
read as before, the day asked when it is not one (explorer KA10)."""


def _day_first(words: str) -> tuple[str, str]:
    """ "hier en retard" → ("hier", "en retard"): the day words that start ``words``, up to a
    word that says a day (« au lieu de 13h30 » starts with none)."""
    said = words.split()
    for count in range(len(said), 0, -1):
        head = " ".join(said[:count])
        if _SAYS_A_DAY.fullmatch(said[count - 1]) and names_a_day_only(head):
            return head, " ".join(said[count:])
    return "", " ".join(said)


def arrival_apart(line: str) -> tuple[str, int | None]:
    """The sentence without the hour a late arrival was at, and that hour: « léa en retard ce
    matin, arrivee a 10h20 » → (« léa en retard ce matin », 10); « léa est arrivee a 10h20 »
    alone is that late arrival (explorer HB1: « Je ne suis pas sûr … »). No hour a half-day
    starts at is known: its minutes are asked, as for « Léa en retard ce matin ».

    Only a sentence with no other kind word is an arrival alone: « Karim absent hier matin,
    il est arrivé à 14h » stays the morning's absence (explorer JA13); and the words after the
    hour are its day only when they name a day (explorer JA8: « et reparti à 16h »), its
    motive when they say why (explorer JB1: « à 9h30 ce matin à cause du bus », « car
    malade »)."""
    arrived = _ARRIVED.search(line)
    if arrived is None or int(arrived["hour"]) > 23 or int(arrived["minute"] or 0) > 59:
        return line, None
    before, after = line[: arrived.start()], line[arrived.end() :]
    if arrived["at"] is None and (int(arrived["hour"]) < 6 or _A_LENGTH_NEXT.match(after)):
        return line, None  # « arrivée 1h en retard », « arrivé 2h après »: a length
    late_said = _LATE_FIRST.match(arrived["between"])
    between = arrived["between"][late_said.end() if late_said else 0 :].strip()
    if between and not _names_a_day(between):  # « arrivée avec le bus à 10h »: as typed
        return line, None
    clause, comma, further = after.partition(",")
    day, besides = _day_first(clause)
    day = f"{between} {day}".strip()  # « arrivée hier à 10h20 » as « à 10h20 hier » (JA8)
    # « car bus en retard »: the motive's « retard », not the sentence's (brief PC: « karim
    # car bus » was taken for a name); « arrivé en retard à 10h » is read as « arrivé à 10h ».
    why = bool(_A_MOTIVE.match(besides)) and not re.match(r"en\s+retard\b", besides)
    late = "retard" in f"{before} {'' if why else besides} {further}"
    if not late:
        if day and arrived["comma"].strip() and _ABSENCE_SAID.search(before):
            return _absence_s_day(before, day, line[arrived.start() : arrived.end()], after), None
        motive_told = re.sub(r"\bmalades?\b", "", after)  # « car malade »: why (JB1)
        if why:  # « car bus en retard »: why, not another kind (brief PC)
            motive_told = re.sub(r"\bretard\b", "", motive_told)
        if _OTHER_KIND.search(f"{before} {motive_told}") or (
            besides and not _A_MOTIVE.match(besides)
        ):
            return line, None
        # The motive after a comma, as typed after one: its words are no day (explorer KA10:
        # « pour le rattrapage de jeudi » was read as the day, « (bus) » glued to it: KA3).
        if _A_DAY_S_MOTIVE.match(besides):  # « arrivée à 10h30 en novembre »: the day asked
            said = f"{before} en retard {day} {besides}{comma} {further}"
        else:  # no day typed is today's, whatever day the motive names (« … de jeudi »)
            past = _PAST_LAST.search(besides) if not day else None
            if past is not None:  # « pour cause de grève hier »: yesterday's, as a leaving's
                day, besides = past["day"], besides[: past.start()].strip()
            today = with_half_of("", int(arrived["hour"])) if besides else ""
            said = f"{before} en retard {day or today}"
            said += f"{', ' if besides else ''}{besides}{comma} {further}"
    elif arrived["comma"].strip():  # « léa en retard hier, arrivée à 10h pour cause de bus »
        said = f"{before} {day}{', ' if besides else ''}{besides}{comma} {further}"
    else:  # « karim arrivé à 10h hier en retard »
        said = f"{before} {besides} {day}{comma} {further}"
    return re.sub(r"\s+,", ",", " ".join(said.split())).strip(" ,"), int(arrived["hour"])


_HOUR_AFTER_THE_DAY = re.compile(
    r"^(?P<who>.+?)\s+(?:(?:est|etait)\s+)?(?:absente?|abs)\s+(?P<day>[^,]+?)\s*,\s*"
    r"(?:(?:il|elle)\s+)?(?:(?:est|etait)\s+)?(?:(?P<came>arrivee?)|(?P<went>partie?|sortie?))"
    r"\s+(?P<at>(?:a|vers)\s+\d{1,2}\s*(?:h|:)\s*(?:\d{2})?)$"
)


def hour_after_the_day(line: str) -> str:
    """« karim absent vendredi, arrive a 11h » → « karim en retard vendredi, arrive a 11h »,
    « karim absent vendredi, parti a 15h » → « karim est parti a 15h vendredi »: an arrival or
    a departure hour after a day whose half is not said is a late arrival or a leaving, read
    as when said so (explorer UA4: a full-day absence was saved, its motive « arrivé à 11h »);
    an arrival at or after midday is the morning's absence (« karim absent vendredi matin,
    arrive a 13h30 »: explorer XA2, it was an afternoon retard). After a half-day (« absent le matin, arrivé à 13h30 ») the hour stays the motive (JA13)."""
    found = _HOUR_AFTER_THE_DAY.match(line)
    if found is None or not names_a_day_only(found["day"]) or read_period(found["day"])[0]:
        return line
    who, day, at = found["who"], found["day"], found["at"]
    if found["came"] and int(re.findall(r"\d+", at)[0]) >= 12:
        # Arrived after lunch: the morning missed, its absence, the arrival said with it as
        # after « absent hier matin » (explorer XA2: a lone afternoon retard, JA13).
        return f"{line[: found.end('day')]} matin{line[found.end('day') :]}"
    if found["came"]:
        return f"{who} en retard {day}, {found['came']} {at}"
    return f"{who} est {found['went']} {at} {day}"


def _names_a_day(words: str) -> bool:
    """« hier », « ce matin », « le 3 décembre »: day words only, one of them a day's."""
    return names_a_day_only(words) and any(_SAYS_A_DAY.fullmatch(w) for w in words.split())


_ABSENCE_SAID = re.compile(r"\b(?:absente?s?|abs|pas\s+(?:venue?s?|la|pu\s+venir))\b")
_HALF_LAST = re.compile(r"\s+(?:(?:le|dans\s+la)\s+|l')?(?P<half>matin|apres-midi|aprem)$")


def _absence_s_day(before: str, day: str, arrival: str, after: str) -> str:
    """« karim absent le matin, arrive vers 13h30 hier » → « karim absent hier matin, arrive
    vers 13h30 »: the day after the arrival hour is the absence's, when the absence names none
    (explorer JA13: it was offered for today, or as « le matin en retard »); the arrival stays
    its motive, with its day when more follows (« …, il avait un rdv »), so that it reads as
    typed. An absence with its own day, or more than a day after the hour, stays as typed."""
    clause, _, tail = after.partition(",")
    if _day_first(clause)[1] or any(
        _SAYS_A_DAY.fullmatch(w) and w not in _HALF_WORDS for w in before.split()
    ):
        return f"{before}{arrival}{after}"
    half = _HALF_LAST.search(before)
    # The half-day moved reads as it is written (« après-midi »), not as typed: it moved.
    said = (
        f"{before[: half.start()]} {day} {_HALF_WRITTEN.get(half['half'], half['half'])}"
        if half
        else f"{before} {day}"
    )
    told = arrival.strip(" ,")
    if tail.strip() or not clause.strip():  # the day before the hour, or more after it
        told = f"{told}{after}"
    return " ".join(f"{said}, {told}".split())


_HALF_WRITTEN = {"apres-midi": "après-midi", "aprem": "après-midi"}
_HALF_WORDS = frozenset({"matin", "midi", "apres-midi", "aprem", "soir", "journee"})


def with_half_of(rest: str, hour: int | None) -> str:
    """A late arrival's day with the half-day its arrival hour says, when none was typed:
    « hier » → « hier matin », nothing → « ce matin » (« cet après-midi » from noon)."""
    if hour is None or hour > 23 or read_period(rest)[0] is not None:
        return rest
    morning = hour < 12
    if not rest or re.fullmatch(r"aujourd'?\s*hui", soft_fold(rest).strip()):
        return "ce matin" if morning else "cet après-midi"
    return f"{rest} {'matin' if morning else 'après-midi'}"
