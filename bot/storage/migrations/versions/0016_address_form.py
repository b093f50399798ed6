"""How a member asked to be addressed (féminin, masculin, or neither), asked once at onboarding.

Revision ID: 0016_address_form
Revises: 0015_deadline_details
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_address_form"
down_revision: str | None = "0015_deadline_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("address_form", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("address_form")
