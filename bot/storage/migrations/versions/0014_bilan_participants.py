"""A bilan's participants after scheduling: a derogation recorded, a removal, a no-show;
and a visio link promised for later.

- ``derogation_by`` / ``derogation_on`` / ``derogation_how``: a trainee who is
  not a delegate joins a remote Normandie bilan with the chargé(e) de
  mission's agreement (000 §I), recorded: who, when, how;
- ``removed_at`` / ``removed_by``: a participant taken off the bilan after
  scheduling keeps its row (its invitations and answers point to it);
- ``no_show_at`` / ``no_show_by``: recorded after the bilan, a participant
  who did not come; the proofs are complete without them;
- ``bilans.visio_link_later``: the link of a remote bilan will come later
  (NOR-VISIO-LINK asks for it).

Revision ID: 0014_bilan_participants
Revises: 0016_address_form
Create Date: 2026-12-01 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision: str = "0014_bilan_participants"
down_revision: str | None = "0016_address_form"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bilans") as batch:
        batch.add_column(
            sa.Column("visio_link_later", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("bilan_participants") as batch:
        batch.add_column(sa.Column("derogation_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("derogation_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("derogation_how", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("removed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("removed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("no_show_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("no_show_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_bilan_participants_removed_by_people",
            "people",
            ["removed_by"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            "fk_bilan_participants_no_show_by_people",
            "people",
            ["no_show_by"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_bilan_participants_removed_by", ["removed_by"])
        batch.create_index("ix_bilan_participants_no_show_by", ["no_show_by"])


def downgrade() -> None:
    with op.batch_alter_table("bilans") as batch:
        batch.drop_column("visio_link_later")
    with op.batch_alter_table("bilan_participants") as batch:
        batch.drop_index("ix_bilan_participants_no_show_by")
        batch.drop_index("ix_bilan_participants_removed_by")
        batch.drop_constraint("fk_bilan_participants_no_show_by_people", type_="foreignkey")
        batch.drop_constraint("fk_bilan_participants_removed_by_people", type_="foreignkey")
        for column in (
            "no_show_by",
            "no_show_at",
            "removed_by",
            "removed_at",
            "derogation_how",
            "derogation_on",
            "derogation_by",
        ):
            batch.drop_column(column)
