"""Sentences about attendance said the long way round, as a trainer writes them to a colleague
(explorer QB13: each got a list of commands, or « Je ne suis pas sûr … »).

:func:`plainly` rewrites « Julie a prévenu qu'elle serait absente demain » into « julie sera
absente demain », and « j'ai oublié de noter l'absence de Karim lundi » into « absence de karim
lundi »: what :func:`bot.absences.sentence.read_absence_sentence` reads, the names and days
still found as typed in the message.  :func:`everyone_there` reads « tout le monde était là ce
matin », « personne n'était absent »: nobody to note.  Both work on folded words
(:func:`bot.absences.sentence.sentence_words`).
"""

from __future__ import annotations

import re

from bot.absences.line import as_typed, names_a_day_only, soft_fold
from bot.people.first_names import usually

_FORGOTTEN = re.compile(
    r"^(?:j'(?:ai|avais)\s+)?oublie\s+de\s+(?:(?:vous|te)\s+)?"
    r"(?:noter|signaler|dire|mettre|saisir|enregistrer|indiquer|marquer)"
    r"(?:\s+que(?=\s)|\s+qu'|\s+(?:l'\s*|le\s+|une?\s+)(?=(?:absence|retard)\b))?\s*"
)
"""« J'ai oublié de noter l'absence de … », « … de vous dire que … »: a belated absence, the
words before it no name (explorer QB13)."""
_REPORTED = re.compile(
    r"^(?P<who>.+?)\s+(?:(?:m'|nous\s+|t'|vous\s+|l'|les\s+)?(?:a|avait|ont|avaient)\s+"
    r"(?:prevenue?s?|dit|annonce|signale|ecrit|informee?s?|avertie?s?|appele|envoye\s+un\s+"
    r"(?:message|sms|mail|texto))"
    r"|(?:m'|me\s+|nous\s+)?(?:dit|disent|previent|previennent|ecrit|ecrivent|signalent))"
    r"(?:\s+(?:ce\s+matin|hier(?:\s+soir)?|tout\s+a\s+l'heure|par\s+(?:sms|mail|message|texto"
    r"|telephone)))*"
    r"(?:\s+qu'|\s+que\s+|\s*[:,]\s*)(?:(?P<they>elles?|ils?)\s+)?(?P<said>.+)$"
)
"""« Julie a prévenu qu'elle serait absente demain », « Karim m'a dit qu'il était malade
hier », « Julie a prévenu, elle sera en retard »: what she said of herself; « Julie a dit
que Karim était absent hier »: what she said of someone else (explorer QB13); said in the
present too (« Léa dit que Karim est malade aujourd'hui »: explorer XA11, « Je ne trouve pas
« Léa dit que Karim » »)."""
_SAID = (
    (
        r"ne\s+(?:viendr(?:ait|a|aient|ont)\s+pas|(?:pourr|all)(?:ait|a|aient|ont)\s+pas\s+venir"
        r"|va\s+pas\s+venir|vont\s+pas\s+venir|ser(?:ait|a|aient|ont)\s+pas\s+la)",
        "{sera} absent",
    ),
    (r"(?:serai(?:t|ent)|seront|sera|allai(?:t|ent)\s+etre|va\s+etre|vont\s+etre)", "{sera}"),
    (
        r"(?:arriverai(?:t|ent)|arriveront|arrivera|allai(?:t|ent)\s+arriver|va\s+arriver"
        r"|vont\s+arriver)",
        "{arrivera}",
    ),
    (
        r"ne\s+(?:pouvai(?:t|ent)|peu(?:t|vent))\s+pas\s+venir|ne\s+(?:vien(?:t|nent)|venai(?:t|ent))"
        r"\s+pas",
        "n'a pas pu venir",
    ),
)
"""The verb she used, in the words the reader takes: the future as such (« sera », refused
with its day), a past or present kept as said (« était absente hier »)."""


def plainly(line: str, typed: str = "") -> str:
    """``line`` (folded words of ``typed``) as the absence reader takes it: a reported or
    belated absence (:data:`_REPORTED`, :data:`_FORGOTTEN`), everyone there but someone
    (:data:`_BUT`) in plain words, any other line unchanged."""
    but = but_someone(line, typed)
    if but is not None:
        return but
    forgotten = _FORGOTTEN.match(line)
    if forgotten is not None and forgotten.end() < len(line):
        return line[forgotten.end() :]
    reported = _REPORTED.match(line)
    if reported is None or _ABSENCE_WORD.search(reported["who"]):
        # « Hugo absent vendredi, sa mère a dit qu'elle le garde »: the absence said first,
        # what she said its motive, as typed (explorer ZA16: « sa mere le garde »)
        return line
    who, said = reported["who"], reported["said"]
    if reported["they"] is None:  # « … que Karim était absent »: Karim's, not hers (QB13)
        if "," in who or not _ABSENCE_WORD.search(said):
            return line  # « Karim absent hier, sa mère a prévenu que … »: the motive
        who, said = _other_one(said)
    several = (reported["they"] or "").endswith("s") or bool(re.search(r"\bet\b", who))
    for verb, plain in _SAID:
        found = re.match(rf"(?:{verb})(?=\s|$)", said)
        if found is not None:
            words = plain.format(
                sera="seront" if several else "sera",
                arrivera="arriveront" if several else "arrivera",
            )
            said = f"{words}{said[found.end() :]}"
            break
    return f"{who} {said}".strip()


def but_someone(line: str, typed: str) -> str | None:
    """« tout le monde était là ce matin sauf Karim » → « karim absent ce matin » (:data:`_BUT`),
    « … sauf Karim parti à 11h » → « karim est parti a 11h ce matin », the departure as said
    plainly (closing 38's Left: « Je ne suis pas sûr … »); ``None`` for any other line."""
    but = _BUT.match(line)
    if but is None or not names_a_day_only(but["day"]):
        return None
    left = _LEFT_AFTER.search(but["who"]) or _ARRIVED_AFTER.search(but["who"])
    if left is not None:  # « … sauf Julie arrivée à 9h30 »: « julie est arrivee a 9h30 » (XA17)
        return f"{but['who'][: left.start()]} est {left['left']}{but['day']}{left['rest']}"
    late = but["there"] == "a l'heure"  # « tous à l'heure sauf Karim »: Karim's retard
    who, motive = _name_then_motive(but["who"], typed)
    who, said_late, day = _what_after_name(who)
    return f"{who} {'en retard' if late or said_late else 'absent'}{but['day']}{day}{motive}"


_MANY = re.compile(r"\bet\b|,")
_KIND_SAID = re.compile(
    r"^(?:(?:etai(?:t|ent)|est|sont|(?P<ahead>ser(?:ai)?(?:t|ent|a|ont))|avai(?:t|ent)\s+ete)\s+)?"
    r"(?:(?P<late>en\s+retard)|absente?s?|(?P<sick>malades?))\b(?P<rest>.*)$"
)


def told_of_someone(line: str) -> str | None:
    """« julie m'a dit qu'ils etaient absents vendredi » → « il y a deux absents vendredi »,
    « karim et julie ont dit qu'il etait malade hier » → « il y a un absent hier car malade »:
    the pronoun cannot stand for who told (one of them, several; several of them, one), so
    the absence is someone else's, unnamed, for :func:`bot.absences.sentence.
    read_unnamed_absence` to ask who (explorer UA6: the messenger was noted); « … qu'il y a un
    absent » is that sentence (closing 38: « lea y a un » was looked for).  ``None`` when
    the pronoun may be who told, or the line reports nothing by a pronoun."""
    reported = _REPORTED.match(line)
    if reported is None or reported["they"] is None or _ABSENCE_WORD.search(reported["who"]):
        return None  # « Hugo absent vendredi, sa mère a dit qu'il … »: Hugo's (explorer ZA16)
    if reported["they"] == "il" and reported["said"].startswith("y a "):
        return f"il {reported['said']}"  # « Léa m'a dit qu'il y a un absent »: not Léa's
    several = reported["they"].endswith("s")
    if several == bool(_MANY.search(reported["who"])) and not _other_sex(reported):
        return None
    said = _KIND_SAID.match(reported["said"])
    if said is None:
        return None
    count = "deux" if several else "un"
    kind = "en retard" if said["late"] else ("absents" if several else "absent")
    motive = f" car {said['sick']}" if said["sick"] and not several else ""
    # « … qu'il sera absent »: to come, said so at once (explorer ZA15: three questions first)
    there = "il y aura" if said["ahead"] else "il y a"
    return f"{there} {count} {kind}{said['rest']}{motive}"


def said_of_the_one_named(motive: str, name: str) -> str | None:
    """« Julie m'a dit qu'il était malade » after « Karim absent vendredi, »: one person's
    report whose pronoun may be the one named absent (his first name not usually the other
    sex's): what she said of him, as typed (« malade », « un rendez-vous » for « qu'il avait un
    rendez-vous »; « » for « qu'il était absent »), his
    absence's motive without her name (explorer ZA15: « vous parlez aussi de « Julie » »;
    SA5: another trainee's name is never kept in his record).  ``None`` for any other motive:
    « … qu'elle était malade » after Karim is Julie's own."""
    reported = _REPORTED.match(" ".join(soft_fold(motive).strip(" .!?;").split()))
    if reported is None or reported["they"] not in ("il", "elle") or _MANY.search(reported["who"]):
        return None
    if usually(name) == ("f" if reported["they"] == "il" else "m"):
        return None
    said = re.sub(r"^(?:etai(?:t|ent)|est|a\s+ete|avait\s+ete)\s+", "", reported["said"])
    # « qu'il avait un rendez-vous », « qu'il a un rdv »: what he had (explorer BB15)
    said = re.sub(r"^(?:avai(?:t|ent)|a)\s+(?=(?:un|une|des|rdv|rendez)\b)", "", said)
    return "" if re.fullmatch(r"absente?", said) else as_typed(motive, said)


def _other_sex(reported: re.Match[str]) -> bool:
    """« julie m'a dit qu'il … », « karim m'a dit qu'elle … »: one who told, a first name
    usually given to the other sex than the pronoun's (:mod:`bot.people.first_names`; no
    gender is stored): someone else's absence (closing 38's Left, explorer UA6)."""
    they = reported["they"]
    return they in ("il", "elle") and usually(reported["who"]) == ("f" if they == "il" else "m")


def someone_after_day(rest: str, typed: str) -> bool:
    """« ce matin, julie est en retard », « ce matin, julie en retard »: after « j'ai un
    absent », someone named with what is said of her, another person than the one announced
    (closing 38's Left: Julie's retard was asked, the absent one dropped unsaid)."""
    named = name_after_day(rest, typed)
    return named is not None and bool(_SAID_OF_HER.search(named.partition(" : ")[2]))


_SAID_OF_HER = re.compile(
    r"^\S+(?:\s+\S+)?\s+(?:(?:est|etait|sont|etaient|a\s+ete)\s+)?(?:absente?s?|en\s+retard)\b"
)
"""A first name (and perhaps a surname), then « est en retard », « absente »: said of her."""


def name_after_day(rest: str, typed: str) -> str | None:
    """« ce matin, karim 20 min » → « ce matin : karim 20 min »: after « j'ai un retard », the
    name typed after the day's comma (a capital), written as ``/absence`` reads a list
    (« Retard ce matin : Karim »); ``None`` for anything else (« ce matin, malade »: the
    motive).  Explorer UA2: « Karim » was read as a second person, « absent » as the first."""
    day, comma, after = rest.partition(",")
    after = after.strip()
    if not comma or not after or not names_a_day_only(day):
        return None
    if not as_typed(typed, after.split()[0])[:1].isupper():
        return None
    return f"{day.strip()} : {after}"


_ABSENCE_WORD = re.compile(r"\b(?:absente?s?|abs|retard|malades?|venue?s?|venir|viendr\w*)\b")
"""What says an absence in the words someone reported, and never stands in who reported it."""


def _other_one(said: str) -> tuple[str, str]:
    """« karim serait absent demain » → (« karim », « serait absent demain »): who someone
    else was said to be absent, and what of; (« », ``said``) when no verb of :data:`_SAID`
    follows a name (« karim etait absent hier », read as it stands)."""
    for verb, _ in _SAID:
        found = re.search(rf"\s(?:{verb})(?=\s|$)", said)
        if found is not None:
            return said[: found.start()], said[found.start() + 1 :]
    return "", said


_ALL_THERE = (
    r"(?:tout\s+le\s+monde|tous\s+les\s+stagiaires|tout\s+le\s+groupe|toute\s+la\s+classe"
    r"|le\s+groupe|tous|toutes)\s+(?:(?:etait|est|etaient|sont|a\s+ete|ont\s+ete)\s+)?"
    r"(?:bien\s+)?(?P<there>la|presente?s?|a\s+l'heure|au\s+complet|venue?s?)"
)
_EVERYONE = re.compile(
    rf"^(?:{_ALL_THERE}"
    r"|personne\s+(?:n'(?:etait|est|a\s+ete)\s+(?:absente?|en\s+retard)|ne\s+manqu(?:ait|e)"
    r"|n'a\s+manque)"
    r"|(?:il\s+)?ne\s+manqu(?:ait|e)\s+personne|(?:il\s+)?manqu(?:ait|e)\s+personne"
    r"|(?:groupe|classe)\s+au\s+complet)"
    r"(?P<rest>(?:\s.*)?)$"
)
"""« Tout le monde était là ce matin », « tous présents hier », « personne n'était absent »,
« il ne manquait personne »: nobody to note (explorer QB13: « Je ne suis pas sûr … »)."""

_BUT = re.compile(
    rf"^{_ALL_THERE}(?P<day>(?:\s+(?!sauf\b|a\s+part\b|excepte\b)[^\s,]+)*?)\s*,?\s+"
    r"(?:sauf|a\s+part|excepte)\s+(?P<who>.+)$"
)
"""« Tout le monde était là ce matin sauf Karim »: Karim's absence this morning (QB13)."""


_MOTIVE_AFTER = re.compile(
    r"\s*,\s*(?=\S)|\s+(?=(?:pour|car|parce|a\s+cause|en\s+raison|suite)\b)"
    r"|\s+(?=malades?$)|\s+qui\s+(?:avait|a\s+eu|a)\s+(?=(?:rdv|rendez|un|une)\b)"
)
"""Where the name after « sauf » ends and its motive begins: a comma (« sauf Karim,
bouchons »), a word that gives a reason (« sauf Karim pour maladie »), « malade » last, what
he had (« sauf Karim qui avait rdv France Travail »: explorer XA11, « Je ne suis pas sûr »)."""


def _name_then_motive(who: str, typed: str) -> tuple[str, str]:
    """« karim, malade » → (« karim », « , malade »), « karim pour maladie » → (« karim »,
    « pour maladie »): the motive put after the day, where the reader takes it (explorer
    SB7: « malade » was read as what was said of « karim, », « absent ce matin » as the day,
    and « pour maladie », « bouchons » as names).  After a comma, a list (« Karim, Julie et
    Léa ») or a word typed with a capital (« Karim, Julie ») is more names."""
    found = _MOTIVE_AFTER.search(who)
    if found is None or found.start() == 0:
        return who, ""
    motive = who[found.end() :].strip()
    joint = ", " if "," in found.group() else " "
    if joint == ", " and (
        re.search(r"\bet\b|[,&+]", motive) or as_typed(typed, motive)[:1].isupper()
    ):
        return who, ""
    return who[: found.start()], f"{joint}{motive}"


_KIND_AFTER = re.compile(
    r"\s+(?:qui\s+)?(?:(?:est|etait|a\s+ete)\s+)?(?:(?:arrivee?\s+)?(?P<late>en\s+retard)"
    r"|absente?)(?=\s|$)|\s+qui\s+(?:est|etait)$"
)
"""What is said of the one after « sauf »: « en retard », « arrivée en retard », « absent », « qui
est » before the motive « malade »."""


_LEFT_AFTER = re.compile(
    r"\s*,?\s+(?:qui\s+)?(?:(?:est|etait)\s+)?(?P<left>partie?\s+(?:a|vers)\s+\d[^\s,]*)"
    r"(?P<rest>(?:[\s,].*)?)$"
)
"""« sauf Karim parti à 11h », « sauf Julie, partie vers 15h »: a departure, read as « Karim est
parti à 11h ce matin » is (closing 38's Left: « Je ne suis pas sûr … »)."""
_ARRIVED_AFTER = re.compile(_LEFT_AFTER.pattern.replace(r"partie?\s", r"arrivee?\s"))
"""« sauf Julie arrivée à 9h30 », « sauf Karim qui est arrivé à 10h »: an arrival, read as
« Julie est arrivée à 9h30 ce matin » is (explorer XA17, XA11: « Je ne suis pas sûr … »)."""


def _what_after_name(who: str) -> tuple[str, bool, str]:
    """« karim en retard » → (« karim », True, « »), « karim le matin » → (« karim », False,
    « le matin »): the name after « sauf », whether a retard is said, and a day said after it
    (explorer UA2: « Noter le retard de Julie Petit, absent ce matin ? », « Je ne trouve pas
    « Karim qui » », « tous présents sauf Karim vendredi » not read)."""
    late = False
    kind = _KIND_AFTER.search(who)
    if kind is not None and names_a_day_only(who[kind.end() :]):
        late, who = bool(kind["late"]), f"{who[: kind.start()]}{who[kind.end() :]}"
    words = who.split()
    for cut in range(1, len(words)):
        if names_a_day_only(" ".join(words[cut:])):
            return " ".join(words[:cut]), late, " " + " ".join(words[cut:])
    return who, late, ""


def everyone_there(line: str) -> str | None:
    """The day words (folded, perhaps empty) of a line saying everyone was there, ``None``
    when it says something else (« tout le monde était là sauf Karim »)."""
    match = _EVERYONE.match(line)
    if match is None or not names_a_day_only(match["rest"]):
        return None
    return match["rest"].strip(" ,")
