"""The words typed after ``/bilans`` or ``/attestations`` (« /bilans restauration »): the
bilans of the formations they fit, as /formations reads its own (explorer KB7).

Forty formations hold some thirty bilans, four pages of them: « /bilans restauration »
showed the first page, not one of restauration on it, the words dropped without a word
(explorer BF5). The words are read in the formations' titles and trainees' names by
:func:`bot.conversations.formations.after_command.fitting_formations`; one bilan found is
opened, several are listed alone (« Toute la liste » to come back), none is said. A day
typed alone (« /attestations 26/11 », « /bilans jeudi ») picks the bilans of that day, as
« /absences 22/11 » picks that day's absences (explorer DC12: « Aucune formation ne
correspond à « 26/11 » »).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversations.absences.after_absences import typed_day
from bot.conversations.formations.after_command import (
    fitting_formations,
    say_none_fits,
    typed_after,
)
from bot.conversations.formations.choose import options_of
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
    lean: Prefer = "past" if command == "attestations" else "future"
    day = typed_day(ctx, typed, lean)
    if day is not None:  # « jeudi »: last Thursday's or the next one's, whichever holds one
        days = {day, typed_day(ctx, typed, "future" if lean == "past" else "past")}
        found = [str(b.id) for b, _ in bilans if b.starts_at.astimezone(ctx.tz).date() in days]
    else:
        formations = list({f.id: f for _, f in bilans}.values())
        fit = await fitting_formations(ctx, typed, await options_of(ctx, formations))
        found = [str(b.id) for b, f in bilans if str(f.id) in fit.found]
    if len(found) == 1:
        ctx.data["bilan_id"] = int(found[0])
    elif found:
        ctx.data[NARROWED] = {"_only": found, "_sought": typed[:60], "_page": 0}
    elif day is not None:  # « /bilans 21/11 »: the day read, said to hold none
        ctx.say("bilan.none_that_day", day=day)
    else:
        say_none_fits(ctx, typed, command, trainees=True)
