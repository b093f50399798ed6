"""What a participant wrote under the attestation's text before answering, kept with the answer.

Revision ID: 0041_words_before
Revises: 0040_entretien_cancel
Create Date: 2026-12-06 12:00:00

« oui mais je suis partie à midi » under the text, passed on to the trainer, then « OUI !!! »:
the attestation counted, unflagged, and the words were in no part of the evidence
(explorer GB5).  They are kept on the answer (``words_before``), outside its signed record
(whose keys are fixed), and the database refuses to rewrite them as it refuses the signed
columns: the frozen trigger of ``0012_evidence`` is made again with this column.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041_words_before"
down_revision: str | None = "0040_entretien_cancel"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a later change of the model must not rewrite this revision): 0012's columns.
SIGNED = (
    "bilan_id",
    "participant_id",
    "version",
    "answer",
    "typed_name",
    "role",
    "structure",
    "reason",
    "name_matches",
    "role_matches",
    "text",
    "text_sha256",
    "pdf",
    "pdf_sha256",
    "answered_at",
    "platform",
    "chat_user_id",
    "chat_id",
    "bilan_starts_at",
    "bilan_ends_at",
    "previous_sha256",
    "chain_sha256",
    "signature",
    "key_sha256",
)
MESSAGE = "attestation figée : ajoutez une nouvelle version"


def postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def drop_trigger() -> None:
    """0012's trigger (its function stays, on PostgreSQL)."""
    op.execute(
        "DROP TRIGGER IF EXISTS attestations_frozen" + (" ON attestations" if postgresql() else "")
    )


def create_trigger(columns: Sequence[str]) -> None:
    """The trigger that refuses an ``UPDATE`` of ``columns`` (SQLite and PostgreSQL)."""
    listed = ", ".join(columns)
    if postgresql():
        op.execute(
            f"CREATE TRIGGER attestations_frozen BEFORE UPDATE OF {listed} ON attestations "
            "FOR EACH ROW EXECUTE FUNCTION attestations_frozen()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER attestations_frozen BEFORE UPDATE OF {listed} ON attestations "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def upgrade() -> None:
    drop_trigger()
    op.add_column("attestations", sa.Column("words_before", sa.Text(), nullable=True))
    create_trigger((*SIGNED, "words_before"))


def downgrade() -> None:
    drop_trigger()  # before the column goes: SQLite refuses to drop a column a trigger names
    with op.batch_alter_table("attestations") as batch:
        batch.drop_column("words_before")
    create_trigger(SIGNED)
