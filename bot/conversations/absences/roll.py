"""The list of a roll call, and what a trainer types on it.

    Bot  Appel du lundi 23 novembre 2026, matin – Agent de restauration (démo)
         Touchez un nom : présence → absence → retard → présence.
         Ou tapez les numéros : « absents : 3, 7 ; retard : 5 », « 3-5 », « tous présents ».
         1. ✅ Léa Martin   2. ❌ Karim Benali (absence)   3. ⏰ Julie Petit (retard) …
         – Tous présents   – 📋 Valider l'appel
    Vous absents : 2, 4 ; retard : 3
    Bot  (the recap of :mod:`bot.conversations.absences.appel`)

:class:`RollStep` shows the trainees of ``ctx.data["_roster"]`` (``[name,
id, already noted, half-day left]``, set by the dialogue), numbered across the whole list
and paged by :data:`bot.conversations.kit.many.PAGE` on Telegram; the
marks are kept in ``ctx.data["marks"]`` (``{trainee id: "absent" |
"retard"}``), so a restart resumes the call with its marks.  A button
touched cycles one trainee and edits the list in place; a typed answer is a
whole statement (:func:`read_marks`) and goes on to the recap, where more can
be typed (:func:`apply_typed`).  A trainee already noted for the half-day is
shown so and cannot be marked again (``/absences`` corrects what was noted).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, replace
from typing import Unpack

from bot.absences.clashes import HALF_WORDS
from bot.absences.line import soft_fold
from bot.answers import MAX_TEXT, Invalid, fold, has_control_characters
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Hooks, Next, Option, Outcome, Retry, Stay, Step
from bot.conversations.kit.many import DONE_WORDS, PAGE, SHOWN, read_selection
from bot.conversations.kit.pages import TURNS, clamp, turn_choices, turned, typed_page
from bot.messages import Choice, Reply

CYCLE = {"": "absent", "absent": "retard", "retard": ""}
"""What a touch does: present → absent → late → present."""

ICONS = {"": "✅", "absent": "❌", "retard": "⏰"}

_LABEL = re.compile(
    r"\b(?P<label>en\s+retard|retards?|absent(?:e|s|es)?|absences?|presente?s?)\b\s*:?"
)
_STATUS = {"retard": "retard", "absent": "absent", "absence": "absent", "present": ""}
_ALL_PRESENT = re.compile(
    r"^(?:(?:tous|toutes|tout le monde)(?: (?:est|sont|etaient|etait))? (?:presente?s?|la)"
    r"|(?:personne|aucun|aucune)(?: n ?est)?(?: d)? ?(?:absente?s?|absences?)"
    r"|(?:pas|aucune) d ?absences?)$"
)

_ALL_PRESENT_BUT = re.compile(
    r"^(?:tous|toutes|tout le monde)(?:\s+(?:est|sont|etaient|etait))?\s+(?:presente?s?|la)"
    r"\s*,?\s*(?:sauf|a part|excepte|hormis)\s+(?P<rest>.+)$"
)
"""« tous présents sauf Karim » (soft-folded): the list's « tous présents » with who is not;
those named are the only ones absent (explorer CB5: « Je ne trouve pas « tous » »)."""


ROLL_DONE = DONE_WORDS | {"valider l appel", "c est bon", "enregistrer", "enregistrer l appel"}
"""Typed when the roll is as it should be: on the list, on to the recap; on the recap, saved."""


LATE_LENGTH = re.compile(
    r"\bretard.*\d\s*(?:min|minutes?|mn|h|heures?)(?![a-z])|\d\s*(?:min|mn|h)\b.*\bretard"
)
"""A late arrival's length typed in a roll call, which notes who, not how long."""


@dataclass(frozen=True)
class Said:
    """One statement of a typed answer: these trainees (ids) take this status."""

    status: str
    """``absent``, ``retard``, or ``""`` (present)."""
    values: tuple[str, ...]
    exclusive: bool
    """``tous`` / ``tous sauf …`` / ``aucun``: the others lose this status."""
    toggle: bool = False
    """Numbers with no word: absent, or present again if already absent."""


def roster_rows(ctx: Context) -> list[tuple[str, str, str, str]]:
    """``_roster`` as (name, id, noted, half-day left): a row kept by a conversation begun
    before the half-day left was kept has three."""
    return [
        (str(r[0]), str(r[1]), str(r[2]), str(r[3]) if len(r) > 3 else "")
        for r in ctx.data.get("_roster") or []
    ]


def roster_options(ctx: Context) -> list[Option]:
    return [Option(name, value) for name, value, _, _ in roster_rows(ctx)]


def locked_marks(ctx: Context) -> dict[str, str]:
    """Who the call cannot mark: noted for its half-day already (a whole-day call still marks
    the half-day left of someone noted for the other)."""
    return {
        str(value): str(noted)
        for _, value, noted, half_left in roster_rows(ctx)
        if noted and not half_left
    }


def read_marks(text: str, options: list[Option]) -> list[Said] | Invalid | None:
    """What a typed answer says of whom; ``None`` when it names nobody (not a roll answer)."""
    soft = soft_fold(text).replace("’", "'")
    if _ALL_PRESENT.match(fold(text)):
        return [Said("", tuple(o.value for o in options), exclusive=True)]
    said: list[Said] = []
    for clause in filter(None, (c.strip() for c in re.split(r"[;\n]", soft))):
        if (but := _ALL_PRESENT_BUT.match(clause)) is not None:
            marks = _all_present_but(but["rest"].strip(" ,.:"), options, text)
        else:
            marks = _clause_marks(clause, options, text)
        if isinstance(marks, Invalid):
            return marks
        said.extend(marks)
    return said or None


def _all_present_but(rest: str, options: list[Option], text: str) -> list[Said] | Invalid:
    """« tous présents sauf Karim »: those named the only ones absent; « … sauf Karim en
    retard », « … sauf retard : 2 »: everyone present but what the words after say of whom
    (explorer DC1: « Je ne trouve pas « Karim en retard » dans la liste »)."""
    if _LABEL.search(rest) is None:
        selection = read_selection(rest, options, said=text)
        if isinstance(selection, Invalid):
            return selection
        absent = selection.toggle if selection.only is None else selection.only
        return [Said("absent", absent, exclusive=True)]
    marks = _clause_marks(rest, options, text)
    if isinstance(marks, Invalid):
        return marks
    everyone = Said("", tuple(o.value for o in options), exclusive=True)
    return [everyone, *(replace(m, toggle=False) for m in marks)]


def _clause_marks(clause: str, options: list[Option], text: str) -> list[Said] | Invalid:
    """One clause's statements: each label (« absents : », « en retard ») with the names or
    numbers around it; numbers with no label are absent, or present again if they were."""
    said: list[Said] = []
    labels = list(_LABEL.finditer(clause))
    cuts = [0, *(m.start() for m in labels[1:]), len(clause)]
    for start, end in itertools.pairwise(cuts):
        piece = clause[start:end]
        found = _LABEL.search(piece)
        if found is None:
            status, body, toggle = "absent", piece, True
        else:
            word = fold(found["label"]).split()[-1]
            status = next(v for k, v in _STATUS.items() if word.startswith(k))
            before, after = piece[: found.start()], piece[found.end() :]
            body = ", ".join(p for p in (before, after) if p.strip(" ,.:"))
            toggle = False
        if not body.strip(" ,.:"):
            return Invalid("")  # a word with nobody: the caller says how to write it
        selection = read_selection(body.strip(" ,.:"), options, said=text)
        if isinstance(selection, Invalid):
            return selection
        if selection.only is not None:
            said.append(Said(status, selection.only, exclusive=True))
        else:
            said.append(Said(status, selection.toggle, exclusive=False, toggle=toggle))
    return said


def apply_marks(ctx: Context, said: list[Said]) -> str | None:
    """Change ``ctx.data["marks"]``; the French remark when a trainee named is already noted.

    Who is already noted is left as noted and said; the rest of the line is applied all
    the same (explorer D: one such number threw the whole line away, and a hurried
    « Enregistrer » then saved everybody present).
    """
    locked = locked_marks(ctx)
    values = [o.value for o in roster_options(ctx)]
    marks: dict[str, str] = dict(ctx.data.get("marks") or {})
    remarks: list[str] = []
    for each in said:
        if not each.exclusive:
            names = dict((o.value, o.label) for o in roster_options(ctx))
            for taken in [v for v in each.values if v in locked]:
                remarks.append(
                    ctx.render(
                        "absence_appel.already_noted",
                        name=names[taken],
                        noted=locked[taken],
                        number=values.index(taken) + 1,
                    )
                )
            each = replace(each, values=tuple(v for v in each.values if v not in locked))
        if each.exclusive:
            for value in values:
                if value in locked:
                    continue
                if value in each.values:
                    _set(marks, value, each.status)
                elif marks.get(value, "") == each.status:
                    marks.pop(value, None)
            continue
        for value in each.values:
            if each.toggle and marks.get(value) == "absent":
                marks.pop(value)
            else:
                _set(marks, value, each.status)
    ctx.data["marks"] = marks
    return "\n".join(remarks) or None


def _set(marks: dict[str, str], value: str, status: str) -> None:
    if status:
        marks[value] = status
    else:
        marks.pop(value, None)


async def apply_typed(ctx: Context, *, worded: bool = False) -> Outcome | None:
    """A typed roll answer applied (``Next``), or why not (``Retry``); ``None``: not one.

    ``worded``: every number must come with what it marks ("absents : 3"), where
    numbers alone are the screen's choices, not trainees (the recap).
    """
    if len(ctx.incoming.text) > MAX_TEXT:
        return Retry(
            ctx.render("common.message_too_long", length=len(ctx.incoming.text), limit=MAX_TEXT)
        )
    if has_control_characters(ctx.incoming.text):
        return Retry(ctx.render("common.control_characters"))
    if LATE_LENGTH.search(fold(ctx.incoming.text)):  # « retard : 3 de 20 min » (explorer E)
        return Retry(ctx.render("absence_appel.late_length_later"))
    said = read_marks(ctx.incoming.text, roster_options(ctx))
    if said is None:
        return None
    if isinstance(said, Invalid):
        return Retry(said.message or ctx.render("absence_appel.how_to_type"))
    if worded and any(each.toggle for each in said):
        return Retry(ctx.render("absence_appel.recap_needs_word"))
    if (both := _absent_and_late(said)) is not None:  # explorer AD10: « retard » kept unsaid
        names = {o.value: o.label for o in roster_options(ctx)}
        return Retry(ctx.render("absence_appel.absent_and_late", name=names.get(both, "")))
    remark = apply_marks(ctx, said)
    if remark is not None:
        ctx.send(Reply(text=remark))
    return Next()


def _absent_and_late(said: list[Said]) -> str | None:
    """Someone one message marks both absent and late (« absents : 3 ; retard : 3 »)."""
    absent = {v for each in said if each.status == "absent" for v in each.values}
    return next(
        (v for each in said if each.status == "retard" for v in each.values if v in absent), None
    )


def _paging(ctx: Context) -> tuple[int, int]:
    """The roll's page shown (0-based) and its number of pages."""
    pages = max(1, math.ceil(len(ctx.data.get("_roster") or []) / PAGE))
    return clamp(int(ctx.data.get("_page", 0)), pages), pages


class RollStep(Step):
    """The list with a toggle per trainee; "Valider l'appel" (or a typed list) goes on."""

    reads_numbers = True  # "absents : 3, 7": the trainees' numbers, as shown
    keeps_sentences = True  # « Julie en retard » here is about the roll call

    def __init__(self, name: str, *, ask: str, **hooks: Unpack[Hooks]) -> None:
        super().__init__(name, **hooks)
        self.prompt = ask

    async def question(self, ctx: Context) -> Reply:
        roster = roster_rows(ctx)
        marks: dict[str, str] = ctx.data.setdefault("marks", {})
        pages = max(1, math.ceil(len(roster) / PAGE))
        page = max(0, min(int(ctx.data.get("_page", 0)), pages - 1))
        first = page * PAGE
        choices: list[Choice] = []
        for offset, (name, value, noted, half_left) in enumerate(roster[first : first + PAGE]):
            status = marks.get(str(value), "")
            if noted and not half_left:
                label = f"🔒 {name} (déjà noté : {noted})"
            elif half_left:  # « ❌ Karim Benali (absence l'après-midi, matin déjà noté) »
                what = {"absent": f"absence {HALF_WORDS[half_left]}, ", "retard": "retard, "}
                label = f"{ICONS[status]} {name} ({what.get(status, '')}{noted} déjà noté)"
            else:
                label = f"{ICONS[status]} {name}"
                if status:
                    label += " (absence)" if status == "absent" else " (retard)"
            # The mark shown rides with the button: a double tap's second press names a mark
            # the list no longer shows (explorer V, V5: absent, then late, in one double tap).
            data = f"{ctx.question_id}|{value}{SHOWN}{status or '-'}"
            choices.append(Choice(label=label, data=data, number=first + offset + 1))
        choices += turn_choices(ctx, page, pages)
        choices.append(ctx.choice("Tous présents", "_all"))
        choices.append(ctx.choice("📋 Valider l'appel", "_done"))
        text = await self.render(ctx, self.prompt, page=page + 1, pages=pages)
        return Reply(text=text, choices=tuple(choices))

    async def answer(self, ctx: Context) -> Outcome:
        if ctx.incoming.choice is not None:
            return self._touched(ctx)
        refusal = ctx.refuse_non_text()
        if refusal:
            return refusal
        words = fold(ctx.incoming.text)
        if not words:
            return Retry(ctx.render("absence_appel.how_to_type"))
        if words in ROLL_DONE:
            return Next()
        asked = typed_page(words, *_paging(ctx))
        if asked is not None:
            ctx.data["_page"] = asked
            return Stay()
        typed = await apply_typed(ctx)
        return typed or Retry(ctx.render("absence_appel.how_to_type"))

    def _touched(self, ctx: Context) -> Outcome:
        pressed, _, shown = str(ctx.incoming.choice).partition(SHOWN)
        ctx.incoming = replace(ctx.incoming, choice=pressed)
        locked = locked_marks(ctx)
        values = [o.value for o in roster_options(ctx)]
        picked = ctx.chosen([*values, "_prev", "_next", "_all", "_done"], labels={})
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        if picked == "_done":
            return Next()
        if picked in TURNS:
            ctx.data["_page"] = turned(picked, *_paging(ctx))
            return Stay(edit=True)
        marks: dict[str, str] = dict(ctx.data.get("marks") or {})
        if picked == "_all":
            ctx.data["marks"] = {}
            return Next()
        assert picked is not None
        if shown and shown != (marks.get(picked) or "-"):
            return Stay(edit=True)  # pressed on the list before its last change: done already
        if picked in locked:
            return Retry(
                ctx.render(
                    "absence_appel.already_noted",
                    name=next(o.label for o in roster_options(ctx) if o.value == picked),
                    noted=locked[picked],
                    number=values.index(picked) + 1,
                )
            )
        _set(marks, picked, CYCLE[marks.get(picked, "")])
        ctx.data["marks"] = marks
        return Stay(edit=True)
