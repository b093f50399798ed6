"""Several choices at once: ticks kept across pages, and what a person types to tick many.

A :class:`PickMany` shows its options with a box each (☑ / ☐) and a
"Terminé" button.  Buttons tick and untick one at a time; typing does the
same for many at once, on every platform, with the options' numbers (which
never change from one page to the next, so "12" is the same person on the
console, on Matrix and behind a Telegram button):

- ``3, 4, 5`` · ``3 4 5`` · ``3-5`` · ``3 à 5`` · ``3 et 5``: tick what was
  unticked and untick what was ticked (the same as touching them);
- names or labels, with the tolerance of names (``chloé, Bruno``, ``Faure``,
  one letter wrong);
- ``tous`` / ``aucun``: everything ticked / nothing ticked;
- ``tous sauf 3, 7`` (or ``sauf Chloé``): everything but those;
- ``Terminé`` (``fini``, ``c'est tout``, ``valider``).

Every typed change is said back ("Décoché : 3. Chloé Faure") with the count
ticked, so nothing is silently ignored.  Long lists are paged
(:data:`PAGE`): Telegram refuses a keyboard of more than 100 buttons.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Unpack

from bot import texts
from bot.answers import MAX_TEXT, Invalid, has_control_characters, match_names
from bot.conversations.kit.flow import (
    Hooks,
    Next,
    Option,
    OptionSource,
    Outcome,
    Retry,
    Stay,
    Step,
    options_of,
)
from bot.conversations.kit.pages import TURNS, clamp, turn_choices, turned, typed_page
from bot.messages import Choice, Reply

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context

PAGE = 20
"""Options per page of a multi-choice question (ticking takes taps: fewer page turns)."""

SHOWN_CHANGES = 10
"""Names said back after a typed change; beyond, "et N autres"."""

FINISHED_WORDS = frozenset({"termine", "fini", "c est tout", "j ai fini", "j ai termine"})
"""Typed where a list is being built (ticks, a menu adding items): the list is complete."""
DONE_WORDS = FINISHED_WORDS | {"valider", "ok", "fin"}
ALL_WORDS = frozenset({"tous", "toutes", "tout", "tout le monde", "tous coches", "cocher tout"})
NONE_WORDS = frozenset({"aucun", "aucune", "personne", "rien", "aucun d eux", "decocher tout"})

_NONE_OF = re.compile(
    r"^(?:aucun|aucune|personne|rien|pas encore|pas (?:encore )?de|pas (?:encore )?d)"
    r"(?: (?:delegue|deleguee|delegues|deleguees|participant|participants|signe|signes"
    r"|nom|noms|stagiaire|stagiaires|personne|d eux|d entre eux))?"
    r"(?: (?:pour (?:le moment|l instant|l heure|linstant)|encore|non plus))?$"
    r"|^(?:on verra )?plus tard$|^on verra$|^pas maintenant$"
)
"""« aucun délégué », « pas de délégués » (explorer N), « pas encore de délégués », « aucun
délégué pour le moment » (explorer O), « pas encore », « plus tard », « rien pour le moment »
(explorer P): none, in the words of the question."""
_BUT = re.compile(r"^(?:(?:tous|toutes|tout|tout le monde)\s+)?(?:sauf|excepte|hormis|moins)\s+")
_RANGE = re.compile(r"^(\d{1,4})\s*(?:-|–|a|au|jusqu'a)\s*(\d{1,4})$")
_SEPARATORS = re.compile(r"\s*(?:[,;+\n]|(?<!<)/(?!>)|\bet\b)\s*", re.IGNORECASE)
"""Between the names or numbers of an answer: « 3, 4 », « Anne et Bruno », « Anne/Bruno »; not
the « / » of a tag typed (« <b>Karim</b> », « <br/> »: explorer DF2, quoted « <b>karim< »)."""


def _soft(text: str) -> str:
    """Lower case, accents off, blanks single; punctuation kept (commas separate, "-" ranges)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def words_of(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", _soft(text)).split())


@dataclass(frozen=True)
class Selection:
    """What a typed answer asks: ``toggle`` these, or keep ``only`` these ticked."""

    toggle: tuple[str, ...] = ()
    only: tuple[str, ...] | None = None


def read_selection(
    text: str, options: list[Option], *, names_exactly: bool = False, said: str = ""
) -> Selection | Invalid:
    """The values a typed answer names, or why it names none (a French reason);
    ``names_exactly``: several names listed are the ones to keep ticked; ``said``: the whole
    message as typed, where ``text`` is a folded part of it (the roll call's), for a piece
    not found to be quoted as typed (explorer GD9: « Je ne trouve pas « 31 fevrier » »)."""
    soft = _soft(text)
    values = [o.value for o in options]
    words = words_of(text)
    if words in ALL_WORDS:
        return Selection(only=tuple(values))
    if words in NONE_WORDS or _NONE_OF.match(words):
        return Selection(only=())
    but = _BUT.match(soft)
    items = _items(
        soft[but.end() :] if but else soft, options, _as_typed(said or text), "" if said else text
    )
    if isinstance(items, Invalid):
        return items
    if not items:
        return Invalid(texts.say("common.pick_many_again"))
    if but:
        return Selection(only=tuple(v for v in values if v not in items))
    if names_exactly and len(items) > 1 and not re.search(r"\d", soft):
        # Names listed, « Léa Martin et Julie Petit »: exactly these (explorer Q Q8: Léa,
        # ticked already, was unticked); numbers mirror the buttons, each one a press.
        return Selection(only=tuple(v for v in values if v in items))
    return Selection(toggle=tuple(items))


def _as_typed(text: str) -> Callable[[str], str]:
    """Each piece of ``text`` as typed, from its folded form: a piece not found is quoted with
    its accents and capitals (explorer O: « Je ne trouve pas « elodie » »), one of a longer
    message too, its words found in it (GD9: « absents : Zoé » quoted « zoe »)."""
    pieces = _SEPARATORS.split(text)
    whole = {_soft(piece).strip(" .!"): piece.strip(" .!") for piece in pieces if piece.strip()}
    words = [word.strip(_EDGES) for word in text.split()]
    folded = [_soft(word) for word in words]

    def quote(piece: str) -> str:
        if piece in whole:
            return whole[piece]
        wanted = piece.split()
        for start in range(len(words) - len(wanted) + 1):
            if wanted and folded[start : start + len(wanted)] == wanted:
                return " ".join(words[start : start + len(wanted)])
        return piece

    return quote


_EDGES = " ,;:.!?+/"
"""What a word of a message may carry, not part of a name (« Zoé, » « absents: »)."""


def _items(
    soft: str, options: list[Option], typed: Callable[[str], str], whole: str
) -> list[str] | Invalid:
    """The values named, in order; or why not. A piece not found is quoted as typed, or the
    ``whole`` message (``""``: a part of a longer one) when no piece of it names anyone (explorer UC3: « Je ne trouve pas « ' » »
    for « '; DROP TABLE formations; -- », a piece the person did not recognise)."""
    values = [o.value for o in options]
    found: list[str] = []
    labelled = [(o.label, o.value) for o in options]
    pieces = [piece.strip(" .!") for piece in filter(None, _SEPARATORS.split(soft))]
    unsure: list[tuple[str, list[str]]] = []

    def number(raw: str) -> str | Invalid:
        index = int(raw)
        if not 1 <= index <= len(values):
            return Invalid(texts.say("common.no_such_choice_number", number=raw, count=len(values)))
        return values[index - 1]

    for piece in pieces:
        picked: list[str | Invalid] = []
        span = _RANGE.match(piece)
        if span:
            low, high = sorted((int(span.group(1)), int(span.group(2))))
            picked = [number(str(n)) for n in (low, high)]
            if not any(isinstance(p, Invalid) for p in picked):
                picked = [values[n - 1] for n in range(low, high + 1)]
        elif piece.replace(" ", "").isdigit():
            picked = [number(n) for n in piece.split()]
        else:
            matches = match_names(piece, labelled)
            if not matches:
                alone = not whole or found or any(_names_one(p, labelled) for p in pieces)
                answer = (typed(piece) if alone else " ".join(whole.split()))[:60]
                return Invalid(texts.say("common.pick_many_unknown", answer=answer))
            if len(matches) > 1:
                named = [label for label, value in labelled if value in matches]
                unsure.append((typed(piece)[:60], named))
                continue
            picked = list(matches)
        for value in picked:
            if isinstance(value, Invalid):
                return value
            if value not in found:
                found.append(value)
    if unsure:  # a roll call's part (no ``whole``) is never alone: the other parts go with it
        return _unsure(unsure, alone=len(pieces) == 1 and bool(whole))
    return found


def _unsure(unsure: list[tuple[str, list[str]]], *, alone: bool) -> Invalid:
    """Names several options bear: in a message naming others too, each said with its
    options, and that the message changed nothing (explorer BF4: « absents : Sarah Benali,
    Karim », asked only « précisez » for Karim, then « Karim Benali » noted him alone, Sarah
    Benali counted present)."""
    if alone:
        return Invalid(texts.say("common.ambiguous", answer=unsure[0][0]))
    return Invalid(texts.say("common.ambiguous_among", pieces=unsure))


def _names_one(piece: str, labelled: list[tuple[str, str]]) -> bool:
    """A piece that names one option: a number, a range, or one name (not « i> », inside
    several)."""
    return bool(piece) and (
        piece.replace(" ", "").isdigit()
        or _RANGE.match(piece) is not None
        or len(match_names(piece, labelled)) == 1
    )


SHOWN = "~"
"""Between a ticking button's value and the state it showed when pressed: a double tap's
second press names a state the list no longer shows, and changes nothing (explorer V, V5
for the roll call; EC2: a sign of décrochage ticked, then unticked by a double tap)."""


class PickMany(Step):
    """Tick several options, then "Terminé": delegates, participants, signs of décrochage."""

    reads_numbers = True  # "3, 4", "3-5": the options' own numbers, as shown

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        options: OptionSource,
        minimum: int = 0,
        done_label: str = "✅ Terminé",
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.options = options
        self.minimum = minimum
        self.done_label = done_label

    async def question(self, ctx: Context) -> Reply:
        options = await options_of(self.options, ctx)
        ctx.data["_options"] = [[o.label, o.value] for o in options]
        ticked: list[str] = ctx.data.setdefault(self.store, [])
        pages = max(1, math.ceil(len(options) / PAGE))
        page = max(0, min(int(ctx.data.get("_page", 0)), pages - 1))
        first = page * PAGE
        choices = [
            Choice(
                label=("☑ " if o.value in ticked else "☐ ") + o.label,
                data=f"{ctx.question_id}|{o.value}{SHOWN}{int(o.value in ticked)}",
                number=first + offset + 1,
            )
            for offset, o in enumerate(options[first : first + PAGE])
        ]
        choices += turn_choices(ctx, page, pages)
        choices.append(ctx.choice(self.done_label, "_done"))
        text = await self.render(ctx, self.prompt)
        if pages > 1:
            status = ctx.render(
                "common.pick_many_page",
                page=page + 1,
                pages=pages,
                ticked=len(ticked),
                total=len(options),
            )
            text = f"{text}\n{status}"
        return Reply(text=text, choices=tuple(choices))

    async def answer(self, ctx: Context) -> Outcome:
        offered = [Option(label, value) for label, value in ctx.data.get("_options", [])]
        ticked: list[str] = list(ctx.data.get(self.store, []))
        if ctx.incoming.choice is not None:
            pressed, _, shown = ctx.incoming.choice.partition(SHOWN)
            ctx.incoming = replace(ctx.incoming, choice=pressed)
            picked = ctx.chosen([*(o.value for o in offered), "_done", "_prev", "_next"], labels={})
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            if picked in TURNS:
                return self._turn(ctx, turned(picked, self._page(ctx), self._pages(ctx)), edit=True)
            if picked == "_done":
                return self._done(ctx, ticked)
            assert picked is not None
            if shown and (shown == "1") != (picked in ticked):
                return Stay(edit=True)  # pressed on the list before its last change: done
            ticked = [v for v in ticked if v != picked] if picked in ticked else [*ticked, picked]
            ctx.data[self.store] = ticked
            return Stay(edit=True)
        if ctx.incoming.attachment is not None:  # names are ticked here (explorer EF14)
            return Retry(ctx.render("common.file_instead_of_choice"))
        refusal = ctx.refuse_non_text()
        if refusal:
            return refusal
        if has_control_characters(ctx.incoming.text):  # never echoed (explorer GD3, as Pick)
            return Retry(ctx.render("common.control_characters"))
        if len(ctx.incoming.text) > MAX_TEXT:
            return Retry(
                ctx.render("common.message_too_long", length=len(ctx.incoming.text), limit=MAX_TEXT)
            )
        words = words_of(ctx.incoming.text)
        if not words:  # nothing at all is said so, as at a list to choose in (explorer EC2)
            empty = not ctx.incoming.text.strip()
            return Retry(
                ctx.render("common.pick_many_empty" if empty else "common.pick_many_again")
            )
        if words in DONE_WORDS or words == words_of(self.done_label):
            return self._done(ctx, ticked)
        asked = typed_page(ctx.incoming.text, self._page(ctx), self._pages(ctx))
        if asked is not None:
            return self._turn(ctx, asked, edit=False)
        selection = read_selection(ctx.incoming.text, offered, names_exactly=True)
        if isinstance(selection, Invalid):
            return Retry(selection.message)
        if selection.only == () and self.minimum == 0:
            return self._done(ctx, [])
        after = (
            [v for v in (o.value for o in offered) if v in selection.only]
            if selection.only is not None
            else [v for v in ticked if v not in selection.toggle]
            + [v for v in selection.toggle if v not in ticked]
        )
        ctx.data[self.store] = after
        return Stay(message=self._changes(ctx, offered, ticked, after))

    def _pages(self, ctx: Context) -> int:
        return max(1, math.ceil(len(ctx.data.get("_options") or []) / PAGE))

    def _page(self, ctx: Context) -> int:
        return clamp(int(ctx.data.get("_page", 0)), self._pages(ctx))

    def _turn(self, ctx: Context, page: int, *, edit: bool) -> Outcome:
        ctx.data["_page"] = page
        return Stay(edit=edit)

    def _done(self, ctx: Context, ticked: list[str]) -> Outcome:
        if len(ticked) < self.minimum:
            return Retry(ctx.render("common.pick_at_least", minimum=self.minimum))
        ctx.data[self.store] = ticked
        return Next()

    def _changes(
        self, ctx: Context, offered: list[Option], before: list[str], after: list[str]
    ) -> str:
        """ "Décoché : 3. Chloé Faure. 2 cochés sur 3.": a typed change, said back."""
        numbered = {o.value: f"{n}. {o.label}" for n, o in enumerate(offered, start=1)}

        def said(values: list[str]) -> list[str]:
            names = [numbered[v] for v in values if v in numbered]
            if len(names) > SHOWN_CHANGES:
                return [*names[:SHOWN_CHANGES], f"et {len(names) - SHOWN_CHANGES} autres"]
            return names

        return ctx.render(
            "common.pick_many_changed",
            ticked=said([v for v in after if v not in before]),
            unticked=said([v for v in before if v not in after]),
            count=len(after),
            total=len(offered),
        )
