"""What the formations hold about a Région's chargée de mission (explorer AX4)."""

from __future__ import annotations

from sqlalchemy import update

from bot.privacy.followed import as_charge_de_mission
from bot.storage.db import Database
from bot.storage.formations import Formation

SOPHIE = "@sophie.leroy:agent.tchap.gouv.fr"


async def test_each_formation_naming_her_says_what_it_holds(db: Database, demo: None) -> None:
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Formation)
            .where(Formation.title == "Agent de restauration (démo)")
            .values(cm_matrix=SOPHIE)
        )
    async with db.sessions() as session:
        [held] = await as_charge_de_mission(session, "matrix", SOPHIE)
        assert (held["organisme"], held["formation"]) == (
            "Organisme de démonstration",
            "Agent de restauration (démo)",
        )
        assert held["identifiant Matrix"] == SOPHIE and held["réponses aux invitations"] == []
        # Another platform, or someone the formations do not name: nothing.
        assert await as_charge_de_mission(session, "telegram", SOPHIE) == []
        assert await as_charge_de_mission(session, "matrix", "@paul:example.org") == []
