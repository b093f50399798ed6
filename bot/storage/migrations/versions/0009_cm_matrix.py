"""The chargé(e) de mission's Matrix/Tchap ID on a formation, so the bot can write to them.

Revision ID: 0009_cm_matrix
Revises: 0008_inbox
Create Date: 2026-12-01 09:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_cm_matrix"
down_revision: str | None = "0008_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("formations") as batch:
        batch.add_column(sa.Column("cm_matrix", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("formations") as batch:
        batch.drop_column("cm_matrix")
