"""The trainer in charge of a formation, told of the décrochage signs another person's roll
call or sentence found in it.

An administrator may take the call of a colleague's formation: the signs it reaches were said
to her alone, and « Pas maintenant » left them to nobody, though the trainer in charge is the
one who holds the entretiens (explorer KB9). She is told in her chat (outbox), once per sign:
the key is made of the absences that reached them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from bot import dates
from bot.absences.clashes import period_label
from bot.absences.log import Recorded
from bot.absences.rollcall import Flag
from bot.answers import visible
from bot.conversations.kit.context import Context
from bot.conversations.people.told import tell
from bot.formations.queries import named_in_organisation
from bot.storage.formations import Formation, Trainee
from bot.storage.people import Person


def _key(formation_id: int, flags: Sequence[Flag]) -> str:
    signs = ",".join(str(f.absence_id) for f in sorted(flags, key=lambda f: f.absence_id))
    if len(signs) > 180:  # a whole group's signs: the same set still gives the same key
        signs = hashlib.sha256(signs.encode()).hexdigest()
    return f"decrochage-signs:{formation_id}:{signs}"


async def tell_trainers_in_charge(
    ctx: Context, flags: Sequence[Flag], *, source: str, when: str
) -> None:
    """Each formation's trainer, when not the person who noted the absences: her signs, in
    her chat; the person noting them reads who was told (or who could not be)."""
    by_formation: dict[int, list[Flag]] = {}
    for flag in flags:
        if flag.formation.owner_id != ctx.person_id:
            by_formation.setdefault(flag.formation.id, []).append(flag)
    owners: list[dict[str, Any]] = []
    for formation_id, theirs in by_formation.items():
        formation = theirs[0].formation
        owner = await ctx.session.get(Person, formation.owner_id)
        title = visible(await named_in_organisation(ctx.session, formation))
        words: dict[str, Any] = {
            "by": visible(ctx.actor.name) if ctx.actor else "",
            "title": title,
            "when": when,
            "source": source,
            "flags": theirs,
        }
        told = await tell(
            ctx,
            formation.owner_id,
            "absence_appel.told_owner",
            key=_key(formation_id, theirs),
            organisation_id=ctx.organisation_id,
            **words,
        )
        name = visible(owner.display_name) if owner else ""
        owners.append({"name": name, "title": title, "told": told})
    if owners:
        ctx.say("absence_appel.owner_told", owners=owners)


async def tell_of_one(
    ctx: Context, formation: Formation, trainee: Trainee, recorded: Recorded
) -> None:
    """« /absence Hugo vendredi » by someone else reaching a sign: told as a call's are."""
    if recorded.signal is None:
        return
    a = recorded.absence
    flag = Flag(trainee, formation, recorded.signal, recorded.followed, a.id)
    label = period_label(a.period, a.late_minutes, a.late_half)
    when = f"{trainee.full_name}, {label} du {dates.spell_date(a.day)}"
    source = "retard" if a.period == "retard" else "absence"
    await tell_trainers_in_charge(ctx, [flag], source=source, when=when)
