"""What a direct chat the bot opens on Matrix says before it is accepted (explorer DC2).

On Tchap the person invited sees the invitation alone, with a warning about an
unknown inviter, until she accepts: the welcome comes only after.  So the reply
sent to a Matrix ID carries, in its ``extras``, the room's name (« formabot –
Forma Plus Normandie ») and topic (« Forma Plus Normandie (Camille Durand) :
invitation au bilan de fin de formation du jeudi 14 janvier 2027 »): the
organisation, who writes and why, never a trainee's name (the room's state is
kept by the homeserver as long as the room).  They travel with the reply through
the outbox (:mod:`bot.outbox_payload`); the transport sets them when it creates
the room (one direct chat per person: a later message, another organisation's
too, goes to the same room, its own words naming who writes); a later message
of the same organisation and trainer updates the topic (a moved bilan's new
date: explorer AJ7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import dates, texts
from bot.answers import visible
from bot.messages import ROOM_NAME, ROOM_TOPIC, Reply

if TYPE_CHECKING:
    from bot.bilans.view import BilanView
    from bot.conversations.kit.context import Actor


def introduction(organisation: str, who: str, purpose: str) -> dict[str, str]:
    """The ``extras`` naming the room after ``organisation`` and saying ``purpose``."""
    organisation = visible(organisation).strip()
    if not organisation:
        return {}
    name = texts.say("matrix_room.name", organisation=organisation)
    topic = texts.say(
        "matrix_room.topic", organisation=organisation, who=visible(who).strip(), purpose=purpose
    )
    return {ROOM_NAME: texts.plain(name), ROOM_TOPIC: texts.plain(topic)}


def about_bilan(view: BilanView, what: str) -> dict[str, str]:
    """A bilan's room: ``what`` is ``invited``, ``cancelled``, ``attestation`` or another
    change (the bilan alone is named then)."""
    purpose = texts.plain(
        texts.say(
            "matrix_room.bilan", what=what, kind=view.kind_label, day=dates.spell_date(view.start)
        )
    )
    return introduction(view.organisation_name, view.trainer, purpose)


def to_join(inviter: Actor | None, welcome: str) -> Reply:
    """A colleague invited by Matrix ID: ``welcome`` in a room whose topic says « … : invitation
    à rejoindre l'organisme sur formabot »."""
    if inviter is None:
        return Reply(text=welcome)
    purpose = texts.plain(texts.say("matrix_room.colleague"))
    extras = introduction(inviter.organisation_name or "", inviter.name, purpose)
    return Reply(text=welcome, extras=extras)
