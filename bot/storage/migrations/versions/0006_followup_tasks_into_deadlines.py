"""Follow-up tasks and deadlines are one thing: ``followup_tasks`` carried into ``deadlines``.

What a follow-up is due by is dated by the rules (ELY-*), stored as the
formation's deadlines keyed ``<RULE>-<STEP>:followup:<id>``.  Each task
done marks its deadline done with the same ``done_at``/``done_by``; a task
cancelled when its follow-up was closed marks it done at closing, by whoever
closed it (closing keeps the follow-up's history as done).  A deadline the
refresh had already deleted (a closed follow-up) is written back, done, from
the task.  Tasks the rules have no step for (``equipe``: part of the regard
croisé; ``avenant``) and open tasks (the rules' open deadline stands for
them) are not carried.  Then ``followup_tasks`` is dropped.

Downgrade recreates the empty table (the tasks are not rebuilt).

Revision ID: 0006_followup_deadlines
Revises: 0005_merge
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0006_followup_deadlines"
down_revision: str | None = "0005_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STEPS = {
    "contact": "CONTACT",
    "entretien": "ENTRETIEN",
    "regard_croise": "REGARD-CROISE",
    "compte_rendu": "COMPTE-RENDU",
    "solution": "SOLUTION",
    "livret": "LIVRET",
    "ticket": "TICKET",
}
"""A task's step → the rules' step of the same follow-up."""
SOURCE = "procédure Elycoop, prévention des ruptures de parcours (003 §2)"

UTC = bot.storage.base.UTCDateTime

tasks = sa.table(
    "followup_tasks",
    sa.column("id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("formation_id", sa.Integer()),
    sa.column("followup_id", sa.Integer()),
    sa.column("rule_id", sa.String()),
    sa.column("step", sa.String()),
    sa.column("title", sa.String()),
    sa.column("due_on", sa.Date()),
    sa.column("due_at", UTC()),
    sa.column("done_at", UTC()),
    sa.column("done_by", sa.Integer()),
    sa.column("cancelled_at", UTC()),
    sa.column("created_at", UTC()),
)
followups = sa.table(
    "followups",
    sa.column("id", sa.Integer()),
    sa.column("closed_by", sa.Integer()),
)
deadlines = sa.table(
    "deadlines",
    sa.column("id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("formation_id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("rule_id", sa.String()),
    sa.column("subject", sa.String()),
    sa.column("subject_id", sa.Integer()),
    sa.column("due_on", sa.Date()),
    sa.column("due_at", UTC()),
    sa.column("title", sa.String()),
    sa.column("explanation", sa.Text()),
    sa.column("source", sa.String()),
    sa.column("audience", sa.String()),
    sa.column("postponable", sa.Boolean()),
    sa.column("status", sa.String()),
    sa.column("done_at", UTC()),
    sa.column("done_by", sa.Integer()),
    sa.column("created_at", UTC()),
    sa.column("updated_at", UTC()),
)


def upgrade() -> None:
    bind = op.get_bind()
    found = bind.execute(
        sa.select(tasks, followups.c.closed_by)
        .join(followups, followups.c.id == tasks.c.followup_id)
        .order_by(tasks.c.id)
    ).all()
    for task in found:
        step = STEPS.get(task.step)
        if step is None:
            continue
        if task.done_at is not None:
            done_at, done_by = task.done_at, task.done_by
        elif task.cancelled_at is not None:
            done_at, done_by = task.cancelled_at, task.closed_by
        else:
            continue
        key = f"{task.rule_id}-{step}:followup:{task.followup_id}"
        existing = bind.execute(
            sa.select(deadlines.c.id, deadlines.c.status).where(
                deadlines.c.formation_id == task.formation_id, deadlines.c.key == key
            )
        ).first()
        if existing is not None:
            if existing.status != "done":
                bind.execute(
                    deadlines.update()
                    .where(deadlines.c.id == existing.id)
                    .values(status="done", done_at=done_at, done_by=done_by, updated_at=done_at)
                )
            continue
        bind.execute(
            deadlines.insert().values(
                organisation_id=task.organisation_id,
                formation_id=task.formation_id,
                key=key,
                rule_id=task.rule_id,
                subject="followup",
                subject_id=task.followup_id,
                due_on=task.due_on,
                due_at=task.due_at,
                title=task.title,
                explanation=task.title,
                source=SOURCE,
                audience="formateur",
                postponable=True,
                status="done",
                done_at=done_at,
                done_by=done_by,
                created_at=task.created_at,
                updated_at=done_at,
            )
        )
    with op.batch_alter_table("followup_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_tasks_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_followup_tasks_followup_id"))
        batch_op.drop_index(batch_op.f("ix_followup_tasks_due_on"))
    op.drop_table("followup_tasks")


def downgrade() -> None:
    op.create_table(
        "followup_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("formation_id", sa.Integer(), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=20), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.Column("done_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", bot.storage.base.UTCDateTime(), nullable=True),
        sa.Column("created_at", bot.storage.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["done_by"],
            ["people.id"],
            name=op.f("fk_followup_tasks_done_by_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["followup_id"],
            ["followups.id"],
            name=op.f("fk_followup_tasks_followup_id_followups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["formation_id"],
            ["formations.id"],
            name=op.f("fk_followup_tasks_formation_id_formations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_followup_tasks_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_tasks")),
        sa.UniqueConstraint("key", name=op.f("uq_followup_tasks_key")),
    )
    with op.batch_alter_table("followup_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_tasks_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_followup_tasks_followup_id"), ["followup_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_followup_tasks_organisation_id"), ["organisation_id"], unique=False
        )
