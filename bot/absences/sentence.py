"""A sentence typed outside any conversation that reports an absence: "Karim absent hier matin".

Trainers write to the bot the way they would write to a colleague.  When a
line names someone and says "absent", "absente", "en retard" (or starts
with "absence de …", "retard de …"), :func:`read_absence_sentence` returns
what ``/absence`` would have been given after the command, so the one-line
form (:mod:`bot.absences.line`) reads the name, the date and the period the
same way.  Several names ("Karim et Julie absents hier") are recognised as
such: they are logged together, with one confirmation.  It only reads: the
dialogue asks before starting anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.absences.after_day import day_then_words, other_half_too, without_himself_too
from bot.absences.arrival import arrival_apart, hour_after_the_day, with_half_of
from bot.absences.lengths import length_ending_days, spoken_lengths
from bot.absences.line import (
    as_typed,
    day_words_only,
    late_minutes_of,
    leading_late_minutes,
    names_a_day_only,
    soft_fold,
    trailing_words,
    weekday_lists,
)
from bot.absences.names_said import NOT_NAMES, looks_like_a_name
from bot.absences.roundabout import name_after_day, plainly, someone_after_day, told_of_someone
from bot.typos import GREETINGS, SIGN_OFFS

_AMOUNT = r"(?:\d{1,5}\s*(?:minutes?|min|mn)|\d{1,2}\s*h(?:eures?)?(?:\s*\d{1,2})?)"
_ABSENT = (
    # « en retard », « retard », « 20 min de retard », « 1h de retard » (explorer I: only
    # « en retard » was read as a sentence).
    rf"(?:absente?s?|(?:en\s+|du\s+|(?P<amount>{_AMOUNT})\s+de\s+|(?P<ahead>{_AMOUNT})\s+en\s+)?retard"
    # What a trainer in a hurry types: « abs », a slip (« absnt », « abscent », « absant »),
    # « pas venue », « n'est pas venu », « ne sont pas venus », « pas là ».
    r"|abs|abs?c?[ae]?nte?s?|(?:n'est\s+|ne\s+sont\s+|n'etait\s+|n'etaient\s+)?pas\s+(?:venue?s?|la)"
    # « Karim n'avait pas été là hier » (explorer CB7: « Je ne suis pas sûr … »).
    r"|n'(?:a|ont|avait|avaient)\s+pas\s+ete\s+la"
    # « Julie n'a pas pu venir hier », the most common way to say it (explorer EA15).
    r"|(?:n'(?:a|ont|avait|avaient)\s+)?pas\s+pu\s+venir"
    # « Karim a manqué hier »: an absence (explorer CB8), not « a manqué le bus hier ».
    r"|manquee?s?(?=$|\s*,|\s+(?:hier|avant-hier|aujourd|ce\s|cet\s|cette\s|lundi|mardi"
    r"|mercredi|jeudi|vendredi|samedi|dimanche|le\s+\d|du\s+\d|toute|depuis))"
    # « Zoé était malade vendredi »: an absence, its motive said (explorer Z, Z4).
    r"|(?P<ill>malades?))"
)
_VERB = (
    r"(?:(?:est|etait|sont|etaient|a\s+ete|ont\s+ete|avaient\s+ete|avait\s+ete|a\s+eu|avait|a"
    r"|ont\s+eu|avaient|ont"  # « Karim avait été absent hier » (explorer BB14: read as a name)
    r"|aurait\s+ete|auraient\s+ete"  # « Karim aurait été absent hier », as heard (CB7)
    # « Julie sera en retard demain » (refused after as to come, the name known: explorer
    # L); « Julie n'a eu que 5 min de retard » (« ne … que » says how much, not « no »).
    # The future is the verb's own, not a word further on (explorer N: « Karim absent
    # hier, sera rattrapé » is yesterday's absence).
    r"|(?P<future>sera|seront|va\s+etre|vont\s+etre|arrivera|arriveront))\s+"
    r"|n'(?:a|avait|ont|avaient)\s+(?:eu\s+)?qu(?:e\s+|'))?"
    # « Julie est arrivée avec 15 min de retard », « a eu 15 min de retard » (explorer I:
    # « Julie a eu » was taken for a name).
    r"(?:(?:encore|deja|de\s+nouveau)\s+)?(?:arrivee?s?\s+)?(?:avec\s+)?"
)
_DENIED = re.compile(r"\b(?:pas|jamais|sans\s+retard|aucun\s+retard)\b")
"""« Julie n'est pas arrivée en retard », « non pas du tout »: no late arrival said (explorer L:
the negation was taken for a name, and Julie offered for a retard).  Its words, not « n' »,
which begins names (« Aminata N'Diaye en retard »)."""
NO_LONGER = re.compile(r"\bn'(?:est|etait|a)\s+plus\b|\bne\s+sont\s+plus\b")
"""« Julie n'est plus en retard », « Karim n'est plus absent »: nothing to note."""
_ON_TIME = re.compile(
    r"\b(?:est|etait|sont|etaient|arrivee?s?)\s+(?:a\s+l'heure|presente?s?|la)\b|\ba\s+l'heure\b"
)
"""« Julie était à l'heure, Karim en retard »: Julie is no one to note (explorer L)."""
_CORRECTION = re.compile(r"(?:^|,)\s*non\b(?!\s+justifi)|\ben\s+fait\b")
"""« hier, non en fait c'était Karim »: the sentence corrects itself; not read (explorer L:
its words were shown back as the day, the first name kept)."""
_CAUSE = re.compile(
    r"(?:,\s*|\s)(?P<cause>(?:a\s+cause\s+d(?:e|u|es|')|car|parce\s+qu(?:e|')|en\s+raison\s+d(?:e|u|es|')"
    r"|suite\s+a(?:ux?)?)\b.*)$"
)
"""« … hier à cause du bus »: the reason, kept as the answer to « Un motif connu ? »."""
_CONNECTOR = re.compile(r"^(?:car|parce\s+qu(?:e|'))\s*")
"""Left out of the reason (« car malade » → « malade »); « à cause du bus » reads as one."""
_AFTER_NAME = re.compile(
    rf"^(?P<who>.+?)\s+{_VERB}(?P<what>{_ABSENT})(?P<rest>(?:\s.*|,(?![^,]*\d).*)?)$"
)
"""Who, what, then the day and the motive; a comma right after what is said when a motive
with no figure follows (« Léa en retard, elle était malade », « Léa est arrivée à 10h,
malade »: explorer JB1, the words were read as a name « Léa en retard » or not at all); a
length or an hour there (« , 20 min », « , au lieu de 9h ») is not read as one."""
_LABEL_FIRST = re.compile(
    r"^(?:en\s+)?(?P<what>retards?|absente?s?|abs)\b(?P<rest>[^:]*?)\s*:\s*(?P<who>[^:]+)$"
)
"""What, when, then who after a colon, as a list is written in a chat: « En retard ce matin :
Karim », « Absents hier : Karim, Léa » (explorer DA6: an absence to suggest)."""
_NOBODY = re.compile(
    r"(?:aucune?|personne|neant|ras|r\.a\.s|rien|0|zero|pas\s+d'absente?s?|pas\s+de\s+retards?)"
    r"(?:\s+(?:absente?s?|d'absente?s?|en\s+retard|retard))?"
)
"""« Absents ce matin : aucun », « néant », « RAS », « pas d'absent »: nobody to note
(explorer EA8: « Je ne trouve pas « aucun » parmi vos stagiaires »)."""
_NOBODY_FIRST = re.compile(
    r"^(?:aucune?\s+|pas\s+d'\s*|pas\s+de\s+|personne\s+d'\s*|personne\s+(?=en\s))"
    r"(?P<what>absente?s?|(?:en\s+)?retards?)\b(?P<rest>.*)$"
)
"""« Aucun absent aujourd'hui », « Pas de retard ce matin », « Personne en retard »."""
_ASKING = re.compile(r"\?|\b(?:que|quoi|comment|pourquoi|quand|combien|faire|faut)\b")


def _label_first(line: str) -> re.Match[str] | None:
    """:data:`_LABEL_FIRST`, when what comes before the colon names a day only and what comes
    after names people: « Retard de Julie ce matin : bus » is Julie's, its motive after the
    colon, « Retard : que faire ? » a question (explorer DF2, DF8)."""
    match = _LABEL_FIRST.match(line)
    if match is None or not names_a_day_only(match["rest"]) or _ASKING.search(match["who"]):
        return None
    if any(w in NOT_NAMES for w in match["who"].split()):
        return None
    return match


_BEFORE_NAME = re.compile(
    r"^(?P<what>absence|absent|absente|abs|retard)\s+(?:(?:de|du)\s+|d')?(?P<who>.+)$"
)
_NAMED_AFTER = re.compile(r"(?:absence|retard)\s+(?:de|du|d')")
"""What a sentence starting « Absence de … » says before a word such as « malade »: no
name, the name after it (explorer EA8: the example given was not read)."""
_SEVERAL = re.compile(r"\s*(?:,|\bet\b|&|\+)\s*")


@dataclass(frozen=True)
class AbsenceSentence:
    """What the sentence says, in the words ``/absence`` takes after the command."""

    names: tuple[str, ...]
    """The names as typed (:func:`~bot.absences.line.as_typed`), one per person mentioned."""
    rest: str
    """The date and period words, as typed: "hier matin"."""
    late: bool
    minutes: int | None = None
    """Of a late arrival, when said ("en retard de 20 min")."""
    reason: str | None = None
    """What follows « à cause de », « car », « parce que », as typed."""
    future: bool = False
    """Said to come (« sera », « arrivera »): refused, its day read ahead."""
    nobody: bool = False
    """« Absents ce matin : aucun », « Aucun absent aujourd'hui »: nobody to note, said so
    (explorer EA8); ``names`` is empty."""
    labelled: bool = False
    """Written as a list in a chat, what first, then who after a colon (« Absents aujourd'hui :
    Karim malade, Léa rdv »): a name's words may say something of the person (EA8)."""
    leaving: bool = False
    """A leaving before the end of the séance (« Julie est partie à 16 h hier »), read by
    :func:`bot.absences.leaving.read_early_leaving`: noted as the half-day's absence, its hour
    the motive (explorer HB2)."""
    several: bool = False
    """Several people announced unnamed (« un absent et un retard », « deux absents »): nobody
    picked, who asked (explorer SA6)."""

    @property
    def line(self) -> str:
        """The one-line form for a single person: "karim hier matin" (plus "retard")."""
        late = (f"retard de {self.minutes} min" if self.minutes else "retard") if self.late else ""
        words = [self.names[0], late, self.rest]
        return " ".join(w for w in words if w)


_NO_APOSTROPHE = re.compile(r"\b([nj])\s+(est|etait|a|ai|ont|sont|etaient|vient|viendra)\b")
"""« hugo n est pas venu », typed without its apostrophe on a phone (explorer DG15)."""


def sentence_words(text: str) -> str:
    """``text`` as the readers read it: folded, its lengths in figures, « n est » as « n'est »."""
    folded = weekday_lists(_NO_APOSTROPHE.sub(r"\1'\2", spoken_lengths(soft_fold(text))))
    return " ".join(folded.strip(" .!?;").split())


_GREETING = re.compile(rf"(?i)^(?:{'|'.join(GREETINGS)})\b[\s,.!:;-]*")
_ADDRESSED = re.compile(
    rf"(?i)^(?:{'|'.join(GREETINGS)})\s+(?P<to>[^,.!:;]{{1,30}}?)\s*[,.!:;]+\s*"
)
"""« Bonjour Camille, … », « Bonjour à tous, … »: the greeting and whom it greets, up to its
punctuation (explorer AZ14: « Je ne trouve pas « Camille » parmi vos stagiaires »)."""
_NAMES_AN_ABSENCE = re.compile(r"\b(?:absente?s?|abs|retard|pas|malades?|venue?s?)\b")
_TO_LATER = "|".join(w for w in SIGN_OFFS if w.startswith("a "))
_THANKS = "|".join(w for w in SIGN_OFFS if w[:2] != "a ")
_SIGNED_OFF = re.compile(
    rf"(?:[\s,.;!-]*\b(?:(?:tres|et)\s+)?(?:{_THANKS})"
    # « à demain » after a stop or another sign-off only (« merci et à demain »: DF1), never
    # after days: « jusqu'à demain », « de lundi à demain » are days (explorer DA1).
    rf"(?:[\s,.;!-]+(?:et\s+)?(?:{_TO_LATER}))?"
    rf"|\s*[,.;!-][\s,.;!-]*(?:{_TO_LATER}))(?:\s+a\s+(?:vous|tous|toutes|toi))?"
    # Signed with a first name after a comma (« Cordialement, Camille »: explorer DA7).
    r"(?:\s*,\s*[a-z][a-z-]{1,20})?[\s.!]*$"
)
_PICTURES_AT_END = re.compile(r"[\s\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+$")
"""« Karim absent hier 👍 »: the sign is no part of the day nor of the motive (DA7)."""
_NO_SUBJECT = re.compile(
    r"^(?:est\s+|etait\s+|sont\s+|a\s+ete\s+|n'est\s+|ne\s+sont\s+)?(?:absente?s?\b|abs\b"
    r"|en\s+retard|retard\b|pas\s+venue?s?|pas\s+la\b|malades?\b|\d)"
)
"""What follows a greeting that names nobody (« absent hier », « en retard »): the person
greeted is then the subject (« Bonjour Julie, en retard ce matin »: explorer CA2, CA3)."""
_NOBODY_GREETED = re.compile(
    r"(?:a\s+)?(?:tous|toutes|tout\s+le\s+monde|monsieur|madame|mademoiselle|mme|mr|m\.?"
    r"|formabot|l'equipe|la\s+team|les\s+collegues|vous|toi)"
)
"""Whom a greeting addresses that is never a trainee (explorer CB4, CB12)."""


def _greeted_apart(to: str, after: str) -> bool:
    """Whether whom a greeting addresses is no subject of what follows: never a trainee
    (« Monsieur », « à tous »), or a name before another subject (« Bonjour Camille, Karim
    absent »); not « Bonjour Julie, en retard ce matin », which is Julie's."""
    if _NAMES_AN_ABSENCE.search(soft_fold(to)):
        return False
    return bool(_NOBODY_GREETED.fullmatch(sentence_words(to))) or not _NO_SUBJECT.match(
        sentence_words(after)
    )


_LEAD_IN = re.compile(
    r"(?i)^(?:(?:pour\s+(?:info(?:rmation)?|ton\s+info|votre\s+info(?:rmation)?)"
    r"|petite?\s+info|(?:je\s+(?:te|vous)\s+)?signale\s+que|[aà]\s+noter)(?!\w)"
    r"|(?:(?:merci\s+de|peux[\s-]*tu|pouvez[\s-]*vous|tu\s+peux|vous\s+pouvez|peut[\s-]*on"
    r"|il\s+faut)\s+)?not(?:er|ez|e)(?!\w)(?:\s+que(?!\w)|\s+qu['’]|\s+(?=l['’]|une?\s))?)"
    r"[\s:,!.-]*"
)
"""« Pour info, », « Note que », « Peux-tu noter que », « Merci de noter l'absence de »:
what a trainer writes to an assistant before the absence (explorer EF12: « Je ne trouve pas
« Pour info » parmi vos stagiaires »)."""
_ARTICLE = re.compile(r"(?i)^(?:l['’]\s*|une?\s+)(?=(?:absence|retard)\b)")


def without_courtesies(text: str) -> str:
    """The sentence without its greeting (« Bonjour, », « Bonjour Camille, »), its lead-in
    (« Pour info, », « Merci de noter l'absence de … ») and its sign-off (« , merci »,
    « bonne journée ! »), which name no one and no day."""
    addressed = _ADDRESSED.match(text)
    if addressed is not None and _greeted_apart(addressed["to"], text[addressed.end() :]):
        text = text[addressed.end() :]
    text = _GREETING.sub("", text) or text
    led = _LEAD_IN.match(text)
    if led is not None and led.end() < len(text):
        text = _ARTICLE.sub("", text[led.end() :]) or text
    text = _PICTURES_AT_END.sub("", text) or text
    while (signed := _SIGNED_OFF.search(folded := soft_fold(text))) and signed.start() > 0:
        if len(folded) != len(text):  # a letter folded into two: left as typed
            break
        text = text[: signed.start()]
    return text


def read_absence_sentence(text: str) -> AbsenceSentence | None:
    """The absence a free sentence reports, or ``None`` when it does not report one."""
    if len(text) > 300 or "\n" in text.strip():
        return None
    # « Bonjour, Karim absent aujourd'hui »: the greeting is no name (explorer AY11).
    text = without_courtesies(text.strip())
    if told_of_someone(sentence_words(text)) is not None:
        return None  # someone unnamed: :func:`read_unnamed_absence` (explorer UA6)
    hour_told = hour_after_the_day(plainly(sentence_words(text), text))  # « …, parti à 15h »: UA4
    line, arrived = arrival_apart(hour_told)  # « … a prévenu qu'… »: QB13
    nobody = _nobody(line)
    if nobody is not None:
        return nobody
    match = _label_first(line) or _AFTER_NAME.match(line)
    if match is not None and _NAMED_AFTER.match(match["who"]):
        match = None  # « Absence de Karim hier, malade »: Karim's, « malade » its motive
    if match is not None:
        who, what, rest = match["who"], match["what"], match["rest"]
    else:
        match = _BEFORE_NAME.match(line)
        if match is None:
            return None
        what = match["what"]
        who, rest = _split_name(match["who"])
    if NO_LONGER.search(line) or _CORRECTION.search(rest):
        return None
    rest = other_half_too(without_himself_too(rest))  # « lui aussi »: UA4; XA7
    said = [n for n in _SEVERAL.split(who) if n]
    names = tuple(n for n in said if not _ON_TIME.search(n))
    if not names or any(not looks_like_a_name(n) for n in names):
        return None
    reason = None
    cause = None if "justifi" in rest else _CAUSE.search(rest)  # else split_reason's
    if cause is not None:
        reason = as_typed(text, _CONNECTOR.sub("", cause["cause"])) or None
        rest = rest[: cause.start()]
    if match.groupdict().get("ill"):
        # « malade vendredi, elle a un arrêt »: the day before the comma, the motive said.
        rest, _, besides = rest.partition(",")
        reason = reason or ("arrêt maladie" if "arret" in besides else "malade")
    elif cause is None and "justifi" not in rest:
        rest, motive = _said_of_the_day(rest, late="retard" in what)
        if not motive:  # « hier pour maladie »: the day, then its motive (explorer KA11)
            rest, motive = day_then_words(rest)
        reason = as_typed(text, motive) if motive else None
    if what == "retard" and any(w in NOT_NAMES for n in names for w in n.split()):
        return None  # « comment je note un retard ? » asks, names no one
    if what.endswith("pas la") and rest.strip() and not _DATE_START.match(f" {rest.strip()}"):
        return None  # « Karim pas la peine »: « pas là » says an absence only before a day
    late = "retard" in what
    if late and _DENIED.search(line):
        return None
    minutes = None
    amount = match.groupdict().get("amount") or match.groupdict().get("ahead")
    if late and amount:
        minutes = late_minutes_of(amount)
        if minutes == 0:
            return None  # « 0 min de retard » says no late arrival (explorer L)
    elif late:
        minutes, rest = leading_late_minutes(rest.strip(), right_after=not rest.startswith(","))
        if minutes is None:  # « lundi et mardi, 10 minutes », « … de 1h15 »: EA12, ZA6
            minutes, rest = length_ending_days(rest)
    return AbsenceSentence(
        names=tuple(as_typed(text, name) for name in names),
        rest=with_half_of(_rest_typed(text, rest), arrived)
        if late
        else _today_s_hour(_rest_typed(text, rest)),
        late=late,
        minutes=minutes,
        reason=reason,
        future=bool(match.groupdict().get("future")),
        labelled=match.re is _LABEL_FIRST,
    )


def _rest_typed(text: str, rest: str) -> str:
    """:func:`as_typed` of the words after what was said, a comma first kept (« Karim absent,
    Léa en retard »: « Léa », as typed, in the words that name another person)."""
    if not rest.lstrip().startswith(","):
        return as_typed(text, rest)
    return f", {as_typed(text, rest.lstrip(' ,'))}"


_FROM_AN_HOUR = re.compile(
    r"(?:a\s+partir\s+d(?:e\s+|')|des\s+|depuis\s+)(?:\d{1,2}\s*(?:h|:)\s*(?:\d{2})?|midi)"
)


def _today_s_hour(rest: str) -> str:
    """« à partir de 14h » → « aujourd'hui à partir de 14h »: an hour said with no day is
    today's (explorer KA9: typed at 11 h, it was read as the last time it struck, yesterday's,
    as a leaving's hour never was)."""
    head = rest.partition(",")[0]
    if not _FROM_AN_HOUR.fullmatch(soft_fold(head).strip()):
        return rest
    return f"aujourd'hui {rest.strip()}"


def _nobody(line: str) -> AbsenceSentence | None:
    """« Absents ce matin : aucun », « Retards : néant », « Aucun absent aujourd'hui », « Pas
    d'absent ce matin »: nobody to note (explorer EA8), or ``None``."""
    match = _LABEL_FIRST.match(line)
    if match is None or not _NOBODY.fullmatch(match["who"].strip(" .!")):
        match = _NOBODY_FIRST.match(line)
    if match is None or not names_a_day_only(match["rest"]):
        return None
    return AbsenceSentence(
        names=(), rest=match["rest"].strip(), late="retard" in match["what"], nobody=True
    )


_LENGTH_ALONE = re.compile(rf"(?:de\s+)?{_AMOUNT}")
"""A retard's length said after its comma: the retard's, not a motive."""
_ROUGHLY = re.compile(r"\b(?:environ|a\s+peu\s+pres|pres\s+de|presque|bien)\b|~")


def length_of(part: str) -> str | None:
    """``part`` as « 20 min » when it says a retard's length alone, roughly or in words
    (« environ 20 min », « un quart d'heure »: explorer DA13, the minutes asked again)."""
    said = " ".join(_ROUGHLY.sub(" ", sentence_words(part)).split())
    if _LENGTH_ALONE.fullmatch(said):
        return said
    spoken = spoken_lengths(f"retard de {said}").removeprefix("retard de ")
    return spoken if re.fullmatch(r"\d{1,5} min", spoken) else None


def _said_of_the_day(rest: str, *, late: bool) -> tuple[str, str]:
    """« hier, pas de nouvelles », « hier, mardi il revient »: the day, and the words after
    its comma, its motive (explorer AY5: « mardi il revient » was a second day off); a comma
    before more days or a half-day (« lundi, mardi et mercredi », « hier, le matin ») stays,
    and so does an absence « malade depuis jeudi », days to read (explorer AY6), not a
    retard's (explorer AZ2: « en retard aujourd'hui, malade depuis jeudi » was Thursday's)."""
    parts = rest.split(",")
    days = 1  # the first part is the day; the next ones too while they name days alone
    while days < len(parts):
        length = length_of(parts[days]) if late else None  # « , 20 minutes »: CB13
        if length is not None:
            parts[days] = f" {length}"
        elif not day_words_only(parts[days]):  # « il arrive cet après-midi »: words (XA7)
            break
        days += 1
    tail = ",".join(parts[days:]).strip(" ,.;")
    if not tail and not late:  # « hier et aujourd'hui malade »: the list's motive (DA2)
        head, tail = trailing_words(rest)
        return (head, tail) if tail and "depuis" not in tail else (rest, "")
    if not tail or (not late and re.search(r"\bdepuis\b", tail)):
        return ",".join(parts).strip() if late else rest, ""
    return ",".join(parts[:days]).strip(), tail


_DATE_START = re.compile(
    r"\s(?=(?:hier|avant-hier|aujourd'?hui|ce\s|cet\s|cette\s|ce$|le\s|les\s|l'|du\s|entre\s"
    r"|lundi|mardi|mercredi"
    r"|jeudi|vendredi|samedi|dimanche|\d|matin|apres|toute|journee|la\s|de\s\d|justifi|non\s))"
)


def _split_name(words: str) -> tuple[str, str]:
    """ "karim benali hier matin" → ("karim benali", "hier matin"): the name stops at a date."""
    match = _DATE_START.search(" " + words)
    if match is None:
        return words, ""
    cut = max(match.start() - 1, 0)
    return words[:cut].strip(), words[cut:].strip()


_SOMEONE = re.compile(
    r"^(?:j'ai|on\s+a|nous\s+avons|il\s+y\s+a|y\s+a|(?P<future>(?:il\s+)?y\s+aura))\s+(?P<count>un|une|{_COUNT})\s+"
    r"(?:(?:stagiaires?|apprenante?s?|eleves?)\s+)?(?P<what>absente?s?|en\s+retard|retards?)\b"
    r"(?P<rest>.*)$".replace("{_COUNT}", r"deux|trois|quatre|cinq|plusieurs|quelques|\d+")
)
"""« J'ai un absent ce matin », « on a une stagiaire en retard »: an absence announced before
its name (explorer QB1: read as a trainee named « j'ai un »); « deux absents » several;
« il y aura un absent », to come (« Léa m'a dit qu'il sera absent »: explorer ZA15)."""
_ANOTHER = re.compile(
    r"\bet\s+(?:un|une|deux|trois|quatre|cinq|plusieurs|quelques|des|\d+)\b"
    r"|\bet\s+(?!(?:ce|cet|cette|le|la|les|l|du|demain|hier|aujourd|apres|avant|toute?|lundi"
    r"|mardi|mercredi|jeudi|vendredi|samedi|dimanche|matin|midi|soir|en|pour|a)\b)[a-z]"
)
"""« un absent et un retard », « … ce matin et un cet après-midi »: another one unnamed; « … et
Julie en retard », « … et Karim aussi »: another one named (explorer SB1: one of the two was
noted for the other's absence, the second dropped); « … ce matin et cet après-midi » is one."""


_SOURCE = re.compile(
    r"\s*,?\s*\b(?:selon|d'apres)\s.*$|\s*,\s*[^,]+?\s+(?:m'|nous\s+|l'\s*)?(?:a|avait)\s+"
    r"(?:prevenue?|dit|signale|ecrit|appele|averti|informee?)\b.*$"
)
"""« … ce matin selon Julie », « …, d'après Léa », « …, Julie m'a prévenu »: who told, not who
is absent (explorer UA6: her name was handed on to ``/absence``, which noted her)."""


def read_unnamed_absence(text: str) -> AbsenceSentence | None:
    """The absence a sentence announces without naming anyone (:data:`_SOMEONE`): its day,
    kind and motive (« ce matin pour maladie »: explorer SA7), ``names`` empty, for ``/absence``
    to ask who; ``several`` when more than one (« un absent et un retard », « deux absents »:
    explorer SA6, a trainee was picked from « et un »); ``None`` for any other sentence."""
    if len(text) > 300 or "\n" in text.strip():
        return None
    words = sentence_words(without_courtesies(text.strip()))
    match = _SOMEONE.match(told_of_someone(words) or words)  # « … qu'ils étaient … »: UA6
    if match is None:
        return None
    rest, late = _SOURCE.sub("", match["rest"]), "retard" in match["what"]
    several = match["count"] not in ("un", "une", "1") or bool(_ANOTHER.search(rest))  # UA2
    several = several or someone_after_day(rest, text)  # « …, Julie est en retard »
    named = None if several else name_after_day(rest, text)
    if named is not None:  # « j'ai un retard ce matin, Karim »: his (explorer UA2)
        return AbsenceSentence(names=(), rest=named, late=late, future=bool(match["future"]))
    reason = None
    cause = None if several else _CAUSE.search(rest)
    if cause is not None:
        reason, rest = as_typed(text, _CONNECTOR.sub("", cause["cause"])), rest[: cause.start()]
    elif not several:  # « ce matin, malade » as after a name (closing 38: a name sought)
        rest, motive = _said_of_the_day(rest.strip(), late=late)
        if not motive:
            rest, motive = day_then_words(rest)
        rest = re.sub(r",\s*(?=\d)", " ", rest) if late else rest  # « , 20 min »: its length
        reason = as_typed(text, motive) if motive else None
    return AbsenceSentence(
        names=(),
        rest=rest.strip(),
        late=late,
        reason=reason,
        several=several,
        future=bool(match["future"]),
    )
