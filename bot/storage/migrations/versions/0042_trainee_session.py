"""The session a trainee follows, in a formation of several sessions.

Revision ID: 0042_trainee_session
Revises: 0041_words_before
Create Date: 2026-12-06 18:00:00

A trainee of session 1 of a « premiers gestes » formation (1–31 March, session 2 from 3 May
to 30 June) had his EOS exit due on 30 June, and a bon de commande supplémentaire for him
could neither be recorded before that day nor move session 1's final bilan (explorer IC5).
Trainees saved before keep none: they follow the whole formation, as they did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042_trainee_session"
down_revision: str | None = "0041_words_before"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_trainees_session_id_formation_sessions"),
            "formation_sessions",
            ["session_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_trainees_session_id"), ["session_id"])


def downgrade() -> None:
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainees_session_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_trainees_session_id_formation_sessions"), type_="foreignkey"
        )
        batch_op.drop_column("session_id")
