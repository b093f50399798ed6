"""The hour alone asked for a day already said: « bilan demain aprem » opens /bilan whose
« Quand ? » asks « Demain (mercredi 9 décembre 2026), l'après-midi : à quelle heure ? »,
the day and the part of the day kept, not asked again (explorer KF5b).

Kept apart from :mod:`.date_step`, which asks it, so that the date question stays one job;
the answer then goes through the date question's « J'ai compris : … C'est bien ça ? » and
its checks as any typed date does.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bot import dates
from bot.conversations.kit.flow import Retry
from bot.dates.day_parts import (
    PART_EXAMPLES,
    PART_SAID,
    PART_SPAN,
    in_part,
    near_day,
    part_of_day,
)

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context


EXPLICIT_HOUR = re.compile(r"\d\s*(?:h|:)|(?<!apr[eè]s[-\s])\bmidi\b|\bminuit\b", re.IGNORECASE)
"""An hour given as such (« 9h », « 14:30 », « midi »), not a part of the day (« l'après-midi »
is none: KF5b)."""


def _part_key(step: str) -> str:
    return f"_part_{step}"  # "" for a day said with no part of it


def _near_key(step: str) -> str:
    return f"_near_{step}"


def kept_keys(step: str) -> tuple[str, str]:
    """What :func:`keep_day_said` sets besides the day, dropped once the date is confirmed,
    corrected or replaced by another day."""
    return _part_key(step), _near_key(step)


def keep_day_said(step: str, text: str, day: date) -> dict[str, str | None]:
    """The data that makes the date step ``step`` ask the hour alone of ``day``, which ``text``
    named with no hour (« demain aprem », « jeudi matin », « vendredi »)."""
    return {
        f"_day_{step}": day.isoformat(),  # the date step's day kept (« mardi 16 », then « 14h »)
        _part_key(step): part_of_day(text) or "",
        _near_key(step): near_day(text),
    }


def _day_words(ctx: Context, step: str) -> str:
    """« demain (mercredi 9 décembre 2026), l'après-midi », « jeudi 10 décembre 2026 »."""
    day = dates.spell_date(date.fromisoformat(str(ctx.data[f"_day_{step}"])[:10]))
    near = ctx.data.get(_near_key(step))
    part = PART_SAID.get(str(ctx.data.get(_part_key(step))))
    said = f"{near} ({day})" if near else day
    return f"{said}, {part}" if part else said


def asking_hour(ctx: Context, step: str) -> bool:
    """Whether the date step ``step`` asks the hour alone of a day said (« même heure » there
    is the bilan's hour on that day, no day to ask: explorer LD7's question is not asked)."""
    return ctx.data.get(_part_key(step)) is not None and bool(ctx.data.get(f"_day_{step}"))


def hour_kept_question(ctx: Context, step: str) -> str | None:
    """The question when the day was said: its hour alone; ``None`` otherwise."""
    if not asking_hour(ctx, step) or ctx.data.get(f"_pending_{step}"):
        return None
    part = str(ctx.data.get(_part_key(step)))
    day, examples = _day_words(ctx, step), PART_EXAMPLES.get(part, PART_EXAMPLES[""])
    return ctx.render("common.hour_of_day_said", day=day, examples=examples)


def hour_in_part(
    ctx: Context, step: str, understood: dates.Understood | None
) -> dates.Understood | Retry | None:
    """The answer to :func:`hour_kept_question`: an hour of the part said, placed on the day
    (« 15 h », « 3 h » read 15 h after « l'après-midi »); another day and hour typed replace
    them; anything else is said wrong in words, the day and part kept. ``understood`` as is
    when no day was kept."""
    if not asking_hour(ctx, step):
        return understood
    if understood is not None and understood.has_date:
        for key in kept_keys(step):  # another day: read as typed
            ctx.data.pop(key, None)
        return understood
    part = str(ctx.data.get(_part_key(step)))
    if understood is None or not EXPLICIT_HOUR.search(ctx.incoming.text):
        day, examples = _day_words(ctx, step), PART_EXAMPLES.get(part, PART_EXAMPLES[""])
        return Retry(ctx.render("common.hour_unclear", day=day, examples=examples))
    clock = understood.typed or understood.when.time()
    fitted = in_part(clock, part) if part else clock
    if fitted is None:
        return Retry(
            ctx.render(
                "common.hour_not_in_part",
                hour=dates.spell_time(clock),
                said=PART_SAID[part],
                span=PART_SPAN[part],
                examples=PART_EXAMPLES[part],
            )
        )
    known = date.fromisoformat(str(ctx.data[f"_day_{step}"])[:10])
    when = dates.at_wall(known, fitted, understood.when.tzinfo)
    return dates.Understood(when=when, has_time=True, has_date=False, typed=fitted)
