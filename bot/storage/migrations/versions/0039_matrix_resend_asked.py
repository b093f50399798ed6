"""When the sender of a Matrix message whose room key had not come was asked to send it again.

Revision ID: 0039_matrix_resend_asked
Revises: 0038_link_contested
Create Date: 2026-12-06 18:00:00

Told « Renvoyez-le », the person sent the message again and that copy was
answered; the original, decrypted when its key came later, was handled too, as
the answer to whatever was asked by then (explorer GA2).  Kept in memory only,
a restart forgot it.  Events recorded before keep no value: handled as they
were.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0039_matrix_resend_asked"
down_revision: str | None = "0038_link_contested"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("matrix_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("resend_asked_at", bot.storage.base.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("matrix_events", schema=None) as batch_op:
        batch_op.drop_column("resend_asked_at")
