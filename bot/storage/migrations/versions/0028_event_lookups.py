"""A turn's look-up of its event record cannot take the sweep's index.

``ix_processed_events_platform_processed_at`` (``0025_sweep``) starts with
``platform``, as the primary key does.  PostgreSQL plans a prepared
statement once for any value; on a table it has not analyzed yet (a new
database, before autovacuum's first pass) it estimated one row through
either index and took the smaller one for ``platform = $1 AND event_id =
$2``, so each turn read every record of its platform, for as long as the
connection lived.  Made partial on a condition every row meets
(``processed_at IS NOT NULL``), the index stays usable by the sweep, whose
``processed_at < cutoff`` implies it, and by nothing that does not compare
the time.  The index on ``processed_at`` alone (``0001``) served nothing
the other does not; one index fewer to write at each turn (issue 14).

Revision ID: 0028_event_lookups
Revises: 0027_outbox_walks
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_event_lookups"
down_revision: str | None = "0027_outbox_walks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWEEP = "ix_processed_events_platform_processed_at"
TIMED = "processed_at IS NOT NULL"
"""``bot.storage.state.TIMED``, copied: a migration stays as it was written."""


def upgrade() -> None:
    op.drop_index(SWEEP, table_name="processed_events")
    op.drop_index("ix_processed_events_processed_at", table_name="processed_events")
    op.create_index(
        SWEEP,
        "processed_events",
        ["platform", "processed_at"],
        sqlite_where=sa.text(TIMED),
        postgresql_where=sa.text(TIMED),
    )


def downgrade() -> None:
    op.drop_index(SWEEP, table_name="processed_events")
    op.create_index("ix_processed_events_processed_at", "processed_events", ["processed_at"])
    op.create_index(SWEEP, "processed_events", ["platform", "processed_at"])
