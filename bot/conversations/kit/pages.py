"""Long lists a page at a time: the page-turn buttons and the words that turn pages.

Every paged list (one choice, ticks, the roll call) turns its pages the same
way, so that what a person learns on one list works on the others:

- the options keep one number across the pages (9 to 16 on page 2), so a
  number typed is always the same option, on whatever page it is shown;
- « ◀ Précédents » and « Suivants ▶ (2/5) » carry no number (a dash on the
  console and Matrix, a button on Telegram): a number typed three times
  never goes forth, back and forth again, as it did when « 9 » was
  « Suivants » on page 1 and « Précédents » on page 2;
- typed, « suivant(s) », « page suivante », « précédent(s) », « page 3 »
  turn the page, as the buttons' labels do.

A long text to read rather than choose from (a formation's 300 trainees)
is a :class:`Reading`, paged the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Unpack

from bot.answers import Invalid, fold
from bot.conversations.kit.flow import Hooks, Next, Outcome, Retry, Stay, Step
from bot.messages import Choice, Reply

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context

PREVIOUS = "_prev"
NEXT = "_next"
TURNS = (PREVIOUS, NEXT)
"""The values of the page-turn buttons (a button's data is ``question|value``)."""

LIST_KEYS = ("_options", "_page", "_words", "_only", "_sought", "_search")
"""What a list question keeps while it is asked (its options, page, the word that narrowed
it), forgotten once it is answered."""

PREVIOUS_WORDS = frozenset(
    {"precedents", "precedent", "precedente", "precedentes", "page precedente"}
)
NEXT_WORDS = frozenset({"suivants", "suivant", "suivante", "suivantes", "page suivante"})

_NEXT_LABEL = re.compile(r"^suivants \d{1,4} \d{1,4}$")  # « Suivants ▶ (3/5) » typed back
_PAGE = re.compile(r"^(?:page|p) (\d{1,4})$")


def turn_choices(ctx: Context, page: int, pages: int) -> list[Choice]:
    """The page-turn buttons of ``page`` (0-based) of ``pages``: no number of their own."""
    shown: list[Choice] = []
    if page > 0:
        shown.append(ctx.choice("◀ Précédents", PREVIOUS, numbered=False))
    if page < pages - 1:
        shown.append(ctx.choice(f"Suivants ▶ ({page + 2}/{pages})", NEXT, numbered=False))
    return shown


def turned(value: str, page: int, pages: int) -> int:
    """The page a page-turn button leads to from ``page``, within the list."""
    return clamp(page + (1 if value == NEXT else -1), pages)


def typed_page(text: str, page: int, pages: int) -> int | None:
    """The page a typed answer asks for (0-based), or ``None`` when it asks for none."""
    words = fold(text)
    if words in NEXT_WORDS or _NEXT_LABEL.match(words):
        return clamp(page + 1, pages)
    if words in PREVIOUS_WORDS:
        return clamp(page - 1, pages)
    asked = _PAGE.match(words)
    if asked:
        return clamp(int(asked.group(1)) - 1, pages)
    return None


def clamp(page: int, pages: int) -> int:
    return max(0, min(page, pages - 1))


# --- a long text to read, a page at a time -------------------------------------------------

LINES = 25
"""Lines a page of :class:`Reading` shows: well within one Telegram message (4,096
characters), and a screen or two on a phone."""

DONE = "_done"

LineSource = Callable[["Context"], Awaitable[Sequence[str]]]


class Reading(Step):
    """A list to read (300 trainees), a page at a time, « Page 2 sur 12 » above it.

    ``ask`` is the page's heading (it gets ``page``, ``pages`` and ``count``);
    « Terminé » goes on with ``then`` (or the next step).  One message never
    holds the whole list: a formation's 300 trainees were one message of
    24,000 characters, six on Telegram.
    """

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        lines: LineSource,
        done_label: str = "Terminé",
        **hooks: Unpack[Hooks],
    ) -> None:
        super().__init__(name, **hooks)
        self.prompt = ask
        self.lines = lines
        self.done_label = done_label

    async def question(self, ctx: Context) -> Reply:
        lines = list(await self.lines(ctx))
        pages = max(1, math.ceil(len(lines) / LINES))
        page = clamp(int(ctx.data.get("_page", 0)), pages)
        ctx.data["_pages"] = pages
        ctx.data["_options"] = [[self.done_label, DONE]]
        heading = await self.render(ctx, self.prompt, page=page + 1, pages=pages, count=len(lines))
        shown = "\n".join(lines[page * LINES : (page + 1) * LINES])
        choices = [
            *turn_choices(ctx, page, pages),
            ctx.choice(self.done_label, DONE, numbered=False),
        ]
        return Reply(text=f"{heading}\n{shown}" if shown else heading, choices=tuple(choices))

    async def answer(self, ctx: Context) -> Outcome:
        pages = int(ctx.data.get("_pages", 1))
        page = clamp(int(ctx.data.get("_page", 0)), pages)
        if ctx.incoming.choice is not None:
            picked = ctx.chosen([*TURNS, DONE], labels={})
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            if picked in TURNS:
                ctx.data["_page"] = turned(str(picked), page, pages)
                return Stay(edit=True)
            return self._done(ctx)
        words = fold(ctx.incoming.text)
        asked = typed_page(words, page, pages)
        if asked is not None:
            ctx.data["_page"] = asked
            return Stay()
        if words in {"termine", "fini", "c est tout", "ok", "fin"} or words == fold(
            self.done_label
        ):
            return self._done(ctx)
        return Retry(ctx.render("common.reading_again", done=self.done_label, pages=pages))

    def _done(self, ctx: Context) -> Outcome:
        for key in (*LIST_KEYS, "_pages"):
            ctx.data.pop(key, None)
        return Next()
