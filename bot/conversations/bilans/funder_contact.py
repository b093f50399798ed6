"""What the funder's contact (the chargé(e) de mission) is told of a bilan, and how.

The bot writes to them itself where it can (Matrix, e-mail); where it cannot,
the trainer gets the message to forward, a cancellation included (a contact
promised documents for a bilan must hear that it is off).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot import dates, texts
from bot.bilans.notify import (
    PARTICIPANT_EMAIL,
    invite_charge_de_mission,
)
from bot.bilans.queries import documents_deadlines
from bot.bilans.view import BilanView, kind_label
from bot.conversations.kit.context import Context
from bot.deadlines import documents
from bot.mailer import as_mail, looks_like_email, render_email
from bot.messages import Document, Reply
from bot.outbox_payload import Mail
from bot.storage.bilans import StoredDeadline

LATE_HOURS = 48
"""Fewer hours than this before a remote Normandie bilan: the documents deadline is at risk."""


def emails_the_charge_de_mission(ctx: Context, view: BilanView) -> bool:
    return ctx.settings.has_smtp and looks_like_email(view.formation.cm_email or "")


async def tell_charge_de_mission(
    ctx: Context, view: BilanView, *, moved_from: datetime | None = None, updated: bool = False
) -> None:
    """The bot itself sends the chargé(e) de mission the invitation (or its update, or the
    cancellation): on Matrix when it knows their ID, by e-mail when it knows their address
    and SMTP is configured (the funder's own message, the ``.ics`` and the agenda).
    ``moved_from``: the bilan was moved from then, and the Matrix message says so;
    ``updated``: the same date, something else changed (a participant, the link): said
    as an update to whoever got the invitation, not a new invitation (explorer G G2)."""
    cancelled = view.bilan.cancelled_at is not None
    rows = await documents_deadlines(ctx.session, view.bilan)
    emailed = emails_the_charge_de_mission(ctx, view)
    words = charge_de_mission_words(view, rows, now=ctx.now, emailed=emailed)
    text = ctx.render(
        "bilan.charge_de_mission_cancelled" if cancelled else "bilan.charge_de_mission_invitation",
        **words,
    )
    moved = None
    if moved_from is not None and not cancelled:
        old = dates.spell_datetime(moved_from)
        moved = ctx.render("bilan.charge_de_mission_moved", old=old, **words)
    elif updated and not cancelled:
        moved = ctx.render("bilan.charge_de_mission_updated", **words)
    invitation = documents.invitation_document(
        view, stamp=ctx.now, caption=ctx.render("bilan.caption_ics_guest")
    )
    email: tuple[str, str, list[Document]] | None = None
    moved_email: tuple[str, str] | None = None
    if emailed:
        if cancelled:
            mail = cancelled_mail(view, ctx.render("bilan.notice_cancelled", **words), words)
            files = [invitation]
        else:
            mail = charge_de_mission_mail(ctx, view, rows)
            if moved is not None:
                news = charge_de_mission_mail(
                    ctx, view, rows, moved_from=moved_from, updated=updated
                )
                moved_email = (news.subject, news.body)
            files = [invitation, documents.agenda_document(view, caption="")]
        email = (mail.subject, mail.body, files)
    invited = await invite_charge_de_mission(
        ctx.session,
        view,
        text=text,
        invitation=invitation,
        matrix=ctx.settings.has_matrix,
        email=email,
        moved=moved,
        moved_email=moved_email,
    )
    if cancelled and invited.matrix is None and invited.email is None and view.formation.cm_name:
        # Promised the documents, told of nothing: the trainer forwards it (explorer F).
        notice = ctx.render("bilan.notice_cancelled", **words)  # the e-mail greets her itself
        mail = cancelled_mail(view, notice, words, forwarded=True)
        ctx.send(
            Reply(
                document=Document(
                    filename=f"message-charge-de-mission-annulation-{view.file_stem}.txt",
                    mime_type="text/plain",
                    content=f"Objet : {mail.subject}\n\n{mail.body}".encode(),
                    caption=ctx.render("bilan.caption_cancel_cm", cm=view.formation.cm_name),
                )
            )
        )
    if invited.matrix is not None:  # the cancellation too (explorer DC10: told nothing)
        ctx.say(
            "bilan.charge_de_mission_sent",
            cm=view.formation.cm_name,
            matrix=invited.matrix,
            news="cancelled"
            if cancelled
            else ("moved" if moved_from is not None else "updated")
            if invited.news
            else ("known" if invited.known else ""),
        )
    if invited.email is not None:
        ctx.say(
            "bilan.charge_de_mission_emailed",
            cm=view.formation.cm_name,
            email=invited.email,
            cancelled=cancelled,
        )


def charge_de_mission_mail(
    ctx: Context,
    view: BilanView,
    rows: Sequence[StoredDeadline],
    *,
    moved_from: datetime | None = None,
    updated: bool = False,
) -> Mail:
    """The funder's own e-mail to its contact, a move or an update said first, so that it is
    not read as a second bilan: sent by the bot, or the draft the trainer forwards alike
    (explorer W, W4: the forwarded draft of a moved bilan said « Je vous confirme »)."""
    mail = as_mail(documents.email_to_chargee(view, rows, ctx.now))
    if moved_from is None and not updated:
        return mail
    words = charge_de_mission_words(view, rows, now=ctx.now, emailed=False)
    old = dates.spell_datetime(moved_from) if moved_from is not None else ""
    key = "bilan.email_moved" if moved_from is not None else "bilan.email_updated"
    said = texts.plain(ctx.render(key, old=old, **words))
    what = "Bilan déplacé" if moved_from is not None else "Bilan mis à jour"
    # After « Bonjour Madame, », as a letter says its news (explorer Y, Y12: above it).
    greeting, gap, rest = mail.body.partition("\n")
    if not greeting.startswith("Bonjour") or not gap:
        return Mail(subject=f"{what} – {mail.subject}", body=f"{said}\n\n{mail.body}")
    body = f"{greeting}\n\n{said}\n\n{rest.lstrip()}"
    return Mail(subject=f"{what} – {mail.subject}", body=body)


def cancelled_mail(
    view: BilanView, notice: str, words: dict[str, Any], *, forwarded: bool = False
) -> Mail:
    """The cancellation as the funder's contact reads it, by e-mail or ``forwarded`` by the
    trainer (then not « envoyé par formabot », explorer W, W11)."""
    return render_email(
        PARTICIPANT_EMAIL,
        v=view,
        event="cancelled",
        forwarded=forwarded,
        name=view.formation.cm_name or "",
        notice=texts.plain(notice),
        when=words["when"],
        until=words["until"],
    )


def charge_de_mission_words(
    view: BilanView,
    rows: Sequence[StoredDeadline],
    *,
    now: datetime,
    emailed: bool,
) -> dict[str, Any]:
    """What the chargé(e) de mission's chat message says, from what the e-mail draft says
    at length: who takes part (counts by role: no trainee's name in a chat), the password,
    what they will receive and by when (the stored deadlines)."""
    bilan = view.bilan
    counts = [
        (len(view.delegates), "personne pour les stagiaires", "personnes pour les stagiaires"),
        (sum(p.kind == "trainee" for p in bilan.participants), "stagiaire", "stagiaires"),
        (len(view.partners), "partenaire", "partenaires"),
    ]
    password = ""
    if bilan.remote and bilan.visio_password_required:
        password = "joined" if bilan.visio_password else "apart"
    due = documents.promised(rows, view.tz, now)
    return {
        "cm": view.formation.cm_name or "",
        "kind": kind_label(bilan.kind),
        "when": dates.spell_datetime(view.start),
        "until": dates.spell_time(view.end),
        "span": dates.spell_span(view.start, view.end),
        "title": view.formation.title,
        "organisation": view.organisation_name,
        "trainer": view.trainer,
        "link": bilan.visio_url,
        "remote": bilan.remote,
        "location": bilan.location,
        "password": password,
        "taking_part": [f"{n} {one if n == 1 else many}" for n, one, many in counts if n],
        "receive": what_they_receive(view, due),
        "emailed": emailed,
    }


def what_they_receive(view: BilanView, due: dict[str, str]) -> list[str]:
    """The documents promised to the funder's contact, as the funder's e-mail draft
    promises them (Normandie: the bilan pédagogique, then the proofs; Centre-Val de Loire:
    its written bilan qualitatif)."""
    if view.formation.funder == "cvl":
        rule = "CVL-BQ-MID" if view.bilan.kind == "etape" else "CVL-BQ-END"
        return ["le bilan qualitatif écrit" + by_date(due, rule, "au plus tard le")]
    proofs = (
        "les attestations sur l'honneur des participants"
        if view.bilan.remote
        else "la copie de la feuille d'émargement"
    )
    return [
        "le bilan pédagogique" + by_date(due, "NOR-DOCS", "au plus tard le"),
        proofs + by_date(due, "NOR-PROOF", "d'ici le"),
    ]


def by_date(due: dict[str, str], rule: str, words: str) -> str:
    return f" {words} {due[rule]}" if rule in due else ""
