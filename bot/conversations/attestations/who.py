"""Who is talking and which bilan, in the words the attestation services take (no dialogue).

The services of :mod:`bot.attestations` never see a ``Context``: the
dialogues hand them the chat (:class:`~bot.attestations.service.Chat`), the
author of what is recorded (:class:`~bot.attestations.service.Author`) and,
for a trainer, what they may see (:class:`~bot.attestations.service.Viewer`).
"""

from __future__ import annotations

from bot.answers import visible
from bot.attestations.service import ROLE_LABELS, Author, Chat, Viewer, bilan_for
from bot.bilans.view import BilanView
from bot.conversations.kit.context import Context
from bot.conversations.kit.steps import Option
from bot.privacy.replies import Sealer


def chat_of(ctx: Context) -> Chat:
    return Chat(ctx.incoming.platform.value, ctx.incoming.user, ctx.incoming.chat)


def event_of(ctx: Context) -> str:
    """This message, as a key part that makes a notice unique to it."""
    return f"{ctx.incoming.platform.value}:{ctx.incoming.event_id}"


def author_of(ctx: Context) -> Author:
    if ctx.actor is None:
        return Author()
    return Author(ctx.actor.person_id, ctx.actor.organisation_id)


def sealer_of(ctx: Context) -> Sealer:
    """What keeps an attestation code sealed, with the data folder's key, so that a relance
    can give the same link again (the engine's own key: one per data folder)."""
    return Sealer(ctx.settings.data_dir)


def viewer_of(ctx: Context) -> Viewer:
    return Viewer(ctx.person_id, ctx.organisation_id, bool(ctx.actor and ctx.actor.is_admin))


async def this_bilan(ctx: Context) -> BilanView | None:
    """The bilan of this conversation (``bilan_id``) if this trainer may still see it."""
    return await bilan_for(ctx.session, viewer_of(ctx), ctx.data.get("bilan_id"))


async def participant_options(ctx: Context) -> list[Option]:
    """The participants of this bilan, as buttons: « Léa Martin (pour les stagiaires) »."""
    info = await this_bilan(ctx)
    if info is None:
        return []
    return [
        Option(f"{visible(p.name)} ({ROLE_LABELS.get(p.kind, p.kind)})"[:90], str(p.id))
        for p in info.bilan.participants
    ]
