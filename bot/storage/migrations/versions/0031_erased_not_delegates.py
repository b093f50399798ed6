"""Trainees erased before an erasure cleared the delegate flag no longer represent anyone.

Since ``/effacer`` clears ``is_delegate`` itself, a pseudonym (« Personne
effacée n° 12 ») stays flagged only where it was erased before: counts of
delegates and exports would still count it.  The pseudonym carries the row's
own id, so a name typed by a trainer never matches it by chance.  Nothing to
undo: the flag of an erased person is not restored.

Revision ID: 0031_erased_not_delegates
Revises: 0030_erased_invitations
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_erased_not_delegates"
down_revision: str | None = "0030_erased_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The erasure's pseudonym as it was written (bot.storage.formations.ERASED_NAME), kept here:
# a migration does not follow later changes of the code.
PSEUDONYM = "Personne effacée n° {id}"

trainees = sa.table(
    "trainees",
    sa.column("id", sa.Integer),
    sa.column("full_name", sa.String),
    sa.column("is_delegate", sa.Boolean),
)


def upgrade() -> None:
    connection = op.get_bind()
    flagged = connection.execute(
        sa.select(trainees.c.id, trainees.c.full_name).where(
            trainees.c.is_delegate.is_(True),
            trainees.c.full_name.like(PSEUDONYM.format(id="%")),
        )
    ).all()
    erased = [row.id for row in flagged if row.full_name == PSEUDONYM.format(id=row.id)]
    if erased:
        connection.execute(
            trainees.update().where(trainees.c.id.in_(erased)).values(is_delegate=False)
        )


def downgrade() -> None:
    pass
