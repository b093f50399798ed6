"""The chargée de mission's answer to a bilan's invitation, on the bilan.

Revision ID: 0032_charge_de_mission_answers
Revises: 0031_erased_not_delegates
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0032_charge_de_mission_answers"
down_revision: str | None = "0031_erased_not_delegates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bilans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cm_answer", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("cm_answer_sequence", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("cm_answered_at", bot.storage.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("cm_proposed_at", bot.storage.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("cm_note", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bilans", schema=None) as batch_op:
        batch_op.drop_column("cm_note")
        batch_op.drop_column("cm_proposed_at")
        batch_op.drop_column("cm_answered_at")
        batch_op.drop_column("cm_answer_sequence")
        batch_op.drop_column("cm_answer")
