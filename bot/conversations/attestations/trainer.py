"""The trainer's side of the attestations: who answered, reminders, the proof bundle.

    Vous  /attestations
    Bot   Bilan de fin de formation – Agent de restauration (démo)
          jeudi 26 novembre 2026, de 14 h 00 à 16 h 00, à distance
          ✅ Léa Martin (pour les stagiaires) : attesté le …
          ⏳ Hugo Moreau (pour les stagiaires) : invité le …, pas encore répondu
          Dossier de preuves : incomplet, il manque le justificatif d'Hugo Moreau.
          [Inviter ou relancer] [Nouveau lien pour un participant]
          [Déposer la feuille d'émargement] [Examiner une réponse signalée]
          [Recevoir le dossier de preuves (ZIP)] [Envoyer à la personne chargée de mission] [Terminé]
    Vous  Nouveau lien pour un participant
    Bot   Pour qui faut-il un nouveau lien ? …  [Hugo Moreau (pour les stagiaires)] [Retour]
    Vous  Hugo Moreau
    Bot   Nouveau lien prêt pour Hugo Moreau ; l'ancien ne fonctionne plus.
    Bot   Bonjour Hugo Moreau, … /start CODE …
    Bot   (the status again, with the same buttons)
    Vous  Inviter ou relancer
    Bot   Son lien reste le même : voici à nouveau l'invitation à transférer (aucun lien n'a changé).
    Bot   Bonjour Hugo Moreau, … /start CODE (the same code) …
    Bot   Rappel envoyé directement à Léa Martin, qui m'a déjà écrit.
    Vous  Recevoir le dossier de preuves (ZIP)
    Bot   Je prépare le dossier de preuves (ZIP), cela peut prendre une minute : …
    Bot   (the status again)
    Bot   Voici le dossier de preuves (…). [justificatifs-bilan-2026-11-26-agent-de-restauration.zip]

With several bilans, the first question is which one.  The feuille
d'émargement is :mod:`~bot.conversations.attestations.sheet`, the e-mail to
the chargé(e) de mission :mod:`~bot.conversations.attestations.send`, the
decision on a flagged answer :mod:`~bot.conversations.attestations.review`
(offered only when one awaits it); each is called from the menu and comes
back to it.  A relance changes no link (:mod:`bot.attestations.reminders`); the ZIP
is built after the turn (``ctx.later``, :mod:`bot.progress`).  The status says when the bundle already sent is out of date.  Invitations are also issued
when a bilan is scheduled (:func:`invite_after_scheduling`, called by
``/bilan``).  The participant's conversation is
:mod:`bot.conversations.attestations.participant`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot import dates
from bot.answers import visible
from bot.attestations import invitations, reminders
from bot.attestations.invitations import Fresh
from bot.attestations.reminders import Invited
from bot.attestations.service import (
    progress,
    when_words,
)
from bot.bilans.queries import visible_bilans
from bot.bilans.view import BilanView, view_of
from bot.conversations.attestations.status import local, status_values
from bot.conversations.attestations.who import (
    author_of,
    event_of,
    participant_options,
    sealer_of,
    this_bilan,
    viewer_of,
)
from bot.conversations.bilans.after_bilans import read_bilans_after
from bot.conversations.bilans.bilan_line import fitted_bilans
from bot.conversations.formations.after_command import typed_after
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Next, Outcome, Retry, leave_saying
from bot.conversations.kit.steps import Confirm, Entry, Menu, Option, Pick
from bot.deadlines import documents
from bot.messages import Document, Reply, label_limit
from bot.storage.attestations import AttestationInvitation
from bot.storage.people import Person, Role


def same_bilan(ctx: Context) -> dict[str, Any]:
    """What a sub-dialogue of the menu starts with: the bilan being followed."""
    return {"bilan_id": ctx.data.get("bilan_id")}


async def attestations_start(ctx: Context) -> Outcome | None:
    if "bilan_id" in ctx.data:
        return None
    bilans = await visible_bilans(ctx.session, viewer_of(ctx).member, ctx.now, held_first=True)
    if not bilans:
        ctx.say("attestation_trainer.none")
        return Leave()
    if len(bilans) == 1 and not typed_after(ctx, "attestations"):
        ctx.data["bilan_id"] = bilans[0][0].id
    else:  # « /attestations Caen » (BF5); words fitting no bilan said, one bilan too (CB12)
        await read_bilans_after(ctx, "attestations", bilans)
    return None


async def bilan_options(ctx: Context) -> list[Option]:
    """Each bilan by its day, kind and formation, fitted as /bilans fits them (explorer BF1:
    « … d'hygièn » for two formations, cut inside a word)."""
    lines = []
    held = await visible_bilans(ctx.session, viewer_of(ctx).member, ctx.now, held_first=True)
    for bilan, formation in held:
        info = await view_of(ctx.session, bilan.id)
        if info is not None:
            day, title = f"{info.start:%d/%m/%Y}", visible(formation.title)
            lines.append((day, bilan.kind, title, str(bilan.id)))
    return fitted_bilans(lines, label_limit(ctx.incoming.platform))


async def pick_bilan(ctx: Context, picked: str) -> Outcome:
    if await this_bilan(ctx) is None:
        ctx.data.pop("bilan_id", None)
        return Retry(ctx.render("attestation_trainer.bilan_not_found"))
    ctx.data["bilan_id"] = int(picked)
    return Next()


async def bilan_still_there(ctx: Context) -> Outcome | None:
    """The menu's ``before``: a bilan cancelled (or taken away) meanwhile ends the dialogue."""
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    return None


async def menu_state(ctx: Context) -> None:
    """What decides the menu's entries (whether an answer awaits the trainer's decision,
    whether the bundle sent is out of date), read at each display and typed answer (explorer
    QB16: an answer flagged while the menu was open, « Examiner une réponse signalée » said
    in its text but not offered)."""
    info = await this_bilan(ctx)
    if info is None:
        return
    prog = await progress(ctx.session, info, now=ctx.now)
    ctx.data["_flagged"] = bool(prog.to_review)
    ctx.data["_stale"] = prog.stale
    ctx.data["_anyone"] = bool(info.bilan.participants)  # no one: no new link to give


RECENT = timedelta(minutes=15)
"""A relance pressed again within this time asks first (explorer KE11)."""


async def remind(ctx: Context) -> Outcome:
    """« Inviter ou relancer »; pressed again soon after a relance that the bot sent itself
    (in their chat, on Matrix, by e-mail), it asks before sending the same reminder again
    (explorer KE11: pressed twice from the menu, Léa got two identical reminders)."""
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    last = ctx.data.get("_reminded")
    if last and ctx.now - datetime.fromisoformat(last["at"]) < RECENT:
        return Next("remind_again")
    return await remind_anyway(ctx, info)


async def remind_again(ctx: Context) -> Outcome:
    """« Oui, renvoyer » to :func:`remind`'s question."""
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    return await remind_anyway(ctx, info)


async def not_again(ctx: Context) -> Outcome:
    ctx.say("attestation_trainer.not_reminded_again")
    return Next("menu")


async def reminded_ago(ctx: Context) -> dict[str, Any]:
    """The last relance's names and how long ago, for :func:`remind`'s question."""
    last = ctx.data["_reminded"]
    minutes = int((ctx.now - datetime.fromisoformat(last["at"])).total_seconds() // 60)
    return {"names": last["names"], "ago": dates.spell_minutes(minutes) if minutes else ""}


async def remind_anyway(ctx: Context, info: BilanView) -> Outcome:
    done = await reminders.invite_or_remind(
        ctx.session,
        info,
        author=author_of(ctx),
        now=ctx.now,
        event=event_of(ctx),
        on_matrix=ctx.settings.has_matrix,
        sealer=sealer_of(ctx),
        by_email=email_links(ctx),
        calendar=calendar_of(ctx, info),
    )
    tell_invited(ctx, info, done)
    if not done.anything:
        ctx.say("attestation_trainer.nobody_to_remind", nobody=not info.bilan.participants)
    sent = [*done.reminded, *done.on_matrix_again, *done.emailed]
    ctx.data["_reminded"] = {"at": ctx.now.isoformat(), "names": sent} if sent else None
    return Next("menu")


async def give_bundle(ctx: Context) -> Outcome:
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    author = author_of(ctx)
    await ctx.later(
        "attestations.bundle",
        {
            "bilan_id": info.bilan.id,
            "person_id": author.person_id,
            "organisation_id": author.organisation_id,
        },
        interim="attestation_trainer.bundle_started",
    )
    return Next("menu")


async def reissue_options(ctx: Context) -> list[Option]:
    return [*await participant_options(ctx), Option("Retour", "_back")]


async def reissue(ctx: Context, picked: str) -> Outcome:
    if picked == "_back":
        return Leave()
    info = await this_bilan(ctx)
    fresh = None
    if info is not None and picked.isdigit():
        fresh = await invitations.reissue(
            ctx.session,
            info,
            int(picked),
            author=author_of(ctx),
            now=ctx.now,
            sealer=sealer_of(ctx),
        )
    if info is None or fresh is None:
        return Retry(ctx.render("common.forged_choice"))
    ctx.say(
        "attestation_trainer.reissued",
        name=visible(fresh.participant.name),
        **await colleague_s_replaced(ctx, info, fresh.participant.id),
    )
    ctx.send(invitation_reply(ctx, info, fresh))
    return Finish()


async def colleague_s_replaced(
    ctx: Context, info: BilanView, participant_id: int
) -> dict[str, Any]:
    """The link just replaced, when a colleague had made it and it was never opened: who,
    and when (explorer KC6: Camille's « Nouveau lien », forwarded, stopped working under
    Paul's a minute later, unsaid to either)."""
    found = (
        await ctx.session.execute(
            select(Person.display_name, AttestationInvitation.created_at)
            .join(Person, Person.id == AttestationInvitation.created_by)
            .where(
                AttestationInvitation.participant_id == participant_id,
                AttestationInvitation.revoked_by == ctx.person_id,
                AttestationInvitation.revoked_at == ctx.now,
                AttestationInvitation.created_by != ctx.person_id,
                AttestationInvitation.redeemed_at.is_(None),
            )
            .order_by(AttestationInvitation.created_at.desc())
            .limit(1)
        )
    ).first()
    if found is None:
        return {}
    return {"colleague": visible(found[0]), "made": local(info, found[1])}


FLOW = Flow(
    "attestations",
    browsing=True,
    # Its command, /aide line and who may use it: bot/features/attestations.py.
    start=attestations_start,
    steps=[
        Pick(
            "bilan",
            store="bilan_id",
            unless_known=True,
            ask="attestation_trainer.ask_bilan",
            options=bilan_options,
            then=pick_bilan,
        ),
        Menu(
            "menu",
            ask="attestation_trainer.status",
            before=bilan_still_there,
            values=status_values,
            refresh=menu_state,
            help="attestation_trainer.help_menu",
            entries=[
                Entry("Inviter ou relancer", "remind", then=remind),
                Entry(
                    "Nouveau lien pour un participant",
                    "reissue",
                    call="attestations_reissue",
                    data=same_bilan,
                    when=lambda ctx: ctx.data.get("_anyone", True),
                ),
                Entry(
                    "Déposer la feuille d'émargement",
                    "sheet",
                    call="attestations_sheet",
                    data=same_bilan,
                ),
                Entry(
                    "Examiner une réponse signalée",
                    "review",
                    call="attestations_review",
                    data=same_bilan,
                    when=lambda ctx: bool(ctx.data.get("_flagged")),
                ),
                Entry(
                    "Recevoir le dossier de preuves (ZIP)",
                    "bundle",
                    then=give_bundle,
                ),
                Entry(
                    "Envoyer le nouveau dossier à la personne chargée de mission",
                    "send_again",
                    call="attestations_send",
                    data=same_bilan,
                    when=lambda ctx: ctx.settings.has_smtp and bool(ctx.data.get("_stale")),
                ),
                Entry(
                    "Envoyer à la personne chargée de mission",
                    "send",
                    call="attestations_send",
                    data=same_bilan,
                    when=lambda ctx: ctx.settings.has_smtp and not ctx.data.get("_stale"),
                ),
                Entry("Terminé", "done", then=leave_saying("attestation_trainer.done")),
            ],
        ),
    ],
    branches=[
        Confirm(
            "remind_again",
            ask="attestation_trainer.remind_again",
            values=reminded_ago,
            yes=remind_again,
            no=not_again,
            yes_label="Oui, renvoyer",
            no_label="Non",
        ),
    ],
)

REISSUE = Flow(
    "attestations_reissue",
    role=Role.FORMATEUR,
    summary="un nouveau lien d'attestation pour un participant",
    steps=[
        Pick(
            "reissue",
            ask="attestation_trainer.ask_reissue",
            options=reissue_options,
            then=reissue,
        ),
    ],
)

FLOWS = [FLOW, REISSUE]


# --- invitations ---------------------------------------------------------------------------


def invitation_reply(ctx: Context, info: BilanView, fresh: Fresh) -> Reply:
    return Reply(
        text=ctx.render(
            "attestation_trainer.invitation",
            name=visible(fresh.participant.name),
            code=fresh.code,
            expires=local(info, fresh.expires_at),
            matrix=ctx.settings.matrix_user_id if ctx.settings.has_matrix else "",
            telegram=ctx.settings.has_telegram,
            **when_words(info, ctx.now),
        ),
        # Read by the participant it is forwarded to: on Telegram, their link to tap.
        extras={"invite_code": fresh.code, "invite_link_words": "Ou touchez ce lien"},
    )


def tell_invited(ctx: Context, info: BilanView, done: Invited) -> None:
    """The links to forward, one message each (the new ones, then the same ones again), who
    was reminded in their chat, and whose link cannot be shown again."""
    for intro, links in (("invitations_intro", done.fresh), ("again_intro", done.again)):
        if links:
            ctx.say(f"attestation_trainer.{intro}", count=len(links))
            for fresh in links:
                ctx.send(invitation_reply(ctx, info, fresh))
    if done.reminded:
        ctx.say("attestation_trainer.reminded", names=done.reminded)
    if done.on_matrix:
        ctx.say("attestation_trainer.sent_on_matrix", names=done.on_matrix)
    if done.on_matrix_again:
        ctx.say("attestation_trainer.sent_on_matrix_again", names=done.on_matrix_again)
    if done.emailed:
        ctx.say("attestation_trainer.sent_by_email", names=done.emailed)
    if done.lost:
        ctx.say("attestation_trainer.lost_links", names=done.lost)
    if done.left:
        ctx.say("attestation_trainer.left_chat", names=done.left)


def calendar_of(ctx: Context, info: BilanView) -> Document | None:
    """The bilan's ``.ics`` for whoever the bot invites on Matrix itself (explorer DB4)."""
    if not ctx.settings.has_matrix:
        return None
    return documents.invitation_document(info, stamp=ctx.now, caption="")


def email_links(ctx: Context) -> reminders.Links | None:
    """The links an e-mailed invitation carries; ``None`` without SMTP (links to forward)."""
    if not ctx.settings.has_smtp:
        return None
    return reminders.Links(
        telegram=ctx.settings.telegram_username if ctx.settings.telegram_token else "",
        matrix=ctx.settings.matrix_user_id if ctx.settings.has_matrix else "",
    )


async def invite_after_scheduling(ctx: Context, bilan_id: int) -> None:
    """Called by ``/bilan`` once a bilan is saved: each participant's personal link."""
    info = await view_of(ctx.session, bilan_id)
    if info is None or not info.bilan.participants:
        return
    if not info.bilan.remote:
        ctx.say("attestation_trainer.not_remote")
        return
    done = await reminders.invite_or_remind(
        ctx.session,
        info,
        author=author_of(ctx),
        now=ctx.now,
        event=event_of(ctx),
        only_new=True,
        on_matrix=ctx.settings.has_matrix,
        sealer=sealer_of(ctx),
        by_email=email_links(ctx),
        calendar=calendar_of(ctx, info),
    )
    tell_invited(ctx, info, done)
