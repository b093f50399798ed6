"""« Fait » typed again once a deadline is marked done: said, never read as another choice.

    You  (an entry opened from « 3 entrées à saisir dans EOS ») Fait
    Bot  ✅ C'est noté : l'échéance « Saisir l'entrée dans EOS » d'Inès Garnier est faite.
         … [✅ Toutes faites] [Retour à la liste]
    You  Fait                         (the same message sent twice)
    Bot  « Fait » : c'est déjà noté, l'échéance « Saisir l'entrée dans EOS » d'Inès Garnier
         est faite. Pour les autres : choisissez un nom, ou « Toutes faites » si tout est saisi.

The word is inside « ↩ Annuler le dernier « Fait » » and « ✅ Toutes faites »: typed, it fitted
them, and the repeat undid the « Fait » just given, or marked every other trainee of the
group done (explorer EC3).  A press of those buttons, or their words typed, still does.

A group's names pressed after a colleague marked them done (« ✅ Toutes faites » of two
admins, or a name done meanwhile) are said with who did it, not left unsaid
(:func:`said_done_meanwhile`, explorer KC2).
"""

from __future__ import annotations

from bot.answers import fold
from bot.conversations.deadlines.echeance import DONE_WORDS, load_deadline, say_already_done
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Retry
from bot.deadlines.lines import Line, concerned
from bot.storage.bilans import StoredDeadline


async def said_done_again(ctx: Context, group: Line | None = None) -> Retry | None:
    """The re-ask when « Fait » is typed where the last « Fait » can be undone (``group``:
    at a group's names, when that « Fait » was one of the group's); ``None`` otherwise."""
    if ctx.incoming.choice is not None or fold(ctx.incoming.text) not in DONE_WORDS:
        return None
    kept = ctx.data.get("undo_id")
    ids = kept if isinstance(kept, list) else [kept] if kept is not None else []
    rows = [row for row in [await load_deadline(ctx, one) for one in ids] if row is not None]
    if not rows or (group is not None and not _of_group(rows[0], group)):
        return None
    first = rows[0]
    named = len(rows) == 1 and first.subject in ("trainee", "followup")
    who = (await concerned(ctx.session, [first])).get(first.id, "") if named else ""
    return Retry(
        ctx.render(
            "echeances.done_again",
            title=first.title,
            who=who,
            count=len(rows),
            members=group is not None,
        )
    )


def _of_group(row: StoredDeadline, group: Line) -> bool:
    """``row`` is of the kind the group's names share, in its formation."""
    return (row.formation_id, row.title) == (group.first.formation_id, group.first.title)


async def said_done_meanwhile(ctx: Context, ids: list[object]) -> bool:
    """Say « … étaient déjà marquées faites par Paul Martin le … » of those of ``ids`` a
    colleague marked done; whether there were any (explorer KC2: « ✅ Toutes faites » pressed
    after a colleague's showed the list again, not a word of who had done them)."""
    rows = [row for row in [await load_deadline(ctx, one) for one in ids] if row is not None]
    done = [row for row in rows if row.status == "done" and row.done_by != ctx.person_id]
    if done:
        await say_already_done(ctx, done)
    return bool(done)
