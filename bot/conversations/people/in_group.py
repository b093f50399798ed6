"""``/start`` typed in a group chat: the code it carried is one the whole group saw.

An invitation's code makes whoever sends it first a member of the
organisation; once shown in a group anyone there could use it before the
person invited (explorer ID4).  An open formateur invitation is therefore
revoked at once and its maker told in her own chat; any other code (a
bilan's participant's, one used or unknown) is only said to be personal.
Nothing of the organisation is said in the group.
"""

from __future__ import annotations

from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Leave, Outcome
from bot.conversations.people.told import tell
from bot.people import membership
from bot.storage.people import Invitation, Organisation, zone_of


async def started_in_group(ctx: Context, code: str) -> Outcome:
    """What ``/start`` (``code``: its argument, maybe empty) answers in a group."""
    member = ctx.actor is not None and ctx.actor.is_member
    if not code:
        ctx.say("common.private_only" if member else "common.group_not_member")
        return Leave()
    invitation = await membership.find_invitation(ctx.session, code)
    if invitation is not None and await _void(ctx, invitation):
        ctx.say("onboarding.code_voided_in_group")
    else:
        ctx.say("onboarding.code_in_group")
    return Leave()


async def _void(ctx: Context, invitation: Invitation) -> bool:
    """Revoke ``invitation`` if it still opens the door, and tell whom made it; whether it did."""
    if invitation.expires_at < ctx.now:
        return False
    done = await membership.revoke_invitation(
        ctx.session,
        invitation.organisation_id,
        invitation.id,
        by=None,
        now=ctx.now,
        how="code montré dans un groupe",
    )
    if done != "revoked":
        return False
    numbers = await membership.invitation_numbers(ctx.session, invitation.organisation_id)
    organisation = await ctx.session.get(Organisation, invitation.organisation_id)
    await tell(
        ctx,
        invitation.created_by,
        "onboarding.inviter_code_voided",
        key=f"invitation:{invitation.id}:shown_in_group",
        organisation_id=invitation.organisation_id,
        number=numbers[invitation.id],
        created=invitation.created_at.astimezone(zone_of(organisation)),
    )
    return True
