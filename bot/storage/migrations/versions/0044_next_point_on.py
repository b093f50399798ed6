"""The day of an entretien's « prochain point », when the compte rendu names one.

Revision ID: 0044_next_point_on
Revises: 0043_digest_told_at
Create Date: 2026-12-07 03:10:00

The compte rendu's « Prochain point » was read for its day (refused when gone by, written out)
and then never followed: nothing reminded the trainer of the point it promised (explorer GF9).
The day read is kept here, so the morning of that day the trainer is reminded of it; null when
the compte rendu names no point or no day.  Indexed: the digest hour reads the day's points.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044_next_point_on"
down_revision: str | None = "0043_digest_told_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entretiens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prochain_point_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_entretiens_prochain_point_on"), ["prochain_point_on"])


def downgrade() -> None:
    with op.batch_alter_table("entretiens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entretiens_prochain_point_on"))
        batch_op.drop_column("prochain_point_on")
