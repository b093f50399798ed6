"""The proof bundle handed to the trainer, or sent to the chargé(e) de mission.

Sending only records the e-mail to send (:class:`~bot.storage.attestations.ProofSending`,
``pending``, with the exact bundle and text) and queues it on the outbox's e-mail
channel (:mod:`bot.attestations.mail`): it goes out once the transaction has committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.attestations import mail
from bot.attestations.bundle import ProofBundle, assembled
from bot.attestations.evidence import bilan_words
from bot.attestations.keys import organisation_key, spaced
from bot.attestations.service import Author, Chat, answers_open, audit, progress
from bot.bilans.view import BilanView, view_of
from bot.config import Settings
from bot.messages import Document, Reply
from bot.storage.attestations import ProofSending

EMAIL_TEMPLATE = "email/proofs_to_charge_de_mission.txt.j2"

Refusal = Literal["not_over", "no_smtp", "no_cm_email"]


async def bundle_for(
    session: AsyncSession, settings: Settings, info: BilanView, *, author: Author, now: datetime
) -> ProofBundle:
    """The bundle as it stands, for the trainer to download (the export is audited), signed
    with the key of the data folder."""
    key = await organisation_key(session, settings.data_dir)  # never a new one (GC15)
    bundle = await assembled(session, await progress(session, info, now=now), now=now, key=key)
    audit(session, author, "export", "bilan_proofs", info.bilan.id, complete=bundle.complete)
    return bundle


async def bundle_work(
    session: AsyncSession, args: dict[str, Any], now: datetime, settings: Settings
) -> list[Reply]:
    """The long work ``attestations.bundle`` (:mod:`bot.progress`): the ZIP for the trainer
    who asked, built after their turn (``args``: ``bilan_id``, ``person_id``,
    ``organisation_id``; their right to see the bilan was checked when they asked)."""
    info = await view_of(session, int(args["bilan_id"]))
    if info is None:
        return [Reply(text=texts.say("attestation_trainer.bilan_not_found"))]
    author = Author(args.get("person_id"), args.get("organisation_id"))
    return [bundle_reply(await bundle_for(session, settings, info, author=author, now=now))]


def bundle_reply(bundle: ProofBundle) -> Reply:
    """The ZIP with its explanation (Telegram shows the text as the file's caption)."""
    return Reply(
        text=texts.say(
            "attestation_trainer.bundle_ready",
            count=bundle.attestations,
            sheets=bundle.sheets,
            complete=bundle.complete,
            missing=bundle.missing,
            flagged=bundle.flagged,
        ),
        document=Document(
            filename=bundle.filename, mime_type="application/zip", content=bundle.content
        ),
    )


def cannot_send(settings: Settings, info: BilanView, now: datetime) -> Refusal | None:
    """Why the bundle cannot be e-mailed from here, or ``None``.  Before the bilan's end
    there is nothing to prove yet (nobody could attest): the Région gets nothing."""
    if not answers_open(info, now):
        return "not_over"
    if not settings.has_smtp:
        return "no_smtp"
    if not info.formation.cm_email:
        return "no_cm_email"
    return None


def email_text(words: dict[str, Any], bundle: ProofBundle, *, fingerprint: str) -> tuple[str, str]:
    """Subject and body from the e-mail template (its first line: « Objet : »)."""
    rendered = texts.render_document(
        EMAIL_TEMPLATE,
        b=words,
        fingerprint=fingerprint,
        cancelled=bundle.cancelled,
        flagged=bundle.flagged,
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


async def request_sending(
    session: AsyncSession,
    settings: Settings,
    info: BilanView,
    *,
    author: Author,
    chat: Chat,
    now: datetime,
) -> ProofSending | Refusal:
    """Record the e-mail of the bundle as it stands to the chargé(e) de mission, queued
    on the outbox (sent after the commit); the trainer hears of the outcome in ``chat``."""
    refusal = cannot_send(settings, info, now)
    if refusal is not None:
        return refusal
    assert info.formation.cm_email is not None
    key = await organisation_key(session, settings.data_dir)
    bundle = await assembled(session, await progress(session, info, now=now), now=now, key=key)
    subject, body = email_text(bilan_words(info), bundle, fingerprint=spaced(key.fingerprint))
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
        requested_by=author.person_id,
        requested_at=now,
        requested_platform=chat.platform,
        requested_chat_id=chat.chat,
    )
    session.add(sending)
    await session.flush()
    await mail.queue(session, sending, settings)
    audit(session, author, "send_proofs", "bilan_proofs", info.bilan.id, sending_id=sending.id)
    return sending
