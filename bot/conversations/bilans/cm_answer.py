"""The chargée de mission answers the bilan's invitation on Matrix/Tchap (:mod:`bot.bilans.cm_answers`).

    Bot   Bonjour Madame, … bilan de fin de formation du jeudi 14 janvier 2027 à 14 h 00 …
          1. Je confirme ma présence  2. Je propose une autre date  3. Je ne pourrai pas venir
    Elle  1
    Bot   Merci, c'est noté : votre présence est confirmée. Je le dis à Camille Durand.

    Elle  2
    Bot   Quelle date proposez-vous, avec l'heure ? Par exemple « mardi 19 janvier à 10 h ».
    Elle  le 19 à 10h
    Bot   J'ai compris : mardi 19 janvier 2027 à 10 h 00. C'est bien ça ?
    Elle  oui
    Bot   Un mot pour Camille Durand ? Écrivez-le, ou touchez « Passer ».
    Elle  Passer
    Bot   Merci : je transmets votre proposition à Camille Durand, qui vous répondra.

She follows several formations: which bilan is asked first.  Anything else she
writes is no answer of these: it goes to the trainer as it is
(:mod:`bot.conversations.bilans.charge_de_mission`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from bot import dates
from bot.answers import fold, has_control_characters, visible
from bot.bilans.cm_answers import (
    ANSWERS,
    CANNOT,
    CONFIRMED,
    OTHER_DATE,
    HerBilan,
    answer_in_sentence,
    answer_of,
    her_bilans,
    keep_answer,
)
from bot.conversations.bilans.charge_de_mission import answer as pass_on
from bot.conversations.bilans.cm_which import pass_on_or_ask
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Stay, Switch
from bot.conversations.kit.pick import Pick
from bot.conversations.kit.steps import Confirm, DateStep, Option, Text, words
from bot.storage.people import Person

NOTE_LIMIT = 500


async def quick_answer(ctx: Context) -> Outcome | None:
    """« 1 », « je confirme », « empêchée »… from a chargée de mission (someone on Matrix, in
    private, no member: :func:`bot.features.bilans.charge_de_mission_answer`): her answer,
    the dialogue started with what it already knows; ``None`` for anything else."""
    if ctx.in_dialogue:
        # Not an answer to the question under way (« ok » while she looks for a date to
        # propose: explorer AG4, read as « Je confirme ma présence » and told the trainer).
        return None
    text = ctx.incoming.text
    answer = answer_of(text)
    # A sentence of her own (« Je ne serai pas disponible le 15, désolée »): what it seems to
    # answer (explorer AL1: passed on as a message only, « pas encore reçue »).
    said = answer_in_sentence(text) if answer is None else None
    folded = fold(text)
    proposed = None
    if answer is None:
        proposed = PROPOSES.match(folded) or (MOVED_TO.search(folded) if said else None)
    hers = await _hers(ctx) if answer or said or proposed else []
    if not hers:
        return None
    data: dict[str, Any] = {"answer": answer or said or OTHER_DATE}
    # « … au bilan du vendredi 15 janvier »: the one bilan of hers that day, not asked
    # again (explorer AT4).
    named = [h for h in hers if f" {fold(dates.spell_day_month(h.local_day))} " in f" {folded} "]
    if len(named) != 1:
        # Her « Répondre » on one bilan's invitation: that bilan (explorer DB3).
        named = replied_to(hers, ctx.incoming.quoted)
    if len(hers) > 1 and len(named) == 1:
        data["bilan_id"] = named[0].bilan.id
    if proposed is not None:
        data[PROPOSAL] = proposed["rest"]  # read once her bilan is known (:func:`_take`)
    if said is not None:
        # Her sentence goes to the trainer as it is; what it seems to answer is asked, never
        # kept unasked (explorer AN1-AN3: « je confirme avoir reçu le document » was
        # « présence confirmée », « je ne peux pas me connecter au lien » « ne pourra pas
        # venir »), unless a date it proposes is shown back to confirm anyway.
        await pass_on(ctx)
        data[READ] = True
        data[READING] = True
    return Switch(FLOW.name, data)


PROPOSES = re.compile(r"^(?:bonjour )?(?:madame |monsieur )?je (?:vous )?propose (?P<rest>.+)$")
"""Another date proposed in a sentence of her own (folded): « Bonjour, je propose le 21
janvier à 10h »."""
MOVED_TO = re.compile(
    r"\b(?:decaler|reporter|deplacer|je (?:vous )?propose)(?: le bilan)? (?P<rest>(?:au|a|le) .+)$"
)
"""The date after « pouvez-vous décaler au mardi 12 janvier à 14 h ? » (folded)."""
PROPOSED = "proposed"
PROPOSAL = "_proposal"
"""The words after « je propose », until her bilan, whose time reads them, is known."""
READING = "_reading"
"""Her answer as read in a sentence of hers, to be confirmed before it is kept."""


def replied_to(hers: list[HerBilan], quoted: str) -> list[HerBilan]:
    """Those of her bilans the bot's message she replied to names, by its formation's title
    and its day (an invitation, a move: « Forma Sud vous invite au bilan … « Cariste », le
    mardi 15 décembre 2026 … »)."""
    if not quoted:
        return []
    said = f" {fold(quoted[:4000])} "
    return [
        h
        for h in hers
        if f" {fold(h.formation.title)} " in said
        and f" {fold(dates.spell_day_month(h.local_day))} " in said
    ]


async def _hers(ctx: Context) -> list[HerBilan]:
    return await her_bilans(ctx.session, ctx.incoming.user, ctx.now)


async def _chosen(ctx: Context, wanted: object = None) -> HerBilan | None:
    """Her bilan ``wanted`` (by default the one chosen), if still to come."""
    wanted = ctx.data.get("bilan_id") if wanted is None else wanted
    return next((b for b in await _hers(ctx) if b.bilan.id == wanted), None)


async def start(ctx: Context) -> Outcome | None:
    hers = await _hers(ctx)
    if not hers:
        ctx.say("charge_de_mission.no_bilan_now")
        return Leave()
    wanted = ctx.data.get("bilan_id")
    chosen = next((h for h in hers if h.bilan.id == wanted), hers[0] if len(hers) == 1 else None)
    if chosen is not None:
        _take(ctx, chosen)
    return await _saved_when_complete(ctx)


def _take(ctx: Context, her: HerBilan) -> None:
    """The bilan she answers for; her hours are read in its organisation's time, the time
    of the invitation she read (explorer AC2)."""
    ctx.data["bilan_id"] = her.bilan.id
    ctx.take_zone(her.tz)
    # « je propose le 21 janvier à 10h »: that date, in her bilan's time, shown back to
    # confirm (explorer AG5), which is the question; with several bilans, once she said
    # which (explorer AQ4: the date was dropped, to be typed again).
    typed = ctx.data.pop(PROPOSAL, None)
    # An hour alone is on her bilan's day (explorer DC3: « à 14h30 » was today's, a Sunday,
    # and went so to the trainer), in her sentence as at the date question.
    ctx.data[f"_day_{PROPOSED}"] = her.local_day.isoformat()
    understood = (
        dates.understand(_hour_words(ctx, str(typed))[0], ctx.now.astimezone(her.tz), "future")
        if typed
        else None
    )
    if understood is not None and understood.has_time and not understood.has_date:
        understood = dates.Understood(
            when=datetime.combine(her.local_day, understood.when.timetz()), has_time=True
        )
    if understood is not None and understood.has_time:
        ctx.data[f"_pending_{PROPOSED}"] = understood.when.isoformat()
        ctx.data.pop(READING, None)


_SAME_DAY = re.compile(r"(?i)\b(?:le\s+)?m[êe]me\s+jour\b|\bplut[ôo]t\b|\bdu\s+coup\b")


_NEXT_DAY = re.compile(r"(?i)\b(?:le\s+)?lendemain\b")


_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_WEEKDAY = re.compile(
    rf"(?i)\b({'|'.join(_WEEKDAYS)})\b"
    r"(?!\s*(?:\d{1,2}(?![\d\s]*(?:h|:|heure))|1er|premier|prochain))"
)
"""A weekday not followed by its day's number (« jeudi 10h » yes, « jeudi 12 à 16h » no)."""


def _hour_words(ctx: Context, text: str) -> tuple[str, None]:
    """Her date's words without « le même jour », « plutôt »: the hour she says falls on her
    bilan's day (explorer DC3: « même jour, 14h30 » was not understood, « à 14h30 » today);
    « le lendemain » is the day after it (DF7: it was the very slot she declined); her bilan's
    weekday alone, « plutôt jeudi 14h », is her bilan's day (AJ6: it was the next Thursday)."""
    day = ctx.data.get(f"_day_{PROPOSED}")
    if day:
        bilan_day = date.fromisoformat(str(day))
        if _NEXT_DAY.search(text):
            after = bilan_day + timedelta(days=1)
            text = _NEXT_DAY.sub(f" le {dates.spell_date(after)} ", text)

        def on_her_day(match: re.Match[str]) -> str:
            same = match.group(1).lower() == _WEEKDAYS[bilan_day.weekday()]
            return f" {dates.spell_date(bilan_day)} " if same else match.group(0)

        text = _WEEKDAY.sub(on_her_day, text)
    return " ".join(_SAME_DAY.sub(" ", text).split()), None


async def _saved_when_complete(ctx: Context) -> Outcome | None:
    """A confirmation needs nothing more than its bilan: saved at once; so does a refusal
    already said in her own words (no « Un mot pour … ? » after them)."""
    answer, said = ctx.data.get("answer"), ctx.data.get(READ)
    if ctx.data.get(READING) or ctx.data.get("bilan_id") is None:
        return None
    if answer == CONFIRMED or (answer == CANNOT and said):
        return await save(ctx)
    return None


READ = "_read_in_her_words"
"""Her sentence was passed on, and its reading confirmed: no « Un mot pour … ? » after it."""


async def reading_values(ctx: Context) -> dict[str, Any]:
    her = await _chosen(ctx)
    return {
        "label": ANSWERS.get(str(ctx.data.get("answer")), ""),
        "bilan": her.label if her else "",
    }


async def reading_confirmed(ctx: Context) -> Outcome:
    ctx.data.pop(READING, None)
    return await _saved_when_complete(ctx) or Next()


async def reading_denied(ctx: Context) -> Outcome:
    ctx.say("charge_de_mission.reading_denied")
    return Leave()


async def reading_other(ctx: Context) -> Outcome | None:
    """« Oui, merci beaucoup », « Exactement »: yes (explorer AQ8); « non, … »: no, her words
    passed on; another message: passed on too, the question dropped (her words never
    swallowed by a re-ask). Nothing to read (an empty message, a file, a forged button) or
    terminal escapes are asked again, not passed on as a blank message (coverage AR)."""
    words = fold(ctx.incoming.text).split()
    if has_control_characters(ctx.incoming.text) or not any(c.isalnum() for c in "".join(words)):
        return None
    said = [w for w in words[1:] if w not in POLITE]
    if words and words[0] in SAYS_YES and not {"non", "enfin"} & set(said):
        if said:  # « Oui, mais je ne pourrai rester qu'une heure »: her words go too (AR2)
            await pass_on(ctx)
        return await reading_confirmed(ctx)
    if words and words[0] == "non":
        await pass_on(ctx)
        return await reading_denied(ctx)
    # Naming none of her organisations: held, and asked which formation (AF7's rest).
    return await pass_on_or_ask(ctx, back=False) or Leave()


SAYS_YES = frozenset({"oui", "exactement", "absolument", "effectivement", "parfaitement"})
POLITE = frozenset(
    {
        "merci",
        "beaucoup",
        "bien",
        "madame",
        "monsieur",
        "c",
        "est",
        "ca",
        "cela",
        "tout",
        "a",
        "fait",
        "bonne",
        "journee",
        "cordialement",
        "bonjour",
    }
)
"""Words around a yes that add nothing to pass on (« Oui, merci beaucoup, bonne journée »)."""


async def passed_on_instead(ctx: Context) -> Outcome | None:
    """A message where her bilan is asked: passed on (explorer AQ2:
    « rien dans la liste ne correspond », and the trainer never read it), the question asked
    again; a word or two is a choice mistyped, only asked again.  Naming none of her
    organisations for sure, it is held and she is asked which formation first (AF7)."""
    if len(fold(ctx.incoming.text).split()) >= 3:
        return await pass_on_or_ask(ctx)
    return None


async def message_not_date(ctx: Context) -> Outcome | None:
    """A sentence of hers where the date she proposes is asked, with no figure in it (no date
    mistyped): a message, passed on (or held, and asked which formation: AF7) and the date
    asked again; it was answered « Je n'ai pas compris cette date » and lost (AF7's rest)."""
    text = ctx.incoming.text
    if any(c.isdigit() for c in text) or len(fold(text).split()) < 3:
        return None
    return await pass_on_or_ask(ctx) or Stay()


async def bilan_options(ctx: Context) -> list[Option]:
    return [Option(b.label, str(b.bilan.id)) for b in await _hers(ctx)]


async def on_bilan(ctx: Context, picked: str) -> Outcome:
    her = await _chosen(ctx, int(picked))
    if her is None:  # over or cancelled since the list was shown
        ctx.say("charge_de_mission.bilan_gone")
        return Leave()
    _take(ctx, her)
    return await _saved_when_complete(ctx) or Next()


async def on_answer(ctx: Context, _picked: str) -> Outcome:
    return await _saved_when_complete(ctx) or Next()


def answer_options() -> list[Option]:
    return [Option(label, code) for code, label in ANSWERS.items()]


async def date_example(ctx: Context) -> str:
    """A working day a week ahead, at 10 h: typing it back is accepted."""
    day = ctx.now.astimezone(ctx.tz).date() + timedelta(days=7)
    while not dates.is_working_day(day):
        day += timedelta(days=1)
    return dates.spell_example(day, hour=10)


async def check_date(ctx: Context, when: datetime) -> str | None:
    if when <= ctx.now:
        return ctx.render("charge_de_mission.date_past", example=await date_example(ctx))
    if when > ctx.now + timedelta(days=2 * 366):
        return ctx.render("charge_de_mission.date_too_far")
    return None


async def save(ctx: Context) -> Outcome:
    her = await _chosen(ctx)
    if her is None:  # cancelled or over meanwhile
        ctx.say("charge_de_mission.bilan_gone")
        return Leave()
    answer = str(ctx.data["answer"])
    proposed = ctx.data.get("proposed")
    trainer = await keep_answer(
        ctx.session,
        her,
        answer=answer,
        proposed=datetime.fromisoformat(proposed) if proposed else None,
        note=ctx.data.get("note"),
        now=ctx.now,
        event=ctx.incoming.event_id,
    )
    ctx.say(
        "charge_de_mission.answer_thanks",
        answer=answer,
        trainer=trainer,
        bilan=her.label,
    )
    return Leave()


async def note_values(ctx: Context) -> dict[str, Any]:
    her = await _chosen(ctx)
    trainer = await ctx.session.get(Person, her.formation.owner_id) if her else None
    return {
        "trainer": visible(trainer.display_name) if trainer else "",
        "answer": ctx.data.get("answer"),
    }


async def save_with_note(ctx: Context, _note: object) -> Outcome:
    return await save(ctx)


FLOW = Flow(
    "bilan_cm_answer",
    summary="répondre à l'invitation à un bilan",
    start=start,
    refused_saying="charge_de_mission.command_refused",  # /appel: not hers (explorer DC9)
    steps=[
        Pick(
            "bilan",
            ask="charge_de_mission.ask_bilan",
            options=bilan_options,
            other=passed_on_instead,
            store="bilan_choice",
            when=lambda ctx: ctx.data.get("bilan_id") is None,
            then=on_bilan,
        ),
        Confirm(
            "reading",
            ask="charge_de_mission.ask_reading",
            values=reading_values,
            yes=reading_confirmed,
            no=reading_denied,
            other=reading_other,
            when=lambda ctx: bool(ctx.data.get(READING)),
        ),
        Pick(
            "answer",
            ask="charge_de_mission.ask_answer",
            options=answer_options(),
            unless_known=True,
            then=on_answer,
        ),
        DateStep(
            PROPOSED,
            ask="charge_de_mission.ask_date",
            prefer="future",
            need_time=True,
            check=check_date,
            example=date_example,
            besides=_hour_words,
            other=message_not_date,
            when=lambda ctx: ctx.data.get("answer") == OTHER_DATE,
        ),
        Text(
            "note",
            ask="charge_de_mission.ask_note",
            parse=words(NOTE_LIMIT, "charge_de_mission.note_invalid"),
            skip_label="Passer",
            values=note_values,
            then=save_with_note,
        ),
    ],
)

FLOWS = [FLOW]
