"""Inviting and reminding a bilan's participants, without side effects.

"Inviter ou relancer" (:func:`invite_or_remind`) gives a first link to whoever
has none, **the same link again** to whoever has not opened theirs (it is
kept sealed, :func:`bot.attestations.invitations.unsealed`), and writes in
their own chat to whoever already talks to the bot; it never replaces a link.
Only "Nouveau lien" does (:func:`bot.attestations.invitations.reissue`), and
the old link then says it was replaced.  Every relance is audited.

Before the bilan's end, what a participant reads gives its date and asks nothing
("Le bilan a lieu le …"); from its end, it asks for the attestation sur
l'honneur (``before`` in :func:`bot.attestations.service.when_words`).

Where the bot can reach a participant itself it does, and the trainer has
nothing to forward: in a Matrix chat it opens (``on_matrix``), or by e-mail
when SMTP is configured and the participant's contact is an address
(``by_email``: the Telegram deep link and the ``matrix.to`` link that reach
the bot, through the outbox; a relance e-mails the same link as a reminder).

When a bilan is over, each participant who opened their link but has not
answered is told, in their own chat, that they can now confirm
(:func:`tell_participants_the_bilan_is_over`, exactly once, through the
outbox).  A participant who opened the link before the bilan was told to
come back after it; their conversation may have expired meanwhile, so the
bot writes first.  Bilans that ended more than :data:`LOOK_BACK` ago are
left alone (a restart after a long downtime does not wake old ones up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import dates, texts
from bot.answers import visible
from bot.attestations.invitations import Fresh, expiry, issue, unsealed
from bot.attestations.service import Author, audit, progress, when_words
from bot.bilans.notify import email_of
from bot.bilans.view import BilanView, view_of
from bot.config import Settings
from bot.dates.night import morning_after
from bot.mailer import render_email
from bot.matrix_room import about_bilan
from bot.messages import ChatFor, Document, Reply, recipient_of
from bot.outbox import About, enqueue, queue_email
from bot.people.chats import chat_of_person
from bot.privacy.replies import Sealer
from bot.storage.attestations import Attestation, AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.outbox import OutboxMessage
from bot.storage.state import waiting_flow

LOOK_BACK = timedelta(days=7)


async def _chat_now(session: AsyncSession, live: AttestationInvitation) -> tuple[str, str] | None:
    """(platform, chat) where the person who used the link talks to the bot now (a Matrix
    chat left and another opened: the new one); ``None`` once she left it, or blocked the
    bot, everywhere (:func:`bot.people.chats.chat_of_person`)."""
    if live.redeemed_person_id is None:  # no person kept: the chat the link was used in
        if not live.redeemed_platform or not live.redeemed_chat_id:
            return None
        return ChatFor(live.redeemed_platform, live.redeemed_chat_id, live.redeemed_user_id)
    return await chat_of_person(session, live.redeemed_person_id, prefer=live.redeemed_platform)


@dataclass(frozen=True)
class Invited:
    """What "Inviter ou relancer" did, each participant in one list at most."""

    fresh: list[Fresh] = field(default_factory=list)
    """First links (nobody had a live one), to forward."""
    again: list[Fresh] = field(default_factory=list)
    """The same, still valid link as before, to forward again (a relance changes no link)."""
    reminded: list[str] = field(default_factory=list)
    """Those who already talk to the bot, reminded in their own chat."""
    on_matrix: list[str] = field(default_factory=list)
    """Those whose invitation the bot sent itself, in a Matrix chat it opened."""
    on_matrix_again: list[str] = field(default_factory=list)
    """Those whose invitation it sent again there, the same link as a reminder (explorer GB3:
    « j'ouvre la conversation … dès qu'elle sera acceptée », of a chat open and joined)."""
    emailed: list[str] = field(default_factory=list)
    """Those whose link the bot sent itself by e-mail."""
    lost: list[str] = field(default_factory=list)
    """Those whose link cannot be shown again (issued before ``0022_relances``, or sealed
    with another data folder's key): only "Nouveau lien" helps, and only if asked."""
    left: list[str] = field(default_factory=list)
    """Those who left their chat with the bot (or blocked it): nothing reaches them there
    (explorer EF9: « Rappel envoyé directement à … Julie Roux », who had left)."""

    @property
    def anything(self) -> bool:
        return bool(
            self.fresh
            or self.again
            or self.reminded
            or self.on_matrix
            or self.on_matrix_again
            or self.emailed
            or self.lost
            or self.left
        )


@dataclass(frozen=True)
class Links:
    """What an e-mailed invitation points to: the Telegram bot's name (its deep link) and
    the bot's Matrix ID (a ``matrix.to`` link), each empty when the bot is not there."""

    telegram: str = ""
    matrix: str = ""


INVITATION_EMAIL = "email/attestation_invitation.txt.j2"


async def invite_or_remind(
    session: AsyncSession,
    info: BilanView,
    *,
    author: Author,
    now: datetime,
    event: str,
    only_new: bool = False,
    on_matrix: bool = False,
    sealer: Sealer | None = None,
    by_email: Links | None = None,
    calendar: Document | None = None,
) -> Invited:
    """Invite, or remind without changing anything, everyone who has not answered nor is on
    a sheet, and those whose answer names the bilan's former dates (it moved) or was not
    validated.

    - no live link (never invited, or the last one expired): a first link to
      forward (an expired link works no more, so nothing is taken from anyone);
    - a live link nobody opened yet: **the same link** again, to forward
      (unsealed with ``sealer``); a relance never revokes, only "Nouveau lien"
      does (:func:`reissue`); a link that cannot be unsealed is reported in
      ``lost``, not replaced;
    - the participant already talks to the bot: a reminder in their chat,
      through the outbox under a key unique to ``event``;
    - ``only_new`` (at scheduling): only participants without a live link;
    - ``on_matrix`` (the bot is on Matrix/Tchap): a participant whose contact
      is a Matrix ID gets the link from the bot itself, in a direct chat the
      bot opens (an external on Tchap cannot open one), not forwarded; before the
      bilan, with ``calendar`` (its ``.ics``): that chat is their only invitation
      (explorer DB4: a partner on Matrix had nothing to put the bilan in his agenda);
    - ``by_email`` (SMTP is configured): a participant whose contact is an
      e-mail address gets the link by e-mail (a relance: the same link, as a
      reminder), not forwarded.

    Every relance is audited (``remind``, how: ``chat``, ``link`` or
    ``matrix``), as every first link (``invite``).
    """
    done = Invited()
    for row in (await progress(session, info, now=now)).rows:
        if row.state not in ("outdated", "rejected", "opened", "invited", "not_invited"):
            continue  # answered (or flagged), on the sheet, or absent
        live = row.invitation if row.invitation and row.invitation.revoked_at is None else None
        if live is not None and now > expiry(live, info) and live.redeemed_at is None:
            live = None
        if only_new and live is not None:
            continue
        name = visible(row.participant.name)
        if live is not None and live.redeemed_at is not None:
            chat = await _chat_now(session, live) if live.redeemed_platform else None
            if live.redeemed_platform and chat is None:
                done.left.append(name)
            elif chat is not None:
                await enqueue(
                    session,
                    key=f"attestation:remind:{live.id}:{event}",
                    platform=chat[0],
                    chat_id=chat[1],
                    organisation_id=info.bilan.organisation_id,
                    recipient=recipient_of(chat),
                    reply=Reply(
                        text=texts.say(
                            "attestation_participant.reminder",
                            moved=row.outdated,
                            **when_words(info, now),
                        )
                    ),
                )
                _audit_remind(session, author, live, info, "chat")
                done.reminded.append(name)
            continue
        if live is not None:
            code = unsealed(live, sealer)
            if code is None:
                done.lost.append(name)
                continue
            invitation = live
            _audit_remind(session, author, live, info, "link")
        else:
            invitation, code = await issue(
                session, info, row.participant, by=author.person_id, now=now, sealer=sealer
            )
            audit(
                session,
                author,
                "invite",
                "attestation_invitation",
                invitation.id,
                bilan_id=info.bilan.id,
            )
        fresh = Fresh(row.participant, code, expiry(invitation, info))
        contact = invitation.target_user if on_matrix else None
        address = email_of(row.participant) if by_email is not None else None
        if contact is None and address is not None and by_email is not None:
            again = invitation is live
            await _email_invitation(
                session,
                info,
                row.participant,
                fresh,
                address,
                by_email,
                key=f"attestation:invite:{invitation.id}:email" + (f":{event}" if again else ""),
                again=again,
                now=now,
            )
            done.emailed.append(name)
            continue
        if contact is None:
            (done.fresh if invitation is not live else done.again).append(fresh)
            continue
        words = when_words(info, now)
        await enqueue(
            session,
            key=f"attestation:invite:{invitation.id}:matrix"
            + (f":{event}" if invitation is live else ""),
            platform="matrix",
            chat_id=contact,
            organisation_id=info.bilan.organisation_id,
            reply=Reply(
                text=texts.say(
                    "attestation_participant.matrix_invitation",
                    again=invitation is live,
                    name=name,
                    code=code,
                    expires=dates.spell_datetime(fresh.expires_at.astimezone(info.tz)),
                    **words,
                ),
                document=calendar if words["before"] else None,
                # The direct chat opened for it says who writes and why (explorer DC2).
                extras=about_bilan(info, "invited" if words["before"] else "attestation"),
            ),
        )
        (done.on_matrix_again if invitation is live else done.on_matrix).append(name)
    return done


async def _email_invitation(
    session: AsyncSession,
    info: BilanView,
    participant: BilanParticipant,
    fresh: Fresh,
    address: str,
    links: Links,
    *,
    key: str,
    again: bool,
    now: datetime,
) -> None:
    """The link by e-mail; a relance is its own message (its key names the relance)."""
    mail = render_email(
        INVITATION_EMAIL,
        name=visible(participant.name),
        code=fresh.code,
        telegram=f"https://t.me/{links.telegram}?start={fresh.code}" if links.telegram else "",
        matrix=f"https://matrix.to/#/{links.matrix}" if links.matrix else "",
        expires=dates.spell_datetime(fresh.expires_at.astimezone(info.tz)),
        again=again,
        trainer=visible(info.trainer),
        **when_words(info, now),
    )
    await queue_email(
        session,
        to=address,
        subject=mail.subject,
        body=mail.body,
        key=key,
        organisation_id=info.bilan.organisation_id,
        about=About(
            bilan_id=info.bilan.id,
            participant_id=participant.id,
            what="reminder" if again else "attestation",
        ),
    )


def _audit_remind(
    session: AsyncSession,
    author: Author,
    invitation: AttestationInvitation,
    info: BilanView,
    how: str,
) -> None:
    audit(
        session,
        author,
        "remind",
        "attestation_invitation",
        invitation.id,
        bilan_id=info.bilan.id,
        how=how,
    )


PARTICIPANT_FLOW = "attestation"
"""The dialogue in which an invited person answers (``/attestation``)."""


async def tell_participants_the_bilan_is_over(
    session: AsyncSession, now: datetime, settings: Settings
) -> None:
    rows = (
        await session.execute(
            select(AttestationInvitation, Bilan)
            .join(Bilan, Bilan.id == AttestationInvitation.bilan_id)
            .where(
                AttestationInvitation.redeemed_at.is_not(None),
                # Opened after the end: greeted with the questions then (explorer AL9: the
                # notice came a second later, « répondez à la question ci-dessus »).
                AttestationInvitation.redeemed_at < Bilan.ends_at,
                AttestationInvitation.revoked_at.is_(None),
                Bilan.cancelled_at.is_(None),
                Bilan.ends_at <= now,
                Bilan.ends_at > now - LOOK_BACK,
                ~exists().where(Attestation.participant_id == AttestationInvitation.participant_id),
            )
        )
    ).all()
    for invitation, bilan in rows:
        reached = await _chat_now(session, invitation) if invitation.redeemed_platform else None
        if reached is None:  # never used, or her chat left since (explorer EF9)
            continue
        platform, chat = reached
        info = await view_of(session, bilan.id)
        if info is None:
            continue
        # Her attestation's questions under way (the group told « confirmez maintenant » at
        # the visio's end): « envoyez /attestation » under a question waiting would send her
        # elsewhere (explorer AC3).
        user = invitation.redeemed_user_id or chat
        waiting = await waiting_flow(session, platform, chat, user, now)
        answering = waiting == PARTICIPANT_FLOW
        await enqueue(
            session,
            key=f"attestation:over:{invitation.id}:{bilan.sequence}",
            platform=platform,
            chat_id=chat,
            reply=Reply(
                text=texts.say(
                    "attestation_participant.bilan_over", answering=answering, **when_words(info)
                )
            ),
            organisation_id=bilan.organisation_id,
            recipient=recipient_of(reached),
            # Found at 3 h after a night's restart: told in the morning (explorer AV8).
            not_before=morning_after(now, info.tz, settings.digest_hour),
        )


OVER = "attestation:over:"


async def answered_since(
    session: AsyncSession, messages: Sequence[OutboxMessage], _now: datetime
) -> set[int]:
    """The « bilan terminé : répondez » notices among ``messages`` whose participant has
    answered since they were queued, or whose link was replaced since (explorer AJ3: sent two seconds after her « Merci ! »,
    pointing at a question no longer there)."""
    asked: dict[int, int] = {}
    for message in messages:
        number = message.key.removeprefix(OVER).split(":")[0]
        if message.key.startswith(OVER) and number.isdigit():
            asked[message.id] = int(number)
    if not asked:
        return set()
    answered = set(
        (
            await session.scalars(
                select(AttestationInvitation.id).where(
                    AttestationInvitation.id.in_(set(asked.values())),
                    or_(
                        exists().where(
                            Attestation.participant_id == AttestationInvitation.participant_id
                        ),
                        # Its link replaced since (explorer DB10: « envoyez /attestation »,
                        # then « Ce lien a été remplacé »).
                        AttestationInvitation.revoked_at.is_not(None),
                    ),
                )
            )
        ).all()
    )
    return {message for message, invitation in asked.items() if invitation in answered}
