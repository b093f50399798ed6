"""An absence announced before anyone is named: « J'ai un absent ce matin » opens ``/absence``
for that day, asking who (explorer QB1); « un absent et un retard », « deux absents » pick
nobody (explorer SA6); a day to come or a motive said as for a named one (explorer SA7)."""

from __future__ import annotations

import re
from datetime import date

from bot import dates
from bot.absences.days import read_days_and_words
from bot.absences.line import day_words
from bot.absences.roundabout import name_after_day, someone_after_day
from bot.absences.sentence import AbsenceSentence
from bot.answers import clean_line, has_words
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Outcome, Switch
from bot.conversations.kit.wrong_dates import weekday_at_odds_to_come


def unnamed_absence(ctx: Context, unnamed: AbsenceSentence) -> Outcome:
    """Several people unnamed: nothing opened, a sentence per person or ``/appel`` offered (a
    trainee was picked from « et un retard »: SA6); a day to come said so, as for « Karim
    absent demain »; else ``/absence`` asking who, with the day and the motive said (SA7).
    Said to come (« Léa m'a dit qu'il sera absent », one or several): said at once, before
    any question (explorer ZA15: the formation, who and the day were asked first); a day
    already past (« … qu'il serait absent hier ») is noted as any (explorer AM2: « est à
    venir »)."""
    ahead = day_ahead(ctx, unnamed) if unnamed.future else ctx.now.date()
    if ahead is None or ahead > ctx.now.date():  # « … qu'il serait absent hier »: noted (AM2)
        ctx.say("absence.said_to_come", day=ahead, late=unnamed.late)
        return Leave()
    if unnamed.several:
        ctx.say("absence.unnamed_several", named=named_after(unnamed, ctx.incoming.text))
        return Leave()
    if said_to_come(ctx, unnamed, late=unnamed.late):
        return Leave()
    line = f"retard {unnamed.rest}" if unnamed.late else unnamed.rest
    # « _unnamed »: the one picked is named with the day (closing 38: named nowhere before).
    data: dict[str, object] = {"_line": line.strip(), "_at": ctx.now.isoformat(), "_unnamed": True}
    reason = clean_line(unnamed.reason, limit=300) if unnamed.reason else None
    if isinstance(reason, str) and has_words(reason):
        data["reason"] = reason  # the answer to « Un motif connu ? », as a sentence's
    return Switch("absence", data)


def named_after(unnamed: AbsenceSentence, typed: str) -> bool:
    """« j'ai 2 retards ce matin, Karim 20 min et Julie 10 min »: the several announced are
    named after the day, so never said « sans toutes les nommer » (explorer XA17); « j'ai un
    absent ce matin, Julie est en retard » names one of two, said so."""
    named = name_after_day(unnamed.rest, typed)
    if named is None or someone_after_day(unnamed.rest, typed):
        return False
    return re.search(r"\set\s|,", named.partition(" : ")[2]) is not None


def day_to_come(ctx: Context, sentence: AbsenceSentence) -> date | None:
    """The first day the sentence names when every one it names is to come (« demain », « lundi
    prochain », « du 28/12 au 2/01 »), else ``None``: a span begun already (« du lundi à
    demain ») is asked again, some of its days to note (explorer HB14)."""
    words = day_words(sentence.rest, ctx.now)
    if not words:
        return None
    today = ctx.now.date()
    several = read_days_and_words(words, ctx.now, late=sentence.late)[0]
    if several is not None:
        typed = [*several.days, *several.skipped]  # a weekend's end as typed (« du 27/12 »)
        return min(typed) if typed and min(typed) > today else None
    understood = dates.understand(words, ctx.now, "past")
    if understood is None or not understood.has_date or understood.when.date() <= today:
        return None
    return understood.when.date()


def said_to_come(ctx: Context, sentence: AbsenceSentence, **besides: object) -> bool:
    """Said so at once (with ``besides`` for the template) when every day the sentence names
    is to come (:func:`day_to_come`), or both days its weekday at odds with its date may mean
    (« mardi 11 janvier », a Monday: « C'est à venir », explorer BE10); else nothing said."""
    coming = day_to_come(ctx, sentence)
    if coming is None and not weekday_at_odds_to_come(ctx, day_words(sentence.rest, ctx.now)):
        return False
    ctx.say("absence.said_to_come", day=coming, **besides)
    return True


def day_ahead(ctx: Context, sentence: AbsenceSentence) -> date | None:
    """The day a sentence said in the future names, read ahead (« sera absente lundi »: next
    Monday, explorer M), ``None`` when it names none (« il sera absent »)."""
    ahead = dates.understand(day_words(sentence.rest, ctx.now), ctx.now, "future")
    return ahead.when.date() if ahead is not None and ahead.has_date else None
