"""A half-day or a late arrival typed with a date: kept aside until the date is confirmed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from bot.conversations.absences.typed_period import (
    half_day_besides,
    period_besides,
    take_typed_period,
)
from bot.conversations.kit.context import Context


def context(**data: Any) -> Context:
    return cast(Context, SimpleNamespace(data=dict(data)))


def test_the_period_is_taken_out_of_the_date_and_shown_with_it() -> None:
    ctx = context()
    rest, shown = period_besides(ctx, "hier matin")
    assert (rest.strip(), shown) == ("hier", "le matin")
    assert "period" not in ctx.data  # not an answer before the date is confirmed
    take_typed_period(ctx)
    assert ctx.data["period"] == "matin"


def test_a_late_arrival_keeps_its_minutes_and_a_new_answer_forgets_the_old_period() -> None:
    ctx = context(late_minutes=5)
    _rest, shown = period_besides(ctx, "lundi retard de 20 min")
    assert shown == "un retard de 20 min"
    assert period_besides(ctx, "mardi") == ("mardi", None)  # corrected: no period kept
    take_typed_period(ctx)
    assert "period" not in ctx.data and ctx.data["late_minutes"] == 5
    period_besides(ctx, "hier après-midi")
    take_typed_period(ctx)
    assert ctx.data["period"] == "apres_midi" and "late_minutes" not in ctx.data


def test_another_person_s_sentence_is_no_date_and_the_roll_call_takes_half_days_only() -> None:
    ctx = context()
    assert period_besides(ctx, "Hugo absent ce matin") == ("", None)
    _rest, shown = half_day_besides(ctx, "hier retard")
    assert shown is None and "_typed_period" not in ctx.data
    assert half_day_besides(ctx, "hier après-midi")[1] == "l'après-midi"


def test_a_late_arrival_s_half_day_is_shown_and_kept_then_forgotten() -> None:
    """Explorer DG5: « jeudi matin retard de 20 min » lost its morning once confirmed."""
    ctx = context()
    rest, shown = period_besides(ctx, "jeudi matin retard de 20 min")
    assert (rest.strip(), shown) == ("jeudi", "un retard de 20 min le matin")
    take_typed_period(ctx)
    assert (ctx.data["period"], ctx.data["late_half"]) == ("retard", "matin")
    period_besides(ctx, "jeudi retard")
    take_typed_period(ctx)
    assert ctx.data["period"] == "retard" and "late_half" not in ctx.data
