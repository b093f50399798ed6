"""One choice among options: paged, a number kept on every page, narrowed by what is typed.

The kind of question most dialogues ask (a formation, a trainee, a
half-day); :class:`~bot.conversations.kit.steps.Menu` asks through it too.
Imported from :mod:`bot.conversations.kit.steps` like every other step.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Unpack

from bot.answers import MAX_TEXT, Invalid, fold, has_control_characters
from bot.answers import visible as visible_text
from bot.conversations.kit.context import SIGNED, choice_word, typed_number
from bot.conversations.kit.flow import (
    PAGE_SIZE,
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
from bot.conversations.kit.many import FINISHED_WORDS
from bot.conversations.kit.matching import matching
from bot.conversations.kit.pages import LIST_KEYS, TURNS, clamp, turn_choices, turned, typed_page
from bot.dates.words import a_day_of_the_month
from bot.messages import Choice, Reply, shorten

STOP_WORDS = frozenset(
    {"annuler", "annule", "stop", "stopper", "arreter", "arrete", "quitter", "abandonner", "fin"}
)
"""Folded words that ask to leave what is under way, typed without the slash."""

TEXT_STOPS = STOP_WORDS - {"fin"}
"""Typed alone as an answer, a way out asked without the slash (« fin » may end a list)."""


def asks_to_stop(typed: str) -> bool:
    """« annuler », « stop », or a short sentence saying it (« je veux arrêter », « stop
    svp ») where no answer fits: the way out is then named (explorer AG2: a delegate who
    typed them at her attestation was only shown the attestation again, four times)."""
    words = fold(typed).split()
    return fold(typed) in STOP_WORDS or (
        0 < len(words) <= 4 and any(w in STOP_WORDS and w != "fin" for w in words)
    )


RECAP = (
    Option("Enregistrer", "save", words=("oui", "ok", "valider")),
    Option("Corriger", "fix", words=("non", "modifier", "changer")),
    Option("Abandonner", "abandon"),
)
"""A recap's « Tout est juste ? »: « non » means something is wrong, not « throw it all
away » (an absence's, a formation's); « annuler » typed gets the answer it gets anywhere
(« tapez /annuler »), not a dialogue dropped at once (explorer Y, Y9)."""

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context


def unreadable(ctx: Context, *, empty: str | None = None) -> Retry | None:
    """Control characters (never echoed: U+202E turned the reply round, explorer AD1), a
    message over :data:`MAX_TEXT` (said as at a text question, AD25), or, with ``empty`` (the
    key said), nothing visible: one answer at every kind of question (explorers UC4, UC7: the
    timeline and the date questions said « pas reconnu », « pas compris cette date »)."""
    typed = ctx.incoming.text
    if has_control_characters(typed):
        return Retry(ctx.render("common.control_characters"))
    if len(typed) > MAX_TEXT:
        return Retry(ctx.render("common.message_too_long", length=len(typed), limit=MAX_TEXT))
    if empty is not None and not visible_text(typed).strip():
        return Retry(ctx.render(empty))
    return None


class Pick(Step):
    """Choose one option: a button, its number, or (part of) its label.

    The options shown are stored with the question, so "2" still means what
    was displayed even if the data changed since, and a forged or stale
    button is recognised.  Long lists are paged (:mod:`.pages`: an option
    keeps its number on every page).  Part of a label typed (« cariste »,
    « rouen ») that fits several options shows those only, numbered afresh,
    with « Toute la liste » to come back; one that fits one takes it.
    """

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        options: OptionSource,
        columns: int = 1,
        other: Callable[[Context], Awaitable[Outcome | None]] | None = None,
        paged: bool = True,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.options = options
        self.columns = columns
        self.paged = paged
        """``False`` for a menu's few actions: all shown at once, « Terminé » with them (its
        tenth entry put « Supprimer la formation » and « Terminé » on a second page)."""
        self.other = other
        """A typed answer that fits no option but that the flow takes otherwise (another day
        at « Quand, ce vendredi ? », « je n'ai pas pu venir » at a role), or ``None``."""

    async def question(self, ctx: Context) -> Reply:
        options = await options_of(self.options, ctx)
        ctx.data["_options"] = [[o.label, o.value] for o in options]
        words = {fold(w): o.value for o in options for w in o.words}
        if words:
            ctx.data["_words"] = words
        hidden = {o.value: o.search for o in options if o.search}
        if hidden:
            ctx.data["_search"] = hidden
        shown = visible(ctx, options)
        text = await self.render(ctx, self.prompt)
        if len(shown) < len(options):
            narrowed = ctx.render(
                "common.narrowed",
                answer=ctx.data.get("_sought", ""),
                count=len(shown),
                total=len(options),
            )
            text = f"{text}\n{narrowed}"
        if RETURN_PAGE in ctx.data:  # asked again on the page its step left (a flow's hook)
            ctx.data["_page"] = ctx.data.pop(RETURN_PAGE)
        page = int(ctx.data.get("_page", 0))
        return Reply(
            text=text,
            choices=self._page_choices(ctx, shown, page, narrowed=len(shown) < len(options)),
            columns=self.columns,
        )

    def _page_choices(
        self, ctx: Context, options: list[Option], page: int, *, narrowed: bool
    ) -> tuple[Choice, ...]:
        whole = (ctx.choice("Toute la liste", WHOLE, numbered=False),) if narrowed else ()
        head, listed, tail = pinned(options)
        if not self.paged or len(options) <= PAGE_SIZE + 1:
            # The list's own numbered alike on short and paged lists (explorer I: « 1 » was
            # « Terminé » on a short /echeances, the first deadline on a paged one).
            listed_only = bool(head or tail) and bool(listed)
            return (
                tuple(
                    ctx.choice(
                        shorten(o.label),
                        o.value,
                        numbered=not (listed_only and o.value.startswith("_")),
                        detail=o.detail,
                    )
                    for o in options
                )
                + whole
            )
        pages = math.ceil(len(listed) / PAGE_SIZE)
        page = clamp(page, pages)
        first = page * PAGE_SIZE
        shown = tuple(
            Choice(
                shorten(o.label),
                f"{ctx.question_id}|{o.value}",
                number=first + offset + 1,
                detail=o.detail,
            )
            for offset, o in enumerate(listed[first : first + PAGE_SIZE])
        )
        around = [
            tuple(ctx.choice(shorten(o.label), o.value, numbered=False) for o in h)
            for h in (head, tail)
        ]
        return around[0] + shown + tuple(turn_choices(ctx, page, pages)) + around[1] + whole

    async def answer(self, ctx: Context) -> Outcome:
        offered = [Option(label, value) for label, value in ctx.data.get("_options", [])]
        shown = visible(ctx, offered)
        paged = self.paged and len(shown) > PAGE_SIZE + 1
        shown = pinned(shown)[1]  # numbers name the listed ones (the rest is unnumbered)
        pages = math.ceil(len(shown) / PAGE_SIZE) if paged else 1
        page = clamp(int(ctx.data.get("_page", 0)), pages)
        if ctx.incoming.choice is not None:
            labels = {o.value: o.label for o in offered}
            values = [*(o.value for o in offered), *TURNS, WHOLE]
            picked = ctx.chosen(values, labels=labels)
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            assert picked is not None
            return self._picked(ctx, picked, page, pages, edit=True)
        typed = ctx.incoming.text
        if (unread := unreadable(ctx)) is not None:
            return unread
        if not fold(visible_text(typed)):  # nothing, or zero-width spaces only (explorer AD2)
            refused = ctx.file_at_choice()
            # A sign or an emoji is something received, only not a choice (explorer AK9).
            nothing = not visible_text(typed).strip()
            said = ctx.render("common.pick_empty" if nothing else "common.pick_again")
            return Retry(refused.message if refused else said)
        asked = typed_page(typed, page, pages) if pages > 1 else None
        if asked is not None:
            ctx.data["_page"] = asked
            return Stay()
        if fold(typed) in WHOLE_WORDS and len(shown) < len(offered):
            return self._picked(ctx, WHOLE, page, pages, edit=False)
        worded = choice_word(fold(typed))
        if worded is not None and fold(typed) not in (fold(o.label) for o in offered):
            if self.other is not None and a_day_of_the_month(fold(typed)):
                # « le premier » the 1st where the flow reads another day (explorer GA1).
                taken = await self.other(ctx)
                if taken is not None:
                    return taken
            typed = str(worded)  # « un », « le deuxième »: the number shown (explorer EF1)
        if fold(typed).isdecimal():
            number = typed_number(typed) or 0
            if not shown:
                return Retry(ctx.render("common.pick_again"))
            if SIGNED.fullmatch(typed.strip()):  # « -1 » is no choice 1 (explorer GD2, as E)
                return Retry(ctx.render("common.signed_number", number=typed.strip()[:12]))
            if not 1 <= number <= len(shown):
                quoted = fold(typed) if len(fold(typed)) <= 12 else None  # 20 nines: « ce numéro »
                return Retry(ctx.render("common.no_such_number", number=quoted, count=len(shown)))
            if pages > 1 and (number - 1) // PAGE_SIZE != page:
                # Not on this page: shown with its page first, never taken unseen.
                ctx.data["_page"] = (number - 1) // PAGE_SIZE
                said = ctx.render(
                    "common.number_elsewhere", number=number, page=ctx.data["_page"] + 1
                )
                return Stay(message=said)
            return self._picked(ctx, shown[number - 1].value, page, pages, edit=False)
        synonyms = dict(ctx.data.get("_words") or {})
        hidden = dict(ctx.data.get("_search") or {})
        found = _fitting(typed, shown, synonyms, hidden)
        if not found and len(shown) < len(offered):
            found = _fitting(typed, offered, synonyms, hidden)
        taken = await self.other(ctx) if not found and self.other is not None else None
        return taken if taken is not None else self.narrow(ctx, found, typed, shown)

    def narrow(self, ctx: Context, found: list[str], typed: str, shown: list[Option]) -> Outcome:
        """What part of a label typed does: the one option it fits taken, several shown alone."""
        if len(found) == 1:
            return self._picked(ctx, found[0], 0, 1, edit=False)
        if not found:
            # « annuler », « stop » typed where no option says it: the way out, named; so
            # for « Terminé », which ends a list or a menu that offers it (explorer BF8).
            stop = asks_to_stop(typed)
            done = fold(typed) in FINISHED_WORDS
            # « une partie de son nom » for a list to search, not at « Oui / Non » (explorer O).
            return Retry(
                ctx.render(
                    "common.pick_none",
                    answer=shorten(" ".join(typed.split()), 60),
                    stop=stop,
                    done=done,
                    search=len(shown) > SEARCHED_FROM,
                )
            )
        if set(found) >= {o.value for o in shown}:
            return Retry(
                ctx.render("common.ambiguous", answer=shorten(" ".join(typed.split()), 60))
            )
        ctx.data.update(_only=found, _sought=" ".join(typed.split())[:60], _page=0)
        return Stay()

    def _picked(self, ctx: Context, picked: str, page: int, pages: int, *, edit: bool) -> Outcome:
        if picked in TURNS:
            ctx.data["_page"] = turned(picked, page, pages)
            return Stay(edit=edit)
        if picked == WHOLE:
            for key in ("_only", "_sought", "_page"):
                ctx.data.pop(key, None)
            return Stay(edit=edit)
        ctx.data[self.store] = picked
        for key in LIST_KEYS:
            if key != "_options":
                ctx.data.pop(key, None)
        return Next()


SEARCHED_FROM = 4
"""Options past which typing a part of one is worth saying (a list of names, of formations)."""

WHOLE = "_whole"
"""The value of « Toute la liste », after a typed word narrowed a list."""
WHOLE_WORDS = frozenset({"toute la liste", "liste complete", "toute liste"})


RETURN_PAGE = "_return_page"
"""The page a list is shown on when asked again (a group's members after one was opened)."""


def page_of(ctx: Context, picked: str) -> int:
    """The page of the list just answered that shows ``picked`` (0 if it is none of its
    listed ones): where to ask it again (:data:`RETURN_PAGE`) once what was opened from it
    closes (explorers I and KB, KB5: page 1 again, every time)."""
    listed = [v for _, v in ctx.data.get("_options") or [] if not str(v).startswith("_")]
    return listed.index(picked) // PAGE_SIZE if picked in listed else 0


def pinned(options: list[Option]) -> tuple[list[Option], list[Option], list[Option]]:
    """A paged list's options: those before it and after it (their values start with « _ »:
    « Terminé », « ✅ Toutes faites », « Retour à la liste »), shown on every page,
    unnumbered (explorer H H9: « Toutes faites » was on page 202 of 202), and the listed
    ones, numbered and paged."""
    listed = [o for o in options if not o.value.startswith("_")]
    if not listed:
        return [], options, []
    first = options.index(listed[0])
    head = options[:first]
    tail = [o for o in options[first:] if o.value.startswith("_")]
    return head, listed, tail


def visible(ctx: Context, options: list[Option]) -> list[Option]:
    """The options a typed word narrowed the list to (all when none, or none of them is left)."""
    only = ctx.data.get("_only")
    if not only:
        return options
    kept = [o for o in options if o.value in set(only)]
    if not kept:
        for key in ("_only", "_sought"):
            ctx.data.pop(key, None)
        return options
    return kept


def _fitting(
    typed: str, options: list[Option], synonyms: dict[str, str], hidden: dict[str, str]
) -> list[str]:
    if len(typed) > MAX_TEXT:
        return []
    labels = {o.value: f"{o.label} {hidden.get(o.value, '')}".strip() for o in options}
    return matching(typed, [o.value for o in options], labels=labels, synonyms=synonyms)
