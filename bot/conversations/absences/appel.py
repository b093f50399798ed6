"""The roll call of a half-day (``/appel``): the whole group at once, one confirmation.

    Vous /appel
    Bot  Quelle formation ?                  (skipped with one formation running today)
    Vous Agent de restauration
    Bot  L'appel de quand ?   [Ce matin] [Cet après-midi] [Toute la journée] [Un autre jour]
         (ou tapez le jour : « hier après-midi », « lundi matin »)
    Vous Ce matin
    Bot  Appel du lundi 23 novembre 2026, matin – Agent de restauration (démo) …
         1. ✅ Léa Martin  2. ✅ Karim Benali  3. ✅ Julie Petit  4. ✅ Hugo Moreau …
    Vous absents : 2, 4 ; retard : 3
    Bot  Appel du lundi 23 novembre 2026, matin :
         Absence (2) : Karim Benali, Hugo Moreau.  Retard (1) : Julie Petit.
         Présents : 1.  Enregistrer l'appel ?  [Enregistrer l'appel] [Revoir la liste] [Abandonner]
    Vous Enregistrer l'appel
    Bot  Appel enregistré … (one summary, then one follow-up offer: :mod:`.batch`)

``/appel restauration hier matin`` fills the formation, the day and the
half-day.  The list is :class:`bot.conversations.absences.roll.RollStep`
(buttons on Telegram, numbers typed anywhere); the trainees are those in
the formation that day (entry and exit dates), sorted by surname.  Absences
are saved as not justified (a justification usually comes later:
``/absences`` corrects them), with no minutes for a late arrival.  Saving is
one call to :func:`bot.absences.rollcall.record_roll`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from bot import dates
from bot.absences.clashes import HALF_WORDS, Conflict, period_label
from bot.absences.line import as_typed, date_words, soft_fold, understand_line
from bot.absences.noted_said import noted_together
from bot.absences.rollcall import HALF_DAY_CALLS, Mark, late_already, roster
from bot.answers import YES_NO, Invalid, fold, match_names
from bot.conversations.absences.batch import offer_step, save_marks
from bot.conversations.absences.details import (
    check_not_future,
)
from bot.conversations.absences.roll import (
    ROLL_DONE,
    RollStep,
    apply_typed,
    roster_rows,
)
from bot.conversations.absences.roll_instead import instead_answer, instead_question, named_instead
from bot.conversations.absences.steps import current_formation
from bot.conversations.absences.typed_period import (
    half_day_besides,
    keep_typed_period,
    take_typed_period,
    typed_period,
)
from bot.conversations.formations.choose import (
    by_relevance,
    day_of,
    options_of,
    visible_formations,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Flow,
    Leave,
    Next,
    Option,
    Outcome,
    Retry,
    Stay,
    Step,
    stored_date,
)
from bot.conversations.kit.steps import (
    DateStep,
    Pick,
    besides_key,
    past_example,
    wrong_weekday_said,
)
from bot.conversations.kit.wrong_dates import impossible_said
from bot.dates.words import MONTH_WORDS, WEEKDAY_WORDS
from bot.messages import Reply
from bot.storage.formations import Formation

HALVES = [
    Option("Le matin", "matin"),
    Option("L'après-midi", "apres_midi", words=("aprem", "apres midi")),
    Option("Toute la journée", "journee"),
]
WHEN = [
    Option("Ce matin", "matin", words=("matin",)),
    Option("Cet après-midi", "apres_midi", words=("apres midi", "aprem")),
    Option("Toute la journée", "journee", words=("journee",)),
    Option("Un autre jour", "autre"),
]


def new_appel() -> Flow:
    return Flow(
        "appel",
        # Its command, /aide line and who may use it: bot/features/absences.py.
        start=appel_start,
        steps=[
            Pick(
                "formation",
                ask="absence_appel.ask_formation",
                options=formation_options,
                store="formation_id",
                unless_known=True,
                then=after_formation,
            ),
            WhenStep("quand", ask="absence_appel.ask_when", options=WHEN, then=after_when),
            DateStep(
                "date",
                ask="absence_appel.ask_date",
                prefer="past",
                check=check_not_future,
                then=after_date,
                unless_known=True,
                example=past_example,
                besides=half_day_besides,
            ),
            Pick("period", ask="absence_appel.ask_period", options=HALVES, unless_known=True),
            RollStep(
                "roll", ask="absence_appel.roll", before=load_roster, help="absence_appel.help_roll"
            ),
            RecapStep("recap"),
        ],
        branches=[offer_step()],
    )


# --- the formation ---------------------------------------------------------------------


async def candidates(ctx: Context) -> list[Formation]:
    """The formations running today (with trainees); if none, every one with trainees."""
    visible = [f for f in await visible_formations(ctx) if f.named_trainees]
    today = ctx.now.date()
    running = [f for f in visible if f.start_date <= today <= f.effective_end]
    return running or visible


async def formation_options(ctx: Context) -> list[Option]:
    ordered = by_relevance(await candidates(ctx), day_of(ctx))
    return await options_of(ctx, ordered)


async def appel_start(ctx: Context) -> Outcome | None:
    formations = await candidates(ctx)
    if not formations:
        ctx.say("absence.no_formation")
        return Leave()
    if len(formations) == 1:
        ctx.data["formation_id"] = formations[0].id
    argument = ctx.incoming.argument if ctx.incoming.command == "appel" else ""
    if argument:
        await prefill(ctx, argument, formations)
    return None


async def prefill(ctx: Context, text: str, formations: list[Formation]) -> None:
    """ "/appel restauration hier matin": keep what the line says, confirm a typed date.  A
    day it names that cannot be taken is said as at every date question, and asked: never
    today's roll call opened in its place (explorer HA6: « /appel 31 février matin » took
    « 31 février » for a formation and called today)."""
    text = text[:300]
    titled, rest = _title_first(text, formations)
    if titled:  # « groupe 3 mardi 10 novembre matin »: the title's « 3 » is no day's (JA10)
        if len(titled) == 1:
            ctx.data["formation_id"] = titled[0].id
        text = rest
        line = understand_line(text, ctx.now, [])
        name, unread = "", line.name_text
    else:
        line = understand_line(text, ctx.now, [])
        titles = [(f.title, f.id) for f in formations]
        found = match_names(line.name_text, titles) if line.name_text else []
        name, unread = (line.name_text, "") if len(found) == 1 else _split_day(line.name_text)
        if unread and name:
            found = match_names(name, titles)
        if len(found) == 1:
            ctx.data["formation_id"] = found[0]
        elif name:
            ctx.say("absence_appel.formation_unclear", typed=name[:40])
    wrong = await wrong_day(ctx, _day_text(text, name))
    if wrong is None and unread:
        wrong = ctx.render("absence.quick_unknown_date", typed=as_typed(text, unread)[:40])
    if wrong is not None:
        ctx.send(Reply(text=wrong))
        return
    _keep_when(ctx, line.when, line.period)


def _title_first(text: str, formations: list[Formation]) -> tuple[list[Formation], str]:
    """The formations whose whole title the line starts with (the longest such title, case and
    accents aside), and the rest of the line as typed; ``([], text)`` when none does.

    Explorer JA10: with « Groupe 3 », « CAP 1 » or « Promo 2026 », the title's number was
    read as part of the day (« /appel groupe 3 mardi 10 novembre matin » → formation
    « groupe », date « 3 mardi »): the formations' own titles are matched first."""
    said: list[str] = []
    ends: list[tuple[int, int]] = []  # (words folded so far, where the typed word ends)
    for word in re.finditer(r"\S+", text):
        said.extend(fold(word[0]).split())
        ends.append((len(said), word.end()))
    best: list[Formation] = []
    best_size, cut = 0, 0
    for formation in formations:
        title = fold(formation.title).split()
        if not title or len(title) < best_size or said[: len(title)] != title:
            continue
        end = next((e for n, e in ends if n == len(title)), None)
        if end is None:  # the title ends inside a typed word (« groupe 3-mardi »)
            continue
        if len(title) > best_size:
            best, best_size, cut = [], len(title), end
        best.append(formation)
    return best, text[cut:].strip() if best else text


_DAY_WORDS = frozenset({"le", "du", "au", "l", "er"})
"""Words that go with a day's number (« le 45 »), taken with it when one is there."""


def _split_day(name: str) -> tuple[str, str]:
    """What the line reader left as a formation's name: its words naming no day, and those
    naming a day it could not read (« restauration le 45 » → « restauration », « le 45 »)."""
    words = name.split()

    def dated(word: str) -> bool:
        folded = fold(word)
        return any(c.isdigit() for c in folded) or folded in MONTH_WORDS or folded in WEEKDAY_WORDS

    if not any(dated(w) for w in words):
        return name, ""
    day = [w for w in words if dated(w) or fold(w) in _DAY_WORDS]
    return " ".join(w for w in words if w not in day), " ".join(day)


def _day_text(text: str, name: str) -> str:
    """What of ``text`` names the day: its words less the half-day's and the formation's."""
    others = set(soft_fold(name).split())
    return " ".join(w for w in date_words(text).split() if w not in others)


async def wrong_day(ctx: Context, day_text: str) -> str | None:
    """« mardi 10 décembre » (a Thursday), « 31 février », « 12/03/2226 »: what is wrong with
    the day typed, in the words of every date question (:mod:`.kit.wrong_dates`), or
    ``None``."""
    if not day_text.strip():
        return None
    example = f"{await past_example(ctx)} matin"
    return wrong_weekday_said(ctx, day_text, "past") or impossible_said(ctx, day_text, example)


def _keep_when(ctx: Context, when: datetime | None, period: str | None) -> None:
    if when is not None and when.date() > ctx.now.date():
        ctx.say("absence.quick_future", day=when.date())
        return
    half = period if period in ("matin", "apres_midi", "journee") else None
    if when is None or when.date() == ctx.now.date():
        if half is not None:
            ctx.data["period"] = half
        if when is not None or half is not None:
            ctx.data["date"] = ctx.now.isoformat()  # "ce matin": today, nothing to confirm
        return
    ctx.data["_pending_date"] = when.isoformat()  # the date step shows it back
    if half is not None:  # with its half-day: « mercredi 2 décembre 2026, l'après-midi »
        keep_typed_period(ctx, half, None)
        ctx.data[besides_key("date")] = typed_period(half, None)


async def after_date(ctx: Context, value: object) -> Outcome:
    take_typed_period(ctx)
    return Next()


async def after_formation(ctx: Context, picked: str) -> Outcome:
    if await current_formation(ctx) is None:
        ctx.data.pop("formation_id", None)
        return Retry(ctx.render("formation.not_found"))
    return Next()


# --- when ------------------------------------------------------------------------------


class WhenStep(Pick):
    """Today's half-day by a button, or a day typed ("hier après-midi", "lundi matin")."""

    def applies(self, ctx: Context) -> bool:
        return "date" not in ctx.data and "_pending_date" not in ctx.data

    async def take(self, ctx: Context) -> Outcome:
        outcome = await super().take(ctx)
        text = ctx.incoming.text.strip()
        if not isinstance(outcome, Retry) or ctx.incoming.choice is not None or not text:
            return outcome
        if len(text) > 300 or text.isdigit():
            return outcome
        line = understand_line(text, ctx.now, [])
        if line.when is None or line.name_text:
            wrong = await wrong_day(ctx, date_words(text))  # explorer HA6
            return Retry(wrong or ctx.render("absence_appel.when_unclear"))
        if line.when.date() > ctx.now.date():
            return Retry(ctx.render("absence.future", day=line.when.date()))
        _keep_when(ctx, line.when, line.period)
        return Next()


async def after_when(ctx: Context, picked: str) -> Outcome:
    if picked != "autre":
        ctx.data["period"] = picked
        ctx.data["date"] = ctx.now.isoformat()
    return Next()


# --- the list and the recap ------------------------------------------------------------


async def load_roster(ctx: Context) -> Outcome | None:
    """The trainees of the day, with what is noted already; nobody: ask another day."""
    formation = await current_formation(ctx)
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    day, period = stored_date(ctx, "date"), str(ctx.data["period"])
    called = await roster(ctx.session, formation, day, period)
    if not called:
        ctx.say("absence_appel.nobody", day=day, title=formation.title)
        for key in ("date", "period", "_pending_date", "_typed_period"):
            ctx.data.pop(key, None)
        return Next("quand")
    if not dates.is_working_day(day) and "_roster" not in ctx.data:  # said once (DE14)
        ctx.say("absence_appel.day_off", day=day)
    ctx.data["_roster"] = [
        [c.trainee.full_name, str(c.trainee.id), c.noted or "", c.half_left or ""] for c in called
    ]
    ctx.data["_title"] = formation.title
    ids = {str(c.trainee.id) for c in called if not c.noted or c.half_left}
    ctx.data["marks"] = {k: v for k, v in (ctx.data.get("marks") or {}).items() if k in ids}
    return None


def marked(ctx: Context, status: str) -> list[str]:
    """The names marked ``status``, in the list's order."""
    marks = ctx.data.get("marks") or {}
    return [
        f"{name} ({HALF_WORDS[half_left]})" if half_left and status == "absent" else name
        for name, value, _, half_left in roster_rows(ctx)
        if marks.get(value) == status
    ]


class RecapStep(Step):
    """Who is absent and late, once; typed numbers still change the call."""

    keeps_sentences = True  # « Julie en retard » here is about the roll call

    LABELS: ClassVar[dict[str, str]] = {
        "yes": "Enregistrer l'appel",
        "list": "Revoir la liste",
        "abandon": "Abandonner",
    }
    SAVE_WORDS: ClassVar[dict[str, str]] = {
        word: "yes" for word in (*ROLL_DONE, *(w for w, v in YES_NO.items() if v == "yes"))
    }
    """« Valider », « oui », « c'est bon »: the call is as shown, save it."""

    async def question(self, ctx: Context) -> Reply:
        instead = instead_question(ctx)  # « non, c'est Julie »: whom she replaces (KD2)
        if instead is not None:
            return instead
        day, period = stored_date(ctx, "date"), str(ctx.data["period"])
        marks = ctx.data.get("marks") or {}
        late = [int(value) for _, value, _, _ in roster_rows(ctx) if marks.get(value) == "retard"]
        again = await late_already(ctx.session, late, day)
        text = ctx.render(
            "absence_appel.recap",
            day=day,
            half=period_label(period, None),
            absent=marked(ctx, "absent"),
            late=marked(ctx, "retard"),
            noted=noted_together(
                [
                    (name, None, Conflict("duplicate", noted, ""))
                    for name, _, noted, _ in roster_rows(ctx)
                    if noted
                ]
            ),
            late_again=[name for name, value, _, _ in roster_rows(ctx) if int(value) in again],
            second=period in HALF_DAY_CALLS,
            present=self.present(ctx),
        )
        choices = tuple(ctx.choice(label, value) for value, label in self.LABELS.items())
        return Reply(text=text, choices=choices)

    @staticmethod
    def present(ctx: Context) -> int:
        """Those in the room: on time or late (explorer E E12 g: a late arrival was counted
        out of the room)."""
        marks = ctx.data.get("marks") or {}
        return sum(
            1
            for _, value, noted, _ in roster_rows(ctx)
            if not noted and marks.get(value, "retard") == "retard"
        )

    async def answer(self, ctx: Context) -> Outcome:
        # The recap shows its choices numbered 1 to 3 and no trainee's number: a number
        # alone is the choice shown with it (the kit presses it: "1" saves), and a
        # correction names what changes ("absents : 3", "retard : Julie"), so that
        # "2" and "2, 4" never mean things of two kinds on the same screen.
        text = ctx.incoming.text
        taken = instead_answer(ctx) or named_instead(ctx)
        if taken is not None:
            return taken
        if ctx.incoming.choice is None and any(ch.isdigit() for ch in text):
            picked: str | Invalid | None = None  # numbers with words: the call changed
        else:
            picked = ctx.chosen(list(self.LABELS), labels=self.LABELS, synonyms=self.SAVE_WORDS)
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        if picked == "yes":
            return await self.save(ctx)
        if picked == "list":
            return Next("roll")
        if picked == "abandon":
            ctx.say("absence_appel.abandoned")
            return Leave()
        refusal = ctx.refuse_non_text()
        if refusal:
            return refusal
        # Emojis alone are no name not found, the choices said again (explorer GD9).
        typed = await apply_typed(ctx, worded=True) if fold(text) else None
        if isinstance(typed, Next):
            return Stay()
        return typed or Retry(ctx.render("absence_appel.recap_again"))

    async def save(self, ctx: Context) -> Outcome:
        formation = await current_formation(ctx)
        if formation is None:
            ctx.say("formation.not_found")
            return Leave()
        marks = ctx.data.get("marks") or {}
        trainees = {str(t.id): t for t in formation.named_trainees}
        return await save_marks(
            ctx,
            [
                Mark(formation, trainees[value], marks[value], period=half_left or None)
                for _, value, _, half_left in roster_rows(ctx)
                if value in marks and value in trainees
            ],
            days=[stored_date(ctx, "date")],
            period=str(ctx.data["period"]),
            formation=formation,
            present=self.present(ctx),
            source="appel",
        )


APPEL = new_appel()
FLOWS = [APPEL]
