"""A conversation set aside by another command, taken up again with /reprendre.

    Vous  /bilan  … (ten answers)
    Bot   Invitez-vous des partenaires extérieurs ?
    Vous  /echeances
    Bot   Je mets de côté « programmer un bilan » : tapez /reprendre pour y revenir
          là où vous en étiez.
          (the deadlines)
    Vous  /reprendre
    Bot   Je reprends « programmer un bilan » là où vous en étiez.
          Invitez-vous des partenaires extérieurs ?

A command typed in the middle of a conversation used to drop it, ten answers
with it (explorer O O21).  The last conversation left that way is kept, with
its answers, its called flows and the question it stood at, in the
conversation's own row (a restart keeps it), for as long as a conversation
under way is kept (``conversation_ttl_hours``).  Taken up while another one is
under way, the two change places.  Nothing in it was saved: what its questions
check is checked again when they are answered.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.answers import fold

if TYPE_CHECKING:
    from bot.conversations.kit.context import Context

KEY = "_aside"
"""Where the conversation set aside waits, in the data of the one under way."""


def set_aside(ctx: Context, flow: str, step: str, keep_for: timedelta) -> None:
    """Keep the conversation under way (``flow`` at ``step``) to take up again later."""
    ctx.data[KEY] = {
        "flow": flow,
        "step": step,
        "data": {k: v for k, v in ctx.data.items() if k not in (KEY, "_q")},
        "until": (ctx.later_of_now + keep_for).isoformat(),
    }


ORG = "_org"
"""The organisation a member's conversation was started in (:func:`stamp`)."""


def stamp(ctx: Context) -> None:
    """A conversation a member starts belongs to her organisation: kept with its answers."""
    actor = getattr(ctx, "actor", None)
    if ORG not in ctx.data and actor is not None and actor.organisation_id is not None:
        ctx.data[ORG] = actor.organisation_id


def foreign(ctx: Context, data: dict[str, Any]) -> bool:
    """Whether ``data``'s conversation was started in an organisation its person is no
    longer a member of (removed, or since joined another)."""
    started_in = data.get(ORG)
    actor = getattr(ctx, "actor", None)
    return started_in is not None and (actor is None or actor.organisation_id != started_in)


def left_behind(ctx: Context) -> dict[str, Any] | None:
    """The conversation set aside in an organisation its person is no longer a member of:
    never taken up, nor offered (explorer AF1: set aside in one organisation, taken up after
    joining another, six questions about the first one's trainee, then refused with an
    untrue reason)."""
    found = ctx.data.get(KEY)
    if not isinstance(found, dict) or not isinstance(found.get("data"), dict):
        return None
    return found if foreign(ctx, found["data"]) else None


def kept(ctx: Context) -> dict[str, Any] | None:
    """The conversation set aside, unless its time ran out or its organisation was left."""
    found = ctx.data.get(KEY)
    if not isinstance(found, dict) or datetime.fromisoformat(found["until"]) < ctx.now:
        return None
    return None if left_behind(ctx) is not None else found


def lapsed(ctx: Context) -> dict[str, Any] | None:
    """The conversation set aside whose time ran out: said once at /reprendre (explorer
    AG3: « Il n'y a rien à reprendre » read as if nothing had ever been set aside)."""
    found = ctx.data.get(KEY)
    if isinstance(found, dict) and kept(ctx) is None and left_behind(ctx) is None:
        return found
    return None


def waiting_words(data: dict[str, Any], summary: str) -> str:
    """What waits, in « Vous aviez mis de côté « … » »: once a dialogue saved what it was
    started for and only offers what may follow, its ``_saved`` holds the offer's words
    (explorer HB3: the décrochage offer left after the absences were saved was called
    « noter plusieurs absences en une fois », and a trainer in a hurry typed them again)."""
    saved = data.get("_saved")
    return saved if isinstance(saved, str) else summary


def first_flow(found: dict[str, Any]) -> str:
    """The flow the person started, of a conversation set aside (under its called flows)."""
    stack = found["data"].get("_stack") or [found]
    return str(stack[0]["flow"])


PRESSED = "_pressed"
"""The last button taken, as it came: the same press again is a double tap's second, which
says nothing (:meth:`~bot.conversations.kit.context.Context.repeats_taken_press`); or the
digest of the text that ended the conversation (:func:`typed`), whose second is said taken."""

SUGGESTED = "_suggested"
"""The command « Vouliez-vous dire /absence ? » offered, with the words typed after the
mistyped one, for a « oui » as the next message (:mod:`bot.conversations.kit.suggestion`, explorer QB17)."""


def typed(text: str, *, returned: bool = False) -> str:
    """What :data:`PRESSED` holds after a typed answer ended the conversation, or with
    ``returned`` a called dialogue (back to its caller's menu): a digest of it as compared
    (:func:`~bot.answers.fold`), never the words themselves (explorer GD6, EC11)."""
    kind = "typed-back:" if returned else "typed:"
    return kind + hashlib.sha256(fold(text).encode()).hexdigest()[:16]


def typed_again(last: object, text: str, *, returned: bool = False) -> bool:
    """``text`` is the one that ended the conversation (with ``returned``, the called
    dialogue) (``last``, :data:`PRESSED`), come again; no digest made at the turns that
    follow anything else."""
    return isinstance(last, str) and last == typed(text, returned=returned)


def resting(data: dict[str, Any]) -> dict[str, Any]:
    """What a conversation's row keeps when nothing is under way: the question counter, the
    conversation set aside, the last button taken (a sworn attestation's button tapped
    twice ends the dialogue at the first) and the command a typo was offered."""
    rest: dict[str, Any] = {"_q": data.get("_q", 0)}
    for key in (KEY, PRESSED, SUGGESTED):
        if key in data:
            rest[key] = data[key]
    return rest
