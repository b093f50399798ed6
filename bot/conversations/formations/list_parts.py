"""The rest of a pasted trainee list that the chat cut in several messages.

    Vous (a list of 300 lines, pasted at « Collez la liste des stagiaires »)
    Bot  (Telegram sends it as three messages: the first is the list, the
         next two arrive at the question after it)
    Bot  J'ajoute la suite de votre liste : 139 stagiaires de plus, 277 en tout.
         Qui sont les délégués des stagiaires ? …

A message over 4,096 characters is cut by the Telegram client; its parts
arrive one after the other, the first answering the list question, the others
the next question (the delegates), where they were read as names to tick and
dropped (explorer H H12: 162 of 300 trainees went missing, unnamed).  A
message of several lines, or with the « ; » of a list line, is read there as
more of the list; at a formation's menu right after « Ajouter des
stagiaires » (which saves at once) it is added as well, and answered with
the way to add it at any other moment (:class:`~bot.conversations.formations.trainee_file.MenuTakingAList`).
A last part of a single line cannot be told from an answer in words (« Merci
beaucoup », « Aucun délégué »: explorer M found them enrolled): where it is no
choice and reads as a name (:func:`one_name`), the answer says how to send it as
the list's end, « Hélène Ibert ; », which the « ; » marks as a list line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot import texts
from bot.answers import PARTICLES, Invalid, fold, match_names
from bot.conversations.formations.answers import trainee_bounds
from bot.conversations.formations.trainee_lines import (
    CUT_TAIL,
    WrongLines,
    keep_tail,
    parse_trainee_lines,
    rejoined,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Outcome, Retry, Stay
from bot.conversations.kit.many import PickMany
from bot.formations.labels import name_key, name_letters, written_like_a_name

OnPart = Callable[[Context, list[dict[str, str | None]]], Outcome | None]


def looks_like_a_list(text: str) -> bool:
    """Several lines, or a « ; » between a name and its company: what no tick is."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 or ";" in text


def a_name_first(text: str) -> bool:
    """Whether a line of ``text`` begins with what a list line would take as a name: letters
    (and « ' - . , ») before its « ; » (a tab: a spreadsheet's cells). `'; DROP TABLE
    formations; --`, « 1 ; 2 ; 3 » are no part of a list (explorer UC5: answered « Ce
    message ressemble à une liste de stagiaires »)."""
    for line in text.splitlines():
        first = name_letters(re.split(r"[;\t]", line, maxsplit=1)[0]).strip(" -•*·")
        if any(ch.isalpha() for ch in first) and written_like_a_name(first):
            return True
    return False


def one_name(text: str) -> bool:
    """A single line a list would take as a trainee, written as a name is (« Hélène Ibert »,
    « DUPONT Zoé »): when it is no choice, maybe the last part of a cut list (explorer L);
    « Merci beaucoup », « Les deux » are words (explorer M)."""
    if len(text.splitlines()) != 1 or isinstance(parse_trainee_lines(text), Invalid):
        return False
    words = [w for w in re.split(r"[\s,]+", text.strip().rstrip(";").strip()) if w]
    capitalised = [w for w in words if w[:1].isupper()]
    return len(capitalised) >= 2 and all(
        w[:1].isupper() or fold(w).strip("'") in PARTICLES for w in words
    )


def no_choice_but_a_name(ctx: Context, outcome: Outcome, typed: str) -> Outcome:
    """``outcome``, or, when it refuses a line that reads as a name, the way to add it."""
    if isinstance(outcome, Retry) and typed and one_name(typed):
        return Retry(ctx.render("formation.one_line_part", typed=typed.strip()[:60]))
    return outcome


class ListGoesOn(PickMany):
    """The question after the list: a part of the list arriving here is added to it;
    ``on_part`` may then ask about that part (its days off, WB) before coming back."""

    def __init__(self, name: str, *, on_part: OnPart | None = None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.on_part = on_part

    async def answer(self, ctx: Context) -> Outcome:
        text = ctx.incoming.text
        current = list(ctx.data.get("trainees") or [])
        listed = [name_key(str(t["name"])) for t in current]
        lines = [line.strip() for line in re.split(r"[;\n]", text) if line.strip()]
        if ctx.incoming.choice is None and lines and all(ticks(ctx, n, listed) for n in lines):
            # Names of the list or their numbers, one per line or between « ; »: the delegates
            # to tick (explorer I; explorer Q: « Alice Dupont ; Chloé Martin » gave Alice the
            # company « Chloé Martin », and « 1 ; 3 » was a wrong line of the list).
            ctx.incoming = replace(ctx.incoming, text=", ".join(lines))
        elif ctx.incoming.choice is None and looks_like_a_list(text):
            joined = rejoined(ctx.data.get(CUT_TAIL), text)
            if joined is not None:  # its first line ends the last one: read again, whole
                text, cut = joined
                current = [t for t in current if name_key(str(t["name"])) != cut]
                listed = [key for key in listed if key != cut]
            found = read_part(ctx, text, listed)
            if isinstance(found, Invalid):
                return Retry(found.message)
            keep_tail(ctx.data, ctx.incoming.text)
            ctx.data["trainees"] = [*current, *found]  # lines completed in place, if any
            return (self.on_part(ctx, found) if self.on_part else None) or Stay()
        outcome = await super().answer(ctx)
        head, comma, rest = text.partition(",")
        if (
            isinstance(outcome, Retry)
            and ctx.incoming.choice is None
            and comma
            and rest.strip()
            and name_key(head) in listed
        ):
            # « Alice Dupont, Boulangerie »: her company, with a comma (explorer P: the hint
            # offered to add « Alice Dupont, Boulangerie » as a trainee of its own).
            return Retry(
                ctx.render("formation.company_after_comma", name=head.strip(), rest=rest.strip())
            )
        if ctx.incoming.choice is not None or names_a_listed_one(ctx, text):
            return outcome  # « Bruno, Élodie »: ticks, one not found (explorer P P3)
        return no_choice_but_a_name(ctx, outcome, text)


def ticks(ctx: Context, piece: str, listed: list[str]) -> bool:
    """A piece that names a trainee of the list (in full, or as the options are read) or
    gives an option's number."""
    return piece.isdecimal() or name_key(piece) in listed or len(_named(ctx, piece)) == 1


def names_a_listed_one(ctx: Context, text: str) -> bool:
    """Whether a piece of ``text``, between commas or « et », names one of the options."""
    pieces = [p.strip(" .!") for p in re.split(r"\s*(?:[,;+/]|\b[eE][tT]\b)\s*", text)]
    return len(pieces) > 1 and any(p and _named(ctx, p) for p in pieces)


def _named(ctx: Context, piece: str) -> list[str]:
    """The options of the question asked that ``piece`` names."""
    options = [(str(label), str(value)) for label, value in ctx.data.get("_options") or []]
    return list(match_names(piece, options))


def read_part(ctx: Context, text: str, listed: list[str]) -> list[dict[str, str | None]] | Invalid:
    """The trainees of a next part, said as added to the ``listed`` ones (the formation's
    trainees, ``_existing_keys``, come on top); a wrong line keeps nothing of the part.  A
    name of the list sent again with its company or entry completes its line (explorer N:
    « Alice Dupont ; Boulangerie » was « rien à ajouter », the company dropped unsaid)."""
    keys = [*ctx.data.get("_existing_keys", []), *listed]
    already: list[str] = []
    restated: dict[str, dict[str, str | None]] = {}
    found = parse_trainee_lines(
        text,
        existing=keys,
        now=ctx.now,
        within=trainee_bounds(ctx),
        already=already,
        restated=restated,
    )
    if isinstance(found, WrongLines):
        several = found.count > 1
        return Invalid(
            f"{found.message}\n{texts.say('formation.list_part_resend', several=several)}"
        )
    if isinstance(found, Invalid):
        return found
    completed = complete_lines(ctx, restated, listed)
    already = [name for name in already if name_key(name) not in completed]
    if found:
        total = len(keys) + len(found)
        ctx.say("formation.list_part_added", added=len(found), total=total, already=already)
    elif already:  # every name there already: said, not a silent menu (explorer M)
        saved = any(key not in completed for key in restated)  # given for someone saved
        ctx.say("formation.list_part_all_there", names=already, saved=saved)
    for line in completed.values():
        ctx.say("formation.list_part_completed", line=line)
    return found


def complete_lines(
    ctx: Context, restated: dict[str, dict[str, str | None]], listed: list[str]
) -> dict[str, dict[str, str | None]]:
    """The lines of the list being written that ``restated`` completes, completed, by key."""
    completed: dict[str, dict[str, str | None]] = {}
    for line in ctx.data.get("trainees") or []:
        key = name_key(str(line["name"]))
        if key in listed and key in restated:
            given = {field: value for field, value in restated[key].items() if value}
            line.update(given)
            completed[key] = line
    return completed
