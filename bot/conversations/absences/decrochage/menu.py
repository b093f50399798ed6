"""The menu of an open follow-up: its state, what is left, what can be done next.

    You  /decrochage karim
    Bot  Suivi de Karim Benali, ouvert le lundi 23 novembre 2026 (formation longue…).
         Signes : 3 · contacts : 0 · entretien individuel prévu le jeudi 26 novembre…
         À faire :
         · Compte rendu de l'entretien de Karim Benali à rédiger au plus tard le …
         [Rédiger le compte rendu…] [Reprogrammer l'entretien] [Annuler l'entretien]
         [Noter un contact]
         [Ajouter des signes observés] [Saisir le ticket qualité (clôture)]
         [Voir la chronologie] [Terminé]
    You  Noter un contact
    …    (the contact dialogue, then this menu again)

Each entry calls its dialogue with ``{"followup_id": …}`` and the menu comes
back when it ends; "what is left" is read from the follow-up's deadlines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.absences.followups import summary_of
from bot.absences.vocabulary import labels
from bot.conversations.absences.decrochage.common import load_followup, remember, todo
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Outcome
from bot.conversations.kit.steps import Entry, Menu


def _state(ctx: Context, key: str) -> bool:
    return bool((ctx.data.get("_menu") or {}).get(key))


def _on(path: str, *, cause: str | None = None, sick: bool | None = None) -> Any:
    """Entries of one path of the procedure, only when it applies."""

    def applies(ctx: Context) -> bool:
        if ctx.data.get("path") != path or not ctx.data.get("applies"):
            return False
        if sick is None:
            return True
        return (ctx.data.get("cause") == "sick_leave") == sick

    return applies


def _interview(path: str, sick: bool | None, *, live: bool, held: bool | None = None) -> Any:
    """An interview entry: to schedule (none live) or to report on (live, no report yet);
    ``held=False``: only while it is not held (to cancel it, explorer GF3)."""
    on = _on(path, sick=sick)

    def applies(ctx: Context) -> bool:
        if not on(ctx):
            return False
        if not live:
            return not _state(ctx, "live")
        if held is not None and _state(ctx, "held") != held:
            return False
        return _state(ctx, "live") and not _state(ctx, "reported")

    return applies


def _target(**extra: str) -> Any:
    def data(ctx: Context) -> dict[str, Any]:
        return {"followup_id": ctx.data["followup_id"], **extra}

    return data


def _timeline(ctx: Context) -> dict[str, Any]:
    return {"formation_id": ctx.data["formation_id"], "trainee_id": ctx.data["trainee_id"]}


async def _done(ctx: Context) -> Outcome:
    ctx.say("decrochage.see_you")
    return Leave()


DIFFICULTY = _on("bilan_comp", sick=False)
SICK = _on("bilan_comp", sick=True)
INDIVIDUEL = _target(kind="individuel")
REGARD = _target(kind="regard_croise")

ENTRIES = [
    Entry(
        "Programmer l'entretien individuel",
        "schedule",
        call="decrochage_entretien",
        data=INDIVIDUEL,
        when=_interview("long", None, live=False),
    ),
    Entry(
        "Rédiger le compte rendu de l'entretien",
        "compte_rendu",
        call="decrochage_compte_rendu",
        data=INDIVIDUEL,
        when=_interview("long", None, live=True),
    ),
    Entry(
        "Reprogrammer l'entretien",
        "reschedule",
        call="decrochage_entretien",
        data=INDIVIDUEL,
        when=_interview("long", None, live=True),
    ),
    Entry(
        "Annuler l'entretien",
        "cancel",
        call="decrochage_cancel_entretien",
        data=INDIVIDUEL,
        when=_interview("long", None, live=True, held=False),
    ),
    Entry(
        "Noter la solution convenue",
        "solution",
        call="decrochage_solution",
        data=_target(),
        when=lambda c: SICK(c) and not _state(c, "solution"),
    ),
    Entry(
        "Noter l'échange en équipe",
        "equipe",
        call="decrochage_contact",
        data=_target(with_whom="equipe", channel="reunion"),
        when=lambda c: DIFFICULTY(c) and not _state(c, "equipe"),
    ),
    Entry(
        "Programmer le regard croisé",
        "schedule_regard",
        call="decrochage_entretien",
        data=REGARD,
        when=_interview("bilan_comp", False, live=False),
    ),
    Entry(
        "Rédiger le compte rendu du regard croisé",
        "compte_rendu_regard",
        call="decrochage_compte_rendu",
        data=REGARD,
        when=_interview("bilan_comp", False, live=True),
    ),
    Entry(
        "Reprogrammer le regard croisé",
        "reschedule_regard",
        call="decrochage_entretien",
        data=REGARD,
        when=_interview("bilan_comp", False, live=True),
    ),
    Entry(
        "Annuler le regard croisé",
        "cancel_regard",
        call="decrochage_cancel_entretien",
        data=REGARD,
        when=_interview("bilan_comp", False, live=True, held=False),
    ),
    Entry(
        "Déposer le livret de suivi",
        "livret",
        call="decrochage_livret",
        data=_target(),
        when=lambda c: _on("vae")(c) and not _state(c, "livret"),
    ),
    Entry("Noter un contact", "contact", call="decrochage_contact", data=_target()),
    Entry("Ajouter des signes observés", "signs", call="decrochage_signs", data=_target()),
    Entry("Joindre un document", "piece", call="decrochage_piece", data=_target()),
    Entry(
        "Saisir le ticket qualité (clôture)",
        "ticket",
        call="decrochage_ticket",
        data=_target(),
        when=lambda c: bool(c.data.get("applies")),
    ),
    Entry(
        "Clore le suivi",
        "close",
        call="decrochage_close",
        data=_target(),
        when=lambda c: not c.data.get("applies"),
    ),
    Entry("Voir la chronologie", "timeline", call="suivi", data=_timeline),
    Entry("Terminé", "done", then=_done),
]


async def menu_before(ctx: Context) -> Outcome | None:
    """Each time the menu is shown: the follow-up as it is now (it may have been closed)."""
    found = await load_followup(ctx)
    if found is None:
        ctx.say("decrochage.not_found")
        return Leave()
    if found.followup.closed_at is not None:
        return Leave()  # closed by the dialogue that just ended, which said so
    remember(ctx, found)
    s = await summary_of(ctx.session, found.followup)
    ctx.data["_menu"] = {
        "live": s.entretien is not None,
        "reported": s.entretien is not None and s.entretien.compte_rendu_id is not None,
        "held": s.entretien is not None and s.entretien.held_at is not None,
        "equipe": s.has_contact_with("equipe"),
        "livret": s.has_livret,
        "solution": found.followup.solution is not None,
    }
    return None


async def menu_values(ctx: Context) -> Mapping[str, Any]:
    found = await load_followup(ctx)
    if found is None:
        return {"s": None, "f": None, "todo": [], "labels": labels()}
    s = await summary_of(ctx.session, found.followup)
    return {
        "s": s,
        "f": found.followup,
        "todo": await todo(ctx, found.followup),
        "labels": labels(),
    }


MENU = Menu(
    "menu",
    ask="decrochage.menu",
    entries=ENTRIES,
    before=menu_before,
    values=menu_values,
)
