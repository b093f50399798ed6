"""The inbox keeps the indexes its queries use: two fewer entries at each record and done mark.

``ix_inbox_status`` and ``ix_inbox_done_at`` (``0008_inbox``) came before
``ix_inbox_status_done_at`` (``0025_sweep``), which serves both their
queries: the pending rows (its prefix) and the done rows past their window
(its range).  Every recorded update wrote an entry in each, and so did its
done mark, which changes both columns (no in-place update then): two of
the inbox's six index writes per update, on the path of every message
(issue 14).

Revision ID: 0029_inbox_indexes
Revises: 0028_event_lookups
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029_inbox_indexes"
down_revision: str | None = "0028_event_lookups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALONE = ("status", "done_at")


def upgrade() -> None:
    for column in ALONE:
        op.drop_index(f"ix_inbox_{column}", table_name="inbox")


def downgrade() -> None:
    for column in ALONE:
        op.create_index(f"ix_inbox_{column}", "inbox", [column])
