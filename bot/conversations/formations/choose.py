"""Choosing one of my formations, for every dialogue that starts with "Pour quelle formation ?".

    Bot  Quelle formation ?  [Agent de restauration (mardi 1er décembre 2026)] …
    Vous Agent de restauration

The formations running on the day the dialogue is about (today, or the
absence's date already typed) come first, then those about to start, then
those ended: with forty formations, eight that start in January no longer
fill the first page of an absence noted « ce matin ».

Thin helpers over :mod:`bot.formations.queries` for dialogues that hold a
``Context``: the person behind the chat decides what they may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol, TypeVar

from bot import dates
from bot.answers import fold
from bot.conversations.kit.context import Context
from bot.conversations.kit.labels import Piece, fit, listed_where_cut
from bot.conversations.kit.steps import Option
from bot.formations import queries
from bot.formations.labels import told_apart
from bot.formations.twins import twin_marks
from bot.messages import MAX_LABEL, label_limit
from bot.storage.formations import Formation


def member(ctx: Context) -> queries.Member:
    """The person behind the chat, as the formations services know them."""
    return queries.Member(
        organisation_id=ctx.organisation_id,
        person_id=ctx.person_id,
        admin=ctx.actor is not None and ctx.actor.is_admin,
    )


async def visible_formations(ctx: Context) -> list[Formation]:
    return await queries.visible_formations(ctx.session, member(ctx))


async def load_formation(
    ctx: Context, formation_id: object, *, lock: bool = False
) -> Formation | None:
    """The formation if this person may see it; ``None`` for anything else (``lock``: see
    :func:`bot.formations.queries.load_formation`)."""
    return await queries.load_formation(ctx.session, member(ctx), formation_id, lock=lock)


def day_of(ctx: Context) -> date:
    """The day the dialogue is about: a date already typed (``date``, or one waiting to be
    confirmed), otherwise today where the person is."""
    for key in ("date", "_pending_date"):
        typed = ctx.data.get(key)
        if isinstance(typed, str):
            try:
                return datetime.fromisoformat(typed).date()
            except ValueError:
                continue
    return ctx.now.astimezone(ctx.tz).date()


class Dated(Protocol):
    @property
    def start_date(self) -> date: ...

    @property
    def effective_end(self) -> date: ...


D = TypeVar("D", bound=Dated)


async def listed_formations(ctx: Context) -> list[queries.Listed]:
    """The formations this person may see, as a list of choices shows them (no trainees)."""
    return await queries.listed_formations(ctx.session, member(ctx))


def by_relevance(formations: list[D], day: date) -> list[D]:
    """Running on ``day`` (latest start first), then to come (soonest first), then ended
    (latest end first)."""
    running = [f for f in formations if f.start_date <= day <= f.effective_end]
    coming = sorted((f for f in formations if f.start_date > day), key=lambda f: f.start_date)
    ended = sorted(
        (f for f in formations if f.effective_end < day),
        key=lambda f: f.effective_end,
        reverse=True,
    )
    return running + coming + ended


def formation_option(
    f: Formation | queries.Listed, mark: str = "", limit: int = MAX_LABEL
) -> Option:
    """« Cariste (lundi 2 novembre 2026) »: a long title is cut at its end, its start day
    kept (explorer M: two sessions of one long title read the same, the day cut away). Not
    in its middle: two titles that differ there read the same then (explorer N). A twin
    starting that day too has its ``mark`` (« (…, avec Karim) »: explorer MA3), cut last.
    Fitted to ``limit``, the platform's buttons (explorer BF7: fitted to 90, Telegram cut it
    again at 64 in its middle, the day lost), the whole line kept as its ``detail``."""
    day = Piece(f"({dates.spell_date(f.start_date)}" + ("" if mark else ")"))
    marked = [Piece(f"{mark})", ", ", shrink=2, keep=16, middle=True, floor=6)] if mark else []
    pieces = [Piece(f.title, shrink=1, keep=24), day, *marked]
    label = fit(pieces, limit)
    whole = f"{f.title} {day.text}" + (f", {mark})" if mark else "")
    return Option(label, str(f.id), search="" if f.title in label else f.title, detail=whole)


async def options_of(
    ctx: Context, formations: Sequence[Formation | queries.Listed]
) -> list[Option]:
    """``formations`` as choices, twins of one title and start day told apart (explorer MA3:
    identical buttons)."""
    marks = await twin_marks(ctx.session, ((f.id, f.title, f.start_date) for f in formations))
    limit = label_limit(ctx.incoming.platform)
    return listed_where_cut([formation_option(f, marks.get(f.id, ""), limit) for f in formations])


async def named_apart(ctx: Context, formation: Formation) -> str:
    """Its title, with its start day when another formation one sees has the same title
    (explorer DA16: « Supprimer la formation « Agent de restauration » ? », but which?)."""
    listed = [(f.id, f.title, f.start_date) for f in await listed_formations(ctx)]
    marks = await twin_marks(ctx.session, listed)
    return told_apart(listed, marks).get(formation.id, formation.title)


async def formation_options(ctx: Context) -> list[Option]:
    ordered = by_relevance(await listed_formations(ctx), day_of(ctx))
    return await options_of(ctx, ordered)


async def formations_of_trainee(ctx: Context, typed: str | None = None) -> list[Formation] | None:
    """The formations of the trainee a name typed at « Quelle formation ? » (or after the
    command, ``typed``: explorer KB7) names (« Julie Fabre », « fabre »): where she is, as a
    trainer thinks of a group (explorer BD9: « pas reconnu »); ``None`` when it names nobody."""
    words = fold(ctx.incoming.text if typed is None else typed).split()
    if not words or len(" ".join(words)) < 3 or len(words) > 4:
        return None
    found = [
        f
        for f in await visible_formations(ctx)
        if any(set(words) <= set(fold(t.full_name).split()) for t in f.named_trainees)
    ]
    return found or None
