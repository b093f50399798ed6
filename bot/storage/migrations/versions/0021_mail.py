"""The outbox says what each message is about, so a bilan can list what was sent for it.

E-mails go through the outbox like chat messages (channel ``email``).  The
trainer's view of a bilan lists every invitation, update or reminder sent for
it, to whom, when, or why not: three nullable columns tie a row to its bilan,
its participant and what it carries (``about``).  Rows queued before this
revision keep them empty and are simply not listed.

Revision ID: 0021_mail
Revises: 0013_trainee_paths
Create Date: 2026-12-01 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_mail"
down_revision: str | None = "0013_trainee_paths"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("bilan_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("about", sa.String(length=30), nullable=True))
        batch.create_foreign_key(
            "fk_outbox_bilan_id_bilans", "bilans", ["bilan_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(
            "fk_outbox_participant_id_bilan_participants",
            "bilan_participants",
            ["participant_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_outbox_bilan_id", ["bilan_id"])
        batch.create_index("ix_outbox_participant_id", ["participant_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_participant_id")
        batch.drop_index("ix_outbox_bilan_id")
        batch.drop_constraint("fk_outbox_participant_id_bilan_participants", type_="foreignkey")
        batch.drop_constraint("fk_outbox_bilan_id_bilans", type_="foreignkey")
        for column in ("about", "participant_id", "bilan_id"):
            batch.drop_column(column)
