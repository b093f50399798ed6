"""Depositing the signed feuille d'émargement, called from the ``/attestations`` menu.

    Vous  Déposer la feuille d'émargement
    Bot   Qui figure sur la feuille d'émargement signée ? Touchez leurs noms …
          [☐ Léa Martin] [☐ Hugo Moreau] [✅ Terminé]
    Vous  Hugo Moreau
    Vous  Terminé
    Bot   Envoyez maintenant la photo ou le PDF de la feuille d'émargement signée.
          [Annuler le dépôt]
    Vous  📎 emargement.pdf
    Bot   Feuille d'émargement enregistrée, avec 1 participant coché. …
    Bot   (the bilan's status again: 📋 Hugo Moreau …)

Not before the bilan has begun: what is signed then proves no one came (explorer DF7, the
blank sheet the bot sends was taken a week before). Only a photo (JPEG, PNG) or a PDF whose bytes match its type is taken, up
to :data:`~bot.attestations.sheets.MAX_SHEET_MB`; anything else is asked
again.  The file is stored by :func:`bot.attestations.sheets.upload_sheet`.
"""

from __future__ import annotations

from bot.attestations.sheets import MAX_SHEET_MB, hold_trainees_of, sheet_problem, upload_sheet
from bot.conversations.attestations.steps import FileUpload
from bot.conversations.attestations.who import author_of, participant_options, this_bilan
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Outcome
from bot.conversations.kit.steps import PickMany
from bot.storage.people import Role


async def sheet_start(ctx: Context) -> Outcome | None:
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    if not info.bilan.participants:
        ctx.say("attestation_trainer.no_participants")
        return Leave()
    if ctx.now < info.bilan.starts_at:  # a sheet signed before it happened proves nothing
        ctx.say("attestation_trainer.sheet_too_early", start=info.start)
        return Leave()
    ctx.data["_remote"] = info.bilan.remote  # said at the question (explorer AU2)
    return None


async def save_sheet(ctx: Context, filename: str) -> Outcome:
    """The checked file, stored with who was ticked, in one go: the ticked trainees' rows held
    first, as an erasure holds them, then the bilan read (YC after explorer UD4: an entry
    written for a participant an erasure was deleting at the same moment)."""
    ticked = [int(v) for v in ctx.data.get("sheet_who") or [] if str(v).isdigit()]
    await hold_trainees_of(ctx.session, ticked)
    info = await this_bilan(ctx)
    attachment = ctx.incoming.attachment
    if info is None or attachment is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    _, count = await upload_sheet(
        ctx.session,
        info,
        filename=filename,
        mime_type=attachment.mime_type,
        content=attachment.content,
        ticked=ticked,
        author=author_of(ctx),
        now=ctx.now,
    )
    ctx.say("attestation_trainer.sheet_saved", count=count)
    return Finish()


SHEET = Flow(
    "attestations_sheet",
    role=Role.FORMATEUR,
    summary="déposer la feuille d'émargement d'un bilan",
    start=sheet_start,
    steps=[
        PickMany(
            "sheet_who",
            ask="attestation_trainer.ask_sheet_who",
            options=participant_options,
            minimum=1,
        ),
        FileUpload(
            "sheet_file",
            ask="attestation_trainer.ask_sheet_file",
            expected="attestation_trainer.sheet_expected",
            check=sheet_problem,
            problems="attestation_trainer",
            limit=MAX_SHEET_MB,
            cancel_label="Annuler le dépôt",
            cancelled="attestation_trainer.sheet_cancelled",
            then=save_sheet,
        ),
    ],
)

FLOWS = [SHEET]
