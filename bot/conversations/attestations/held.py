"""The invitation a participant's conversation holds, checked at every step (no dialogue).

Every step of :mod:`~bot.conversations.attestations.participant` and of
:mod:`~bot.conversations.attestations.identity` asks again whether this chat
may still use it (a link replaced, expired, a bilan cancelled meanwhile):
the refusal comes back already worded, a replaced link naming whom to ask
for the new one when this chat may know it.
"""

from __future__ import annotations

from bot.attestations import invitations
from bot.attestations.invitations import Held
from bot.conversations.attestations.who import chat_of
from bot.conversations.kit.context import Context
from bot.messages import Reply
from bot.storage.bilans import BilanParticipant


async def refusal(
    ctx: Context, key: str, *, code: str | None = None, invitation_id: object = None
) -> str:
    """Why this chat cannot use the link (``code``, else ``invitation_id``, else the
    conversation's), in words; a replaced link names whom to ask for the new one when this
    chat may know it (:func:`~bot.attestations.invitations.replaced_asker`)."""
    asker = ""
    if key == "code_revoked":
        which = ctx.data.get("invitation_id") if invitation_id is None else invitation_id
        chat = chat_of(ctx)
        # Revoked because they were noted absent: no new link to ask anyone for.
        noted_by = await invitations.noted_absent_by(
            ctx.session, chat, code=code, invitation_id=which
        )
        if noted_by is not None:
            return ctx.render("attestation_participant.noted_absent", by=noted_by)
        asker = await invitations.replaced_asker(ctx.session, chat, code=code, invitation_id=which)
    return ctx.render(f"attestation_participant.{key}", asker=asker)


async def load(ctx: Context) -> Held | str:
    """The invitation of this conversation, still usable by this chat; else why not (said)."""
    found = await invitations.open_invitation(
        ctx.session, ctx.data.get("invitation_id"), chat=chat_of(ctx), now=ctx.now
    )
    return await refusal(ctx, found) if isinstance(found, str) else found


def tell(ctx: Context, said: str) -> None:
    """A text already rendered (a refusal from :func:`load`), as a message."""
    ctx.send(Reply(text=said))


async def invited(ctx: Context) -> BilanParticipant | None:
    found = await load(ctx)
    return None if isinstance(found, str) else found.participant
