"""Sending the proof bundle to the chargé(e) de mission, called from the ``/attestations`` menu.

    Vous  Envoyer à la personne chargée de mission
    Bot   Envoyer le dossier de preuves à Mme Sophie Leroy <sophie.leroy@example.org> ?
          ⚠ Il est incomplet : il manque le justificatif d'Hugo Moreau. …
          [Envoyer quand même] [Pas maintenant]
    Vous  Envoyer quand même
    Bot   J'envoie le dossier de preuves à sophie.leroy@example.org. Je vous confirme ici
          dès qu'il est parti.
    Bot   (the bilan's status again)

Offered only when the server can send e-mail; a formation without the
chargé(e) de mission's address says so and goes back to the menu.  The
e-mail leaves after the commit (:mod:`bot.attestations.mail`).
"""

from __future__ import annotations

from bot.answers import visible
from bot.attestations.sending import cannot_send, request_sending
from bot.attestations.service import progress, when_words
from bot.conversations.attestations.who import author_of, chat_of, this_bilan
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Finish, Flow, Leave, Outcome
from bot.conversations.kit.steps import Option, Pick
from bot.storage.people import Role


async def send_start(ctx: Context) -> Outcome | None:
    """Whether it can be sent from here; what the question shows, as the bundle stands."""
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    refusal = cannot_send(ctx.settings, info, ctx.now)
    if refusal is not None:
        ctx.say(f"attestation_trainer.{refusal}", **when_words(info, ctx.now))
        return Leave()
    prog = await progress(ctx.session, info, now=ctx.now)
    ctx.data["_send"] = {
        "cm": visible(info.formation.cm_name),
        "email": info.formation.cm_email or "",
        "complete": prog.complete,
        "missing": prog.missing_names,
    }
    return None


async def send_options(ctx: Context) -> list[Option]:
    complete = bool((ctx.data.get("_send") or {}).get("complete"))
    return [
        Option("Envoyer" if complete else "Envoyer quand même", "go"),
        Option("Pas maintenant", "no"),
    ]


async def send(ctx: Context, picked: str) -> Outcome:
    if picked != "go":
        ctx.say("attestation_trainer.not_sent")
        return Leave()
    info = await this_bilan(ctx)
    if info is None:
        ctx.say("attestation_trainer.bilan_not_found")
        return Leave()
    sent = await request_sending(
        ctx.session, ctx.settings, info, author=author_of(ctx), chat=chat_of(ctx), now=ctx.now
    )
    if isinstance(sent, str):
        ctx.say(f"attestation_trainer.{sent}", **when_words(info, ctx.now))
        return Leave()
    ctx.say("attestation_trainer.send_queued", email=sent.to_address)
    return Finish()


SEND = Flow(
    "attestations_send",
    role=Role.FORMATEUR,
    summary="envoyer les justificatifs à la personne chargée de mission",
    start=send_start,
    steps=[Pick("send", ask="attestation_trainer.ask_send", options=send_options, then=send)],
)

FLOWS = [SEND]
