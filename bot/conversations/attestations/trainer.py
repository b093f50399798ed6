"""The trainer's side of the attestations: who answered, reminders, the proof bundle.

    You  /attestations
    Bot  Bilan de fin de formation – Agent de restauration (démo)
         jeudi 26 novembre 2026, de 14 h 00 à 16 h 00, à distance
         ✅ Léa Martin (délégué(e) des stagiaires) : attesté le …
         ⏳ Hugo Moreau (délégué(e) des stagiaires) : invité le …, pas encore répondu
         Dossier de preuves : incomplet, il manque Hugo Moreau.
         [Inviter ou relancer] [Nouveau lien pour un participant]
         [Déposer la feuille d'émargement] [Recevoir le dossier de preuves (ZIP)]
         [Envoyer au chargé de mission] [Terminé]

Invitations are also issued when a bilan is scheduled
(:func:`invite_after_scheduling`, called by ``/bilan``).  The participant's
conversation is :mod:`bot.conversations.attestations.participant`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot import dates, texts
from bot.answers import Invalid, fold
from bot.attestations import (
    mail,
    reminders,  # noqa: F401  (registers its scheduler job)
    service,
)
from bot.attestations.bundle import ProofBundle, assemble
from bot.attestations.evidence import bilan_words
from bot.attestations.service import BilanInfo, ParticipantStatus, Progress, visible
from bot.conversations.formations.choose import load_formation, visible_formations
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, Step
from bot.conversations.kit.steps import Option, Pick, PickMany
from bot.documents.bundle import sha256_hex
from bot.messages import Document, Reply
from bot.storage.attestations import AttendanceSheet, AttendanceSheetEntry, ProofSending
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.people import Role

MAX_SHEET_MB = 15
SHEET_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


def _local(info: BilanInfo, moment: datetime) -> str:
    return dates.spell_datetime(moment.astimezone(info.tz))


# --- which bilans this trainer may see ------------------------------------------------------


async def visible_bilans(ctx: Context) -> list[tuple[Bilan, str]]:
    """Bilans of my formations (all of the organisation's for an admin), not cancelled:
    upcoming first, then the past ones, most recent first."""
    formations = {f.id: f for f in await visible_formations(ctx)}
    if not formations:
        return []
    rows = (
        await ctx.session.scalars(
            select(Bilan).where(
                Bilan.formation_id.in_(list(formations)), Bilan.cancelled_at.is_(None)
            )
        )
    ).all()
    upcoming = sorted((b for b in rows if b.ends_at >= ctx.now), key=lambda b: b.starts_at)
    past = sorted((b for b in rows if b.ends_at < ctx.now), key=lambda b: b.starts_at, reverse=True)
    return [(b, formations[b.formation_id].title) for b in [*upcoming, *past]]


async def load_info(ctx: Context, bilan_id: object) -> BilanInfo | None:
    """The bilan if this person may see it; ``None`` for anything else (same answer)."""
    try:
        wanted = int(str(bilan_id))
    except ValueError:
        return None
    info = await service.bilan_info(ctx.session, wanted)
    if info is None or info.bilan.cancelled_at is not None:
        return None
    if await load_formation(ctx, info.bilan.formation_id) is None:
        return None
    return info


async def bilan_options(ctx: Context) -> list[Option]:
    options = []
    for bilan, title in await visible_bilans(ctx):
        info = await service.bilan_info(ctx.session, bilan.id)
        if info is None:
            continue
        label = f"{info.start:%d/%m/%Y} – {info.kind_label} – {visible(title)}"
        options.append(Option(label[:90], str(bilan.id)))
    return options


async def attestations_start(ctx: Context) -> Outcome | None:
    if "bilan_id" in ctx.data:
        if await load_info(ctx, ctx.data["bilan_id"]) is None:
            ctx.say("attestations.bilan_not_found")
            return Leave()
        return Next("menu")
    bilans = await visible_bilans(ctx)
    if not bilans:
        ctx.say("attestations.none")
        return Leave()
    if len(bilans) == 1:
        ctx.data["bilan_id"] = bilans[0][0].id
        return Next("menu")
    return None


async def pick_bilan(ctx: Context, picked: str) -> Outcome:
    if await load_info(ctx, picked) is None:
        return Retry(ctx.render("attestations.bilan_not_found"))
    ctx.data["bilan_id"] = int(picked)
    return Next("menu")


# --- the status --------------------------------------------------------------------------------


def row_words(row: ParticipantStatus, info: BilanInfo) -> dict[str, Any]:
    p = row.participant
    answer = row.answer
    state = row.state
    if state == "attested" and answer is not None:
        status = f"attesté le {_local(info, answer.answered_at)}"
    elif state == "on_sheet" and row.sheet is not None:
        status = f"sur la feuille d'émargement déposée le {_local(info, row.sheet.uploaded_at)}"
    elif state in ("declined", "declined_no_reason") and answer is not None:
        reason = visible(answer.reason)
        status = f"n'a pas participé, dit-il ou elle le {_local(info, answer.answered_at)}" + (
            f" (« {reason} »)" if reason else " (sans raison donnée : à préciser)"
        )
    elif state == "opened" and row.invitation is not None:
        opened = row.invitation.redeemed_at or row.invitation.created_at
        status = f"a ouvert son lien le {_local(info, opened)}, pas encore répondu"
    elif state == "invited" and row.invitation is not None:
        status = f"invité le {_local(info, row.invitation.created_at)}, pas encore répondu"
    else:
        status = "pas encore invité"
    role = service.ROLE_LABELS.get(p.kind, p.kind)
    if p.structure:
        role += f", {visible(p.structure)}"
    return {
        "name": visible(p.name),
        "role": role,
        "state": state,
        "status": status,
        "mismatch": answer is not None and not answer.name_matches,
        "typed": answer.typed_name if answer is not None else "",
    }


async def status_of(ctx: Context, info: BilanInfo, prog: Progress) -> dict[str, Any]:
    words = bilan_words(info)
    sending = await service.last_sending(ctx.session, info.bilan.id)
    sending_words = ""
    if sending is not None:
        if sending.status == "sent" and sending.sent_at is not None:
            sending_words = f"envoyé à {sending.to_address} le {_local(info, sending.sent_at)}"
        elif sending.status == "failed":
            sending_words = f"l'envoi à {sending.to_address} a échoué"
        else:
            sending_words = f"envoi à {sending.to_address} en cours"
    return {
        "kind": words["kind"],
        "formation": words["formation"],
        "day": words["day"],
        "start": words["start"],
        "end": words["end"],
        "remote": info.bilan.remote,
        "rows": [row_words(r, info) for r in prog.rows],
        "complete": prog.complete,
        "missing": [visible(p.name) for p in prog.missing],
        "sending": sending_words,
    }


class Menu(Pick):
    """The bilan's status, then what to do."""

    async def ask(self, ctx: Context) -> Reply:
        info = await load_info(ctx, ctx.data.get("bilan_id"))
        if info is None:
            return Reply(text=ctx.render("attestations.bilan_not_found"))
        prog = await service.progress(ctx.session, info)
        ctx.data["_status"] = await status_of(ctx, info, prog)
        return await super().ask(ctx)


async def menu_options(ctx: Context) -> list[Option]:
    options = [
        Option("Inviter ou relancer", "remind"),
        Option("Nouveau lien pour un participant", "reissue"),
        Option("Déposer la feuille d'émargement", "sheet"),
        Option("Recevoir le dossier de preuves (ZIP)", "bundle"),
    ]
    if ctx.settings.has_smtp:
        options.append(Option("Envoyer au chargé de mission", "send"))
    options.append(Option("Terminé", "done"))
    return options


async def act(ctx: Context, picked: str) -> Outcome:
    info = await load_info(ctx, ctx.data.get("bilan_id"))
    if info is None:
        ctx.say("attestations.bilan_not_found")
        return Leave()
    if picked == "remind":
        await invite_or_remind(ctx, info)
        return Next("menu")
    if picked == "reissue":
        return Next("reissue")
    if picked == "sheet":
        if not info.bilan.participants:
            ctx.say("attestations.no_participants")
            return Next("menu")
        ctx.data.pop("sheet_who", None)
        return Next("sheet_who")
    if picked == "bundle":
        bundle = assemble(await service.progress(ctx.session, info), now=ctx.now)
        ctx.audit("export", "bilan_proofs", info.bilan.id, complete=bundle.complete)
        ctx.send(bundle_reply(ctx, bundle))
        return Next("menu")
    if picked == "send":
        if not ctx.settings.has_smtp:
            ctx.say("attestations.no_smtp")
            return Next("menu")
        if not info.formation.cm_email:
            ctx.say("attestations.no_cm_email")
            return Next("menu")
        return Next("send")
    ctx.say("attestations.done")
    return Leave()


def bundle_reply(ctx: Context, bundle: ProofBundle) -> Reply:
    """The ZIP with its explanation (Telegram shows the text as the file's caption)."""
    return Reply(
        text=ctx.render(
            "attestations.bundle_ready",
            count=bundle.attestations,
            sheets=bundle.sheets,
            complete=bundle.complete,
            missing=bundle.missing,
        ),
        document=Document(
            filename=bundle.filename,
            mime_type="application/zip",
            content=bundle.content,
        ),
    )


# --- invitations and reminders -------------------------------------------------------------


def invitation_reply(
    ctx: Context, info: BilanInfo, participant: BilanParticipant, code: str, expires: datetime
) -> Reply:
    return Reply(
        text=ctx.render(
            "attestations.invitation",
            name=visible(participant.name),
            code=code,
            expires=_local(info, expires),
            **service.when_words(info),
        ),
        extras={"invite_code": code},
    )


async def invite_or_remind(ctx: Context, info: BilanInfo, *, only_new: bool = False) -> int:
    """Invite (or re-invite) everyone who has not answered; how many links were made.

    - nobody has used the participant's link yet: a new link to forward (the
      old one is revoked, so a lost or misdirected link stops working);
    - the participant already talks to the bot: a reminder in their chat,
      through the outbox (their link stays theirs: revoking it would lock
      them out of their own conversation);
    - ``only_new`` (at scheduling): only participants without a live link.
    """
    prog = await service.progress(ctx.session, info)
    fresh: list[Reply] = []
    reminded: list[str] = []
    for row in prog.rows:
        if row.answer is not None or row.sheet is not None:
            continue
        live = row.invitation if row.invitation and row.invitation.revoked_at is None else None
        if only_new and live is not None:
            continue
        if live is not None and live.redeemed_at is not None:
            if live.redeemed_platform and live.redeemed_chat_id:
                await ctx.notify(
                    key=f"attestation:remind:{live.id}:{ctx.incoming.platform.value}:"
                    f"{ctx.incoming.event_id}",
                    platform=live.redeemed_platform,
                    chat_id=live.redeemed_chat_id,
                    organisation_id=info.bilan.organisation_id,
                    reply=Reply(
                        text=ctx.render("attestation.reminder", **service.when_words(info))
                    ),
                )
                reminded.append(visible(row.participant.name))
            continue
        invitation, code = await service.issue(
            ctx.session, info, row.participant, by=ctx.person_id, now=ctx.now
        )
        ctx.audit("invite", "attestation_invitation", invitation.id, bilan_id=info.bilan.id)
        fresh.append(invitation_reply(ctx, info, row.participant, code, invitation.expires_at))
    if fresh:
        ctx.say("attestations.invitations_intro", count=len(fresh))
        for reply in fresh:
            ctx.send(reply)
    if reminded:
        ctx.say("attestations.reminded", names=reminded)
    if not fresh and not reminded and not only_new:
        ctx.say("attestations.nobody_to_remind")
    return len(fresh)


async def invite_after_scheduling(ctx: Context, bilan_id: int) -> None:
    """Called by ``/bilan`` once a bilan is saved: each participant's personal link."""
    info = await service.bilan_info(ctx.session, bilan_id)
    if info is None or not info.bilan.participants:
        return
    if not info.bilan.remote:
        ctx.say("attestations.not_remote")
        return
    await invite_or_remind(ctx, info, only_new=True)


async def participant_options(ctx: Context) -> list[Option]:
    info = await load_info(ctx, ctx.data.get("bilan_id"))
    if info is None:
        return []
    return [
        Option(
            f"{visible(p.name)} ({service.ROLE_LABELS.get(p.kind, p.kind)})"[:90],
            str(p.id),
        )
        for p in info.bilan.participants
    ]


async def reissue_options(ctx: Context) -> list[Option]:
    return [*await participant_options(ctx), Option("Retour", "_back")]


async def reissue(ctx: Context, picked: str) -> Outcome:
    if picked == "_back":
        return Next("menu")
    info = await load_info(ctx, ctx.data.get("bilan_id"))
    participant = info.participant(int(picked)) if info and picked.isdigit() else None
    if info is None or participant is None:
        return Retry(ctx.render("common.forged_choice"))
    invitation, code = await service.issue(
        ctx.session, info, participant, by=ctx.person_id, now=ctx.now
    )
    ctx.audit("reissue", "attestation_invitation", invitation.id, bilan_id=info.bilan.id)
    ctx.say("attestations.reissued", name=visible(participant.name))
    ctx.send(invitation_reply(ctx, info, participant, code, invitation.expires_at))
    return Next("menu")


# --- the feuille d'émargement -------------------------------------------------------------------


def sheet_problem(ctx: Context) -> str | None:
    """Why the attachment is not a usable sheet (message key), or None."""
    attachment = ctx.incoming.attachment
    assert attachment is not None
    if not attachment.content or len(attachment.content) > MAX_SHEET_MB * 1024 * 1024:
        return "attestations.sheet_empty"
    mime = attachment.mime_type.lower()
    signatures = SHEET_TYPES.get(mime)
    if signatures is None or not attachment.content.startswith(signatures):
        return "attestations.sheet_bad_type"
    return None


class SheetUpload(Step):
    """The photo or PDF of the signed sheet; saved with who was ticked, in one go."""

    async def ask(self, ctx: Context) -> Reply:
        return Reply(
            text=ctx.render("attestations.ask_sheet_file"),
            choices=(ctx.choice("Annuler le dépôt", "_back"),),
        )

    async def take(self, ctx: Context) -> Outcome:
        if ctx.incoming.choice is not None or (
            ctx.incoming.attachment is None and fold(ctx.incoming.text) in ("annuler le depot",)
        ):
            picked = ctx.chosen(["_back"], labels={"_back": "Annuler le dépôt"}, numbered=[])
            if isinstance(picked, Invalid):
                return Retry(picked.message)
            if picked == "_back":
                ctx.say("attestations.sheet_cancelled")
                return Next("menu")
        attachment = ctx.incoming.attachment
        if attachment is None:
            return Retry(ctx.render("attestations.sheet_expected"))
        problem = sheet_problem(ctx)
        if problem is not None:
            return Retry(ctx.render(problem, limit=MAX_SHEET_MB))
        info = await load_info(ctx, ctx.data.get("bilan_id"))
        if info is None:
            ctx.say("attestations.bilan_not_found")
            return Leave()
        known = {p.id for p in info.bilan.participants}
        ticked = sorted({int(v) for v in ctx.data.get("sheet_who") or [] if str(v).isdigit()})
        ticked = [t for t in ticked if t in known]
        sheet = AttendanceSheet(
            organisation_id=info.bilan.organisation_id,
            bilan_id=info.bilan.id,
            filename=(visible(attachment.filename) or "feuille")[:200],
            mime_type=attachment.mime_type.lower()[:100],
            content=attachment.content,
            sha256=sha256_hex(attachment.content),
            uploaded_by=ctx.person_id,
            uploaded_at=ctx.now,
        )
        ctx.session.add(sheet)
        await ctx.session.flush()
        for participant_id in ticked:
            ctx.session.add(AttendanceSheetEntry(sheet_id=sheet.id, participant_id=participant_id))
        await ctx.session.flush()
        ctx.audit("upload_sheet", "attendance_sheet", sheet.id, bilan_id=info.bilan.id)
        ctx.say("attestations.sheet_saved", count=len(ticked))
        return Next("menu")


# --- sending to the chargé(e) de mission ----------------------------------------------------------


class SendStep(Pick):
    async def ask(self, ctx: Context) -> Reply:
        info = await load_info(ctx, ctx.data.get("bilan_id"))
        if info is None:
            return Reply(text=ctx.render("attestations.bilan_not_found"))
        prog = await service.progress(ctx.session, info)
        ctx.data["_send"] = {
            "cm": visible(info.formation.cm_name) or "le ou la chargé(e) de mission",
            "email": info.formation.cm_email or "",
            "complete": prog.complete,
            "missing": [visible(p.name) for p in prog.missing],
        }
        return await super().ask(ctx)


async def send_options(ctx: Context) -> list[Option]:
    complete = bool((ctx.data.get("_send") or {}).get("complete"))
    return [
        Option("Envoyer" if complete else "Envoyer quand même", "go"),
        Option("Pas maintenant", "no"),
    ]


async def send(ctx: Context, picked: str) -> Outcome:
    if picked != "go":
        ctx.say("attestations.not_sent")
        return Next("menu")
    info = await load_info(ctx, ctx.data.get("bilan_id"))
    if info is None:
        ctx.say("attestations.bilan_not_found")
        return Leave()
    if not ctx.settings.has_smtp or not info.formation.cm_email:
        ctx.say("attestations.no_smtp" if not ctx.settings.has_smtp else "attestations.no_cm_email")
        return Next("menu")
    bundle = assemble(await service.progress(ctx.session, info), now=ctx.now)
    subject, body = email_text(bilan_words(info), bundle)
    sending = ProofSending(
        organisation_id=info.bilan.organisation_id,
        bilan_id=info.bilan.id,
        to_address=info.formation.cm_email,
        subject=subject,
        body=body,
        filename=bundle.filename,
        bundle=bundle.content,
        bundle_sha256=bundle.sha256,
        complete=bundle.complete,
        status="pending",
        requested_by=ctx.person_id,
        requested_at=ctx.now,
        requested_platform=ctx.incoming.platform.value,
        requested_chat_id=ctx.incoming.chat,
    )
    ctx.session.add(sending)
    await ctx.session.flush()
    mail.send_after_commit(ctx.session, ctx.settings, sending.id)
    ctx.audit("send_proofs", "bilan_proofs", info.bilan.id, sending_id=sending.id)
    ctx.say("attestations.send_queued", email=info.formation.cm_email)
    return Next("menu")


def email_text(words: dict[str, Any], bundle: ProofBundle) -> tuple[str, str]:
    """Subject and body from ``templates/email/attestations.txt.j2`` (first line: « Objet : »)."""
    rendered = texts.render_document(
        "email/attestations.txt.j2",
        b=words,
        complete=bundle.complete,
        missing=bundle.missing,
        count=bundle.attestations,
        sheets=bundle.sheets,
        filename=bundle.filename,
    ).strip()
    first, _, rest = rendered.partition("\n")
    subject = first.removeprefix("Objet :").strip() or "Justificatifs de participation"
    subject = " ".join(subject.split())[:250]
    return subject, rest.strip() + "\n"


FLOW = Flow(
    "attestations",
    command="attestations",
    menu="Suivre les attestations d'un bilan",
    role=Role.FORMATEUR,
    summary="suivre les attestations d'un bilan et envoyer les justificatifs",
    start=attestations_start,
    steps=[
        Pick("bilan", ask="attestations.ask_bilan", options=bilan_options, then=pick_bilan),
        Menu(
            "menu",
            ask="attestations.status",
            options=menu_options,
            then=act,
            help="attestations.help_menu",
        ),
        Pick(
            "reissue",
            ask="attestations.ask_reissue",
            options=reissue_options,
            then=reissue,
            when=lambda c: False,
        ),
        PickMany(
            "sheet_who",
            ask="attestations.ask_sheet_who",
            options=participant_options,
            minimum=1,
            when=lambda c: False,
        ),
        SheetUpload("sheet_file"),
        SendStep(
            "send",
            ask="attestations.ask_send",
            options=send_options,
            then=send,
            when=lambda c: False,
        ),
    ],
)

FLOWS = [FLOW]
