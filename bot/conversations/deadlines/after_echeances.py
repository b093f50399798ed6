"""The words typed after /echeances: a formation's name, its deadlines alone (explorer KB7).

Read as :mod:`bot.conversations.formations.after_command` reads them, among the formations
with deadlines to do; what they may mean besides is said here: the list itself (« à
faire », explorer MA4), formations that have nothing to do or a trainee's name (MA5), where
« Aucune formation ne correspond » read as a misspelling.
"""

from __future__ import annotations

from bot.answers import fold
from bot.conversations.deadlines.echeance import titles
from bot.conversations.formations.after_command import (
    fitting_formations,
    read_after_command,
    typed_after,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.steps import Option

WHOLE_LIST = {"a", "faire", "tout", "toutes", "tous", "les", "mes", "echeances", "la", "liste"}
"""Words after /echeances asking for the list itself, « à faire », « toutes »: no formation's
name (explorer MA4: read in each label's « (4 à faire) », they asked « Quelle formation ? »)."""


async def read_after_echeances(ctx: Context, options: list[Option]) -> list[str]:
    """The formations (among ``options``, those with deadlines to do) the words after
    /echeances fit, the one they fit kept as the list's filter; none said why."""
    typed = typed_after(ctx, "echeances")
    if set(fold(typed).split()) <= WHOLE_LIST:
        return []
    found = (await fitting_formations(ctx, typed, options, trainees=False)).found
    if not found and await said_elsewhere(ctx, typed):
        return []
    return await read_after_command(ctx, "echeances", options, store="filter", trainees=False)


async def said_elsewhere(ctx: Context, typed: str) -> bool:
    """Whether ``typed``, fitting no formation with deadlines, names formations with nothing
    to do or a trainee, and was said so (explorer MA5: « Aucune formation ne correspond à
    « cariste » » beside four Cariste formations)."""
    names = await titles(ctx)
    every = [Option(title, str(i)) for i, title in names.items()]
    fit = await fitting_formations(ctx, typed, every)
    found, by_name = fit.found, fit.by_name
    if not found:
        return False
    if by_name:
        ctx.say("echeances.names_not_read", typed=typed[:60])
    else:
        ctx.say("echeances.nothing_to_do", names=[names[int(i)] for i in found], typed=typed[:60])
    return True
