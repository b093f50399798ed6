"""Personal data (RGPD): retention and its purge, /mesdonnees, /effacer, the audit trail (/journal, export)."""

from bot.conversations.privacy import effacer, journal, mesdonnees
from bot.manifest import Feature, TableExport
from bot.privacy import access, retention

FEATURE = Feature(
    name="privacy",
    flows=(*mesdonnees.FLOWS, *effacer.FLOWS, *journal.FLOWS),
    jobs=(
        retention.purge_expired,
        retention.forget_abandoned_conversations,
        retention.forget_sent_messages,
    ),
    tables={
        "audit": TableExport(access.AUDIT_COLUMNS, access.audit_rows, title="Journal des actions")
    },
    settings=(retention.RETENTION_YEARS,),
)
