"""Every foreign key indexed: a turn or a job that filters on one never scans its table.

Measured before (issue 14): ``memberships.person_id`` was scanned on every chat
turn (3.6 ms, 22 ms with ten times the data); ``chat_identities.person_id`` and
``formation_sessions.formation_id`` likewise.  Rather than chase them one by one,
every foreign key gets its index (``tests/test_storage.py`` keeps it so); the
cost is one small B-tree per column, on tables written a few times a day.

Revision ID: 0017_indexes
Revises: 0009_cm_matrix
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_indexes"
down_revision: str | None = "0009_cm_matrix"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEYS: tuple[tuple[str, str], ...] = (
    ("absences", "deleted_by"),
    ("absences", "proof_id"),
    ("absences", "recorded_by"),
    ("absences", "updated_by"),
    ("attendance_sheets", "uploaded_by"),
    ("attestation_invitations", "created_by"),
    ("attestation_invitations", "redeemed_person_id"),
    ("attestation_invitations", "revoked_by"),
    ("attestations", "invitation_id"),
    ("attestations", "person_id"),
    ("audit_log", "actor_id"),
    ("bilans", "cancelled_by"),
    ("bilans", "created_by"),
    ("chat_identities", "person_id"),
    ("deadlines", "done_by"),
    ("deadlines", "postponed_by"),
    ("entretiens", "compte_rendu_id"),
    ("entretiens", "created_by"),
    ("followup_contacts", "proof_id"),
    ("followup_contacts", "recorded_by"),
    ("followup_signs", "recorded_by"),
    ("followups", "closed_by"),
    ("followups", "opened_by"),
    ("formation_sessions", "formation_id"),
    ("invitations", "created_by"),
    ("invitations", "organisation_id"),
    ("invitations", "used_by"),
    ("memberships", "person_id"),
    ("proof_sendings", "requested_by"),
    ("quality_tickets", "created_by"),
    ("quality_tickets", "formation_id"),
    ("quality_tickets", "trainee_id"),
    ("stored_documents", "created_by"),
)
"""(table, column) of the foreign keys that had no index."""


def upgrade() -> None:
    for table, column in FOREIGN_KEYS:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in reversed(FOREIGN_KEYS):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
