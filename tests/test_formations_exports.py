"""The formations and trainees tables, built without the CLI."""

from __future__ import annotations

from datetime import date

from bot.formations import exports
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.absences import add_formation
from tests.auxil.dialogue import Person
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


async def test_trainees_are_listed_by_surname_everywhere(db: Database, trainer: Person) -> None:
    """Issue 11 item 24: Élodie Étienne between Dupont and Fabre, in the chat, the pickers,
    the stored list and the export, whatever the order they were typed in."""
    typed = ("Paul Fabre", "Élodie Étienne", "Marie Dupont", "Zoé Abel")
    formation_id = await add_formation(db, title="Cuisine", trainees=typed)
    expected = ["Zoé Abel", "Marie Dupont", "Élodie Étienne", "Paul Fabre"]

    async with db.sessions() as session:
        formation = await session.get(Formation, formation_id)
        assert formation is not None
        assert [t.full_name for t in formation.trainees] == expected
        rows = await exports.trainees(session)
        assert [r["nom"] for r in rows if r["formation_id"] == formation_id] == expected

    await trainer.says("/formations")
    await trainer.presses("Cuisine")
    await trainer.presses("Voir le détail")
    listing = trainer.all_text
    positions = [listing.index(name) for name in expected]
    assert positions == sorted(positions), listing

    await trainer.says("/absence")
    await trainer.presses("Cuisine")
    assert [b for b in trainer.buttons if b in expected] == expected
