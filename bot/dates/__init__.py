"""French dates as trainers type them, and as the bot spells them back.

Anything ambiguous is read as ``None`` rather than a guess: the conversation
then re-asks, and always shows back what it understood.  One package so that
every reader shares one vocabulary and one way of folding what was typed
(:mod:`bot.dates.words`); callers import from here.
"""

from bot.dates.durations import understand_duration, wrong_duration
from bot.dates.impossible import impossible_day, wrong_weekday, wrong_year
from bot.dates.moments import NEAR_AHEAD, Prefer, Understood, understand
from bot.dates.periods import understand_one_end, understand_period
from bot.dates.spelling import (
    spell_date,
    spell_date_before,
    spell_datetime,
    spell_day_month,
    spell_example,
    spell_minutes,
    spell_span,
    spell_span_days,
    spell_time,
    weekend_day,
)
from bot.dates.wall_clock import at_wall, clock_change
from bot.dates.weekday_year import WeekdayMiss, weekday_year
from bot.dates.working_days import (
    day_off,
    day_to_act,
    is_working_day,
    next_working_day,
    odd_hour,
    previous_working_day,
    public_holiday,
    weekend_words,
    working_day_before,
)

__all__ = [
    "NEAR_AHEAD",
    "Prefer",
    "Understood",
    "WeekdayMiss",
    "at_wall",
    "clock_change",
    "day_off",
    "day_to_act",
    "impossible_day",
    "is_working_day",
    "next_working_day",
    "odd_hour",
    "previous_working_day",
    "public_holiday",
    "spell_date",
    "spell_date_before",
    "spell_datetime",
    "spell_day_month",
    "spell_example",
    "spell_minutes",
    "spell_span",
    "spell_span_days",
    "spell_time",
    "understand",
    "understand_duration",
    "understand_one_end",
    "understand_period",
    "weekday_year",
    "weekend_day",
    "weekend_words",
    "working_day_before",
    "wrong_duration",
    "wrong_weekday",
    "wrong_year",
]
