"""A done final bilan holds for the end it was done on: its anchor, and its reopening, kept.

Revision ID: 0046_deadline_reopened
Revises: 0045_states_expiry_index
Create Date: 2026-12-08 01:20:00

A trainer marked « Envoyer le bilan qualitatif de fin » done; a path was then extended past
that day, and the deadline stayed done forever, the Région's final bilan never asked again
although the last path now ended later (reviewer MD3/KB8).  ``anchor_on`` keeps the day a
deadline is counted from (the end that counts), so a refresh sees it move; ``reopened_at``,
``reopened_from`` and ``done_anchor_on`` keep when a done one was opened again, when it had
been done and for which end (the sentence said in the chat and, once, in the next digest; the
end brought back makes it done again).  Null for the rows of before:
their first refresh fills ``anchor_on``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046_deadline_reopened"
down_revision: str | None = "0045_states_expiry_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anchor_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reopened_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reopened_from", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("done_anchor_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("done_anchor_on")
        batch_op.drop_column("reopened_from")
        batch_op.drop_column("reopened_at")
        batch_op.drop_column("anchor_on")
