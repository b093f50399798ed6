"""The lines of a pasted trainee list: « Nom ; Entreprise ; e-mail ; téléphone ; entrée le … ».

Kept apart from the dialogue's other answers (:mod:`.answers`) because a list is
read in three places: the creation's question, the parts of a list the chat cut
(:mod:`.list_parts`), and « Ajouter des stagiaires »; each gets the same lines
refused for the same reasons.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import dates, texts
from bot.answers import MAX_TEXT, Invalid, clean_line, fold, visible
from bot.conversations.formations.years import Period, day_in_context
from bot.dates.words import ANY_MONTH
from bot.formations.labels import (
    full_name_given,
    name_key,
    name_letters,
    unprintable,
    written_like_a_company,
    written_like_a_name,
)
from bot.mailer import looks_like_email
from bot.messages import shorten
from bot.people.names import several_names, trainee_name

MAX_TRAINEES = 200
TRAINEE_LINE_LIMIT = 100

EXIT = re.compile(r"^\s*(?:date\s+de\s+)?(?:sortie|sorti|sortis|depart|départ)\b", re.I)
"""An exit typed where a company goes: noted with « Entrées et sorties », never as a company."""

ENTRY = re.compile(
    r"[;,]\s*(?:date\s+d'\s*)?(?:entr[ée]e|arriv[ée]e)\s*(?:le\s+|depuis\s+le\s+|:\s*)?"
    r"(?P<when>[^;]*)",
    re.I,
)


def _entry(
    line: str, number: int, now: datetime | None, within: Period | None
) -> tuple[str, str | None] | Invalid:
    """The line without its entry part, and the entry day (ISO) it gave, if any: « ; entrée
    le 2 novembre », or a part that is only a day (« ; 02/11 », « ; 2 nov »), which no
    company is (explorer Z Z1: « 2 nov » was kept as the company, and printed as such on
    the follow-up documents)."""
    if now is None:
        return line, None
    match = ENTRY.search(line)
    if match is not None:
        when, rest = match["when"].strip(), line[: match.start()] + line[match.end() :]
    else:
        parts = line.split(";")
        bare = [i for i, part in enumerate(parts) if i and BARE_DAY.fullmatch(fold(part).strip())]
        if not bare:
            return line, None
        when, rest = (
            parts[bare[0]].strip(),
            ";".join(p for i, p in enumerate(parts) if i != bare[0]),
        )
    day = day_in_context(when, now, within) if when else None
    if day is None:
        # « 31/02 »: which day does not exist, as every date question says (explorer AD12).
        wrong = dates.impossible_day(when) if when else None
        said: dict[str, object] = {"impossible": wrong} if wrong else {}
        miss = dates.weekday_year(when, now, within) if when else None
        if isinstance(miss, dates.WeekdayMiss):  # explorer AB1: which weekday it falls on
            said = {"weekday": miss.said()}
        return Invalid(
            texts.say("formation.entry_unclear", number=number, text=shorten(when, 40), **said)
        )
    if within is not None and not within[0] <= day <= within[1]:
        return Invalid(
            texts.say(
                "formation.entry_outside", number=number, day=day, start=within[0], end=within[1]
            )
        )
    return rest, day.isoformat()


BARE_DAY = re.compile(
    rf"(?:le\s+)?\d{{1,2}}(?:\s*er)?(?:[/.\-\s]\d{{1,2}}(?:[/.\-\s]\d{{2,4}})?"
    rf"|\s*(?:{ANY_MONTH})\.?(?:\s+\d{{4}})?)"
)
"""A list's part that is a day and nothing else, folded (« 02/11 » is « 02 11 » then): « 02/11 »,
« 2 nov. », « le 1er décembre 2026 »."""


@dataclass(frozen=True)
class WrongLines(Invalid):
    """A list refused for ``count`` lines, each said (up to :data:`LINES_SAID`)."""

    count: int = 1


LINES_SAID = 10
"""Wrong lines said in one answer; the others are counted (« … et 4 autres lignes »)."""


CUT_NEAR = 3_500
"""A message this long may have been cut by the chat: Telegram's clients cut at 4,096
characters, at a blank, which may be inside a line."""
CUT_TAIL = "_cut_tail"
"""The last line of a list's part the chat may have cut: the next part may complete it."""


def keep_tail(data: dict[str, object], text: str) -> None:
    """Remember the last line of a long part (:data:`CUT_NEAR`) for the next part."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(text) >= CUT_NEAR and lines:
        data[CUT_TAIL] = lines[-1]
    else:
        data.pop(CUT_TAIL, None)


def rejoined(tail: object, text: str) -> tuple[str, str] | None:
    """``text`` with its first line put back at the end of ``tail``, the previous part's last
    line, when that line alone is no trainee (« Petit », or « ; Boulangerie ») and the
    joined one is one: a line cut by the chat (explorer AC, AC14: « Bruno Petit ;
    Entreprise » then « Petit », his company saved cut); with the key of the trainee the
    tail gave, read again now.  ``None`` otherwise."""
    first, newline, rest = text.strip().partition("\n")
    if not isinstance(tail, str) or not first.strip():
        return None
    joined = f"{tail} {first.strip()}"
    was = parse_trainee_lines(tail)
    if isinstance(was, Invalid) or not was or not isinstance(parse_trainee_lines(first), Invalid):
        return None  # the first line is a trainee of its own: a part cut between two lines
    if isinstance(parse_trainee_lines(joined), Invalid):
        return None
    return f"{joined}{newline}{rest}", name_key(str(was[0]["name"]))


def parse_trainee_lines(
    text: str,
    *,
    existing: Sequence[str] = (),
    now: datetime | None = None,
    within: Period | None = None,
    already: list[str] | None = None,
    restated: dict[str, dict[str, str | None]] | None = None,
) -> list[dict[str, str | None]] | Invalid:
    """The trainees of a pasted list; a name twice, or already in ``existing``, is refused.

    With ``now``, an entry date on the line ("; entrée le 30 novembre") is
    read (its year in the formation's context) and must fall ``within``.
    With ``already``, a name in ``existing`` is left out and added there instead; with
    ``restated``, what such a line gave besides the name (company, entry) is kept there by
    name key: « Alice Dupont ; Boulangerie » sent again to give her company (explorer N).
    Every wrong line is said at once (:class:`WrongLines`), not the first of them only:
    corrected one at a time, a list came back as often as it had errors (explorer L).
    """
    raw = [line.strip(" \t-•*·") for line in text.splitlines()]
    lines = [line for line in raw if line.strip()]
    if not lines:
        return Invalid(texts.say("formation.trainees_empty"))
    if len(lines) > MAX_TRAINEES:
        return Invalid(
            texts.say("formation.trainees_too_many", count=len(lines), limit=MAX_TRAINEES)
        )
    trainees: list[dict[str, str | None]] = []
    wrong: list[str] = []
    twice: dict[str, tuple[int, str, list[int]]] = {}
    typed: dict[str, str] = {}
    seen: dict[str, int] = {key: 0 for key in existing}
    for number, full_line in enumerate(lines, start=1):
        read = _trainee_line(full_line, number, now, within)
        if isinstance(read, Invalid):  # a one-line answer has no « Ligne 1 » (DG14)
            alone = texts.upper_first(read.message.removeprefix("Ligne 1 : "))
            wrong.append(alone if len(lines) == 1 else read.message)
            continue
        name, given, entered_on = read
        key = name_key(name)
        if already is not None and key in existing:
            already.append(name)
            besides = {k: given[k] for k in ("company", "email", "phone")}
            besides["entered_on"] = entered_on
            if restated is not None and any(besides.values()):
                restated[key] = besides
            continue
        if key in seen:
            if key not in twice:  # one line for all its times (explorer M: « deux fois » twice)
                twice[key] = (len(wrong), typed.get(key, name), [seen[key]])
                wrong.append("")  # said where it comes again, once every line is read
            twice[key][2].append(number)
            continue
        seen[key], typed[key] = number, name
        trainees.append(
            {
                "name": name,
                "company": given["company"],
                "email": given["email"],
                "phone": given["phone"],
                "entered_on": entered_on,
            }
        )
    for at, name, numbers in twice.values():
        wrong[at] = texts.say(
            "formation.trainee_twice",
            name=name,
            lines=[n for n in numbers if n],
            existing=0 in numbers,
            times=len(numbers),
        )
    if wrong:
        said = wrong[:LINES_SAID]
        if len(wrong) > LINES_SAID:
            said.append(texts.say("formation.more_wrong_lines", count=len(wrong) - LINES_SAID))
        return WrongLines("\n".join(said), count=len(wrong))
    return trainees


def _trainee_line(
    full_line: str, number: int, now: datetime | None, within: Period | None
) -> tuple[str, dict[str, str | None], str | None] | Invalid:
    """One line of a list: its name, what follows the name (:func:`_details`), its entry day
    (ISO) if given. Cells copied from a spreadsheet are separated by tabs: read as « ; »
    (explorer DG1: the whole row was « ne ressemble pas à un nom »)."""
    full_line = re.sub(r"\s*\t+\s*", " ; ", full_line.strip("\t"))
    entry = _entry(full_line, number, now, within)
    if isinstance(entry, Invalid):
        return entry
    line, entered_on = entry
    name_part, _, company = line.partition(";")
    name = clean_line(name_letters(name_part), limit=TRAINEE_LINE_LIMIT)
    if isinstance(name, Invalid):
        return Invalid(texts.say("formation.line_wrong", number=number, message=name.message))
    if not any(ch.isalpha() for ch in name) or not written_like_a_name(name):
        return Invalid(
            texts.say("formation.trainee_not_a_name", number=number, name=shorten(name, 40))
        )
    if letters := unprintable(name):
        return Invalid(
            texts.say(
                "formation.trainee_unprintable",
                number=number,
                name=shorten(name, 40),
                letters=letters[:10],
            )
        )
    if several_names(name):  # « Karim Benali, Léa Martin »: one trainee per line
        return Invalid(texts.say("formation.trainees_on_one_line", number=number))
    if not full_name_given(name):  # « Gaston », « Mme Martin »: as a file's import says it
        return Invalid(
            texts.say("formation.trainee_one_word", number=number, name=shorten(name, 40))
        )
    if EXIT.search(company):  # « ; sortie le 15 janvier »: no company, and no exit here
        return Invalid(texts.say("formation.trainee_exit_in_list", number=number))
    if not written_like_a_company(company):
        return Invalid(
            texts.say("formation.company_markup", number=number, typed=shorten(company.strip(), 40))
        )
    given = _details(company)
    if given["unread"] is not None:
        typed = shorten(given["unread"], 40)
        return Invalid(texts.say("formation.trainee_unread", number=number, typed=typed))
    return trainee_name(name), given, entered_on


def _details(rest: str) -> dict[str, str | None]:
    """What follows the name, « ; »-separated: the company (« Boulangerie Martin »), an
    e-mail (never a company: explorer E) and a phone (« 06 12 34 56 78 »), in any order;
    ``unread``: a further part none of them, which the line is refused for (explorer U U2:
    dropped unsaid)."""
    found: dict[str, str | None] = dict.fromkeys(("company", "email", "phone", "unread"))
    for part in rest.split(";"):
        # Bidi marks copied with a company from a PDF are left out; a part still refused (a
        # hundred characters and more) refuses the line (explorer EC1: dropped unsaid).
        cleaned = clean_line(visible(part), limit=100) if visible(part) else None
        if isinstance(cleaned, Invalid):
            found["unread"] = found["unread"] or visible(part)
            continue
        if cleaned is None or not cleaned.strip():
            continue
        value = cleaned.strip()
        if looks_like_email(value) and found["email"] is None:
            found["email"] = value.lower()
        elif PHONE.fullmatch(value) and found["phone"] is None:
            found["phone"] = value
        elif found["company"] is None:
            found["company"] = value
        elif found["unread"] is None:
            found["unread"] = value
    return found


PHONE = re.compile(r"(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}")
"""A French phone number as people write it (« 06 12 34 56 78 », « 06.12.34.56.78 »)."""


assert MAX_TEXT >= TRAINEE_LINE_LIMIT
