"""What the Région's chargée de mission reads when she writes to the bot on Matrix/Tchap.

She got the bilan's invitation from the bot (« je ne suis qu'un assistant qui
transmet ») and answers in that chat; she is no member, so without this guide
she would read the stranger's « il faut une invitation ».  Her message goes to
the trainer(s) of the formations she follows (:mod:`bot.bilans.partner`) and
she is told to whom:

    Elle  je propose le 15 à 10 h
    Bot   Merci, j'ai transmis votre message à Camille Durand (Organisme de
          démonstration), qui vous répondra.
    Elle  /aide
    Bot   Bonjour Madame, je suis formabot, l'assistant de Camille Durand … :
          écrivez ici, je transmets votre message. …

A command, « aide » and an empty message or a file get the explanation, and
are passed on to nobody.
"""

from __future__ import annotations

from bot.answers import fold, visible
from bot.bilans.cm_answers import her_bilans
from bot.bilans.partner import (
    Trainer,
    forward,
    her_name,
    links_asked,
    meant_for,
    trainers_of,
)
from bot.conversations.kit.context import Context
from bot.messages import Platform
from bot.people.chats import FORWARD_LIMIT, capped
from bot.typos import HELP_WORDS


async def answer(ctx: Context) -> bool:
    """Pass her message on and tell her so; ``False`` for anyone who is not a chargée de
    mission named on a formation (the next guide, or the stranger's answer, then)."""
    incoming = ctx.incoming
    if incoming.platform is not Platform.MATRIX or incoming.is_group or ctx.actor is not None:
        # Someone known (a bilan's participant): never taken for a chargée de mission whose
        # Matrix ID a trainer typed, her messages sent to him (explorer AX1).
        return False
    trainers = await trainers_of(ctx.session, incoming.user, ctx.now)
    if not trainers:
        return False
    name = her_name(trainers)
    text = incoming.text.strip()
    unsaid = False  # a file whose trainer nothing names (explorer AZ9: nobody heard of it)
    if incoming.attachment is not None and not (
        meant := await meant_for(ctx.session, trainers, text, incoming.chat)
    ):
        unsaid = True
    elif incoming.attachment is not None and meant:
        # The file is not passed on, but the trainer hears she sent one (explorer AT5).
        said = ctx.render(
            "charge_de_mission.file_not_passed", filename=incoming.attachment.filename
        )
        kind = Platform.MATRIX.value
        await forward(
            ctx.session,
            meant,
            user=incoming.user,
            platform=kind,
            event=incoming.event_id,
            text=said,
        )
    if incoming.command is not None or fold(text) in HELP_WORDS or not text:
        ctx.say(
            "charge_de_mission.help",
            name=name,
            trainers=trainers,
            command=visible(incoming.command),  # no bidi override echoed (explorer AB3)
            empty=not text and incoming.command is None,
            file=incoming.attachment is not None,
        )
        if unsaid:
            ctx.say("charge_de_mission.which_organisation", trainers=trainers, file=True)
        return True
    meant = await meant_for(ctx.session, trainers, text, incoming.chat)
    if meant is None:  # she follows several organisations, and nothing says which
        ctx.say("charge_de_mission.which_organisation", trainers=trainers)
        return True
    await deliver(ctx, trainers, meant, text, incoming.event_id)
    return True


async def how_to_answer(ctx: Context) -> bool:
    """After « Je ne lis pas les réactions » (her 👍 under the invitation) or the like: how to
    answer the invitations still unanswered, the bilan named when there is one; ``False``
    when none awaits her answer (explorer DB5: she was only told to write, not what)."""
    hers = await her_bilans(ctx.session, ctx.incoming.user, ctx.now)
    waiting = [h for h in hers if not h.bilan.cm_answered]
    if not waiting:
        return False
    ctx.say("charge_de_mission.how_to_answer", bilan=waiting[0].label if len(waiting) == 1 else "")
    return True


async def deliver(
    ctx: Context,
    trainers: list[Trainer],
    meant: list[Trainer],
    text: str,
    event: str,
    *,
    file: bool = False,
) -> None:
    """Her message ``text`` (of the event ``event``) passed on to the trainers ``meant`` among
    all of hers, and she is told to whom, and to whom not; ``file``: ``text`` is only the
    notice of a file she sent (:mod:`.cm_which`), said as such to her."""
    others = [t for t in trainers if t not in meant]
    reached = await forward(
        ctx.session,
        meant,
        user=ctx.incoming.user,
        platform=ctx.incoming.platform.value,
        event=event,
        text=text,
    )
    missed = [t for t in meant if t not in reached]
    full_length = capped(text)[1] if reached else None  # said to her too (explorer UC9)
    ctx.say(
        "charge_de_mission.thanks",
        reached=reached,
        missed=missed,
        others=others,
        cut=FORWARD_LIMIT if full_length else None,
        full_length=full_length,
        file=file,
    )
    links = links_asked(meant, text)
    if links:  # the link the bot has, at once (explorer UE4)
        ctx.say("charge_de_mission.visio", links=links)
