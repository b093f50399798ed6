"""Two kinds of question the flow kit does not ask (no dialogue here).

- :class:`FileUpload`: a file as the answer (the signed feuille
  d'émargement), checked, with a button to give up;
- :class:`PickOrSay`: one of a few fixed answers, also understood from a
  few plain words (« oui », « non », « corriger »), re-asked with its own hint
  (the participant's sworn answer).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Unpack

from bot.answers import Invalid, fold
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Next, Outcome, Retry, Step
from bot.conversations.kit.pick import asks_to_stop
from bot.conversations.kit.steps import Hooks, Option
from bot.messages import Reply


class FileUpload(Step):
    """A file as the answer, checked by ``check``, with a button to give up.

    ``check(mime_type, content)`` names what is wrong with the file (a block
    of the template topic ``problems``, rendered with ``limit``), or ``None``.
    The file never goes into ``ctx.data`` (JSON): its name is stored, and
    the ``then`` hook reads the file from the message that brought it.
    """

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        expected: str,
        check: Callable[[str, bytes], str | None],
        problems: str,
        limit: int,
        cancel_label: str,
        cancelled: str,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.expected = expected
        self.check = check
        self.problems = problems
        self.limit = limit
        self.cancel_label = cancel_label
        self.cancelled = cancelled

    async def question(self, ctx: Context) -> Reply:
        return Reply(
            text=await self.render(ctx, self.prompt),
            choices=(ctx.choice(self.cancel_label, "_cancel"),),
        )

    async def answer(self, ctx: Context) -> Outcome:
        attachment = ctx.incoming.attachment
        if ctx.incoming.choice is not None or (
            attachment is None and fold(ctx.incoming.text) == fold(self.cancel_label)
        ):
            picked = ctx.chosen(["_cancel"], labels={"_cancel": self.cancel_label})
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            ctx.say(self.cancelled)
            return Leave()
        if attachment is None:
            return Retry(ctx.render(self.expected))
        problem = self.check(attachment.mime_type, attachment.content)
        if problem is not None:
            return Retry(ctx.render(f"{self.problems}.{problem}", limit=self.limit))
        ctx.data[self.store] = attachment.filename[:200]
        return Next()


class PickOrSay(Step):
    """One of a few fixed answers: a button, its number, its label or a plain word.

    Unlike :class:`~bot.conversations.kit.steps.Pick`, the answers are always
    the same (no paging, nothing stored with the question), ``synonyms``
    maps plain words to them, ``heard`` reads a sentence as one of them (folded),
    and an answer that names none is re-asked with the step's own hint ``again``.
    """

    def __init__(
        self,
        name: str,
        *,
        ask: str,
        options: Sequence[Option],
        synonyms: dict[str, str],
        again: str,
        heard: Callable[[Context, str], Awaitable[str | Invalid | None]] | None = None,
        other: Callable[[Context], Awaitable[Outcome | None]] | None = None,
        exact: bool = False,
        **hooks: Unpack[Hooks],
    ):
        super().__init__(name, **hooks)
        self.prompt = ask
        self.exact = exact
        """A sworn answer: typed, only a whole label, a synonym or ``heard`` takes it, never
        a word inside a label (explorer XA4: « test », inside « atteste », swore the oath;
        XA13: « j'ai participé », every word inside « Je n'ai pas participé », declined)."""
        self.options = tuple(options)
        self.synonyms = synonyms
        self.again = again
        self.heard = heard
        self.other = other
        """A typed answer that names none, which the flow answers itself (a role the
        invitation does not allow), before the hint ``again``."""

    async def question(self, ctx: Context) -> Reply:
        return Reply(
            text=await self.render(ctx, self.prompt),
            choices=tuple(ctx.choice(o.label, o.value) for o in self.options),
        )

    async def answer(self, ctx: Context) -> Outcome:
        picked = ctx.chosen(
            [o.value for o in self.options],
            labels={o.value: o.label for o in self.options},
            synonyms=self.synonyms,
            exact=self.exact,
        )
        if picked is None and self.heard is not None and ctx.incoming.choice is None:
            picked = await self.heard(ctx, fold(ctx.incoming.text))
        if picked is None and self.other is not None and ctx.incoming.choice is None:
            taken = await self.other(ctx)
            if taken is not None:
                return taken
        if picked is None and ctx.incoming.choice is None and asks_to_stop(ctx.incoming.text):
            return Retry(ctx.render("common.pick_none", stop=True))
        if picked is None:
            return Retry(ctx.render(self.again))
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        ctx.data[self.store] = picked
        return Next()
