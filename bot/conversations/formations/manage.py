"""/formations: open one of my formations and keep it up to date.

    Vous /formations
    Bot  Quelle formation ?  [Agent de restauration (mardi 1er décembre 2026)] …
    Vous Agent de restauration
    Bot  Que voulez-vous faire de « Agent de restauration » ?
         [Voir le détail] [Modifier la formation] [Modifier les dates]
         [Ajouter des stagiaires] [Retirer un stagiaire] [Entrées et sorties, nom d'un stagiaire]
         [Choisir les délégués] [Confier à une autre personne] [Supprimer la formation]
         [Terminé]
    Vous Modifier les dates
    Bot  Quelles sont les nouvelles dates de « Agent de restauration » ?
    Vous du 1er octobre 2026 au 20 février 2027
    Bot  J'ai compris : du jeudi 1er octobre 2026 au samedi 20 février 2027. C'est bien ça ?
    Vous Oui
    Bot  Nouvelles dates enregistrées pour « Agent de restauration » : …
    Bot  Que voulez-vous faire de « Agent de restauration » ?  (the menu again)
    Vous Ajouter des stagiaires
    Bot  Quels stagiaires ajouter ? Un nom par ligne, ou le fichier de la liste (CSV, Excel).
    Vous [liste.xlsx]  (also straight to the menu: its preview, then « Ajouter ces … ? »)
    Vous Retirer un stagiaire → Quel stagiaire retirer ? → Retirer Karim Benali ? [Oui, retirer]
    Vous Choisir les délégués → ☑ Léa Martin ☐ Paul Henry … [✅ Terminé]
    Vous Confier à une autre personne → À qui confier … ? → … à Chloé Durand ? (:mod:`.handover`)
    Vous Supprimer la formation
    Bot  Supprimer « Agent de restauration » ? … [Oui, supprimer] [Non, garder]
    Vous Oui, supprimer
    Bot  « Agent de restauration » est supprimée : …
    Vous Terminé
    Bot  Très bien. À tout moment : /formations.

Each entry of the menu calls a small dialogue below (« Modifier la formation »: :mod:`.edit`;
« Modifier les dates »: :mod:`.new_dates`; « Entrées et sorties »: :mod:`.paths`) and comes
back to it. A bilan de compétences or a VAE follows one person: no delegates to choose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from bot import dates
from bot.conversations.formations.choose import (
    formation_options,
    load_formation,
    member,
    named_apart,
)
from bot.conversations.formations.handover import HANDED
from bot.conversations.formations.questions import is_group_training
from bot.conversations.formations.trainee_file import (
    ADDED,
    MenuTakingAList,
)
from bot.conversations.formations.which import by_trainee, list_start, open_formation
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, leave_saying
from bot.conversations.kit.pages import LINES, Reading
from bot.conversations.kit.steps import Confirm, Entry, Option, Pick, PickMany
from bot.deadlines.facts import rules_off
from bot.deadlines.lines import short_scope
from bot.deadlines.reopened import reopened_lines
from bot.deadlines.service import Moved
from bot.formations import service
from bot.formations.edit import delete_formation, proofs_unsendable
from bot.formations.labels import LABELS
from bot.formations.paths import last_path_end
from bot.formations.sessions import group_sessions
from bot.storage.bilans import StoredDeadline
from bot.storage.formations import Formation
from bot.storage.people import Person, Role


async def this_formation(ctx: Context) -> Formation | None:
    """The formation being edited; ``None``, and the person told, when it is gone."""
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        ctx.say("formation.not_found")
    return formation


async def still_there(ctx: Context) -> Outcome | None:
    """Before the menu (again): the formation may have gone meanwhile, or been handed to
    someone else by this person, who no longer sees it."""
    if ctx.data.pop(HANDED, None):
        return Leave()
    formation = await this_formation(ctx)
    if formation is None:
        return Leave()
    ctx.data["title"], ctx.data["kind"] = formation.title, formation.kind
    ctx.data["_named"] = await named_apart(ctx, formation)  # two groups of one title: DA16
    return None


async def show_detail(ctx: Context) -> Outcome:
    formation = await this_formation(ctx)
    if formation is None:
        return Leave()
    paged = len(formation.trainees) > LINES
    # Someone else's formation (an administrator's look): who is in charge (explorer BD6).
    mine = formation.owner_id == ctx.person_id
    owner = None if mine else await ctx.session.get(Person, formation.owner_id)
    ctx.say(
        "formation.detail",
        f=formation,
        labels=LABELS,
        groups=group_sessions(formation),
        no_email=proofs_unsendable(formation),
        last_end=last_path_end(formation),
        paged=paged,
        owner=owner.display_name if owner else None,
        off=await rules_off(ctx.session, formation),
    )
    return Next("roster" if paged else "action")


async def roster_lines(ctx: Context) -> list[str]:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        return []
    groups = group_sessions(formation)  # the session each one follows (explorer IC5, MA1)
    return [
        ctx.render("formation.trainee_line", t=t, f=formation, labels=LABELS, groups=groups)
        for t in formation.trainees
    ]


async def roster_values(ctx: Context) -> dict[str, Any]:
    return {"f": await load_formation(ctx, ctx.data.get("formation_id"))}


async def back_to_menu(ctx: Context, value: object) -> Outcome:
    return Next("action")


def its_id(ctx: Context) -> dict[str, Any]:
    return {"formation_id": ctx.data["formation_id"]}


async def ask_delete(ctx: Context) -> Outcome:
    return Next("confirm_delete")


async def keep_it(ctx: Context) -> Outcome:
    ctx.say("formation.nothing_changed")
    return Next("action")


async def do_delete(ctx: Context) -> Outcome:
    deleted = await delete_formation(
        ctx.session, member(ctx), ctx.data["formation_id"], now=ctx.now
    )
    if deleted is None or deleted.formation is None:
        ctx.say("formation.not_found")
        return Leave()
    if deleted.blocker is not None:
        ctx.say("formation.delete_blocked", blocker=deleted.blocker)
        return Next("action")
    ctx.say("formation.deleted", f=deleted.formation)
    return Leave()


LIST = Flow(
    "formations",
    browsing=True,
    # Its command, /aide line and who may use it: bot/features/formations.py.
    start=list_start,
    steps=[
        Pick(
            "formation",
            store="formation_id",
            ask="formation.ask_which",
            options=formation_options,
            unless_known=True,
            then=open_formation,
            other=by_trainee,
        ),
        MenuTakingAList(
            "action",
            ask="formation.ask_action",
            before=still_there,
            entries=[
                Entry("Voir le détail", "show", then=show_detail),
                Entry("Modifier la formation", "edit", call="formation_edit", data=its_id),
                Entry("Modifier les dates", "dates", call="formation_dates", data=its_id),
                Entry(
                    "Ajouter des stagiaires", "add", call="formation_add", data=its_id, store=ADDED
                ),
                Entry("Retirer un stagiaire", "remove", call="formation_remove", data=its_id),
                Entry(
                    "Entrées et sorties, nom d'un stagiaire",
                    "path",
                    call="formation_path",
                    data=its_id,
                ),
                Entry(
                    "Choisir les délégués",
                    "delegates",
                    call="formation_delegates",
                    data=its_id,
                    when=is_group_training,
                ),
                Entry(
                    "Confier à une autre personne",
                    "handover",
                    call="formation_handover",
                    data=its_id,
                    store=HANDED,
                ),
                Entry("Supprimer la formation", "delete", then=ask_delete),
                Entry("Terminé", "done", then=leave_saying("formation.edit_done")),
            ],
        ),
    ],
    branches=[
        Reading(
            "roster",
            ask="formation.roster_page",
            lines=roster_lines,
            values=roster_values,
            then=back_to_menu,
        ),
        Confirm(
            "confirm_delete",
            ask="formation.confirm_delete",
            # Its title as it is now: a colleague may have renamed it meanwhile (BA8).
            before=still_there,
            yes=do_delete,
            no=keep_it,
            yes_label="Oui, supprimer",
            exact=True,
            no_label="Non, garder",
        ),
    ],
)


# --- what each entry calls ----------------------------------------------------------


async def editing(ctx: Context) -> Outcome | None:
    formation = await this_formation(ctx)
    if formation is None:
        return Leave()
    ctx.data["title"] = formation.title
    ctx.data["kind"] = formation.kind
    ctx.data["_existing_keys"] = [t.name_key for t in formation.trainees]
    ctx.data["_bounds"] = [formation.start_date.isoformat(), last_path_end(formation).isoformat()]
    # The dates now, so that "jusqu'au 18 décembre" can move the end alone.
    ctx.data["_current"] = [formation.start_date.isoformat(), formation.end_date.isoformat()]
    return None


async def existing_trainee_options(ctx: Context) -> list[Option]:
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        return []
    return [Option(t.full_name, str(t.id)) for t in formation.named_trainees]


async def delegate_options(ctx: Context) -> list[Option]:
    """Who may represent the trainees: an erased person never does."""
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    if formation is None:
        return []
    return [Option(t.full_name, str(t.id)) for t in formation.trainees if not t.erased]


async def name_the_trainee(ctx: Context, picked: str) -> Outcome:
    """Keep the picked trainee's name for the confirmation."""
    formation = await load_formation(ctx, ctx.data.get("formation_id"))
    trainee = (
        next((t for t in formation.trainees if str(t.id) == picked), None) if formation else None
    )
    if trainee is None:
        return Retry(ctx.render("formation.trainee_not_found"))
    ctx.data["trainee_name"] = trainee.full_name
    history = await service.history_of(ctx.session, trainee.id)
    if history:
        ctx.say("formation.trainee_has_history", h=history)
        return Leave()
    return Next()


async def do_remove(ctx: Context) -> Outcome:
    removed = await service.remove_trainee(
        ctx.session, member(ctx), ctx.data["formation_id"], ctx.data.get("remove")
    )
    if isinstance(removed, service.History):  # noted meanwhile, from another chat
        ctx.say("formation.trainee_has_history", h=removed)
    elif removed is None:
        ctx.say("formation.trainee_not_found")
    else:
        ctx.say("formation.trainee_removed")
        say_moved(ctx, removed.moved)
        say_to_redo(ctx, None, (), done_again=removed.done_again)
    return Leave()


def _line_order(item: tuple[tuple[Any, ...], int]) -> tuple[Any, ...]:
    """By day, title, detail, former day; ``None`` (no postponement dropped) first."""
    key, _ = item
    return (*key[:4], key[4] or "")


def say_moved(ctx: Context, moved: Sequence[Moved]) -> None:
    """The open deadlines a change moved, with the day each was due before: a bilan de fin
    brought six weeks nearer went unsaid (explorer F F16)."""
    alike = Counter(
        # A postponement dropped: the day she had postponed it to (explorer QC1).
        (m.row.due_on, m.row.title, m.row.detail or "", m.postponed_to or m.old_due_on, m.lost)
        for m in moved
        if m.row.status == "open"
    )  # one line for each trainee's « Saisir la sortie dans EOS »: counted, not repeated
    today = ctx.now.astimezone(ctx.tz).date()
    lines = []
    for (due, title, detail, old, lost), count in sorted(alike.items(), key=_line_order):
        # As /echeances says them (explorer N): a day off's working day before, one past.
        weekend, friday = dates.weekend_words(due, today)
        lines.append(
            {
                "due": due,
                "title": title,
                "detail": detail,
                "old": old,
                "postponed": lost is not None,
                "count": count,
                "weekend": weekend,
                "friday": friday,
                "late": due < today,
            }
        )
    if lines:
        ctx.say("formation.deadlines_moved", moved=lines)


def say_to_redo(
    ctx: Context,
    formation: Formation | None,
    reopened: Sequence[StoredDeadline],
    trainee: str | None = None,
    *,
    done_again: Sequence[StoredDeadline] = (),
) -> None:
    """The final bilans done before the end a change moved past their day: to do again, said
    in the chat that made it (reviewer MD3/KB8), naming ``trainee`` when the change extended
    their path; and those done again, their end brought back: one saying for every change
    that moves an end (the dates, a path, a trainee removed, the sessions, the formation)."""
    if reopened and formation is not None:
        lines = reopened_lines([(row, formation.title) for row in reopened], ctx.tz, trainee)
        ctx.say("echeances.to_redo", lines=lines)
    if done_again:  # « (Session 1) », not « (la session « Session 1 » (du … au …)) »
        lines = reopened_lines([(row, "") for row in done_again], ctx.tz)
        for line in lines:
            line["detail"] = short_scope(str(line["detail"] or ""))
        ctx.say("echeances.done_again_end", lines=lines)


REMOVE_TRAINEE = Flow(
    "formation_remove",
    role=Role.FORMATEUR,
    summary="retirer un stagiaire",
    start=editing,
    steps=[
        Pick(
            "remove",
            ask="formation.ask_remove",
            options=existing_trainee_options,
            then=name_the_trainee,
        ),
        Confirm(
            "confirm_remove",
            ask="formation.confirm_remove",
            yes=do_remove,
            no=leave_saying("formation.nothing_changed"),
            yes_label="Oui, retirer",
            exact=True,
            no_label="Non, garder",
        ),
    ],
)


async def delegates_start(ctx: Context) -> Outcome | None:
    formation = await this_formation(ctx)
    if formation is None:
        return Leave()
    if not formation.trainees:
        ctx.say("formation.no_trainees")
        return Leave()
    ctx.data["title"] = formation.title
    ctx.data["delegates"] = [str(t.id) for t in formation.trainees if t.is_delegate]
    ctx.data["_were"] = [t.full_name for t in formation.trainees if t.is_delegate]
    return None


async def save_delegates(ctx: Context) -> None:
    names = await service.set_delegates(
        ctx.session, member(ctx), ctx.data["formation_id"], ctx.data.get("delegates") or []
    )
    if names is None:
        ctx.say("formation.not_found")
        return
    # Those unticked are named (explorer O: « Personne ne représente encore … » after two
    # delegates were taken off).
    gone = [name for name in ctx.data.get("_were") or [] if name not in names]
    ctx.say("formation.delegates_saved", names=names, gone=gone)


DELEGATES = Flow(
    "formation_delegates",
    role=Role.FORMATEUR,
    summary="choisir les délégués",
    start=delegates_start,
    steps=[
        PickMany(
            "delegates",
            ask="formation.ask_delegates",
            options=delegate_options,
            help="formation.help_delegates",
        ),
    ],
    finish=save_delegates,
)

FLOWS = [LIST, REMOVE_TRAINEE, DELEGATES]
