"""Which process runs a long work: one killed in the middle is taken over at once on its host.

Revision ID: 0033_long_work_claimer
Revises: 0032_charge_de_mission_answers
Create Date: 2026-12-03 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033_long_work_claimer"
down_revision: str | None = "0032_charge_de_mission_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("long_works", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("long_works", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
