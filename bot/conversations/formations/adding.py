"""/formations → « Ajouter des stagiaires »: the list (typed, pasted or a file), then, in a
formation of several sessions, the session of those whose entry does not say it.

    Vous Ajouter des stagiaires
    Bot  Quels stagiaires ajouter à « Premiers gestes cuisine » ? Un nom par ligne …
    Vous Karim Benali
    Bot  Dans quelle session de « Premiers gestes cuisine » est Karim Benali ? …
         [Session 1 : du 1er au 31 mars 2027] [Session 2 : du 3 mai au 30 juin 2027]
    Vous Session 1 : du 1er au 31 mars 2027
    Bot  1 stagiaire ajouté à « Premiers gestes cuisine », avec pour entrée le lundi 1er mars
         2027 … Session 1 (du 1er au 31 mars 2027) : Karim Benali.

A trainee whose entry falls in a session follows it without a question (« Karim Benali ;
entrée le 1er mars 2027 »); their exit and the bon de commande supplémentaire that prolongs
them then count from their session's end (explorer IC5).
"""

from __future__ import annotations

from typing import Any

from bot.answers import Invalid
from bot.conversations.formations.answers import parse_trainees, stored_trainees
from bot.conversations.formations.choose import load_formation, member
from bot.conversations.formations.entries_off import confirm_entries_off, entries_off
from bot.conversations.formations.list_parts import read_part
from bot.conversations.formations.manage import editing
from bot.conversations.formations.trainee_file import (
    IMPORT,
    NEXT_PART,
    TraineeList,
    confirm_import,
)
from bot.conversations.formations.trainee_sessions import asked, session_question
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Next, Outcome, Return
from bot.formations import service
from bot.formations.sessions import group_sessions
from bot.messages import Reply
from bot.storage.people import Role

SESSIONS = "_sessions"
"""The formation's sessions when each is a group: [id, label, start, end], dates in ISO."""


def session_rows(ctx: Context) -> list[list[Any]]:
    return list(ctx.data.get(SESSIONS) or [])


async def save_added(ctx: Context) -> None:
    chosen = ctx.data.get("session")
    added = await service.add_trainees(
        ctx.session,
        member(ctx),
        ctx.data["formation_id"],
        stored_trainees(ctx),
        now=ctx.now,
        session_id=int(chosen) if chosen else None,
    )
    if added is None:
        ctx.say("formation.not_found")
        return
    ctx.data["_result"] = True  # the menu takes a next part of the list (MenuTakingAList)
    if NEXT_PART in ctx.data:
        return  # said by read_part
    sent = ctx.data.get(IMPORT)
    if sent:
        ctx.say(
            "formation_import.done",
            count=added.count,
            f=added.formation,
            filename=sent["filename"],
            ruptures=added.ruptures,
        )
    else:
        # The entry a name typed without its day takes (explorer L: unsaid, and the absences
        # of the days before were then « outside the formation »), said only if one took it,
        # and « sauf date donnée » only if some gave theirs (explorer Z, Z12).
        typed = ctx.data.get("trainees") or []
        dated = sum(1 for t in typed if t.get("entered_on"))
        part = next((s for s in added.formation.sessions if str(s.id) == str(chosen)), None)
        ctx.say(
            "formation.trainees_added",
            count=added.count,
            f=added.formation,
            entered=service.default_entry(added.formation, ctx.now.date(), part)
            if dated < len(typed)
            else None,
            some_dated=dated > 0,
        )
    if added.sessions:  # who follows which session (explorer IC5)
        ctx.say("formation.trainees_sessions", sessions=added.sessions)


async def adding(ctx: Context) -> Outcome | None:
    """A list sent to the menu comes with its rows: straight to the confirmation; the next
    part of a list cut by the chat is read as the list question reads it, and saved."""
    outcome = await editing(ctx)
    if outcome is None:
        formation = await load_formation(ctx, ctx.data.get("formation_id"))
        ctx.data[SESSIONS] = [
            [s.id, s.label, s.start_date.isoformat(), s.end_date.isoformat()]
            for s in (group_sessions(formation) if formation else [])
        ]
    if outcome is None and ctx.data.get(IMPORT):
        return Next("import_confirm")
    part = ctx.data.get(NEXT_PART)
    if outcome is None and part is not None:
        found = read_part(ctx, part, [])
        if isinstance(found, Invalid):
            ctx.send(Reply(text=found.message))
            return Return(True)  # the part sent again, corrected, is taken too (explorer L)
        if found:
            ctx.data["trainees"] = found
            if entries_off(ctx):  # a day off questioned as the first part's (WB)
                return Next("entries_off")
            if asked(session_rows)(ctx):
                return Next("session")
            await save_added(ctx)
        return Return(ctx.data.get("_result"))
    return outcome


ADD_TRAINEES = Flow(
    "formation_add",
    role=Role.FORMATEUR,
    summary="ajouter des stagiaires",
    start=adding,
    steps=[
        TraineeList(
            "trainees",
            ask="formation.ask_more_trainees",
            parse=parse_trainees,
            multiline=True,
            help="formation.help_trainees",
        ),
        confirm_import(),
        confirm_entries_off(),
        session_question("session", session_rows),
    ],
    finish=save_added,
)

FLOWS = [ADD_TRAINEES]
