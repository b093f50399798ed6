"""Who sees which formation: a formateur their own, an admin all of their organisation's."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from bot.formations.queries import (
    Member,
    find_formation,
    listed_formations,
    load_formation,
    namesakes,
    title_key,
    visible_formations,
)
from bot.storage.db import Database
from tests.auxil.formations import a_formation, cast
from tests.auxil.organisations import add_organisations


async def test_each_person_sees_what_is_theirs_to_see(db: Database) -> None:
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        older = await a_formation(session, people.formateur, title="Ancienne")
        newer = await a_formation(
            session, people.formateur, title="Récente", start=date(2027, 1, 4)
        )
        theirs = await a_formation(session, people.colleague, title="De Chloé")
        elsewhere = await a_formation(session, people.outsider, title="Ailleurs")

        async def titles(who: Member) -> list[str]:
            found = [f.title for f in await visible_formations(session, who)]
            listed = [f.title for f in await listed_formations(session, who)]
            assert listed == found  # what a list of choices shows: the same, in the same order
            return found

        assert await titles(people.formateur) == ["Récente", "Ancienne"]
        assert await titles(people.colleague) == ["De Chloé"]
        assert await titles(people.admin) == ["Récente", "De Chloé", "Ancienne"]
        assert await titles(people.outsider) == ["Ailleurs"]

        assert await load_formation(session, people.formateur, older.id) is older
        assert await load_formation(session, people.formateur, str(newer.id)) is newer
        assert await load_formation(session, people.admin, theirs.id) is theirs
        for forged in (theirs.id, elsewhere.id, "abc", None, 10_000):
            assert await load_formation(session, people.formateur, forged) is None
        assert await load_formation(session, people.admin, elsewhere.id) is None


async def test_what_a_member_sees_follows_the_database_from_one_turn_to_the_next(
    db: Database,
) -> None:
    """The conditions are kept per member, not the answer: a formation added, one deleted,
    a formatrice made admin are seen at the next question."""
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        first = await a_formation(session, people.formateur, title="Première")

        async def titles(who: Member) -> list[str]:
            return [f.title for f in await visible_formations(session, who)]

        assert await titles(people.formateur) == ["Première"]
        await a_formation(session, people.formateur, title="Seconde", start=date(2027, 1, 4))
        assert await titles(people.formateur) == ["Seconde", "Première"]
        first.deleted_at = first.created_at
        await session.flush()
        assert await titles(people.formateur) == ["Seconde"]
        await a_formation(session, people.colleague, title="De Chloé")
        promoted = Member(people.formateur.organisation_id, people.formateur.person_id, True)
        assert await titles(promoted) == ["Seconde", "De Chloé"]
        assert await titles(people.formateur) == ["Seconde"]


async def test_a_list_of_choices_has_each_formation_s_dates_with_its_extension(
    db: Database,
) -> None:
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        extended = await a_formation(session, people.formateur, title="Prolongée")
        extended.extended_end = date(2027, 9, 30)
        await session.flush()
        [listed] = await listed_formations(session, people.formateur)
        assert (listed.id, listed.title, listed.start_date) == (
            extended.id,
            "Prolongée",
            extended.start_date,
        )
        assert listed.effective_end == extended.effective_end == date(2027, 9, 30)


async def test_namesakes_are_the_formations_a_list_would_show_alike(db: Database) -> None:
    """Explorer AD21: the same title, case, accents and signs aside, on dates that meet."""
    async with db.sessions() as session, session.begin():
        people = await cast(session)
        demo = await a_formation(session, people.formateur, title="Agent de restauration (démo)")
        await a_formation(session, people.formateur, title="Agent de restauration, Caen")
        await a_formation(session, people.colleague, title="Agent de restauration (démo)")

        async def found(title: str, start: date, end: date, **how: int) -> list[int]:
            return [
                f.id
                for f in (
                    await namesakes(session, people.formateur, title, start, end, **how)
                ).shown
            ]

        winter = (date(2027, 1, 4), date(2027, 3, 31))
        assert await found("agent de restauration demo", *winter) == [demo.id]
        assert await found("AGENT DE RESTAURATION – DÉMO", *winter) == [demo.id]
        assert await found("Agent de restauration", *winter) == []
        assert await found("Agent de restauration (démo)", *winter, besides=demo.id) == []
        after = (date(2027, 6, 16), date(2027, 9, 30))  # the first ends on 15 June
        assert await found("Agent de restauration (démo)", *after) == []
        assert await found("Agent de restauration (démo)", date(2027, 6, 15), date(2027, 9, 30))
        assert title_key("  Agent  de Restauration (Démo) ") == "agent de restauration demo"


async def test_namesakes_are_read_in_no_order_and_shown_in_the_lists(db: Database) -> None:
    """AQ: the formations meeting the dates are read unsorted (their titles are compared in
    Python, the few ids alike sorted after): asking SQLite for the lists' order sorted every
    row read, a hundred and fifty in ``bench.turns``; the namesakes shown keep that order."""
    sent: list[str] = []

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        sent.append(" ".join(sql.split()))

    async with db.sessions() as session, session.begin():
        people = await cast(session)
        first = await a_formation(session, people.formateur, title="Cariste")
        later = await a_formation(
            session, people.formateur, title="Cariste", start=date(2027, 1, 4)
        )
        event.listen(db.engine.sync_engine, "before_cursor_execute", statement)
        try:
            twins = await namesakes(
                session, people.formateur, "cariste", date(2027, 1, 4), date(2027, 3, 31)
            )
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", statement)
    assert [f.id for f in twins.shown] == [later.id, first.id]  # the lists' order
    meeting = next(s for s in sent if s.startswith("SELECT formations.id, formations.title "))
    assert "ORDER BY" not in meeting


async def test_a_formation_of_another_organisation_is_said_as_such(
    db: Database, demo: None
) -> None:
    """Explorer CB7: « Formation 1 introuvable » for a formation of organisation 1."""
    await add_organisations(db, 1, date(2026, 11, 23))
    async with db.sessions() as session:
        assert (await find_formation(session, 1, 1)) is not None
        with pytest.raises(LookupError) as other:
            await find_formation(session, 1, 2)
        with pytest.raises(LookupError) as unknown:
            await find_formation(session, 999, None)
    assert str(other.value).startswith("La formation 1 n'est pas de l'organisme 2")
    assert str(unknown.value).startswith("Formation 999 introuvable.")
