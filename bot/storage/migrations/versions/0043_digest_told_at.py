"""When each organisation's last digest was queued.

Revision ID: 0043_digest_told_at
Revises: 0042_trainee_session
Create Date: 2026-12-06 21:10:00

The digest told what was missed before a bilan, and the messages given up, « since 24 hours
before now »: a digest sent at 18:00 after a morning outage, or the day after a day without
one, never told an item closed as « non fait avant le bilan » the previous afternoon (explorer
QC7).  It now tells them since the previous digest queued, stored here; null until the first
(the window is then the last 24 hours, as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043_digest_told_at"
down_revision: str | None = "0042_trainee_session"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest_told_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("digest_told_at")
