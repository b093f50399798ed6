"""Migration 0006: follow-up tasks carried into the deadlines, on a database holding data.

Upgrade to 0005 (the tasks table still there), store follow-ups, their tasks
and some deadlines, upgrade to head, then read what the deadlines say.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from sqlalchemy import insert, inspect, select, text

from bot.storage.absences import FollowUp
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from tests.auxil.migrations import empty, old_formation, old_trainee, upgrade

__all__ = ["empty"]

T1 = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
T2 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
T3 = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
T4 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


TASK = text(
    "INSERT INTO followup_tasks (key, organisation_id, formation_id, followup_id, rule_id,"
    " step, title, due_on, due_at, done_at, done_by, cancelled_at, created_at) VALUES"
    " (:key, :org, :formation, :followup, :rule, :step, :title, :due_on, NULL, :done_at,"
    " :done_by, :cancelled_at, :created_at)"
)


def naive(moment: datetime | None) -> datetime | None:
    """As the UTC columns store it."""
    return moment.replace(tzinfo=None) if moment else None


async def test_done_tasks_become_done_deadlines_then_the_table_goes(empty: Database) -> None:
    await upgrade(empty, "0005_merge")
    async with empty.sessions() as session, session.begin():
        old = await old_formation(session, at=datetime(2026, 9, 1, tzinfo=UTC))
        org_id, camille_id, formation_id = old.organisation, old.owner, old.formation
        trainee_id = await old_trainee(
            session, formation_id, "Léa Martin", at=datetime(2026, 9, 1, tzinfo=UTC)
        )

        async def followup(path: str, **more: object) -> SimpleNamespace:
            """A follow-up with the columns of 0005 only (``sign_on`` came later)."""
            inserted = await session.scalar(
                insert(FollowUp)
                .values(
                    organisation_id=org_id,
                    formation_id=formation_id,
                    trainee_id=trainee_id,
                    path=path,
                    procedure_applies=True,
                    opened_by=camille_id,
                    opened_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
                    **more,
                )
                .returning(FollowUp.id)
            )
            return SimpleNamespace(id=inserted)

        short = await followup("short")
        long = await followup("long", closed_at=T3, closed_by=camille_id)
        team = await followup("bilan_comp", cause="difficulty", closed_at=T4, closed_by=camille_id)
        for step in ("CONTACT", "TICKET"):  # the open follow-up's deadlines, as refreshed
            # Only the columns of 0005 (``detail`` came later).
            await session.execute(
                insert(StoredDeadline).values(
                    organisation_id=org_id,
                    formation_id=formation_id,
                    key=f"ELY-SHORT-{step}:followup:{short.id}",
                    rule_id="ELY-SHORT",
                    subject="followup",
                    subject_id=short.id,
                    due_on=date(2026, 11, 24),
                    title=step.title(),
                    explanation="…",
                    source="procédure Elycoop",
                    audience="formateur",
                    postponable=True,
                    status="open",
                )
            )
        ids = {
            "org": org_id,
            "formation": formation_id,
            "camille": camille_id,
            "short": short.id,
            "long": long.id,
            "team": team.id,
        }
        tasks = [
            (short, "ELY-SHORT", "contact", T1, None),
            (short, "ELY-SHORT", "ticket", None, None),
            (long, "ELY-LONG", "entretien", T2, None),
            (long, "ELY-LONG", "compte_rendu", T2, None),
            (long, "ELY-LONG", "ticket", T3, None),
            (team, "ELY-BILAN-DIFF", "equipe", T1, None),
            (team, "ELY-BILAN-DIFF", "regard_croise", None, T4),
            (team, "ELY-BILAN-DIFF", "ticket", None, T4),
        ]
        for owner, rule, step, done_at, cancelled_at in tasks:
            await session.execute(
                TASK,
                {
                    "key": f"followup:{owner.id}:{step}",
                    "org": org_id,
                    "formation": formation_id,
                    "followup": owner.id,
                    "rule": rule,
                    "step": step,
                    "title": f"Tâche {step} de Léa Martin",
                    "due_on": date(2026, 12, 7),
                    "done_at": naive(done_at),
                    "done_by": camille_id if done_at else None,
                    "cancelled_at": naive(cancelled_at),
                    "created_at": naive(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
                },
            )

    await upgrade(empty, "head")

    async with empty.sessions() as session:
        rows = (await session.scalars(select(StoredDeadline))).all()
        tables = await (await session.connection()).run_sync(lambda c: inspect(c).get_table_names())
    assert "followup_tasks" not in tables
    found = {r.key: (r.status, r.done_at, r.done_by) for r in rows}
    camille = ids["camille"]
    assert found == {
        f"ELY-SHORT-CONTACT:followup:{ids['short']}": ("done", T1, camille),
        f"ELY-SHORT-TICKET:followup:{ids['short']}": ("open", None, None),
        f"ELY-LONG-ENTRETIEN:followup:{ids['long']}": ("done", T2, camille),
        f"ELY-LONG-COMPTE-RENDU:followup:{ids['long']}": ("done", T2, camille),
        f"ELY-LONG-TICKET:followup:{ids['long']}": ("done", T3, camille),
        f"ELY-BILAN-DIFF-REGARD-CROISE:followup:{ids['team']}": ("done", T4, camille),
        f"ELY-BILAN-DIFF-TICKET:followup:{ids['team']}": ("done", T4, camille),
    }
    written = next(r for r in rows if r.key.startswith("ELY-LONG-ENTRETIEN"))
    assert (written.subject, written.subject_id, written.formation_id) == (
        "followup",
        ids["long"],
        ids["formation"],
    )
    assert written.title == "Tâche entretien de Léa Martin" and written.due_on == date(2026, 12, 7)
