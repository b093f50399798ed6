"""An entretien cancelled because it will not be held: why, and who cancelled it.

Revision ID: 0040_entretien_cancel
Revises: 0039_matrix_resend_asked
Create Date: 2026-12-06 09:00:00

A trainee who left, or who did not come and will not be seen again: the
entretien could only be rescheduled, and the closing ticket read « pas
encore tenu » in a closed file (explorer GF3).  A cancelled entretien with
no reason stays what it was: rescheduled, a new one taking over.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040_entretien_cancel"
down_revision: str | None = "0039_matrix_resend_asked"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entretiens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("cancel_note", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_entretiens_cancelled_by"), ["cancelled_by"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_entretiens_cancelled_by_people"),
            "people",
            ["cancelled_by"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("entretiens", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_entretiens_cancelled_by_people"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_entretiens_cancelled_by"))
        batch_op.drop_column("cancelled_by")
        batch_op.drop_column("cancel_note")
        batch_op.drop_column("cancel_reason")
