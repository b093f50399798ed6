"""The organisation's audit trail as a spreadsheet, for admins (``/journal``).

    Admin  /journal
    Bot    Voici le journal de l'organisme : 42 actions, de la plus ancienne à la plus
           récente (date, personne qui a agi, action, objet). Il ne contient aucun nom
           ni motif : les personnes et les objets y sont désignés par leur numéro.
           [document] journal-organisme.csv

The same rows as ``formabot export audit --organisation ID``
(:func:`bot.privacy.access.audit_of`).
"""

from __future__ import annotations

from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Outcome
from bot.exports import write
from bot.messages import Document, Reply
from bot.privacy.access import AUDIT_COLUMNS, audit_of


async def send_journal(ctx: Context) -> Outcome:
    rows = await audit_of(ctx.session, ctx.organisation_id)
    ctx.send(
        Reply(
            text=ctx.render("privacy.journal", count=len(rows)),
            document=Document(
                filename="journal-organisme.csv",
                mime_type="text/csv",
                content=write(rows, AUDIT_COLUMNS, "csv").encode("utf-8"),
                caption=ctx.render("privacy.journal_caption"),
            ),
        )
    )
    return Leave()


FLOW = Flow(
    "journal",
    # Its command, /aide line and who may use it: bot/features/privacy.py.
    start=send_journal,
    steps=[],
)

FLOWS = [FLOW]
