"""A new formation's recap, and its « Corriger »: one topic asked again, the rest kept.

    Bot  Récapitulatif : … Tout est juste ?  [Enregistrer] [Corriger] [Abandonner]
    Vous Corriger
    Bot  Que voulez-vous corriger ? …  [Intitulé] [Nature …] … [Les stagiaires] [Les délégués]
    Vous Les dates
    Bot  Quelles sont les dates de la formation ?
    Vous du 4 janvier au 30 juin 2027
    Bot  J'ai compris : … C'est bien ça ?
    Vous oui
    Bot  Récapitulatif : … (the new dates)

After twelve questions, « Enregistrer » or « Abandonner » alone made a typo
cost the whole dialogue (explorer U, U4).  A correction forgets the
topic's answers (and those that hang on them: a formation's sessions on its
dates), and the dialogue walks on from that question with every question
already answered passed (:func:`passed_when_known`): what a new answer makes
necessary is asked (a formation that was a VAE now needs its length), what
it makes pointless is dropped at the recap (:func:`recap_reached`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.answers import fold
from bot.conversations.formations import questions as q
from bot.conversations.formations.choose import member
from bot.conversations.formations.edit import TOPICS
from bot.conversations.formations.entries_off import PART
from bot.conversations.formations.period import PeriodStep
from bot.conversations.formations.trainee_file import IMPORT
from bot.conversations.formations.trainee_sessions import groups
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Leave, Next, Outcome, Step
from bot.conversations.kit.steps import RECAP, Option, Pick
from bot.formations.labels import COMPOSANTE_ACTION_TYPES, LABELS, SINGLE_PERSON_KINDS
from bot.formations.queries import namesakes
from bot.rules.catalogue import kept_by_prudence

FIXING = "_fixing"
"""Set by « Corriger » until the recap: the questions already answered are passed."""


def answered(step: Step) -> tuple[str, ...]:
    """The answers a question leaves in ``ctx.data``."""
    return ("start", "end") if isinstance(step, PeriodStep) and not step.single else (step.store,)


def passed_when_known(steps: Sequence[Step]) -> list[Step]:
    """The questions of ``/formation``, each passed while a correction is made if answered."""
    for step in steps:
        asked, keys = step.when, answered(step)

        def when(
            ctx: Context,
            asked: Callable[[Context], bool] | None = asked,
            keys: tuple[str, ...] = keys,
        ) -> bool:
            if ctx.data.get(FIXING) and all(k in ctx.data for k in keys):
                return False
            return asked is None or asked(ctx)

        step.when = when
    return list(steps)


@dataclass(frozen=True)
class Fix:
    label: str
    step: str
    """The question asked again."""
    forgets: tuple[str, ...]
    """The answers forgotten: the topic's, and what hangs on them."""
    when: Callable[[Context], bool] | None = None


def _topic(value: str, step: str, *forgets: str) -> Fix:
    """A topic of « Modifier la formation » (:data:`.edit.TOPICS`), with its label and when."""
    topic = next(t for t in TOPICS if t.value == value)
    return Fix(topic.label, step, forgets, topic.when)


def _has_trainees(ctx: Context) -> bool:
    return q.is_group_training(ctx) and bool(ctx.data.get("trainees"))


FIXES = (
    # The usual slips first: the menu shows eight a page.
    _topic("title", "title", "title"),
    Fix("Dates", "period", ("start", "end", "several_sessions", "sessions", "trainee_session")),
    Fix(
        "Stagiaires",
        "trainees",
        # PART: a later part's question left by « Retour » (WB).
        ("trainees", IMPORT, "import_confirm", "entries_off", PART, "trainee_session", "delegates"),
    ),
    Fix("Délégués", "delegates", ("delegates",), _has_trainees),
    _topic("cm", "cm_name", "cm_name", "cm_email", "cm_matrix"),
    _topic("length", "length", "length"),
    _topic("certifying", "certifying", "certifying"),
    _topic("mode", "mode", "mode"),
    _topic("sessions", "several_sessions", "several_sessions", "sessions", "trainee_session"),
    _topic("kind", "kind", "kind"),
    _topic("funder", "funder", "funder", "funder_name", "programme", "action_type"),
    _topic("remote_coaching", "remote_coaching", "remote_coaching"),
)


async def recap_taken(ctx: Context, picked: str) -> Outcome:
    if picked == "save":
        return Finish()
    if picked == "fix":
        return Next("fix")
    ctx.say("formation.not_saved")
    return Leave()


FIX_SAID = re.compile(
    r"^(?:non|corriger|modifier|changer)?[\s,:]*(?:(?:les|le|la|l|des|du|de\s+la|ses|son|sa)\s+)?"
)
"""What comes before a topic typed at the recap: « non, les dates », « corriger le titre »."""


async def fix_typed(ctx: Context) -> Outcome | None:
    """« non, les dates », « Dates » typed at the recap: that topic's correction at once
    (explorer Y, Y9: « Je n'ai pas reconnu ce choix »)."""
    rest = FIX_SAID.sub("", fold(ctx.incoming.text)).strip()
    if not rest:
        return None
    found = [
        o.value
        for o in await fix_options(ctx)
        if fold(o.label).startswith(rest) or rest in fold(o.label).split()
    ]
    return await fix_taken(ctx, found[0]) if len(found) == 1 else None


async def fix_options(ctx: Context) -> list[Option]:
    return [Option(f.label, f.step) for f in FIXES if f.when is None or f.when(ctx)]


async def fix_taken(ctx: Context, picked: str) -> Outcome:
    fix = next(f for f in FIXES if f.step == picked)
    # Kept aside: what is not answered anew (« Retour ») comes back at the recap (explorer
    # Y, Y1 and Y2: the recap failed on a topic left unanswered, or saved it empty).
    ctx.data[BEFORE] = {k: ctx.data[k] for k in fix.forgets if k in ctx.data}
    for key in (*fix.forgets, "recap"):
        ctx.data.pop(key, None)
    ctx.data[FIXING] = True
    ctx.data["_trail"] = ["recap", "fix"]  # « Retour » goes back to the menu, then the recap
    return Next(fix.step)


BEFORE = "_before_fix"
"""The answers a correction forgot, until the recap."""


def _restored(ctx: Context) -> None:
    """At the recap: what the correction did not answer anew is the answer before it; an
    entry that was the old start follows the new one (explorer Y, Y3: a file's undated
    trainees entered on the old start, said « outside » the new dates)."""
    before = dict(ctx.data.pop(BEFORE, None) or {})
    if "trainees" in ctx.data and ctx.data["trainees"] != before.get("trainees"):
        before.pop("delegates", None)  # chosen among the old list
    if "start" in ctx.data and (ctx.data["start"], ctx.data.get("end")) != (
        before.get("start"),
        before.get("end"),
    ):
        before.pop("sessions", None)  # within the old dates
        before.pop("several_sessions", None)
    for key, value in before.items():
        ctx.data.setdefault(key, value)
    old, new = before.get("start"), ctx.data.get("start")
    if old and new and old != new:
        for trainee in ctx.data.get("trainees") or []:
            if trainee.get("entered_on") == old:
                trainee["entered_on"] = new


def _stale(ctx: Context) -> str | None:
    """The list of trainees that a correction made wrong, as the message saying so."""
    trainees = list(ctx.data.get("trainees") or [])
    if ctx.data.get("kind") in SINGLE_PERSON_KINDS and len(trainees) > 1:
        return ctx.render("formation.single_person_only")
    start, end = (date.fromisoformat(ctx.data[k]) for k in ("start", "end"))
    outside = [
        str(t["name"])
        for t in trainees
        if t.get("entered_on") and not start <= date.fromisoformat(str(t["entered_on"])) <= end
    ]
    if outside:
        return ctx.render("formation.trainees_outside", names=outside)
    return None


async def recap_reached(ctx: Context, steps: Sequence[Step]) -> Outcome | None:
    """The correction is over: drop what no question asks any more, and ask the list of
    trainees again if it no longer fits (several people for a VAE, an entry outside the
    new dates)."""
    ctx.data.pop(FIXING, None)
    before = dict(ctx.data.get(BEFORE) or {})
    _restored(ctx)
    asked = _another_funder(ctx, before)
    if asked is not None:
        return asked
    for step in steps:
        if step.name != "recap" and not step.applies(ctx):
            for key in answered(step):
                ctx.data.pop(key, None)
    problem = _stale(ctx)
    if problem is None:
        return None
    ctx.say("formation.list_again", problem=problem)
    for key in ("trainees", IMPORT, "import_confirm", "delegates"):
        ctx.data.pop(key, None)
    ctx.data[FIXING] = True
    return Next("trainees")


CM = ("cm_name", "cm_email", "cm_matrix")


def _another_funder(ctx: Context, before: dict[str, object]) -> Outcome | None:
    """A correction that changed the funder or the action: the Région's person asked again
    (explorer Y, Y10: Normandie's chargée kept for a Centre-Val de Loire formation), and
    sessions grouped by composante dropped where the new action has none."""
    if (
        "funder" in before
        and before["funder"] != ctx.data.get("funder")
        and ctx.data.get("cm_name")
    ):
        ctx.say("formation.cm_again")
        for key in CM:
            ctx.data.pop(key, None)
        ctx.data[FIXING] = True
        return Next("cm_name")
    grouped = ctx.data.get("action_type") in COMPOSANTE_ACTION_TYPES
    if not grouped and any(s.get("composante") for s in ctx.data.get("sessions") or []):
        ctx.data["sessions"] = [{**s, "composante": None} for s in ctx.data["sessions"]]
    return None


def recap_steps(steps: Sequence[Step]) -> tuple[Pick, Pick]:
    """The recap closing ``steps``, and the question of what to correct (a branch)."""

    async def reached(ctx: Context) -> Outcome | None:
        return await recap_reached(ctx, steps)

    async def labels(ctx: Context) -> dict[str, object]:
        """The labels, and the formations the lists would show under the same name."""
        start, end = (date.fromisoformat(ctx.data[k]) for k in ("start", "end"))
        # The organisation's, a colleague's too: the administration's lists would show them
        # alike (explorer BD7: two trainers' « Agent de restauration » from one day).
        everyone = replace(member(ctx), admin=True)
        twins = await namesakes(ctx.held, everyone, ctx.data["title"], start, end)
        return {
            "labels": LABELS,
            # Deadlines kept by prudence for a programme the texts do not name (UB3).
            "prudence": kept_by_prudence(ctx.data.get("funder"), ctx.data.get("programme")),
            "groups": groups(ctx.data),  # « un groupe par session » (fixer PA's report)
            "namesakes": twins.shown,
            "twins": twins.total,
            "me": ctx.person_id,
        }

    recap = Pick(
        "recap",
        ask="formation.recap",
        options=RECAP,
        values=labels,
        before=reached,
        other=fix_typed,
        then=recap_taken,
    )
    fix = Pick("fix", ask="formation.ask_fix", options=fix_options, then=fix_taken)
    return recap, fix
