"""Each trainee's path (exit reason, extended end) and a formation deleted by mistake.

A trainee's entry and exit dates already existed; this adds why they left
(``exit_reason``) and the end of their path when a bon de commande
supplémentaire extends it (``path_end``).  A formation created by mistake is
not erased: ``deleted_at`` hides it and closes its deadlines, and the audit
trail keeps who deleted it.

Revision ID: 0013_trainee_paths
Revises: 0010_invariants
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_trainee_paths"
down_revision: str | None = "0010_invariants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trainees") as batch:
        batch.add_column(sa.Column("exit_reason", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("path_end", sa.Date(), nullable=True))
    with op.batch_alter_table("formations") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("formations") as batch:
        batch.drop_column("deleted_at")
    with op.batch_alter_table("trainees") as batch:
        batch.drop_column("path_end")
        batch.drop_column("exit_reason")
