"""What formabot holds about the person writing (``/mesdonnees``), as a document.

    Vous  /mesdonnees
    Bot   Voici tout ce que formabot garde à votre sujet : votre nom, vos comptes de
          messagerie, vos adhésions, les formations dont vous avez la charge, les
          attestations que vous avez données, le journal de vos actions et la
          conversation en cours. …
          [document] mes-donnees-formabot.json

Anyone may ask (a trainer, an admin, a participant who answered an
attestation, someone the bot does not know), in a private chat only: the
document names the person.  The service is
:func:`bot.privacy.access.data_of`.
"""

from __future__ import annotations

from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Outcome
from bot.messages import Document, Reply
from bot.privacy.access import as_document, data_of

FILENAME = "mes-donnees-formabot.json"


async def send_my_data(ctx: Context) -> Outcome:
    held = await data_of(ctx.session, ctx.incoming.platform.value, ctx.incoming.user)
    known = held["personne"] is not None or bool(held["attestations données"])
    ctx.send(
        Reply(
            text=ctx.render("privacy.my_data", known=known),
            document=Document(
                filename=FILENAME,
                mime_type="application/json",
                content=as_document(held),
                caption=ctx.render("privacy.my_data_caption"),
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
