"""The codes of the invitations an erasure took away (their SHA-256 only).

A participant erased at her request who pastes her old link again is told
the invitation went with her data, not « Vérifiez qu'il est complet ».

Revision ID: 0030_erased_invitations
Revises: 0029_inbox_indexes
Create Date: 2026-12-02 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0030_erased_invitations"
down_revision: str | None = "0029_inbox_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erased_invitations",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("formation_id", sa.Integer(), nullable=False),
        sa.Column("erased_at", bot.storage.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["formation_id"],
            ["formations.id"],
            name=op.f("fk_erased_invitations_formation_id_formations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_erased_invitations")),
    )
    with op.batch_alter_table("erased_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_erased_invitations_formation_id"), ["formation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("erased_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erased_invitations_formation_id"))
    op.drop_table("erased_invitations")
