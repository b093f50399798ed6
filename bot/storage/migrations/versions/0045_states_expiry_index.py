"""A conversation's turn writes one index page less: the full index on its expiry goes.

Revision ID: 0045_states_expiry_index
Revises: 0044_next_point_on
Create Date: 2026-12-07 15:50:00

Every turn of a dialogue moves ``conversation_states.expires_at``, so every index on it is
written at each turn.  ``ix_conversation_states_expires_at`` (0023) was made for the minute
tick's sweep of conversations left half-way; since 0025 the sweep reads the partial index of
the conversations not forgotten yet (``ix_conversation_states_unforgotten``), and no other
query reads a range of that column (a conversation's own look-up goes by its unique key).
The full index was written at each turn and read by nothing (issue 14, DA1).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0045_states_expiry_index"
down_revision: str | None = "0044_next_point_on"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_conversation_states_expires_at", table_name="conversation_states")


def downgrade() -> None:
    op.create_index("ix_conversation_states_expires_at", "conversation_states", ["expires_at"])
