"""The durable inbox: every incoming update written down before it is acknowledged;
the replies of a turn kept whole until they are sent (processed_events.delivered_at).

Revision ID: 0008_inbox
Revises: 0007_merge
Create Date: 2026-12-01 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0008_inbox"
down_revision: str | None = "0007_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("chat_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("received_at", bot.storage.base.UTCDateTime(), nullable=False),
        sa.Column("done_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("platform", "event_id", name=op.f("uq_inbox_platform_event_id")),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_done_at"), ["done_at"], unique=False)

    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("delivered_at", bot.storage.base.UTCDateTime(), nullable=True)
        )
    # Events handled before this revision had their replies sent at the time.
    op.execute("UPDATE processed_events SET delivered_at = processed_at")


def downgrade() -> None:
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.drop_column("delivered_at")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_done_at"))
        batch_op.drop_index(batch_op.f("ix_inbox_status"))
    op.drop_table("inbox")
