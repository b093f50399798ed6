"""The demo organisation a newcomer loads: formations that look like real ones."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from bot import demo
from bot.storage.absences import Absence
from bot.storage.base import Base
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import Membership, no_organisation, only_the_demo
from bot.storage.people import Person as Account
from bot.storage.state import ConversationState
from tests.auxil.attestations import add_colleague
from tests.auxil.dialogue import Person
from tests.test_bilan import schedule


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2026, 11, 28), date(2027, 3, 1)])
async def test_formations_start_on_a_monday_and_end_on_a_friday(db: Database, today: date) -> None:
    """Whatever day it is loaded, no demo formation starts or ends on a weekend."""
    async with db.sessions() as session:
        await demo.fill(session, today=today)
        await session.commit()
        formations = (await session.scalars(select(Formation))).all()
    assert len(formations) == 2
    for formation in formations:
        assert formation.start_date is not None and formation.end_date is not None
        assert formation.start_date.isoweekday() == 1, formation.title
        assert formation.end_date.isoweekday() == 5, formation.title
        assert formation.start_date < today < formation.end_date


async def test_is_empty_until_filled(db: Database) -> None:
    async with db.sessions() as session:
        assert await no_organisation(session)
        await demo.fill(session, today=date(2026, 12, 2))
        assert not await no_organisation(session)


async def test_a_stranger_s_start_on_the_demo_alone_says_how_to_create_one_s_own(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer BC3, BC15: the owner's own /start after `make run` filled the demo was told to
    ask her organisation for an invitation, nothing more."""
    nora = person("nora")
    await nora.says("/start")
    assert nora.all_text.startswith("Je ne vous connais pas encore.")
    assert "cette base ne contient que l'organisme de démonstration" in nora.last
    assert "« formabot demo --retirer »" in nora.last


async def test_the_demo_s_chat_hint_is_typed_as_formabot_was_started(
    trainer: Person, person: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer BE13: after `make run`, the owner's /start said « formabot demo --retirer »,
    which fails as typed (only .venv/bin/formabot exists)."""
    monkeypatch.setattr(sys, "argv", [".venv/bin/formabot", "console", "--as", "nora"])
    nora = person("nora")
    await nora.says("/start")
    assert "le retire avec « .venv/bin/formabot demo --retirer »" in nora.last


async def test_the_demo_s_chat_hint_gives_the_data_folder_the_bot_was_given(
    trainer: Person,
    person: Callable[..., Person],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Explorer EB1: a bot started with `FORMABOT_DATA_DIR=/srv/essai` told the owner to type
    « formabot demo --retirer », which acted on ./data, another base."""
    monkeypatch.chdir(tmp_path)  # no .env naming it
    monkeypatch.setenv("FORMABOT_DATA_DIR", "/srv/essai")
    monkeypatch.setattr(sys, "argv", [".venv/bin/formabot", "run"])
    nora = person("nora")
    await nora.says("/start")
    assert (
        "le retire avec « FORMABOT_DATA_DIR=/srv/essai .venv/bin/formabot demo --retirer »"
        in nora.last
    )


async def test_the_demo_goes_whole_for_the_real_organisation(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer J: a base given the demo by mistake (a service started without its token)
    had no way back; `formabot demo --retirer` empties it, whatever was done in the demo."""
    await schedule(trainer)  # a bilan, its deadlines, its outbox
    await trainer.says("Karim et Julie absents vendredi toute la journée")  # one recap
    await trainer.presses("Enregistrer")
    await trainer.says("/inviter")
    await trainer.presses("Formateur ou formatrice")
    await trainer.says("/decrochage")  # left under way
    async with db.sessions() as session, session.begin():
        assert await session.scalar(select(func.count()).select_from(Absence)) == 2
        assert await only_the_demo(session)
        assert await demo.remove(session) == 1
    async with db.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if {"organisation_id", "formation_id"} & set(table.c.keys()):
                assert await session.scalar(select(func.count()).select_from(table)) == 0, table
        assert await session.scalar(select(func.count()).select_from(Account)) == 0
        assert await session.scalar(select(func.count()).select_from(ConversationState)) == 0
        assert await no_organisation(session)
    # The first /start now creates the real organisation.
    admin = person("nora")
    await admin.says("/start")
    assert "fuseau horaire" in admin.all_text or "nom de votre organisme" in admin.all_text


async def test_a_dialogue_under_way_when_the_demo_goes_is_closed_with_a_word(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer V, V3: a colleague who joined the demo, mid-/absence when `formabot demo
    --retirer` ran, got « quelque chose s'est mal passé » at every answer."""
    await add_colleague(db)
    colleague = person("colleague")
    await colleague.says("/echeances")
    await colleague.says("/absence")
    asked = colleague.last
    async with db.sessions() as session, session.begin():
        assert await demo.remove(session) == 1
    await colleague.says("1")
    said = colleague.all_text
    assert said.startswith(
        "J'ai refermé « noter une absence ou un retard » : vous ne faites plus partie de "
        "l'organisme concerné : votre accès a été retiré."
    )
    assert "mal passé" not in said and asked not in said
    async with db.sessions() as session:
        assert (
            await session.scalar(
                select(ConversationState.flow).where(ConversationState.user_id == "colleague")
            )
            is None
        )
    await colleague.says("/aide")  # answered as anyone in no organisation
    assert "mal passé" not in colleague.all_text


async def test_a_colleague_of_the_demo_may_start_the_real_organisation_after_it(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer Y, Y8: a colleague who joined the demo was told, after its removal, « Pour
    reprendre votre attestation sur l'honneur, tapez /attestation », an attestation they
    never had, and could not create the real organisation."""
    await add_colleague(db)
    colleague = person("colleague")
    async with db.sessions() as session, session.begin():
        assert await demo.remove(session) == 1
    await colleague.says("bonjour")
    assert "envoyez /start pour créer le vôtre" in colleague.last
    await colleague.says("/start")
    assert "/attestation" not in colleague.all_text
    assert "créons votre organisme" in colleague.all_text
    await colleague.says("Formation & Avenir")
    await colleague.presses("Paris")
    await colleague.says("Marc Lenoir")
    await colleague.presses("Au masculin")
    assert "Formation & Avenir" in colleague.all_text
    await colleague.says("/start")
    assert colleague.last.startswith("Re-bonjour Marc Lenoir !")


async def test_a_former_member_is_told_so_where_an_organisation_remains(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Known, no member, no participant: no attestation to resume, the way back said."""
    await add_colleague(db)
    colleague = person("colleague")
    async with db.sessions() as session, session.begin():
        await session.execute(delete(Membership).where(Membership.role == "formateur"))
    await colleague.says("/start")
    assert "Vous ne faites plus partie d'aucun organisme" in colleague.last
    assert "/attestation" not in colleague.last
