"""The words typed after ``/bilans`` or ``/attestations`` (« /bilans restauration »): the
bilans of the formations they fit, as /formations reads its own (explorer KB7).

Forty formations hold some thirty bilans, four pages of them: « /bilans restauration »
showed the first page, not one of restauration on it, the words dropped without a word
(explorer BF5). The words are read in the formations' titles and trainees' names by
:func:`bot.conversations.formations.after_command.fitting_formations`; one bilan found is
opened, several are listed alone (« Toute la liste » to come back), none is said.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversations.formations.after_command import (
    fitting_formations,
    say_none_fits,
    typed_after,
)
from bot.conversations.formations.choose import options_of
from bot.conversations.kit.carry import NARROWED
from bot.conversations.kit.context import Context
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
    formations = list({f.id: f for _, f in bilans}.values())
    fit = await fitting_formations(ctx, typed, await options_of(ctx, formations))
    found = [str(b.id) for b, f in bilans if str(f.id) in fit.found]
    if len(found) == 1:
        ctx.data["bilan_id"] = int(found[0])
    elif found:
        ctx.data[NARROWED] = {"_only": found, "_sought": typed[:60], "_page": 0}
    else:
        say_none_fits(ctx, typed, command, trainees=True)
