"""The scheduler's cost follows what is due (issue 14).

- ``organisations.digest_next_at`` (indexed): when the daily digest job has
  something to look at for the organisation; the digest hour's tick reads
  the organisations due by this index instead of every organisation at
  every tick.
- ``organisations.rules_version``: the fingerprint of the rules its stored
  deadlines were computed with.  Null for every organisation here: the first
  start after this upgrade recomputes them once, organisation by
  organisation in the background, and the digest never recomputes again.
- ``ix_deadlines_rule_status_due``: the open pre-bilan items already due,
  which the minute tick closes once their bilan has begun.
- the other columns a minute's tick filters on, so that no job reads a whole
  table: ``formations.end_date`` (the retention purge), ``bilans.ends_at``
  (the participants told a bilan is over), ``conversation_states.expires_at``
  (abandoned conversations forgotten), ``organisations.rules_version``;
  ``outbox (status, created_at)`` and ``(status, sent_at)``: the outbox
  pruned after 90 days and the texts forgotten after a day read only the
  rows they change, not every row sent.

Revision ID: 0023_scheduler
Revises: 0013_trainee_paths
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_scheduler"
down_revision: str | None = "0022_relances"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("formations", "end_date"),
    ("bilans", "ends_at"),
    ("conversation_states", "expires_at"),
)
"""(table, column) indexed for the tick's jobs."""


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("digest_next_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("rules_version", sa.String(length=16), nullable=True))
        batch.create_index("ix_organisations_digest_next_at", ["digest_next_at"])
        batch.create_index("ix_organisations_rules_version", ["rules_version"])
    op.create_index("ix_deadlines_rule_status_due", "deadlines", ["rule_id", "status", "due_on"])
    for table, column in COLUMNS:
        op.create_index(f"ix_{table}_{column}", table, [column])
    op.create_index("ix_outbox_status_created_at", "outbox", ["status", "created_at"])
    op.create_index("ix_outbox_status_sent_at", "outbox", ["status", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_status_sent_at", table_name="outbox")
    op.drop_index("ix_outbox_status_created_at", table_name="outbox")
    for table, column in COLUMNS:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    op.drop_index("ix_deadlines_rule_status_due", table_name="deadlines")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_index("ix_organisations_rules_version")
        batch.drop_index("ix_organisations_digest_next_at")
        batch.drop_column("rules_version")
        batch.drop_column("digest_next_at")
