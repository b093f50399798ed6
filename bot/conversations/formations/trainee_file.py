"""The trainee list sent as a file (CSV or Excel) where the names are asked.

Bot  Collez la liste des stagiaires, un nom par ligne… Ou envoyez le fichier
     de la liste (CSV ou Excel).
Vous [stagiaires.xlsx]
Bot  Fichier « stagiaires.xlsx » : 14 lignes lues.
     12 stagiaires à ajouter, dont 2 pour représenter les stagiaires :
     · Marie Dupont (Boulangerie Martin) – représente les stagiaires …
     1 ligne à corriger (pas ajoutée) :
     · ligne 7 : date d'entrée « 31/02/2027 » impossible
     Déjà dans la formation (pas ajouté de nouveau) : Karim Benali (ligne 5).
Bot  Ajouter ces 12 stagiaires à la formation ?  [Importer] [Ne pas importer]
Vous Importer
Bot  (creating: the delegates, ticked as the file says, then the recap;
      editing: « 12 stagiaires importés dans « … ». Les échéances sont recalculées. »)

The same two steps serve ``/formation`` (its trainees question) and
``/formations`` → « Ajouter des stagiaires »; a file sent to the
formation's menu itself goes there too (:class:`MenuTakingAList`).  The rows wait in the
answers, as typed trainees do, so the creation's delegates question and
recap, and the adding's save, take them the same way; only the file's
extras (e-mail, phone, exit) come along.  A file that is no list, or with no
trainee to add, is re-asked with what is expected.
"""

from __future__ import annotations

from bot.conversations.formations.answers import trainee_bounds
from bot.conversations.formations.choose import member
from bot.conversations.formations.list_parts import (
    a_name_first,
    looks_like_a_list,
    no_choice_but_a_name,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Call, Leave, Next, Outcome, Retry
from bot.conversations.kit.steps import Confirm, Menu, Text
from bot.formations.labels import SINGLE_PERSON_KINDS
from bot.imports.reading import Refused
from bot.imports.service import Preview, preview, preview_for
from bot.messages import Attachment

IMPORT = "_import"
"""Where the file's name and counts wait until the confirmation (the rows are in ``trainees``)."""


class TraineeList(Text):
    """The trainees question: names typed or pasted, or a list sent as a file."""

    async def answer(self, ctx: Context) -> Outcome:
        attachment = ctx.incoming.attachment
        ctx.data.pop(IMPORT, None)
        if attachment is None or ctx.incoming.choice is not None:
            ctx.data.pop("delegates", None)  # ticks of an earlier list would name others
            return await super().answer(ctx)
        return await take_file(ctx, self.store, attachment)


ADDED = "_added"
"""Set (by « Ajouter des stagiaires », through its entry's ``store``) when trainees were
added by the menu's last answer: a list arriving next is that list's next part."""
NEXT_PART = "_next_part"
"""What ``formation_add`` is given instead of asking for the list."""


class MenuTakingAList(Menu):
    """A formation's menu that also takes a trainee list sent as a file.

    The file is previewed here (a photo or a PDF is answered, the menu
    stays); a list goes to ``adding`` (« Ajouter des stagiaires ») with its
    rows, which asks the confirmation, and the menu comes back after.
    """

    adding = "formation_add"

    async def answer(self, ctx: Context) -> Outcome:
        attachment = ctx.incoming.attachment
        just_added = ctx.data.pop(ADDED, None)
        if attachment is None or ctx.incoming.choice is not None:
            typed = ctx.incoming.text if ctx.incoming.choice is None else ""
            if typed and looks_like_a_list(typed):
                if just_added:
                    # The rest of the list the chat cut, right after « Ajouter des
                    # stagiaires » saved its first part: added the same way (explorer I).
                    return self._next_part(ctx, typed)
                if a_name_first(typed):  # `'; DROP TABLE …; --`: no list, no choice (UC5)
                    # Not right after a list: said, never read as a choice and dropped.
                    return Retry(ctx.render("formation.list_part_at_menu"))
            outcome = await super().answer(ctx)
            if just_added and isinstance(outcome, Retry):
                ctx.data[ADDED] = just_added  # « Hélène Ibert ; » next is the list's end
                return no_choice_but_a_name(ctx, outcome, typed)
            return outcome
        taken = await take_file(ctx, "trainees", attachment)
        if not isinstance(taken, Next):
            return taken
        ctx.data.pop("delegates", None)
        data = {key: ctx.data.pop(key) for key in ("trainees", IMPORT)}
        return Call(self.adding, {"formation_id": ctx.data["formation_id"], **data})

    def _next_part(self, ctx: Context, typed: str) -> Outcome:
        data = {"formation_id": ctx.data["formation_id"], NEXT_PART: typed}
        return Call(self.adding, data, store=ADDED)


async def take_file(ctx: Context, store: str, attachment: Attachment) -> Outcome:
    try:
        found = await _preview(ctx, attachment)
    except Refused as refused:
        return Retry(
            ctx.render("formation_import.refused", reason=refused.reason, **refused.values)
        )
    if found is None:
        ctx.say("formation.not_found")
        return Leave()
    shown = ctx.render("formation_import.preview", **found.shown())
    if not found.rows:
        return Retry(shown)
    ctx.say("formation_import.preview", **found.shown())
    ctx.data[store] = [row.as_data() for row in found.rows]
    ctx.data["delegates"] = [str(i) for i, row in enumerate(found.rows) if row.delegate]
    ctx.data[IMPORT] = {
        "filename": found.filename,
        "count": len(found.rows),
        "refused": found.refused_lines,
    }
    return Next()


async def _preview(ctx: Context, attachment: Attachment) -> Preview | None:
    if ctx.data.get("formation_id") is not None:  # adding to a formation that exists
        return await preview_for(
            ctx.session,
            member(ctx),
            ctx.data["formation_id"],
            attachment.filename,
            attachment.content,
            now=ctx.now,
        )
    return preview(
        attachment.filename,
        attachment.content,
        now=ctx.now,
        bounds=trainee_bounds(ctx),
        single=ctx.data.get("kind") in SINGLE_PERSON_KINDS,
    )


async def _not_imported(ctx: Context) -> Outcome:
    for key in (IMPORT, "trainees", "delegates"):
        ctx.data.pop(key, None)
    ctx.say("formation_import.not_imported")
    return Next("trainees")


async def _imported(ctx: Context) -> Outcome:
    return Next()


def confirm_import() -> Confirm:
    """« Ajouter ces 12 stagiaires ? », asked only after a file (right after the list)."""
    return Confirm(
        "import_confirm",
        ask="formation_import.confirm",
        yes=_imported,
        no=_not_imported,
        yes_label="Importer",
        no_label="Ne pas importer",
        when=lambda c: bool(c.data.get(IMPORT)),
    )
