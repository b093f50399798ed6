"""Each bilan of an access document said in words beside its number (explorer AH12)."""

from __future__ import annotations

from typing import Any

from bot.privacy.bilan_names import NUMBER, name_the_bilans
from bot.storage.db import Database
from tests.auxil.attestations import schedule_bilan
from tests.auxil.dialogue import Person


async def test_every_part_says_which_bilan_and_an_unknown_number_is_left(
    db: Database, trainer: Person
) -> None:
    bilan_id = await schedule_bilan(trainer)
    held: dict[str, Any] = {
        "participations aux bilans": [{NUMBER: bilan_id}],
        "invitations reçues": [{NUMBER: bilan_id}, {NUMBER: 999}],
        "attestations données": [],
        "personne": {"nom": "Léa Martin"},
    }
    async with db.sessions() as session:
        await name_the_bilans(session, held)
        await name_the_bilans(session, {"invitations reçues": []})  # nothing to name
    [taking] = held["participations aux bilans"]
    assert taking["quel bilan"].startswith("bilan de fin de formation du jeudi 26 novembre 2026")
    known, unknown = held["invitations reçues"]
    assert known["quel bilan"] == taking["quel bilan"] and "quel bilan" not in unknown
    assert held["personne"] == {"nom": "Léa Martin"}
