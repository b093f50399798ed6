"""What the retention purge erased (counts only), until the daily digest has said so.

Revision ID: 0011_retention
Revises: 0017_indexes
Create Date: 2026-12-01 10:25:48.343666
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base


revision: str = "0011_retention"
down_revision: str | None = "0017_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retention_purges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("formation_id", sa.Integer(), nullable=False),
        sa.Column("trainees", sa.Integer(), nullable=False),
        sa.Column("purged_at", bot.storage.base.UTCDateTime(), nullable=False),
        sa.Column("reported_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_retention_purges_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_purges")),
    )
    with op.batch_alter_table("retention_purges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_purges_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("retention_purges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_purges_organisation_id"))

    op.drop_table("retention_purges")
