"""A trainee's e-mail and phone, as an imported list (CSV, XLSX) gives them.

A spreadsheet from a funder or an employer often carries them; they are
kept with the trainee (and compared: the same e-mail twice is the same
person), cleared by the RGPD erasure with the name.

Revision ID: 0019_imports
Revises: 0023_scheduler
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_imports"
down_revision: str | None = "0023_scheduler"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trainees") as batch:
        batch.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trainees") as batch:
        batch.drop_column("phone")
        batch.drop_column("email")
