"""The questions about a formation, asked alike when creating it and when correcting it.

    Bot  Qui la finance ?  [Région Normandie] [Région Centre-Val de Loire] [Rectorat] [Autre]
    Vous Région Centre-Val de Loire
    Bot  Dans quel programme de la Région Centre-Val de Loire ?

Each function builds one step (a fresh object for each flow that asks it),
so ``/formation`` and ``/formations`` → « Modifier » ask the same thing the
same way, and what can be typed at creation can be corrected with the very
same question.  The predicates read the answers so far (``ctx.data``),
which the correcting dialogues fill from the stored formation first.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot import dates
from bot.answers import Invalid
from bot.conversations.formations.answers import (
    parse_email,
    parse_matrix_id,
    parse_person,
    parse_sessions,
    parse_title,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.steps import Confirm, Option, Pick, Text
from bot.formations import labels
from bot.people.names import current_structure, structure_name


def options(named: dict[str, str]) -> list[Option]:
    return [Option(label, value) for value, label in named.items()]


def is_group_training(ctx: Context) -> bool:
    """A formation of a group (not a bilan de compétences, not a VAE): group questions apply."""
    return ctx.data.get("kind") not in labels.SINGLE_PERSON_KINDS


def is_cvl(ctx: Context) -> bool:
    return ctx.data.get("funder") == "cvl"


def may_have_sessions(ctx: Context) -> bool:
    """Every Centre-Val de Loire action may run in several sessions (001, 002 §2)."""
    return ctx.data.get("funder") in labels.SESSION_FUNDERS and is_group_training(ctx)


def funded_by_region(ctx: Context) -> bool:
    return ctx.data.get("funder") in labels.REGION_FUNDERS


def title() -> Text:
    return Text("title", ask="formation.ask_title", parse=parse_title, help="formation.help_title")


def kind() -> Pick:
    return Pick("kind", ask="formation.ask_kind", options=options(labels.KINDS))


def funder() -> Pick:
    return Pick("funder", ask="formation.ask_funder", options=options(labels.FUNDERS))


async def parse_funder_name(ctx: Context, text: str) -> str | Invalid:
    """Who pays, as a structure is named (« France Travail », « OPCO Akto », « l'entreprise
    Durand »); « Pôle emploi » is written by its current name."""
    name = structure_name(text, unclear=ctx.render("formation.funder_name_unclear"))
    return name if isinstance(name, Invalid) else current_structure(name)


def funder_name() -> Text:
    """« Autre financeur »: which one (explorer AD27: every such formation exported as
    « Autre financeur »)."""
    return Text(
        "funder_name",
        ask="formation.ask_funder_name",
        parse=parse_funder_name,
        skip_label="Passer",
        when=lambda c: c.data.get("funder") == "autre",
    )


def programme() -> Pick:
    return Pick(
        "programme", ask="formation.ask_programme", options=options(labels.PROGRAMMES), when=is_cvl
    )


def parcours_metiers(ctx: Context) -> bool:
    """The action types are those of the pièces pédagogiques exigées (002), addressed to the
    Parcours Métiers organisations: a Visa follows 001 alone (explorer F)."""
    return is_cvl(ctx) and ctx.data.get("programme") == "parcours_metiers"


def action_type() -> Pick:
    return Pick(
        "action_type",
        ask="formation.ask_action_type",
        options=options(labels.ACTION_TYPES),
        when=parcours_metiers,
    )


def mode() -> Pick:
    return Pick(
        "mode",
        ask="formation.ask_mode",
        # « ESP », as everyone in the trade says it (explorer Z, Z10).
        options=[
            Option(o.label, o.value, ("esp",) if o.value == "esp" else ())
            for o in options(labels.MODES)
        ],
        help="formation.help_mode",
        when=is_group_training,
    )


def several_sessions() -> Confirm:
    return Confirm("several_sessions", ask="formation.ask_several_sessions", when=may_have_sessions)


async def session_examples(ctx: Context) -> dict[str, Any]:
    """Three sessions cut from the formation's own dates, so that the example typed back is
    accepted (explorer DG11: « du 7 septembre au 16 octobre », outside them, was refused)."""
    try:
        start, end = date.fromisoformat(ctx.data["start"]), date.fromisoformat(ctx.data["end"])
    except (KeyError, TypeError, ValueError):
        return {"examples": []}
    third = max((end - start).days // 3, 1)
    cuts = [start, start + timedelta(days=third), start + timedelta(days=2 * third), end]
    spans = [(cuts[n], cuts[n + 1] - timedelta(days=1 if n < 2 else 0)) for n in range(3)]
    return {
        "examples": [
            f"du {dates.spell_day_month(a)} au {dates.spell_day_month(b)}" for a, b in spans
        ]
        if third > 2
        else []
    }


def sessions() -> Text:
    return Text(
        "sessions",
        ask="formation.ask_sessions",
        values=session_examples,
        parse=parse_sessions,
        multiline=True,
        when=lambda c: may_have_sessions(c) and bool(c.data.get("several_sessions")),
        help="formation.help_sessions",
    )


def certifying() -> Confirm:
    return Confirm("certifying", ask="formation.ask_certifying", when=is_group_training)


def length() -> Pick:
    return Pick(
        "length",
        ask="formation.ask_length",
        options=options(labels.LENGTHS),
        when=is_group_training,
        help="formation.help_length",
    )


def remote_coaching() -> Confirm:
    return Confirm(
        "remote_coaching",
        ask="formation.ask_remote_coaching",
        when=lambda c: c.data.get("funder") == "rectorat",
    )


def cm_name() -> Text:
    return Text(
        "cm_name",
        ask="formation.ask_cm_name",
        parse=parse_person,
        when=funded_by_region,
        skip_label="Passer",
    )


def cm_email() -> Text:
    return Text(
        "cm_email",
        ask="formation.ask_cm_email",
        parse=parse_email,
        when=lambda c: funded_by_region(c) and bool(c.data.get("cm_name")),
        skip_label="Passer",
    )


def cm_matrix() -> Text:
    return Text(
        "cm_matrix",
        ask="formation.ask_cm_matrix",
        parse=parse_matrix_id,
        when=lambda c: (
            funded_by_region(c) and bool(c.data.get("cm_name")) and c.settings.has_matrix
        ),
        skip_label="Passer",
    )
