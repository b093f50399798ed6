"""What formabot holds about the person writing (``/mesdonnees``), as a document.

    Léa   /mesdonnees
    Bot   Voici tout ce que formabot garde à votre sujet : votre nom, vos comptes de
          messagerie, votre participation aux bilans (rôle, structure, contact),
          l'invitation que vous avez reçue, votre fiche de stagiaire (entreprise,
          représentation des stagiaires, entrée et sortie), les attestations que vous
          avez données et la conversation en cours.
          Ces données sont tenues par Organisme de démonstration : pour les consulter,
          les faire corriger ou effacer, adressez-vous à Camille Durand (Organisme de
          démonstration).
          [document] mes-donnees-formabot.txt
    Bot   Les mêmes données pour un logiciel (JSON) :
          [document] mes-donnees-formabot.json

Anyone may ask (a trainer, an admin, a participant who opened a bilan's
invitation, someone the bot does not know), in a private chat only: the
document names the person.  The text is worded for who asks: a trainer
reads that the trainees' data is the organisme's, an admin that it is the
organisme they run (and /effacer), a participant whom to ask.  The service
is :func:`bot.privacy.access.data_of`.
"""

from __future__ import annotations

from typing import Any

from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Outcome
from bot.messages import Document, Reply
from bot.privacy.access import as_document, as_text, data_of, held_by
from bot.privacy.followed import KEY as FOLLOWED

FILENAME = "mes-donnees-formabot.json"
READABLE = "mes-donnees-formabot.txt"


async def holders(ctx: Context) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """What is held about the person writing, and who holds it (organisme, trainer)."""
    held = await data_of(ctx.session, ctx.incoming.platform.value, ctx.incoming.user)
    for under_way in held["conversations en cours"]:  # « formations »: the command's words
        command = ctx.features.commands.get(under_way["sujet"])
        if command is not None and command.summary:
            under_way["sujet"] = command.summary
    return held, await held_by(ctx.session, held)


def asker(ctx: Context, held: dict[str, Any]) -> str:
    """Whose wording: ``admin``, ``formateur``, ``participant``, ``charge_de_mission`` (a
    Région's chargée de mission the formations name, explorer AX4) or ``inconnu``."""
    if ctx.actor is not None and ctx.actor.is_member:
        return "admin" if ctx.actor.is_admin else "formateur"
    known = held["personne"] is not None or bool(held["attestations données"])
    if known or held["participations aux bilans"]:
        return "participant"
    return "charge_de_mission" if held.get(FOLLOWED) else "inconnu"


async def send_my_data(ctx: Context) -> Outcome:
    """The data to read (a text file, moments in French and local time), then the same as
    JSON for a program (what a request to take one's data elsewhere asks)."""
    held, by = await holders(ctx)
    ctx.send(
        Reply(
            text=ctx.render("privacy.my_data", who=asker(ctx, held), holders=by),
            document=Document(
                filename=READABLE,
                mime_type="text/plain",
                content=as_text(held, ctx.tz),
                caption=ctx.render("privacy.my_data_caption"),
            ),
        )
    )
    ctx.send(
        Reply(
            text=ctx.render("privacy.my_data_json"),
            document=Document(
                filename=FILENAME,
                mime_type="application/json",
                content=as_document(held),
                caption=ctx.render("privacy.my_data_json_caption"),
            ),
        )
    )
    return Leave()


FLOW = Flow(
    "mesdonnees",
    # Its command, /aide line and who may use it: bot/features/privacy.py.
    start=send_my_data,
    steps=[],
)

FLOWS = [FLOW]
