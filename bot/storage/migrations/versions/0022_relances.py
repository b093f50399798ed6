"""Relances without side effects, and long work done after the turn.

``attestation_invitations.code_sealed``: the personal code, sealed with the
key of the data folder (never in the database), so that "Relancer" gives the
participant's still valid link again instead of replacing it.  Codes issued
before this revision have none: the trainer is told to ask for a new link.

``long_works``: a bundle to build or invitations to send, asked in a turn and
done after it (:mod:`bot.progress`), found again after a restart.

Revision ID: 0022_relances
Revises: 0013_trainee_paths
Create Date: 2026-12-01 13:20:19
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0022_relances"
down_revision: str | None = "0021_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "long_works",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.storage.base.UTCDateTime(), nullable=False),
        sa.Column("claimed_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.Column("done_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_long_works_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_long_works")),
    )
    with op.batch_alter_table("long_works") as batch:
        batch.create_index(batch.f("ix_long_works_organisation_id"), ["organisation_id"])
        batch.create_index(batch.f("ix_long_works_status"), ["status"])
    with op.batch_alter_table("attestation_invitations") as batch:
        batch.add_column(sa.Column("code_sealed", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attestation_invitations") as batch:
        batch.drop_column("code_sealed")
    with op.batch_alter_table("long_works") as batch:
        batch.drop_index(batch.f("ix_long_works_status"))
        batch.drop_index(batch.f("ix_long_works_organisation_id"))
    op.drop_table("long_works")
