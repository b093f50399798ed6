"""One history again: follow-up deadlines (0006) and the Matrix transport's
tables (0006) were written side by side; from here on, migrations chain on 0007.

Revision ID: 0007_merge
Revises: 0006_followup_deadlines, 0006_matrix
Create Date: 2026-12-01 09:10:00
"""

from collections.abc import Sequence

revision: str = "0007_merge"
down_revision: tuple[str, ...] = ("0006_followup_deadlines", "0006_matrix")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
