"""/formation: setting up a training by chat.

Vous /formation
Bot  Créons la formation. Quel est son intitulé ?
Vous Agent de restauration
Bot  De quoi s'agit-il ?  [Une formation] [Un bilan de compétences] [Un accompagnement VAE]
Bot  Qui la finance ?  [Région Normandie] [Région Centre-Val de Loire] [Rectorat] [Autre]
Bot  (Centre-Val de Loire) Dans quel programme ? Quel type d'action ?
Bot  Comment le groupe est-il organisé ?  [De date à date] [Entrées et sorties permanentes]
Bot  Quelles sont les dates de la formation ?
Vous du 2 mars au 15 juin 2027
Bot  J'ai compris : du mardi 2 mars 2027 au mardi 15 juin 2027. C'est bien ça ?
Bot  (some CVL actions) Plusieurs sessions ? Une par ligne, avec ses dates.
Bot  Certifiante ? Courte ou longue ?  (Rectorat) Accompagnement à distance ?
Bot  (Régions) Qui la suit à la Région ? Son adresse e-mail ?  [Passer]
Bot  Collez la liste des stagiaires, un nom par ligne.  [Plus tard]
Bot  Qui sont les délégués des stagiaires ?  ☐ Marie Dupont ☐ Karim Benali  [✅ Terminé]
Bot  Récapitulatif … Tout est juste ?  [Enregistrer] [Abandonner]
Vous Enregistrer
Bot  C'est enregistré : Agent de restauration, du … au …, 3 stagiaires.
"""

from __future__ import annotations

from datetime import date

from bot.conversations.formations.answers import (
    parse_email,
    parse_matrix_id,
    parse_person,
    parse_sessions,
    parse_title,
    parse_trainees,
    stored_sessions,
    stored_trainees,
)
from bot.conversations.formations.choose import member
from bot.conversations.formations.period import PeriodStep
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, finish_now, leave_saying
from bot.conversations.kit.steps import Confirm, Option, Pick, PickMany, Text
from bot.formations import labels
from bot.formations.service import NewFormation, create_formation
from bot.storage.people import Role


def options(named: dict[str, str]) -> list[Option]:
    return [Option(label, value) for value, label in named.items()]


def _is_training(ctx: Context) -> bool:
    return ctx.data.get("kind") == "formation"


def _cvl(ctx: Context) -> bool:
    return ctx.data.get("funder") == "cvl"


def _may_have_sessions(ctx: Context) -> bool:
    return _cvl(ctx) and ctx.data.get("action_type") in labels.SESSION_ACTION_TYPES


def _funded_by_region(ctx: Context) -> bool:
    return ctx.data.get("funder") in labels.REGION_FUNDERS


async def trainee_options(ctx: Context) -> list[Option]:
    return [Option(str(t["name"]), str(i)) for i, t in enumerate(ctx.data.get("trainees") or [])]


async def save_formation(ctx: Context) -> None:
    data = ctx.data
    formation = await create_formation(
        ctx.session,
        member(ctx),
        NewFormation(
            title=data["title"],
            funder=data["funder"],
            kind=data["kind"],
            mode=data["mode"],
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            programme=data.get("programme"),
            action_type=data.get("action_type"),
            certifying=bool(data.get("certifying", False)),
            long=data.get("length") == "longue",
            remote_coaching=bool(data.get("remote_coaching", False)),
            cm_name=data.get("cm_name"),
            cm_email=data.get("cm_email"),
            cm_matrix=data.get("cm_matrix"),
            sessions=stored_sessions(ctx),
            trainees=stored_trainees(ctx, delegates=data.get("delegates") or []),
        ),
    )
    ctx.say("formation.saved", formation=formation)


NEW = Flow(
    "formation",
    command="formation",
    menu="Créer une formation",
    role=Role.FORMATEUR,
    summary="créer une formation",
    steps=[
        Text("title", ask="formation.ask_title", parse=parse_title, help="formation.help_title"),
        Pick("kind", ask="formation.ask_kind", options=options(labels.KINDS)),
        Pick("funder", ask="formation.ask_funder", options=options(labels.FUNDERS)),
        Pick(
            "programme",
            ask="formation.ask_programme",
            options=options(labels.PROGRAMMES),
            when=_cvl,
        ),
        Pick(
            "action_type",
            ask="formation.ask_action_type",
            options=options(labels.ACTION_TYPES),
            when=_cvl,
        ),
        Pick(
            "mode",
            ask="formation.ask_mode",
            options=options(labels.MODES),
            help="formation.help_mode",
        ),
        PeriodStep("period", ask="formation.ask_period"),
        Confirm("several_sessions", ask="formation.ask_several_sessions", when=_may_have_sessions),
        Text(
            "sessions",
            ask="formation.ask_sessions",
            parse=parse_sessions,
            multiline=True,
            when=lambda c: bool(c.data.get("several_sessions")),
        ),
        Confirm("certifying", ask="formation.ask_certifying", when=_is_training),
        Pick(
            "length",
            ask="formation.ask_length",
            options=options(labels.LENGTHS),
            when=_is_training,
            help="formation.help_length",
        ),
        Confirm(
            "remote_coaching",
            ask="formation.ask_remote_coaching",
            when=lambda c: c.data.get("funder") == "rectorat",
        ),
        Text(
            "cm_name",
            ask="formation.ask_cm_name",
            parse=parse_person,
            when=_funded_by_region,
            skip_label="Passer",
        ),
        Text(
            "cm_email",
            ask="formation.ask_cm_email",
            parse=parse_email,
            when=lambda c: bool(c.data.get("cm_name")),
            skip_label="Passer",
        ),
        Text(
            "cm_matrix",
            ask="formation.ask_cm_matrix",
            parse=parse_matrix_id,
            when=lambda c: bool(c.data.get("cm_name")) and c.settings.has_matrix,
            skip_label="Passer",
        ),
        Text(
            "trainees",
            ask="formation.ask_trainees",
            parse=parse_trainees,
            multiline=True,
            skip_label="Plus tard",
            help="formation.help_trainees",
        ),
        PickMany(
            "delegates",
            ask="formation.ask_delegates",
            options=trainee_options,
            when=lambda c: bool(c.data.get("trainees")),
            help="formation.help_delegates",
        ),
        Confirm(
            "recap",
            ask="formation.recap",
            yes=finish_now,
            no=leave_saying("formation.not_saved"),
            yes_label="Enregistrer",
            no_label="Abandonner",
        ),
    ],
    finish=save_formation,
)

FLOWS = [NEW]
