"""Several processes handle the inbox: a row is claimed, for a while, by the one handling it.

- ``inbox.claimed_by``: which process (``host:pid``) is handling the row;
- ``inbox.claimed_until``: until when; a process that died stops renewing
  it, and after this moment another process takes the row over;
- ``ix_inbox_person_pending`` on (platform, chat_id, user_id, status, id):
  "is there an older pending row of this person?", asked by every claim, and
  "this person's next pending row", asked after each turn, read this index
  only.

Rows recorded before this revision are unclaimed: any process may take them.

Revision ID: 0024_workers
Revises: 0019_imports
Create Date: 2026-12-01 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0024_workers"
down_revision: str | None = "0019_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("claimed_until", bot.storage.base.UTCDateTime(), nullable=True))
        batch.create_index(
            "ix_inbox_person_pending", ["platform", "chat_id", "user_id", "status", "id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.drop_index("ix_inbox_person_pending")
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
