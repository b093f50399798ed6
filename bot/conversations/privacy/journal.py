"""The organisation's audit trail as a spreadsheet, for admins (``/journal``).

    Admin  /journal
    Bot    Voici le journal de l'organisme, un tableau Excel : 42 actions, de la plus
           ancienne à la plus récente (date à l'heure de l'organisme, personne qui a agi,
           action, objet, détails). Il ne contient aucun nom ni motif : les personnes et
           les objets y sont désignés par leur numéro.
           Les membres de l'organisme, par numéro : n° 1 Camille Durand
           (administratrice), n° 4 Bernard Lefèvre (formateur).
           Les stagiaires ont leur propre série de numéros (objet « stagiaire », ou
           « identifiant de stagiaire » dans les détails) : stagiaire n° 1 Karim Benali,
           stagiaire n° 3 (données effacées).
           [document] journal-organisme.xlsx

The same rows as ``formabot export audit --organisation ID --format xlsx``
(:func:`bot.privacy.journal_rows.audit_of`): a workbook, like ``/exporter``'s
"Excel" choice, because a CSV with commas opens in one column in French Excel.
"""

from __future__ import annotations

from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Outcome
from bot.documents.sheets import MIME, workbook
from bot.messages import Document, Reply
from bot.privacy.journal_rows import (
    AUDIT_COLUMNS,
    AUDIT_TITLE,
    FORMER,
    INVITED,
    audit_of,
    members_of,
    trainees_in_journal,
)


async def send_journal(ctx: Context) -> Outcome:
    rows = await audit_of(ctx.session, ctx.organisation_id)
    members = await members_of(ctx.session, ctx.organisation_id)
    trainees = (
        await trainees_in_journal(ctx.session, ctx.organisation_id)
        if ctx.organisation_id is not None
        else []
    )
    ctx.send(
        Reply(
            text=ctx.render(
                "privacy.journal",
                count=len(rows),
                members=members,
                outside=(INVITED, FORMER),
                trainees=trainees,
            ),
            document=Document(
                filename="journal-organisme.xlsx",
                mime_type=MIME["xlsx"],
                content=workbook(rows, AUDIT_COLUMNS, title=AUDIT_TITLE),
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
