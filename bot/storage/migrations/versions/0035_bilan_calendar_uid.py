"""A bilan's invitation has a UID of its own: « bilan-1@formabot » was every installation's.

Revision ID: 0035_bilan_calendar_uid
Revises: 0034_followup_sign_day
Create Date: 2026-12-04 09:30:00

A chargée de mission follows several organismes, each with its formabot: their first
bilans shared one UID, so her calendar kept one event for two.  New bilans get a random
one; those scheduled before keep no value and so their old UID, which the invitations
already sent carry (their updates must still replace what she has).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_bilan_calendar_uid"
down_revision: str | None = "0034_followup_sign_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bilans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ics_uid", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bilans", schema=None) as batch_op:
        batch_op.drop_column("ics_uid")
