"""The day a follow-up's first sign was seen: the procedure's steps count from it.

Revision ID: 0034_followup_sign_day
Revises: 0033_long_work_claimer
Create Date: 2026-12-04 06:30:00

Follow-ups opened before it keep no day (the rules then count from their
opening, as they did): their stored deadlines do not move under anyone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_followup_sign_day"
down_revision: str | None = "0033_long_work_claimer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sign_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.drop_column("sign_on")
