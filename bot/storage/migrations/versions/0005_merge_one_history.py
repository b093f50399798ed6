"""One history again: absences (0002) and bilans → attestations (0003, 0004)
were written side by side; from here on, migrations chain on 0005.

Revision ID: 0005_merge
Revises: 0002_absences, 0004_attestations
Create Date: 2026-11-23 11:01:46
"""

from collections.abc import Sequence

revision: str = "0005_merge"
down_revision: tuple[str, ...] = ("0002_absences", "0004_attestations")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
