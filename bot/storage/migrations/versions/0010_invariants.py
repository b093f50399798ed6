"""Invariants held by the schema, not by check-then-insert.

- ``organisations.founding``: true on the organisation ``/start`` created,
  unique, so two ``/start`` on an empty database create one organisation;
- ``absences``: one live absence per trainee, day and half-day (a journée
  covers both halves), one late arrival per rank (``late_rank``);
- ``followups``: one open follow-up per trainee.

Rows that already break these (saved twice by a race before this revision)
are resolved first, keeping the oldest: a later duplicate absence is marked
deleted (the row stays, as every deleted absence does), a later duplicate
open follow-up is closed.

Revision ID: 0010_invariants
Revises: 0012_evidence
Create Date: 2026-12-01 10:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010_invariants"
down_revision: str | None = "0012_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "deleted_at IS NULL"
HALVES = {
    "uq_absences_morning": "period IN ('matin', 'journee')",
    "uq_absences_afternoon": "period IN ('apres_midi', 'journee')",
}


def _where(condition: str) -> dict[str, Any]:
    clause = sa.text(condition)
    return {"sqlite_where": clause, "postgresql_where": clause}


def _now() -> str:
    """The current UTC time as the columns store it (naive UTC)."""
    if op.get_bind().dialect.name == "postgresql":
        return "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')"
    return "CURRENT_TIMESTAMP"


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("founding", sa.Boolean(), nullable=True))
    op.execute(
        "UPDATE organisations SET founding = TRUE WHERE id = (SELECT MIN(id) FROM organisations)"
    )
    op.create_index("uq_organisations_founding", "organisations", ["founding"], unique=True)

    with op.batch_alter_table("absences") as batch:
        batch.add_column(sa.Column("late_rank", sa.Integer(), nullable=True))
    # Late arrivals already stored are ranked in the order they were noted.
    op.execute(
        "UPDATE absences SET late_rank = (SELECT COUNT(*) FROM absences AS earlier"
        " WHERE earlier.trainee_id = absences.trainee_id AND earlier.day = absences.day"
        " AND earlier.period = 'retard' AND earlier.deleted_at IS NULL"
        " AND earlier.id <= absences.id)"
        " WHERE period = 'retard' AND deleted_at IS NULL"
    )
    for name, condition in HALVES.items():
        op.execute(
            f"UPDATE absences SET deleted_at = {_now()}"
            f" WHERE {LIVE} AND {condition} AND EXISTS (SELECT 1 FROM absences AS earlier"
            " WHERE earlier.trainee_id = absences.trainee_id AND earlier.day = absences.day"
            f" AND earlier.deleted_at IS NULL AND earlier.{condition}"
            " AND earlier.id < absences.id)"
        )
        op.create_index(
            name,
            "absences",
            ["trainee_id", "day"],
            unique=True,
            **_where(f"{LIVE} AND {condition}"),
        )
    op.create_index(
        "uq_absences_late",
        "absences",
        ["trainee_id", "day", "late_rank"],
        unique=True,
        **_where(f"{LIVE} AND period = 'retard'"),
    )

    op.execute(
        f"UPDATE followups SET closed_at = {_now()} WHERE closed_at IS NULL"
        " AND EXISTS (SELECT 1 FROM followups AS earlier"
        " WHERE earlier.trainee_id = followups.trainee_id AND earlier.closed_at IS NULL"
        " AND earlier.id < followups.id)"
    )
    op.create_index(
        "uq_followups_open", "followups", ["trainee_id"], unique=True, **_where("closed_at IS NULL")
    )


def downgrade() -> None:
    op.drop_index("uq_followups_open", table_name="followups")
    op.drop_index("uq_absences_late", table_name="absences")
    for name in reversed(list(HALVES)):
        op.drop_index(name, table_name="absences")
    with op.batch_alter_table("absences") as batch:
        batch.drop_column("late_rank")
    op.drop_index("uq_organisations_founding", table_name="organisations")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("founding")
