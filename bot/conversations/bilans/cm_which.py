"""The chargée de mission following formations of several organisations, whose message
names none of them for sure: asked which formation, with buttons, before it goes anywhere.

    Elle  Bonjour, la stagiaire qui devait faire une remise à niveau est hospitalisée
    Bot   Vous suivez des formations de plusieurs organismes : de quelle formation parle
          votre message ? Je ne le transmettrai qu'à son organisme.
          [Remise à niveau (Organisme 1)] [Agent de restauration (démo) (Organisme de
          démonstration)] [Ne pas le transmettre]
    Elle  Agent de restauration
    Bot   Merci, j'ai transmis votre message à Camille Durand (Organisme de démonstration) …

Explorer AF7: a formation's title met as ordinary words of her sentence (« une remise à
niveau ») sent a trainee's health to the organisation of that title, not the trainee's.
The formations whose title her words contain come first; nothing goes before she chooses.

A file of hers is asked about the same way (it is not passed on: the organisation chosen
hears that she sent it, to ask her for it by e-mail), and so is a message typed while her
answer to an invitation is under way, as a sub-dialogue: her answer goes on where it was
(explorer AF7's rest: « je ne sais pas auquel … », and neither reached anyone).
"""

from __future__ import annotations

import re
from typing import Any

from bot.answers import fold
from bot.bilans.partner import QUOTED, meant_for, trainers_of
from bot.conversations.bilans.charge_de_mission import answer, deliver
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Call, Flow, Leave, Option, Outcome, Retry, Stay, Switch
from bot.conversations.kit.many import FINISHED_WORDS
from bot.conversations.kit.pick import TEXT_STOPS, Pick
from bot.messages import Platform
from bot.typos import HELP_WORDS

TEXT = "_text"
EVENT = "_event"
FILE = "_file"
"""Only a file was sent (what is held is the trainer's notice of it): said so to her."""
NOWHERE = "none"


async def which_asked(ctx: Context) -> Outcome | None:
    """Her message or file, when she follows formations of several organisations and it
    names none of them for sure (:func:`~bot.bilans.partner.meant_for`): the question, her
    message kept until she answers; ``None`` for anything else (passed on, or another
    guide's)."""
    if ctx.in_dialogue:
        return None
    held = await _held(ctx)
    return Switch(FLOW.name, held) if held is not None else None


async def pass_on_or_ask(ctx: Context, *, back: bool = True) -> Outcome | None:
    """Her message typed within another dialogue of hers (her answer to an invitation):
    passed on as outside one, or, naming none of her organisations for sure, held and
    asked about (a sub-dialogue, her own going on after it; with ``back`` false, instead
    of her own); ``None`` once passed on."""
    held = await _held(ctx)
    if held is not None:
        return Call(FLOW.name, held) if back else Switch(FLOW.name, held)
    await answer(ctx)
    return None


async def _held(ctx: Context) -> dict[str, Any] | None:
    """What to hold while she is asked which formation: her words, or the notice of her file
    (a file is not passed on, its sending is); ``None`` when nothing is to be asked."""
    incoming = ctx.incoming
    text = incoming.text.strip()
    file = incoming.attachment
    if (
        incoming.platform is not Platform.MATRIX
        or incoming.is_group
        or ctx.actor is not None
        or incoming.command is not None
        or (not text and file is None)
        or fold(text) in HELP_WORDS
    ):
        return None
    trainers = await trainers_of(ctx.session, incoming.user, ctx.now)
    if len({t.organisation_id for t in trainers}) < 2:
        return None
    if await meant_for(ctx.session, trainers, text, incoming.chat) is not None:
        return None
    alone = file is not None and not text
    if file is not None:
        notice = ctx.render("charge_de_mission.file_not_passed", filename=file.filename)
        text = f"{text}\n{notice}".strip()
    return {TEXT: text, EVENT: incoming.event_id, FILE: alone}


async def formation_options(ctx: Context) -> list[Option]:
    """Each formation she follows, « title (organisation) », those her words contain first."""
    said = f" {fold(ctx.data.get(TEXT, ''))} "
    quoted = {fold(q) for q in QUOTED.findall(ctx.data.get(TEXT, ""))}
    options = [
        (
            f" {fold(f.title)} " not in said and fold(f.title) not in quoted,
            Option(f"{f.title} ({t.organisation})", str(f.formation.id)),
        )
        for t in await trainers_of(ctx.session, ctx.incoming.user, ctx.now)
        for f in t.followed
    ]
    ordered = [o for _, o in sorted(options, key=lambda pair: pair[0])]
    # « annuler », « stop » typed: her way out is this one (explorer CB11: told « ce qui
    # n'était pas validé ne sera pas enregistré », as if she had been filling something).
    return [*ordered, Option("Ne pas le transmettre", NOWHERE, words=NOT_PASSED_WORDS)]


NOT_PASSED_WORDS = (*sorted(TEXT_STOPS), "laisser tomber", "aucune", "aucun")
"""What she may type for « Ne pas le transmettre »."""

_ALONG = (
    r"non|bon|ok|alors|finalement|en fait|tout|je veux|je voudrais|je prefere|on peut"
    r"|svp|stp|s il vous plait|s il te plait|merci|laissez tomber|laisser tomber"
)
_STOP_ASKED = re.compile(rf"(?:(?:{_ALONG}) )*(?:{'|'.join(sorted(TEXT_STOPS))})(?: (?:{_ALONG}))*")
"""Folded, a way out said to the bot (« annuler », « stop svp », « je veux arrêter »), and
nothing else: « Karim veut arrêter », « il a arrêté hier » are news of a trainee, kept with
her message (explorer DC3: such a sentence sent both to no one)."""


async def another_message(ctx: Context) -> Outcome | None:
    """A sentence of hers at the question, not a choice: kept with the first, to go with it
    to the formation she chooses, and the question asked again (never swallowed), not said
    to fit no choice nor to be a way out (explorer DC3); a word or two is a choice mistyped,
    only asked again."""
    text = ctx.incoming.text.strip()
    if _STOP_ASKED.fullmatch(fold(text)):  # « je veux arrêter »: not passed on (CB11, DC3)
        return await on_formation(ctx, NOWHERE)
    if fold(text) in FINISHED_WORDS:  # what each choice does with it (explorer DC6)
        return Retry(ctx.render("charge_de_mission.which_done", file=bool(ctx.data.get(FILE))))
    if len(fold(text).split()) >= 3:
        ctx.data[TEXT] = f"{ctx.data.get(TEXT, '')}\n{text}".strip()
        ctx.data[FILE] = False  # more than a file to speak of now
        ctx.say("charge_de_mission.which_kept")
        return Stay()
    return None


async def on_formation(ctx: Context, picked: str) -> Outcome:
    """Her message to the chosen formation's organisation only."""
    if picked == NOWHERE:
        ctx.say("charge_de_mission.not_passed")
        return Leave()
    trainers = await trainers_of(ctx.session, ctx.incoming.user, ctx.now)
    chosen = next(
        (t.organisation_id for t in trainers for f in t.followed if str(f.formation.id) == picked),
        None,
    )
    if chosen is None:  # no longer hers since the question
        ctx.say("charge_de_mission.formation_gone")
        return Leave()
    meant = [t for t in trainers if t.organisation_id == chosen]
    await deliver(
        ctx, trainers, meant, ctx.data[TEXT], ctx.data[EVENT], file=bool(ctx.data.get(FILE))
    )
    return Leave()


FLOW = Flow(
    "bilan_cm_which",
    summary="dire de quelle formation parle votre message",
    # Lapsed unanswered: her message went nowhere, said so (explorer AM5: « rien … n'est
    # enregistré », a trainee's hospitalisation passed on to no one without a word).
    lapsed_saying="charge_de_mission.which_lapsed",
    cancelled_saying="charge_de_mission.which_lapsed",  # at /annuler too (explorer BB8)
    left_saying="charge_de_mission.which_left",  # for another command (explorer CB10)
    refused_saying="charge_de_mission.command_refused",  # /appel: not hers (explorer DC9)
    steps=[
        Pick(
            "formation",
            ask="charge_de_mission.ask_which",
            options=formation_options,
            other=another_message,
            then=on_formation,
        ),
    ],
)

FLOWS = [FLOW]
