"""Several trainees fit the name typed (« /absence Benali », « /decrochage Karim »): one
choice, each with their formation, for the ``person`` question that opens the follow-up
dialogues (:func:`bot.conversations.absences.steps.who_steps`)."""

from __future__ import annotations

from bot.answers import by_surname
from bot.conversations.formations.choose import by_relevance, day_of
from bot.conversations.kit.context import Context
from bot.conversations.kit.steps import Option
from bot.formations.labels import told_apart
from bot.formations.twins import twin_marks
from bot.storage.formations import Formation, Trainee

NOBODY = "_nobody"


async def offer_people(ctx: Context, typed: str, found: list[tuple[Formation, Trainee]]) -> None:
    """Keep the trainees a typed name fits for the ``person`` question of :func:`~bot.conversations.absences.steps.who_steps`.

    Each is shown with their formation, those of the formations running on
    the day the dialogue is about first: « Benali » in forty formations is a
    numbered choice, not twenty-seven names on one line.
    """
    formations = by_relevance(list({f.id: f for f, _ in found}.values()), day_of(ctx))
    rank = {f.id: index for index, f in enumerate(formations)}
    ordered = sorted(found, key=lambda pair: (rank[pair[0].id], by_surname(pair[1].full_name)))
    # Two groups of one training told apart by their start day (explorer BD1), and by what
    # differs when they start the same day (explorer MA3).
    listed = [(f.id, f.title, f.start_date) for f in formations]
    named = told_apart(listed, await twin_marks(ctx.session, listed))
    ctx.data["_people"] = [[f"{t.full_name} · {named[f.id]}", f"{f.id}:{t.id}"] for f, t in ordered]
    ctx.data["_people_typed"] = " ".join(typed.split())[:40]
    ctx.data.pop("formation_id", None)


async def people_options(ctx: Context) -> list[Option]:
    kept = [Option(label, value) for label, value in ctx.data.get("_people") or []]
    return [*kept, Option("Aucun d'eux : choisir la formation", NOBODY)]
