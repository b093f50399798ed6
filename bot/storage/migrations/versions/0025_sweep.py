"""Bounded sweeps (issue 14): each keeps its place, and every tick does a bounded batch.

- ``sweep_positions``: where each sweep that keeps its rows stopped (the
  last row whose sent text it erased), so that a tick reads only the next
  rows due and a process killed mid-way resumes from the last committed batch
  (:mod:`bot.storage.sweeps`).
- ``ix_matrix_welcomes_status_sent_at``: the Matrix welcomes sent, in the
  order their texts are erased (the outbox has ``(status, sent_at)`` already).
- ``ix_processed_events_platform_processed_at`` and ``ix_inbox_status_done_at``:
  the minute tick forgets the event records and the inbox rows past their
  platform's window; it read every record of the platform (every done row),
  a day of traffic, each minute.
- ``ix_conversation_states_unforgotten``: the conversations left half-way
  whose answers are still kept (partial: ``step IS NOT NULL``); the tick
  read every conversation that had ever expired.

Each sweep starts after the newest sent row whose text is already erased:
the version before this one erased every text sent before its last cutoff,
so every row before that one is erased too and is not walked again.  A
database where nothing was erased yet starts from its oldest row.

Revision ID: 0025_sweep
Revises: 0024_workers
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0025_sweep"
down_revision: str | None = "0024_workers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SWEPT = ("outbox", "matrix_welcomes")
"""The tables whose sent texts are erased, each its sweep ``sent_texts:<table>``."""
INDEXES = (
    ("ix_matrix_welcomes_status_sent_at", "matrix_welcomes", ["status", "sent_at"]),
    (
        "ix_processed_events_platform_processed_at",
        "processed_events",
        ["platform", "processed_at"],
    ),
    ("ix_inbox_status_done_at", "inbox", ["status", "done_at"]),
)
"""(name, table, columns) of the indexes added."""
UNFORGOTTEN = "step IS NOT NULL"
"""The partial index's predicate (``bot.storage.state.UNFORGOTTEN``, copied: a migration
stays as it was written)."""


def upgrade() -> None:
    positions = op.create_table(
        "sweep_positions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("done_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.Column("done_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", bot.storage.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sweep_positions")),
    )
    for index, table_name, columns in INDEXES:
        op.create_index(index, table_name, columns)
    op.create_index(
        "ix_conversation_states_unforgotten",
        "conversation_states",
        ["expires_at"],
        sqlite_where=sa.text(UNFORGOTTEN),
        postgresql_where=sa.text(UNFORGOTTEN),
    )
    connection = op.get_bind()
    for name in SWEPT:
        table = sa.table(
            name,
            sa.column("id", sa.Integer()),
            sa.column("status", sa.String()),
            sa.column("sent_at", bot.storage.base.UTCDateTime()),
            sa.column("payload", sa.JSON()),
        )
        last = connection.execute(
            sa.select(table.c.sent_at, table.c.id)
            .where(table.c.status == "sent", sa.cast(table.c.payload, sa.String) == "{}")
            .order_by(table.c.sent_at.desc(), table.c.id.desc())
            .limit(1)
        ).first()
        op.bulk_insert(
            positions,
            [
                {
                    "name": f"sent_texts:{name}",
                    "done_at": last[0] if last else None,
                    "done_id": last[1] if last else None,
                    "updated_at": datetime.now(UTC),
                }
            ],
        )


def downgrade() -> None:
    op.drop_index("ix_conversation_states_unforgotten", table_name="conversation_states")
    for index, table_name, _ in INDEXES:
        op.drop_index(index, table_name=table_name)
    op.drop_table("sweep_positions")
