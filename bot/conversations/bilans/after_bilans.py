"""The words typed after ``/bilans`` or ``/attestations`` (« /bilans restauration »): the
bilans of the formations they fit, as /formations reads its own (explorer KB7).

Forty formations hold some thirty bilans, four pages of them: « /bilans restauration »
showed the first page, not one of restauration on it, the words dropped without a word
(explorer BF5). The words are read in the formations' titles and trainees' names by
:func:`bot.conversations.formations.after_command.fitting_formations`; one bilan found is
opened, several are listed alone (« Toute la liste » to come back), none is said. A day
typed alone (« /attestations 26/11 », « /bilans jeudi ») picks the bilans of that day, as
« /absences 22/11 » picks that day's absences (explorer DC12: « Aucune formation ne
correspond à « 26/11 » »), and a day beside a formation's words (« /attestations 26/11
restauration ») that formation's bilans of that day, read as « /absences 19/11 Projet » is.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversations.absences.after_absences import formation_and_day, typed_day
from bot.conversations.formations.after_command import (
    fitting_formations,
    say_none_fits,
    typed_after,
)
from bot.conversations.formations.choose import named_apart, options_of
from bot.conversations.kit.carry import NARROWED
from bot.conversations.kit.context import Context
from bot.dates import Prefer
from bot.storage.bilans import Bilan
from bot.storage.formations import Formation


async def read_bilans_after(
    ctx: Context, command: str, bilans: Sequence[tuple[Bilan, Formation]]
) -> None:
    """The bilan the words after ``/command`` name, stored as ``bilan_id``; several left for
    « Quel bilan ? » to show alone; none said so, above the whole list."""
    typed = typed_after(ctx, command)
    if not typed:
        return
    formations = {f.id: f for _, f in bilans}
    offered = await options_of(ctx, list(formations.values()))
    # « /attestations 26/11 restauration »: that formation's bilans of that day (as /absences'
    # « 19/11 Projet », explorer SA8; the whole was read as a title, « Aucune formation … »)
    dated = await formation_and_day(ctx, typed, offered)
    of = int(dated[0]) if dated else None
    said = dated[1] if dated else typed
    lean: Prefer = "past" if command == "attestations" else "future"
    day = typed_day(ctx, said, lean)
    if day is not None:  # « jeudi »: last Thursday's or the next one's, whichever holds one
        days = {day, typed_day(ctx, said, "future" if lean == "past" else "past")}
        found = [
            str(b.id)
            for b, f in bilans
            if b.starts_at.astimezone(ctx.tz).date() in days and of in (None, f.id)
        ]
    else:
        fit = await fitting_formations(ctx, typed, offered)
        found = [str(b.id) for b, f in bilans if str(f.id) in fit.found]
    if len(found) == 1:
        ctx.data["bilan_id"] = int(found[0])
    elif found:
        ctx.data[NARROWED] = {"_only": found, "_sought": typed[:60], "_page": 0}
    elif day is not None:  # « /bilans 21/11 »: the day read, said to hold none
        title = await named_apart(ctx, formations[of]) if of is not None else ""
        ctx.say("bilan.none_that_day", day=day, title=title)
    else:
        say_none_fits(ctx, typed, command, trainees=True)
