"""The days a sentence about several absences names (:mod:`.group`): read from its words,
kept with their half-days, or typed again at « Changer le jour »."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from bot.absences.days import (
    MOST_DAYS,
    Days,
    list_periods,
    read_days_and_words,
    span_halves,
)
from bot.absences.line import (
    as_typed,
    date_words,
    late_minutes_of,
    names_a_day_only,
    read_period,
    soft_fold,
    split_reason,
    trailing_words,
    understand_line,
)
from bot.answers import correction
from bot.conversations.absences.motive import keep_reason
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Next, Outcome, stored_date

_LENGTH_LAST = re.compile(
    r"(?:^|,|\s)\s*(?:(?:de\s+|d['’]\s*)?(?P<minutes>\d{1,3}\s*(?:minutes?|min|mn))"
    r"|(?:de\s+|d['’]\s*)(?P<hours>\d{1,2}\s*h(?:eures?)?(?:\s*\d{1,2}(?:\s*(?:minutes?|min|mn))?)?))"
    r"\s*[.,;!]?\s*$",
    re.IGNORECASE,
)
"""A retard's length ending its days (« vendredi après-midi de 20 min », « …, 20 minutes »,
« vendredi matin de 1h15 »: explorer ZA6, hours after « de » only, « à 9h30 » an hour)."""


TODAY_SAID = "_today"
"""Set when the sentence said no day: today's, said « aujourd'hui (lundi …) » in the questions,
and « non, hier » at the recap corrects it (decision LA1, as for one person)."""


def today_corrected(ctx: Context) -> bool:
    """« non, hier », « non, vendredi matin » at the recap of a sentence read as today's: that
    day (and its half-day) instead, the recap shown again with it; ``False`` for words that
    name no past day, which the recap answers as before."""
    words = correction(ctx.incoming.text[:300]) if ctx.data.get(TODAY_SAID) else None
    line = understand_line(words, ctx.now, []) if words else None
    if line is None or line.when is None or line.when.date() > ctx.now.date():
        return False
    ctx.data.pop(TODAY_SAID, None)
    ctx.data["date"] = line.when.isoformat()
    if line.period in ("matin", "apres_midi", "journee") and not ctx.data.get("_late"):
        ctx.data["period"] = line.period
    ctx.data.pop("recap", None)
    return True


async def day_at_period(ctx: Context) -> Outcome | None:
    """« non, hier » at « Quelle demi-journée, aujourd'hui (…) ? »: asked for that day."""
    return Next("period") if today_corrected(ctx) else None


def read_when(ctx: Context, days: bool = True) -> None:
    """The day (or days), the half-day and "justifiée" the sentence gives; the rest is asked.
    Without ``days`` (a day that does not exist, said by the caller), the day is asked."""
    rest, told = _kind_told_apart(str(ctx.data.get("_rest") or "")[:300])
    length = _LENGTH_LAST.search(rest) if ctx.data.get("_late") else None
    if length is not None and not ctx.data.get("_minutes"):
        # « … en retard vendredi après-midi de 20 min »: each one's length (explorer XA16:
        # dropped, the retards saved without their minutes).
        ctx.data["_minutes"] = late_minutes_of(length["minutes"] or length["hours"])
        rest = rest[: length.start()]
    rest, reason = split_reason(rest, ctx.now)
    keep_reason(ctx, reason or told)
    # The line reader knows "justifiée"; several people are "justifiés" / "justifiées".
    line = understand_line(re.sub(r"\b(justifi[eé]e?)s\b", r"\1", rest, flags=re.I), ctx.now, [])
    if ctx.data.get("_late"):
        ctx.data["period"] = "retard"
        half = read_period(rest)[0]  # « Karim et Julie en retard ce matin » (explorer UA9)
        if half in ("matin", "apres_midi"):
            ctx.data["late_half"] = half
    elif line.period in ("matin", "apres_midi", "journee"):
        ctx.data["period"] = line.period
    if line.justified is not None:
        ctx.data["justified"] = line.justified
    if not days:
        return
    several, words = read_days_and_words(
        date_words(rest), ctx.now, late=bool(ctx.data.get("_late"))
    )
    if several is not None:
        if words and reason is None:  # each part as typed: they may be apart (DA8)
            keep_reason(ctx, ", ".join(as_typed(rest, w.strip()) for w in words.split(",")))
        # The words after a comma, or after the last day (« lundi et mardi malade », whose
        # half-days stay read with the days: explorer EA1).
        after_comma = words and trailing_words(date_words(rest))[1] != words
        head = rest.partition(",")[0] if after_comma else rest
        half = read_period(head)[0] if words and several.span else None
        if take_days(ctx, head, several) and half in ("matin", "apres_midi"):
            # « ce matin, malade depuis jeudi »: this morning is today's, the days before it
            # whole (explorer AZ3: three mornings).
            ctx.data["_own"], ctx.data["period"] = {several.last.isoformat(): half}, "journee"
        elif line.period is None and "demi" in read_period(rest)[2]:
            ctx.data.pop("period", None)  # « 1/2 journée », which half: asked (CB2)
        return
    if line.when is not None and line.when.date() > ctx.now.date():
        ctx.say("absence.quick_future", day=line.when.date())
    elif line.when is not None:
        ctx.data["date"] = line.when.isoformat()  # shown in full in the confirmation
    elif line.name_text:
        ctx.say("absence.quick_unknown_date", typed=line.name_text[:40])


_ANOTHER_KIND = re.compile(
    r"\b(?:absente?s?|abs|retard|(?:re)?partie?s?|quitte\w*|pas\s+(?:venue?s?|la))\b"
)


def _kind_told_apart(rest: str) -> tuple[str, str | None]:
    """« ce matin, ils étaient en retard vendredi » → (« ce matin », « ils étaient en retard
    vendredi »): after the day, another kind of event is told, not read (explorer KA8: both
    were noted absent on Friday, the kind from one part and the day from the other); as for
    one person (« Karim absent ce matin, il était déjà absent vendredi »), it is the motive."""
    head, comma, tail = rest.partition(",")
    if not comma or not head.strip() or not names_a_day_only(head):
        return rest, None
    if not _ANOTHER_KIND.search(soft_fold(tail)):
        return rest, None
    return head, tail.strip(" .") or None


def keep_days(ctx: Context, several: Days) -> None:
    """Several days: each is noted, the whole day unless a half-day was said; or why not (then
    the day is asked)."""
    if several.backwards:
        ctx.say("absence.days_backwards", first=several.first, last=several.last)
        return
    if several.too_long:
        ctx.say("absence.days_too_long", first=several.first, last=several.last, most=MOST_DAYS)
        return
    if several.last > ctx.now.date():
        # The ends as typed, a weekend's day included (explorer L: « du 20/12 » named the 21st).
        typed = (*several.days, *several.skipped)
        today = ctx.now.date()  # a day off of today's not named « à venir » (a Sunday's)
        first_to_come = min(d for d in typed if d > today) if several.first > today else max(typed)
        ctx.say("absence.quick_future", day=first_to_come)
        return
    ctx.data["_days"] = [day.isoformat() for day in several.days]
    ctx.data["_skipped"] = [day.isoformat() for day in several.skipped]
    ctx.data["_span"] = several.span
    ctx.data["date"] = datetime.combine(several.first, time(), ctx.tz).isoformat()
    ctx.data.setdefault("period", "journee")


def take_days(ctx: Context, text: str, several: Days) -> bool:
    """Several days kept with the half-days of their ends; ``False`` (and said why) when they
    cannot be noted."""
    keep_days(ctx, several)
    if "_days" not in ctx.data:
        return False
    if ctx.data.get("_late"):
        return True
    ends = span_halves(text) if several.span else None
    # « depuis mercredi matin (jusqu'à lundi) »: every day whole (explorer AA3)
    if ends == ("journee", "journee"):
        ctx.data["period"] = "journee"
    own = span_ends(several, ends) if several.span else list_periods(text, ctx.now)
    if own:  # « lundi matin et mardi après-midi », « de jeudi après-midi à lundi matin »
        ctx.data["_own"] = {day.isoformat(): period for day, period in own.items()}
        ctx.data["period"] = "journee"
    return True


def span_ends(several: Days, ends: tuple[str, str] | None) -> dict[date, str] | None:
    """« de jeudi après-midi à lundi matin »: the ends' half-days, the days between whole.
    An end that fell on a day off (« de samedi matin à mardi ») left nothing to halve."""
    if ends is None:
        return None
    first, last = ends
    if several.skipped and several.skipped[0] < several.first:
        first = "journee"
    if several.skipped and several.skipped[-1] > several.last:
        last = "journee"
    if (first, last) == ("journee", "journee"):
        return None
    return {several.first: first, several.last: last}


def own_periods(ctx: Context) -> dict[str, str] | None:
    own = ctx.data.get("_own")
    return {str(k): str(v) for k, v in own.items()} if own else None


def days_of(ctx: Context) -> list[date]:
    """The days to note: those of « du … au … » or « lundi et mardi », else the one day."""
    several = ctx.data.get("_days")
    if several:
        return [date.fromisoformat(day) for day in several]
    return [stored_date(ctx, "date")]
