"""/formations → a formation → « Modifier la formation »: correct what was typed at creation.

    Bot  Que voulez-vous corriger dans « Agent de restauration » ?
         [Intitulé] [Nature] [Financeur et programme] [Organisation du groupe] [Sessions]
         [Certifiante ou non] [Courte ou longue] [Suivi à la Région] [Terminé]
    Vous Suivi à la Région
    Bot  Qui suit cette formation à la Région ? …  [Passer]
    Vous Mme Sophie Leroy
    Bot  Son adresse e-mail ? …  [Passer]
    Vous sophie.leroy@example.org
    Bot  C'est corrigé : nom de la personne qui suit la formation à la Région, son e-mail.
         Les échéances sont recalculées.
    Bot  Que voulez-vous corriger dans « Agent de restauration » ?  (the menu again)
    Vous Terminé

Each topic asks the very questions of ``/formation`` (:mod:`.questions`),
prefilled from the stored formation so that the questions that depend on
earlier answers (the programme for the Centre-Val de Loire…) follow the
same rules, then one service call saves it.  Deleting a formation created
by mistake is an entry of the formation's own menu (:mod:`.manage`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.conversations.formations import questions as q
from bot.conversations.formations.answers import parse_sessions, stored_sessions
from bot.conversations.formations.choose import load_formation, member
from bot.conversations.formations.manage import say_to_redo
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Outcome, Step, leave_saying
from bot.conversations.kit.steps import Entry, Menu, Text
from bot.formations import edit
from bot.storage.formations import Formation
from bot.storage.people import Role


def prefill(ctx: Context, formation: Formation) -> None:
    """The stored answers, as creation keeps them, so the questions' conditions apply."""
    ctx.data.update(
        title=formation.title,
        kind=formation.kind,
        funder=formation.funder,
        funder_name=formation.funder_name,
        programme=formation.programme,
        action_type=formation.action_type,
        mode=formation.mode,
        start=formation.start_date.isoformat(),
        end=formation.end_date.isoformat(),
        certifying=formation.certifying,
        length="longue" if formation.long else "courte",
        remote_coaching=formation.remote_coaching,
        cm_name=formation.cm_name,
        cm_email=formation.cm_email,
        cm_matrix=formation.cm_matrix,
        several_sessions=True,
    )


async def start(ctx: Context) -> Outcome | None:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        ctx.say("formation.not_found")
        return Leave()
    prefill(ctx, formation)
    return None


@dataclass(frozen=True)
class Topic:
    value: str
    label: str
    questions: Sequence[Callable[[], Step]]
    fields: tuple[str, ...]
    """The columns it saves (``long`` from the ``length`` answer)."""
    when: Callable[[Context], bool] | None = None


def _sessions() -> Text:
    return Text(
        "sessions",
        ask="formation.ask_sessions",
        values=q.session_examples,
        parse=parse_sessions,
        multiline=True,
        skip_label="Aucune session",
        help="formation.help_sessions",
    )


TOPICS = (
    Topic("title", "Intitulé", (q.title,), ("title",)),
    Topic("kind", "Nature (formation, bilan de compétences, VAE)", (q.kind,), ("kind",)),
    Topic(
        "funder",
        "Financeur et programme",
        (q.funder, q.funder_name, q.programme, q.action_type),
        ("funder", "funder_name", "programme", "action_type"),
    ),
    Topic("mode", "Organisation du groupe", (q.mode,), ("mode",), q.is_group_training),
    Topic("sessions", "Sessions", (_sessions,), (), q.may_have_sessions),
    Topic(
        "certifying", "Certifiante ou non", (q.certifying,), ("certifying",), q.is_group_training
    ),
    Topic("length", "Courte ou longue", (q.length,), ("long",), q.is_group_training),
    Topic(
        "remote_coaching",
        "Accompagnement à distance",
        (q.remote_coaching,),
        ("remote_coaching",),
        lambda c: c.data.get("funder") == "rectorat",
    ),
    Topic(
        "cm",
        "Suivi à la Région (nom, e-mail)",
        (q.cm_name, q.cm_email, q.cm_matrix),
        ("cm_name", "cm_email", "cm_matrix"),
        q.funded_by_region,
    ),
)


def _value(ctx: Context, field: str) -> object:
    if field == "long":
        return ctx.data.get("length") == "longue"
    if field in ("certifying", "remote_coaching"):
        return bool(ctx.data.get(field))
    return ctx.data.get(field)


def saver(topic: Topic) -> Callable[[Context], Any]:
    async def save(ctx: Context) -> None:
        who, formation_id = member(ctx), ctx.data["formation_id"]
        if topic.value == "sessions":
            saved = await edit.replace_sessions(
                ctx.session, who, formation_id, stored_sessions(ctx)
            )
            if saved is None:
                ctx.say("formation.not_found")
                return
            ctx.say(
                "formation.sessions_saved",
                f=saved.formation,
                moved=saved.moved,
                ungrouped=saved.ungrouped,
                exits=saved.exits,
            )
            say_to_redo(ctx, saved.formation, saved.reopened, done_again=saved.done_again)
            return
        changes = {field: _value(ctx, field) for field in topic.fields}
        edited = await edit.edit_formation(ctx.session, who, formation_id, changes)
        if edited is None:
            ctx.say("formation.not_found")
            return
        if edited.held_by is not None:
            when = edited.held_by.starts_at.astimezone(ctx.tz)
            ctx.say("formation.edit_held_by_bilan", when=when, topic=topic.value)
            return
        ctx.say(
            "formation.edited",
            fields=edited.fields,
            no_email=edit.proofs_unsendable(edited.formation),
            moved=edited.moved,
            grouped=edited.grouped,
            ungrouped=edited.ungrouped,
            exits=edited.exits,
            long=edited.formation.long or edited.formation.certifying,
        )
        say_to_redo(ctx, edited.formation, edited.reopened, done_again=edited.done_again)

    return save


TOPIC_FLOWS = [
    Flow(
        f"formation_edit_{topic.value}",
        role=Role.FORMATEUR,
        summary="corriger une formation",
        start=start,
        steps=[make() for make in topic.questions],
        finish=saver(topic),
    )
    for topic in TOPICS
]


def its_id(ctx: Context) -> dict[str, Any]:
    return {"formation_id": ctx.data["formation_id"]}


async def refreshed(ctx: Context) -> Outcome | None:
    """Before the menu (again): the answers as stored now, since a topic may change others."""
    return await start(ctx)


EDIT = Flow(
    "formation_edit",
    role=Role.FORMATEUR,
    summary="corriger une formation",
    start=start,
    steps=[
        Menu(
            "topic",
            ask="formation.ask_edit_topic",
            before=refreshed,
            entries=[
                *(
                    Entry(
                        topic.label,
                        topic.value,
                        call=f"formation_edit_{topic.value}",
                        data=its_id,
                        when=topic.when,
                    )
                    for topic in TOPICS
                ),
                Entry("Terminé", "done", then=leave_saying("formation.edit_topics_done")),
            ],
        ),
    ],
)


FLOWS = [EDIT, *TOPIC_FLOWS]
