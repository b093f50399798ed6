"""« Confier à une autre personne »: one formation handed to a colleague (explorer BD6: only
removing its trainer from the organisation moved a formation, and all hers at once)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.outbox_payload import payload_to_reply
from bot.storage.audit import AuditEntry
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from bot.storage.outbox import OutboxMessage
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import FOR_CHOICES, survives
from tests.test_members import gives_cariste, joins, owned
from tests.test_onboarding import first_admin


async def team(person: Callable[..., Talker], db: Database) -> tuple[Talker, Talker, Talker]:
    """Claire (admin), Bruno and Chloé (formateurs); Bruno in charge of « Cariste »."""
    claire, bruno, chloe = person("claire"), person("bruno"), person("chloe")
    await first_admin(claire)
    await joins(claire, bruno, "Bruno Lefèvre", "Au masculin")
    await joins(claire, chloe, "Chloé Durand", "Au féminin")
    await gives_cariste(db, await owned(db, "Bruno Lefèvre"))
    return claire, bruno, chloe


async def told(db: Database, chat: str) -> list[str]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.key.like("confier:%"), OutboxMessage.chat_id == chat)
            .order_by(OutboxMessage.id)
        )
        return [payload_to_reply(r.payload).text for r in rows]


async def owner_of(db: Database, title: str) -> int:
    async with db.sessions() as session:
        owner = await session.scalar(select(Formation.owner_id).where(Formation.title == title))
        assert owner is not None
        return owner


async def opens_handover(who: Talker) -> None:
    await who.says("/formations")
    if "Quelle formation" in who.last:
        await who.presses("Cariste")
    await who.presses("Confier à une autre personne")


async def test_a_trainer_hands_her_formation_to_a_colleague_and_no_longer_sees_it(
    db: Database, person: Callable[..., Talker]
) -> None:
    _claire, bruno, chloe = await team(person, db)
    await opens_handover(bruno)
    assert bruno.last.startswith(
        "À qui confier « Cariste » ? Ses échéances, ses rappels et les réponses des "
        "participants iront à cette personne."
    )
    assert bruno.buttons == ["Chloé Durand", "Claire Martin"]  # not himself, in charge of it
    await survives(db, bruno, FOR_CHOICES)
    await bruno.presses("Chloé Durand")
    assert (
        bruno.last
        == "Confier « Cariste » à Chloé Durand ? Vous ne la verrez plus dans /formations."
    )
    await survives(db, bruno, FOR_CHOICES)
    await bruno.presses("Oui, confier")
    assert bruno.last == (
        "C'est fait : Chloé Durand a désormais la charge de « Cariste » ; un message l'en avertit."
    )
    assert await owner_of(db, "Cariste") == await owned(db, "Chloé Durand")
    (to_chloe,) = await told(db, "chloe")
    assert to_chloe.startswith(
        "Bruno Lefèvre vous confie la formation « Cariste » : ses échéances, ses rappels et les "
        "réponses des participants vous reviennent désormais"
    )
    assert await told(db, "bruno") == [] and await told(db, "claire") == []
    await bruno.says("/formations")  # the menu closed behind him, and the formation is gone
    assert "Cariste" not in bruno.all_text
    await chloe.says("/formations")
    assert "Que voulez-vous faire de « Cariste » ?" in chloe.last or any(
        "Cariste" in b for b in chloe.buttons
    )
    async with db.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "hand_over"))
    assert entry is not None
    assert entry.details == {
        "previous_owner_id": await owned(db, "Bruno Lefèvre"),
        "owner_id": await owned(db, "Chloé Durand"),
    }


async def test_an_administrator_hands_a_colleague_s_formation_and_both_are_told(
    db: Database, person: Callable[..., Talker]
) -> None:
    claire, _bruno, _chloe = await team(person, db)
    await opens_handover(claire)
    assert claire.buttons == ["Chloé Durand", "Claire Martin (vous)"]
    await claire.presses("Chloé Durand")
    assert claire.last == "Confier « Cariste » à Chloé Durand ?"  # she still sees it
    await claire.presses("Oui, confier")
    assert "C'est fait : Chloé Durand a désormais la charge de « Cariste »" in claire.all_text
    assert claire.last.startswith("Que voulez-vous faire de « Cariste » ?")  # the menu again
    await claire.presses("Voir le détail")
    assert "En charge : Chloé Durand" in claire.all_text
    (to_bruno,) = await told(db, "bruno")
    assert to_bruno.startswith(
        "Claire Martin a confié la formation « Cariste » à Chloé Durand : ses échéances, ses "
        "rappels et les réponses des participants vont désormais à cette personne."
    )
    (to_chloe,) = await told(db, "chloe")
    assert to_chloe.startswith("Claire Martin vous confie la formation « Cariste »")


async def test_saying_no_keeps_the_formation_where_it_was(
    db: Database, person: Callable[..., Talker]
) -> None:
    _claire, bruno, _chloe = await team(person, db)
    await opens_handover(bruno)
    await bruno.presses("Chloé Durand")
    await bruno.presses("Non")
    assert "D'accord, rien n'a changé." in bruno.all_text
    assert bruno.last == "Que voulez-vous faire de « Cariste » ?"  # back to the menu
    assert await owner_of(db, "Cariste") == await owned(db, "Bruno Lefèvre")
    assert await told(db, "chloe") == []


async def test_the_colleague_chosen_who_left_meanwhile_changes_nothing(
    db: Database, person: Callable[..., Talker]
) -> None:
    claire, bruno, _chloe = await team(person, db)
    await opens_handover(bruno)
    await bruno.presses("Chloé Durand")
    await claire.says("/membres")  # Chloé leaves before Bruno confirms
    await claire.presses("Chloé Durand")
    await claire.presses("Retirer de l'organisme")
    await claire.presses("Oui, confirmer")
    await bruno.presses("Oui, confier")
    assert (
        "Cette personne ne fait plus partie de l'organisme : rien n'a changé. Choisissez de "
        "nouveau « Confier à une autre personne »."
    ) in bruno.all_text
    assert await owner_of(db, "Cariste") == await owned(db, "Bruno Lefèvre")


async def test_alone_in_the_organisation_the_trainer_is_told_whom_to_invite(
    db: Database, person: Callable[..., Talker]
) -> None:
    claire = person("claire")
    await first_admin(claire)
    await gives_cariste(db, await owned(db, "Claire Martin"))
    await opens_handover(claire)
    assert "Personne d'autre ne fait partie de l'organisme pour l'instant : invitez d'abord" in (
        claire.all_text
    )
    assert claire.last.startswith("Que voulez-vous faire de « Cariste » ?")


async def test_the_menu_shows_every_entry_at_once_with_its_way_out(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Ten entries: a menu is never paged (« Supprimer » and « Terminé » were on page 2)."""
    _claire, bruno, _chloe = await team(person, db)
    await bruno.says("/formations")
    if "Quelle formation" in bruno.last:
        await bruno.presses("Cariste")
    assert bruno.buttons == [
        "Voir le détail",
        "Modifier la formation",
        "Modifier les dates",
        "Ajouter des stagiaires",
        "Retirer un stagiaire",
        "Entrées et sorties, nom d'un stagiaire",
        "Choisir les délégués",
        "Confier à une autre personne",
        "Supprimer la formation",
        "Terminé",
    ]
    await bruno.says("10")
    assert bruno.last == "Très bien. À tout moment : /formations."


async def test_an_administrator_taking_it_herself_is_spoken_to_as_such(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer DF9: « Claire Martin a désormais la charge … ; un message l'en avertit » to
    Claire herself, and « Claire Martin a confié … à Claire Martin » to the former trainer."""
    claire, _bruno, _chloe = await team(person, db)
    await opens_handover(claire)
    await claire.presses("Claire Martin (vous)")
    assert claire.last == "Prendre vous-même la charge de « Cariste » ?"
    await claire.presses("Oui, confier")
    assert "C'est fait : vous avez désormais la charge de « Cariste »." in claire.all_text
    (to_bruno,) = await told(db, "bruno")
    assert to_bruno.startswith("Claire Martin a repris la formation « Cariste » : ")
    # « lui vont désormais » read as « lui conviennent » (explorer AI16).
    assert to_bruno.endswith("les réponses des participants lui reviennent désormais.")
    assert await told(db, "claire") == []


async def test_the_formation_is_named_apart_and_its_bilan_said_to_the_one_who_takes_it(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorers EA4 and ED3: Chloé, who had a « Cariste » of her own, was handed « Cariste »
    without its start day, and nobody told her a bilan of it was scheduled."""
    _claire, bruno, _chloe = await team(person, db)
    chloe_id = await owned(db, "Chloé Durand")
    async with db.sessions() as session, session.begin():
        bruno_s = await session.scalar(select(Formation).where(Formation.title == "Cariste"))
        assert bruno_s is not None
        session.add(
            Formation(
                organisation_id=bruno_s.organisation_id,
                owner_id=chloe_id,
                title="Cariste",
                funder="autre",
                start_date=date(2027, 1, 4),
                end_date=date(2027, 4, 2),
            )
        )
        starts = datetime(2027, 2, 25, 14, 0, tzinfo=UTC)
        session.add(
            Bilan(
                organisation_id=bruno_s.organisation_id,
                formation_id=bruno_s.id,
                kind="fin",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
            )
        )
    await opens_handover(bruno)
    assert bruno.last.startswith("À qui confier « Cariste (mardi 1er décembre 2026) » ?")
    await bruno.presses("Chloé Durand")
    assert bruno.last.startswith("Confier « Cariste (mardi 1er décembre 2026) » à Chloé Durand ?")
    await bruno.presses("Oui, confier")
    (to_chloe,) = await told(db, "chloe")
    assert to_chloe.startswith(
        "Bruno Lefèvre vous confie la formation « Cariste (mardi 1er décembre 2026) » :"
    )
    assert to_chloe.endswith(
        "Déjà programmé : le bilan de fin de formation du jeudi 25 février 2027 à 15 h 00 "
        "(/bilans)."
    )


async def test_a_recap_under_way_for_a_formation_handed_over_says_why_nothing_is_noted(
    db: Database, person: Callable[..., Talker]
) -> None:
    """Explorer EA2: « Enregistrer » pressed after the formation was handed over answered
    « Personne à noter … Pour recommencer, écrivez … », which would fail again."""
    claire, bruno, _chloe = await team(person, db)
    async with db.sessions() as session, session.begin():
        cariste = await session.scalar(select(Formation).where(Formation.title == "Cariste"))
        assert cariste is not None
        cariste.start_date = date(2026, 11, 2)
        session.add(
            Trainee(formation_id=cariste.id, full_name="Karim Benali", name_key="karim benali")
        )
    await bruno.says("Karim absent lundi et mardi")
    assert "Karim Benali" in bruno.last and "Enregistrer" in bruno.buttons
    await opens_handover(claire)
    await claire.presses("Chloé Durand")
    await claire.presses("Oui, confier")
    await bruno.presses("Enregistrer")
    assert bruno.last.startswith(
        "Je n'ai rien noté : les personnes de ce récapitulatif ne sont plus dans vos formations"
    )
    await bruno.says("/formations")
    assert bruno.last.startswith("Vous n'avez aucune formation pour l'instant.")
