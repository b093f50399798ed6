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
Bot  (Centre-Val de Loire) Plusieurs sessions ? Une par ligne, avec ses dates
     (« se former au(x) métier(s) » : sous le nom de leur composante).
Bot  Certifiante ? Courte ou longue ?  (Rectorat) Accompagnement à distance ?
     (Bilan de compétences, VAE: no group questions: organisation, delegates.)
Bot  (Régions) Qui la suit à la Région ? Son adresse e-mail ?  [Passer]
Bot  Collez la liste des stagiaires, un nom par ligne, ou envoyez-la en CSV ou Excel.  [Plus tard]
     (a file: its preview, then « Ajouter ces 12 stagiaires ? », see :mod:`.trainee_file`)
Bot  Qui sont les délégués des stagiaires ?  ☐ Marie Dupont ☐ Karim Benali  [✅ Terminé]
Bot  Récapitulatif … Tout est juste ?  [Enregistrer] [Corriger] [Abandonner]
Vous Enregistrer
Bot  C'est enregistré : Agent de restauration, du … au …, 3 stagiaires.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.conversations.formations import questions as q
from bot.conversations.formations.answers import (
    entry_example,
    parse_trainees,
    stored_sessions,
    stored_trainees,
)
from bot.conversations.formations.choose import member
from bot.conversations.formations.entries_off import confirm_entries_off, question_part
from bot.conversations.formations.list_parts import ListGoesOn
from bot.conversations.formations.period import PeriodStep
from bot.conversations.formations.recap import passed_when_known, recap_steps
from bot.conversations.formations.trainee_file import TraineeList, confirm_import
from bot.conversations.formations.trainee_sessions import groups, session_question
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow
from bot.conversations.kit.steps import Option
from bot.formations.edit import proofs_unsendable
from bot.formations.service import (
    NewFormation,
    placed_in_sessions,
    same_formation,
    write_formation,
)
from bot.storage import turn_rows
from bot.storage.formations import Formation


async def trainee_options(ctx: Context) -> list[Option]:
    return [Option(str(t["name"]), str(i)) for i, t in enumerate(ctx.data.get("trainees") or [])]


async def save_formation(ctx: Context) -> None:
    data = ctx.data
    values = NewFormation(
        title=data["title"],
        funder=data["funder"],
        funder_name=data.get("funder_name"),
        kind=data["kind"],
        mode=data.get("mode") or "dates",
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
        trainee_session=int(data["trainee_session"]) if data.get("trainee_session") else None,
    )
    # Through the turn's rows, no ORM session (BA): a session opened, flushed and committed
    # through SQLAlchemy's connection was a sixth of this turn.
    rows = turn_rows.on(ctx.held)
    twin = await same_formation(rows, member(ctx), values)
    if twin is not None:
        ctx.say("formation.already_saved", formation=await ctx.session.get(Formation, twin))
        return
    formation = await write_formation(rows, member(ctx), values)
    ctx.say("formation.saved", formation=formation, no_email=proofs_unsendable(formation))
    placed = placed_in_sessions(formation, formation.trainees)
    if placed:  # who follows which session (explorer IC5)
        ctx.say("formation.trainees_sessions", sessions=placed)


def typed_sessions(ctx: Context) -> list[list[Any]]:
    """The sessions typed, when each is a group: [position, label, start, end] by start."""
    sessions = ctx.data.get("sessions") or []
    if not groups(ctx.data):
        return []
    rows = [[str(i), s["label"], s["start"], s["end"]] for i, s in enumerate(sessions)]
    return sorted(rows, key=lambda r: (r[2], r[3]))


def new_formation() -> Flow:
    """The dialogue above; its recap and « Corriger »: :mod:`.recap`."""
    steps = passed_when_known(
        [
            q.title(),
            q.kind(),
            q.funder(),
            q.funder_name(),
            q.programme(),
            q.action_type(),
            q.mode(),
            PeriodStep("period", ask="formation.ask_period"),
            q.several_sessions(),
            q.sessions(),
            q.certifying(),
            q.length(),
            q.remote_coaching(),
            q.cm_name(),
            q.cm_email(),
            q.cm_matrix(),
            TraineeList(
                "trainees",
                ask="formation.ask_trainees",
                parse=parse_trainees,
                values=entry_example,
                multiline=True,
                skip_label="Plus tard",
                help="formation.help_trainees",
            ),
            confirm_import(),
            confirm_entries_off(),
            session_question("trainee_session", typed_sessions, when=q.is_group_training),
            ListGoesOn(
                "delegates",
                ask="formation.ask_delegates",
                options=trainee_options,
                when=lambda c: q.is_group_training(c) and bool(c.data.get("trainees")),
                help="formation.help_delegates",
                on_part=question_part,
            ),
        ]
    )
    recap, fix = recap_steps(steps)
    return Flow(
        "formation",
        # Its command, /aide line and who may use it: bot/features/formations.py.
        steps=[*steps, recap],
        branches=[fix],
        finish=save_formation,
    )


NEW = new_formation()
FLOWS = [NEW]
