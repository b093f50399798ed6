"""When a participant's link was first tried from another account than the one that opened it.

Revision ID: 0038_link_contested
Revises: 0037_funder_name
Create Date: 2026-12-05 23:00:00

A delegate forwarded her link to a classmate, who opened it first; the
delegate was refused on it, and nothing was kept: the classmate then swore in
her name and the answer counted, unflagged (explorer AL3, AL4).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0038_link_contested"
down_revision: str | None = "0037_funder_name"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attestation_invitations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("contested_at", bot.storage.base.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("attestation_invitations", schema=None) as batch_op:
        batch_op.drop_column("contested_at")
