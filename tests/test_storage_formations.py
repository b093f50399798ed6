"""A formation's trainees, kept sorted by surname however many there are and however added."""

from __future__ import annotations

import random

from bot.answers import by_surname
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.absences import add_formation

GIVEN = (
    "Élodie",
    "Marie",
    "Karim",
    "Zoé",
    "Paul",
    "Inès",
    "Lucas",
    "Nora",
    "Anne",
    "Hugo",
    "Léa",
    "Omar",
    "Chloé",
    "Yanis",
    "Julie",
)
SURNAMES = (
    "Étienne",
    "Dupont",
    "Benali",
    "de Lattre",
    "Abel",
    "Fabre",
    "Ørsted",
    "Petit",
    "Martin",
    "Leroy",
    "Roux",
    "Nguyen",
    "Lefèvre",
    "Girard",
    "Mercier",
    "Bonnet",
    "Dubois",
    "Lambert",
    "Fontaine",
    "Chevalier",
)


def names() -> list[str]:
    """300 people, a seventh of them typed « NOM Prénom », in a shuffled order."""
    made = [
        f"{surname.upper()} {given}" if n % 7 == 0 else f"{given} {surname}"
        for n, (given, surname) in enumerate((g, s) for g in GIVEN for s in SURNAMES)
    ]
    random.Random(4).shuffle(made)
    return made


async def test_three_hundred_trainees_come_back_sorted_by_surname(db: Database, demo: None) -> None:
    typed = names()
    formation_id = await add_formation(db, title="Grand groupe", trainees=tuple(typed))
    async with db.sessions() as session:
        formation = await session.get(Formation, formation_id)
        assert formation is not None
        assert [t.full_name for t in formation.trainees] == sorted(typed, key=by_surname)


def test_a_trainee_added_later_takes_their_place_in_the_list() -> None:
    formation = Formation(trainees=[])
    for name in ("Paul Fabre", "Marie Dupont", "Zoé Abel", "DUPONT Anne", "Élodie Étienne"):
        formation.trainees.append(Trainee(full_name=name, name_key=name.lower()))
    assert [t.full_name for t in formation.trainees] == [
        "Zoé Abel",
        "DUPONT Anne",
        "Marie Dupont",
        "Élodie Étienne",
        "Paul Fabre",
    ]
