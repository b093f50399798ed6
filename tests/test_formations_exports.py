"""The formations and trainees tables, built without the CLI."""

from __future__ import annotations

from datetime import date

from bot.formations import exports
from bot.storage.db import Database
from tests.auxil.formations import a_formation, cast


async def test_rows_of_one_organisation_or_all(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        mine = await a_formation(session, people.formateur, cm_name="Mme Sophie Leroy")
        await a_formation(session, people.outsider, title="Ailleurs")
    async with db.sessions() as session:
        rows = await exports.formations(session, people.formateur.organisation_id)
        assert len(rows) == 1
        row = rows[0]
        assert set(row) == set(exports.FORMATION_COLUMNS)
        assert (row["id"], row["organisme"], row["intitule"], row["financeur"]) == (
            mine.id,
            "Forma Plus",
            "Agent de restauration",
            "normandie",
        )
        assert (row["debut"], row["fin"], row["stagiaires"]) == (
            date(2026, 12, 1),
            date(2027, 6, 15),
            2,
        )
        assert row["charge_de_mission"] == "Mme Sophie Leroy"
        assert [r["intitule"] for r in await exports.formations(session)] == [
            "Agent de restauration",
            "Ailleurs",
        ]

        trainees = await exports.trainees(session, people.formateur.organisation_id)
        assert [(t["nom"], t["entreprise"], t["delegue"]) for t in trainees] == [
            ("Karim Benali", None, False),
            ("Marie Dupont", "Boulangerie Martin", True),
        ]
        assert all(set(t) == set(exports.TRAINEE_COLUMNS) for t in trainees)
        assert len(await exports.trainees(session)) == 4
