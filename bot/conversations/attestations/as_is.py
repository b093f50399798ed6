"""After the health warning, a reply that speaks of the message itself: asked, never kept.

    Bot   Je n'ai pas encore transmis votre message : s'il parle de santé, … renvoyez-le tel quel.
    Vous  Ne transmettez pas ce message
    Bot   Transmettre votre message tel quel ?
          « je suis partie à 15 h pour ma séance de chimiothérapie » …
          [Oui, le transmettre tel quel] [Non, ne rien transmettre]
    Vous  non
    Bot   Entendu : votre message n'a été ni transmis à Camille Durand ni joint à votre
          réponse. … (the question the words were written at, asked again)

A plain keep (« tel quel », « vous pouvez le transmettre ») keeps the words pointed out and a
plain refusal (« non », « ne le transmettez pas ») drops them, as before; any other reply
that speaks of sending, keeping, recording, removing or forgetting them
(:func:`~bot.privacy.health.about_the_message`) was read, each time a closed list of
phrasings missed one, as the message itself, passed on and signed, or as the reason for not
taking part (explorer QA1: « Ne transmettez pas ce message », « je retire ma réponse »).
It is now a question with two buttons, its typed answer read as a yes or a no.
"""

from __future__ import annotations

from typing import Any

from bot.answers import visible
from bot.conversations.attestations.held import load, tell
from bot.conversations.attestations.words import (
    REASON_AS_IS,
    REASON_REFUSED,
    WARNED_AT,
    WORDS_AS_IS,
    forget_warning,
    keep_words,
    pass_on,
    trainer_name,
)
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Leave, Next, Outcome
from bot.conversations.kit.steps import Confirm
from bot.messages import Reply
from bot.privacy.health import SAID_TEXT, TO_WHOM, keeping, refusing


def _step(ctx: Context) -> str:
    """The question the words were written at, where the dialogue goes back."""
    return str(ctx.data.get(WARNED_AT) or "text")


async def _values(ctx: Context) -> dict[str, Any]:
    found = await load(ctx)
    inviter = None if isinstance(found, str) else visible(await trainer_name(ctx, found))
    return {"words": visible(str(ctx.data.get(SAID_TEXT, ""))), "inviter": inviter}


async def keep_as_is(ctx: Context) -> Outcome:
    """« Oui »: the words pointed out are kept as they were written, never the reply."""
    step, said = _step(ctx), ctx.data.get(SAID_TEXT)
    forget_warning(ctx)
    if not isinstance(said, str):
        return Next(step)
    if step == "reason":
        ctx.data["reason"] = said
        return Finish()
    found = await load(ctx)
    if isinstance(found, str):
        tell(ctx, found)
        return Leave()
    key = "attestation_participant.words_passed_on"
    ctx.send(Reply(text=await pass_on(ctx, found, said, key, step=step)))
    keep_words(ctx, said)
    return Next(step)


async def drop_as_is(ctx: Context) -> Outcome:
    """« Non »: neither the words pointed out nor the reply go anywhere, said so."""
    step = _step(ctx)
    forget_warning(ctx)
    if step == "reason":
        ctx.data[REASON_REFUSED] = True
        ctx.say("attestation_participant.reason_refused")
        return Next(step)
    found = await load(ctx)
    if isinstance(found, str):
        tell(ctx, found)
        return Leave()
    inviter = visible(await trainer_name(ctx, found))
    ctx.say("attestation_participant.words_refused", inviter=inviter, step=step)
    return Next(step)


async def _other(ctx: Context) -> Outcome | None:
    """« tel quel », « ne le transmettez pas » typed at this question: read as yes or no."""
    to = str(ctx.data.get(TO_WHOM) or "")  # « transmettez-le à Camille » (explorer QA6)
    if ctx.incoming.choice is None and keeping(ctx.incoming.text, to):
        return await keep_as_is(ctx)
    if ctx.incoming.choice is None and refusing(ctx.incoming.text):
        return await drop_as_is(ctx)
    return None


def _as_is(name: str, ask: str, yes_label: str, no_label: str) -> Confirm:
    """The question about the words pointed out, its answers read the same at either step."""
    return Confirm(
        name,
        store=f"_{name}",
        ask=f"attestation_participant.{ask}",
        yes=keep_as_is,
        no=drop_as_is,
        yes_label=yes_label,
        no_label=no_label,
        other=_other,
        values=_values,
    )


STEPS = [
    _as_is(
        WORDS_AS_IS, "ask_words_as_is", "Oui, le transmettre tel quel", "Non, ne rien transmettre"
    ),
    _as_is(
        REASON_AS_IS, "ask_reason_as_is", "Oui, la garder telle quelle", "Non, ne pas la garder"
    ),
]
"""The two questions, branches of the participant's flow: the message passed on at a
question of the attestation, and the reason for not taking part."""
