"""A half-day or a late arrival typed with a date, kept until the date is confirmed.

    Bot  Quel jour a eu lieu l'absence ou le retard de Karim Benali ?
    Vous hier matin
    Bot  J'ai compris : dimanche 22 novembre 2026, le matin. C'est bien ça ?

The date reader gets « hier », the period question gets « matin » once the date
is confirmed (« Non, corriger » drops both: a corrected day does not keep the
first answer's half-day).
"""

from __future__ import annotations

from bot import dates
from bot.absences.clashes import HALF_SAID
from bot.absences.line import read_period_and_half
from bot.absences.sentence import read_absence_sentence
from bot.conversations.kit.context import Context

TYPED_PERIODS = {**HALF_SAID, "retard": "un retard"}
"""How the confirmation of the date shows a period typed with it (« mardi 1er décembre
2026, le matin »)."""


def period_besides(ctx: Context, text: str) -> tuple[str, str | None]:
    """« hier matin », « lundi retard de 20 min »: the period is kept for the period question
    (not asked again once the date is confirmed), the rest goes to the date reader.

    A sentence about someone's absence (« Hugo absent ce matin ») is no date for the
    trainee in hand: nothing is read, so the engine starts that sentence's own absence
    instead of giving its day to this one (explorer A)."""
    if read_absence_sentence(text) is not None:
        return "", None
    period, minutes, half, rest = read_period_and_half(text)
    if period is None:
        ctx.data.pop("_typed_period", None)
        return text, None
    keep_typed_period(ctx, period, minutes, half)
    return rest, typed_period(period, minutes, half)


def half_day_besides(ctx: Context, text: str) -> tuple[str, str | None]:
    """The roll call's: a half-day only (a late arrival is marked in the list, not typed with
    the day: « hier retard » is read as « hier »)."""
    rest, shown = period_besides(ctx, text)
    if (ctx.data.get("_typed_period") or {}).get("period") == "retard":
        ctx.data.pop("_typed_period")
        return rest, None
    return rest, shown


def keep_typed_period(
    ctx: Context, period: str, minutes: int | None, half: str | None = None
) -> None:
    """A period typed with a date waits for the date's confirmation: « Non, corriger » drops
    both, so the corrected day does not silently keep the first answer's half-day."""
    ctx.data["_typed_period"] = {"period": period, "late_minutes": minutes, "late_half": half}


def take_typed_period(ctx: Context) -> None:
    """The date is confirmed: the period typed with it is the answer to the period question."""
    typed = ctx.data.pop("_typed_period", None)
    if typed:
        ctx.data["period"] = typed["period"]
        for key in ("late_minutes", "late_half"):
            if typed.get(key):
                ctx.data[key] = typed[key]
            else:
                ctx.data.pop(key, None)


def typed_period(period: str, minutes: int | None, half: str | None = None) -> str:
    """« le matin », « un retard de 20 min le matin »: a period as the date's confirmation
    shows it."""
    shown = TYPED_PERIODS[period] + (f" de {dates.spell_minutes(minutes)}" if minutes else "")
    return shown + (f" {TYPED_PERIODS[half]}" if half in ("matin", "apres_midi") else "")
