"""Evidence you can check without trusting the database.

Attestations gain the bilan's dates as their text names them, their link in
the bilan's chain (previous hash, own hash), their Ed25519 signature and the
key's fingerprint; a unique (bilan, previous hash) forbids two answers
chained to the same one.  ``attestation_reviews`` holds the trainer's
decision on a flagged answer.  A trigger, on SQLite and PostgreSQL, refuses
any ``UPDATE`` of an attestation's signed columns (the foreign keys set to
NULL when a person or an invitation goes are not among them).

Revision ID: 0012_evidence
Revises: 0014_bilan_participants
Create Date: 2026-12-01 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision: str = "0012_evidence"
down_revision: str | None = "0014_bilan_participants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a later change of the model must not rewrite this revision).
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


def create_frozen_trigger() -> None:
    """The database itself refuses to rewrite an attestation (SQLite and PostgreSQL)."""
    columns = ", ".join(SIGNED)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION attestations_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER attestations_frozen BEFORE UPDATE OF {columns} ON attestations "
            "FOR EACH ROW EXECUTE FUNCTION attestations_frozen()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER attestations_frozen BEFORE UPDATE OF {columns} ON attestations "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def drop_frozen_trigger() -> None:
    op.execute(
        "DROP TRIGGER IF EXISTS attestations_frozen"
        + (" ON attestations" if op.get_bind().dialect.name == "postgresql" else "")
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS attestations_frozen()")


def upgrade() -> None:
    with op.batch_alter_table("attestations") as batch:
        batch.add_column(sa.Column("bilan_starts_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("bilan_ends_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("previous_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("chain_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("signature", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("key_sha256", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            "uq_attestations_bilan_id_previous_sha256", ["bilan_id", "previous_sha256"]
        )
    op.create_table(
        "attestation_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("bilan_id", sa.Integer(), nullable=False),
        sa.Column("attestation_id", sa.Integer(), nullable=False),
        sa.Column("concern", sa.String(length=10), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attestation_id"],
            ["attestations.id"],
            name=op.f("fk_attestation_reviews_attestation_id_attestations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["bilan_id"],
            ["bilans.id"],
            name=op.f("fk_attestation_reviews_bilan_id_bilans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["people.id"],
            name=op.f("fk_attestation_reviews_decided_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_attestation_reviews_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attestation_reviews")),
        sa.UniqueConstraint(
            "attestation_id",
            "concern",
            name=op.f("uq_attestation_reviews_attestation_id_concern"),
        ),
    )
    with op.batch_alter_table("attestation_reviews") as batch:
        for column in ("attestation_id", "bilan_id", "decided_by", "organisation_id"):
            batch.create_index(batch.f(f"ix_attestation_reviews_{column}"), [column], unique=False)
    create_frozen_trigger()


def downgrade() -> None:
    drop_frozen_trigger()
    op.drop_table("attestation_reviews")
    with op.batch_alter_table("attestations") as batch:
        batch.drop_constraint("uq_attestations_bilan_id_previous_sha256", type_="unique")
        for column in (
            "key_sha256",
            "signature",
            "chain_sha256",
            "previous_sha256",
            "bilan_ends_at",
            "bilan_starts_at",
        ):
            batch.drop_column(column)
