"""Moving and cancelling a scheduled bilan, giving its visio link, and telling its
participants.

Both raise the bilan's ``sequence`` (the invitation's SEQUENCE: calendars
update or remove the event), recompute the formation's deadlines (they
follow a moved bilan, done ones stay done; a cancelled bilan drops its open
ones), write the audit entry and queue a message to every participant the
bot can reach (:mod:`bot.bilans.notify`).  The caller says the rest from
what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.bilans.notify import ChatOf, notify_participants
from bot.bilans.queries import PROOF_RULE, deadlines_of_bilan, unreachable, visible_bilan
from bot.bilans.schedule import agree_on_the_meeting_day
from bot.bilans.view import BilanView, kind_label, view_with
from bot.deadlines.actions import mark_done_by_answers, reopen
from bot.deadlines.service import Moved, mark_done_by_key, refresh_deadlines
from bot.formations.queries import Member
from bot.storage import audit
from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.formations import Formation


@dataclass(frozen=True)
class Move:
    """A bilan moved: its new documents and deadlines, which of them moved, who was told."""

    view: BilanView
    old_start: datetime
    """The former start, in the organisation's zone."""
    deadlines: list[StoredDeadline]
    moved: dict[int, Moved]
    """The bilan's deadlines whose date changed, by stored deadline id."""
    reached: int
    unreachable: list[str]


@dataclass(frozen=True)
class Cancellation:
    view: BilanView
    removed: list[str]
    """Titles of the open deadlines dropped with the bilan."""
    kept: list[str]
    """Titles of the deadlines already done, kept as history."""
    reached: int
    unreachable: list[str]


NOTICES = {
    "moved": "bilan.notice_moved",
    "cancelled": "bilan.notice_cancelled",
    "link": "bilan.notice_link",
}
"""What each change says to the participants the bot can reach (blocks of bilan.j2)."""


async def _recorded_and_told(
    session: AsyncSession,
    viewer: Member,
    bilan: Bilan,
    formation: Formation,
    *,
    chat_of: ChatOf,
    action: str,
    event: str,
    details: dict[str, object] | None = None,
    unsent: str | None = None,
    answered: str | None = None,
    **words: str,
) -> tuple[BilanView, int, list[str]]:
    """The audit entry of a change, the bilan read afresh, every participant the bot can
    reach told: the view, how many were told, the names of the others.  ``answered``:
    the block said instead to those who had answered the attestation."""
    audit.record(
        session,
        organisation_id=viewer.organisation_id,
        actor_id=viewer.person_id,
        action=action,
        entity="bilan",
        entity_id=bilan.id,
        formation_id=formation.id,
        **(details or {}),
    )
    view = await view_with(session, bilan, formation)
    said = {
        "kind": kind_label(bilan.kind),
        "when": dates.spell_datetime(view.start),
        "title": formation.title,
        # Moved: the visio's link again, so that no earlier message is needed to join.
        "visio": (bilan.visio_url or "") if bilan.remote else "",
        # With the link, its password as the invitation says it (explorer GE2).
        "visio_password": bilan.visio_password or "",
        "visio_password_required": bool(bilan.visio_password_required),
        **words,
    }
    reached = await notify_participants(
        session,
        bilan,
        chat_of=chat_of,
        event=event,
        text=texts.say(NOTICES[event], **said),
        unsent=unsent,
        answered=texts.say(answered, **said) if answered else None,
    )
    return view, reached, await unreachable(session, bilan, chat_of)


async def move_bilan(
    session: AsyncSession,
    viewer: Member,
    now: datetime,
    bilan_id: int,
    starts_at: datetime,
    *,
    chat_of: ChatOf,
    length: timedelta | None = None,
) -> Move | None:
    """Move the bilan to ``starts_at``, for ``length`` (a slot typed: « de 14h à 16h30 »)
    or the same length; ``None`` if ``viewer`` may not see it."""
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None:
        return None
    bilan, formation = found
    before = await view_with(session, bilan, formation)
    old_start = before.start
    length = length or bilan.ends_at - bilan.starts_at
    bilan.starts_at = starts_at
    bilan.ends_at = starts_at + length
    bilan.next_version(now, same_date=False)
    await session.flush()
    refreshed = await refresh_deadlines(session, formation.id)
    moved = {
        m.row.id: m
        for m in refreshed.moved
        if m.row.subject == "bilan" and m.row.subject_id == bilan.id
    }
    tz = before.tz
    await agree_on_the_meeting_day(session, bilan, tz, viewer.person_id, now)
    await _proofs_owed_again(session, bilan, now)
    rows = await deadlines_of_bilan(session, bilan)
    invitation = texts.say(  # for whoever's first invitation had not left yet
        "bilan.notice_invited",
        kind=kind_label(bilan.kind),
        title=formation.title,
        when=dates.spell_datetime(starts_at.astimezone(tz)),
    )
    old = dates.spell_datetime(old_start)
    new = dates.spell_span(starts_at.astimezone(tz), bilan.ends_at.astimezone(tz))
    end = bilan.ends_at.astimezone(tz)
    view, reached, missed = await _recorded_and_told(
        session,
        viewer,
        bilan,
        formation,
        chat_of=chat_of,
        action="move",
        details={"sequence": bilan.sequence},
        event="moved",
        unsent=invitation,
        answered="bilan.notice_moved_answered",  # their answer named the old date
        old=old,
        new=new,
        opens=f"du {dates.spell_date(end)} à {dates.spell_time(end)}",
    )
    return Move(
        view=view,
        old_start=old_start,
        deadlines=rows,
        moved=moved,
        reached=reached,
        unreachable=missed,
    )


async def _proofs_owed_again(session: AsyncSession, bilan: Bilan, now: datetime) -> None:
    """Proofs of participation marked sent before the moved bilan's end are not this bilan's:
    its NOR-PROOF is open again (explorer KB7: a bilan held, its proofs sent, moved to be held
    again, « les attestations déjà confirmées ne vaudront plus », and NOR-PROOF stayed « ✅
    déjà faite » at its new date, nothing asking the new proofs, 000 §III)."""
    for row in await deadlines_of_bilan(session, bilan):
        sent = row.done_at
        if row.rule_id == PROOF_RULE and row.status == "done" and sent and sent < bilan.ends_at:
            await reopen(session, None, row.id, now, undoing="done", by="bilan_deplace")


async def cancel_bilan(
    session: AsyncSession, viewer: Member, now: datetime, bilan_id: int, *, chat_of: ChatOf
) -> Cancellation | None:
    """Cancel the bilan; ``None`` if ``viewer`` may not see it (or it is already cancelled)."""
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None:
        return None
    bilan, formation = found
    bilan.cancelled_at = now
    bilan.cancelled_by = viewer.person_id
    bilan.next_version(now, same_date=False)
    await session.flush()
    refreshed = await refresh_deadlines(session, formation.id)
    kept = [r.title for r in await deadlines_of_bilan(session, bilan) if r.status == "done"]
    view, reached, missed = await _recorded_and_told(
        session,
        viewer,
        bilan,
        formation,
        chat_of=chat_of,
        action="cancel",
        event="cancelled",
        answered="bilan.notice_cancelled_answered",  # their answer has no object now
    )
    return Cancellation(
        view=view, removed=refreshed.removed, kept=kept, reached=reached, unreachable=missed
    )


LINK_RULE = "NOR-VISIO-LINK"


@dataclass(frozen=True)
class LinkGiven:
    """The visio link of a remote bilan given (or changed), and who was told."""

    view: BilanView
    closed: list[str]
    """Titles of the deadlines this closed (the link asked for "plus tard")."""
    reached: int
    unreachable: list[str]


async def set_visio_link(
    session: AsyncSession,
    viewer: Member,
    now: datetime,
    bilan_id: int,
    url: str,
    *,
    chat_of: ChatOf,
) -> LinkGiven | None:
    """Give the link of a remote bilan: a new version of the invitation, the deadline that
    asked for it done (by whom, when), every participant the bot can reach told.
    ``None`` if ``viewer`` may not see the bilan, or it is on site."""
    found = await visible_bilan(session, viewer, bilan_id, lock=True)
    if found is None or not found[0].remote:
        return None
    bilan, formation = found
    bilan.visio_url = url
    bilan.next_version(now, same_date=True)
    await session.flush()
    closed = await mark_done_by_key(
        session, formation.id, [f"{LINK_RULE}:bilan:{bilan.id}"], viewer.person_id, now
    )
    await refresh_deadlines(session, formation.id)
    # With its link, the tool checked at booking answers NOR-VISIO (item 15's one place).
    closed += await mark_done_by_answers(session, bilan.id, viewer.person_id, now)
    view, reached, missed = await _recorded_and_told(
        session,
        viewer,
        bilan,
        formation,
        chat_of=chat_of,
        action="visio_link",
        details={"sequence": bilan.sequence},
        event="link",
        link=url,
    )
    return LinkGiven(
        view=view, closed=[r.title for r in closed], reached=reached, unreachable=missed
    )
