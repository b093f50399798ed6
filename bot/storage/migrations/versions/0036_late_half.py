"""A late arrival noted at a half-day's roll call keeps that half-day.

Revision ID: 0036_late_half
Revises: 0035_bilan_calendar_uid
Create Date: 2026-12-04 21:10:00

The afternoon's roll call took a late arrival already noted in the morning for
the same one and dropped it (explorer U U7); without the half-day, the two could
not be told from the same one noted twice.  Late arrivals noted before keep no
value: their half-day is unknown, as it was.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036_late_half"
down_revision: str | None = "0035_bilan_calendar_uid"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("late_half", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_column("late_half")
