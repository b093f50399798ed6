"""The outbox's two walks read their index alone: ``id`` joins the time in each.

The minute tick erases sent texts and deletes old rows a batch at a time,
walking ``(status, sent_at)`` and ``(status, created_at)`` in the order of
the time then the id (:mod:`bot.storage.sweeps`).  Without ``id`` in the
index, PostgreSQL fetched every row of the batch from the table to read
it and sort the ties: 18-33 ms for the first batch after a digest hour at
20,000 organisations, its pages out of the cache.  With it, the walk is
an index-only scan, under 1.5 ms (issue 14).  SQLite's indexes already
end with the row id; the same columns there keep both databases alike.

Revision ID: 0027_outbox_walks
Revises: 0026_outbox_room
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027_outbox_walks"
down_revision: str | None = "0026_outbox_room"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WALKS = ("created_at", "sent_at")


def upgrade() -> None:
    for column in WALKS:
        op.drop_index(f"ix_outbox_status_{column}", table_name="outbox")
        op.create_index(f"ix_outbox_status_{column}_id", "outbox", ["status", column, "id"])


def downgrade() -> None:
    for column in WALKS:
        op.drop_index(f"ix_outbox_status_{column}_id", table_name="outbox")
        op.create_index(f"ix_outbox_status_{column}", "outbox", ["status", column])
