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
"""

from __future__ import annotations

from bot.answers import fold
from bot.bilans.partner import QUOTED, meant_for, trainers_of
from bot.conversations.bilans.charge_de_mission import deliver
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Option, Outcome, Switch
from bot.conversations.kit.pick import Pick
from bot.messages import Platform
from bot.typos import HELP_WORDS

TEXT = "_text"
EVENT = "_event"
NOWHERE = "none"


async def which_asked(ctx: Context) -> Outcome | None:
    """Her message, when she follows formations of several organisations and it names none
    of them for sure (:func:`~bot.bilans.partner.meant_for`): the question, her message kept
    until she answers; ``None`` for anything else (passed on, or another guide's)."""
    incoming = ctx.incoming
    text = incoming.text.strip()
    if (
        incoming.platform is not Platform.MATRIX
        or incoming.is_group
        or ctx.actor is not None
        or ctx.in_dialogue
        or incoming.command is not None
        or incoming.attachment is not None
        or not text
        or fold(text) in HELP_WORDS
    ):
        return None
    trainers = await trainers_of(ctx.session, incoming.user, ctx.now)
    if len({t.organisation_id for t in trainers}) < 2:
        return None
    if await meant_for(ctx.session, trainers, text, incoming.chat) is not None:
        return None
    return Switch(FLOW.name, {TEXT: text, EVENT: incoming.event_id})


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
    return [*ordered, Option("Ne pas le transmettre", NOWHERE)]


async def another_message(ctx: Context) -> Outcome | None:
    """A sentence of hers at the question, not a choice: kept with the first, to go with it
    to the formation she chooses, and the question asked again (never swallowed); a word or
    two is a choice mistyped, only asked again."""
    text = ctx.incoming.text.strip()
    if len(fold(text).split()) >= 3:
        ctx.data[TEXT] = f"{ctx.data.get(TEXT, '')}\n{text}".strip()
        ctx.say("charge_de_mission.which_kept")
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
    await deliver(ctx, trainers, meant, ctx.data[TEXT], ctx.data[EVENT])
    return Leave()


FLOW = Flow(
    "bilan_cm_which",
    summary="dire de quelle formation parle votre message",
    # Lapsed unanswered: her message went nowhere, said so (explorer AM5: « rien … n'est
    # enregistré », a trainee's hospitalisation passed on to no one without a word).
    lapsed_saying="charge_de_mission.which_lapsed",
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
