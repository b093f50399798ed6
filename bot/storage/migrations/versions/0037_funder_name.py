"""The name of a formation's funder when it is none of those the rules know.

Revision ID: 0037_funder_name
Revises: 0036_late_half
Create Date: 2026-12-05 19:50:00

« Autre financeur » asked nothing more: an organisation whose formations are
paid by France Travail, an OPCO or an employer had them all exported as « Autre
financeur » (explorer AD27).  Formations saved before keep none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037_funder_name"
down_revision: str | None = "0036_late_half"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("formations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("funder_name", sa.String(length=150), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("formations", schema=None) as batch_op:
        batch_op.drop_column("funder_name")
