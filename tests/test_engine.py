"""The engine's promises: one effect per event, clean /annuler and /aide, stale and
forged buttons, expiry, groups, concurrency, and errors that leak nothing."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql

from bot import dates, texts
from bot.absences.rollcall import record_roll
from bot.app import FEATURES, build_engine
from bot.config import Settings
from bot.conversations.absences import batch
from bot.conversations.formations import create as formation_module
from bot.conversations.kit.context import Context
from bot.engine import Engine, Stand
from bot.failures import SPACE
from bot.messages import Incoming, Platform, Reply
from bot.storage.absences import Absence
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.people import ChatIdentity, Membership, Role
from bot.storage.people import Person as PersonRow
from bot.storage.state import ConversationState
from tests.auxil.attestations import codes, schedule_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.disk import fill_the_disk, free_space, space_reset
from tests.auxil.hostile import step_of
from tests.auxil.race import two_processes
from tests.auxil.statements import counting

PARIS = ZoneInfo("Europe/Paris")

README = Path(__file__).resolve().parents[1] / "README.md"


async def count_formations(db: Database) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count(Formation.id))) or 0)


async def test_a_last_answer_typed_twice_is_said_already_taken(
    db: Database, trainer: Person
) -> None:
    """Explorer GD6: « Enregistrer » typed twice at once (a double tap on Matrix or the
    console, a retry with a new id): one absence saved, but the second read « Je ne suis pas
    sûr de ce que vous voulez faire », as if the first had not been understood. It is now
    said to be done already, as a button pressed twice is taken once; anything in between
    and the same word is read afresh."""
    await trainer.says("/absence karim vendredi dernier matin")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Passer")
    first, second = trainer.incoming("Enregistrer"), trainer.incoming("Enregistrer")
    answers = await asyncio.gather(trainer.send(first), trainer.send(second))
    said = sorted(texts.plain(r.text) for replies in answers for r in replies)
    assert len(said) == 2
    assert said[0] == (
        "C'est déjà fait : votre message « Enregistrer » m'est parvenu deux fois, je ne l'ai "
        "pris en compte qu'une fois."
    )
    assert said[1].startswith("C'est noté : Karim Benali")
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(Absence.id))) == 1
    await trainer.says("Enregistrer")  # a third, after that: the idle answer again
    assert trainer.last.startswith("Je ne suis pas sûr de ce que vous voulez faire")


async def test_the_same_event_twice_has_one_effect(db: Database, trainer: Person) -> None:
    await trainer.says("/formation")
    title = trainer.incoming("Formation en double", event_id="update-42")
    first = await trainer.send(title)
    again = await trainer.send(title)
    assert [r.text for r in again] == [r.text for r in first]
    assert await step_of(db, trainer) == ("formation", "kind")

    await trainer.presses("Une formation")
    await trainer.presses("Autre financeur")
    await trainer.presses("Passer")  # which one: not known yet
    await trainer.presses("De date à date")
    await trainer.says("du 1er au 19 décembre 2026")
    await trainer.presses("Oui")
    await trainer.presses("Non")
    await trainer.presses("Courte")
    await trainer.presses("Plus tard")
    before = await count_formations(db)
    save = next(c for r in trainer.replies for c in r.choices if c.label == "Enregistrer")
    press = trainer.incoming(choice=save.data, event_id="update-99")
    await trainer.send(press)
    await trainer.send(press)
    assert await count_formations(db) == before + 1


async def test_help_depends_on_where_you_are(
    trainer: Person, person: Callable[..., Person]
) -> None:
    await trainer.says("/aide")
    assert "/formation" in trainer.last and "/inviter" in trainer.last
    assert "/start" not in trainer.last and "/attestation :" not in trainer.last
    # An admin may erase a trainee: one line says what it does.
    assert "/effacer : effacer les données personnelles d'une personne en formation" in trainer.last
    await trainer.says("/formation")
    await trainer.says("/aide")
    help_text, question = (texts.plain(r.text) for r in trainer.replies)
    assert "créer une formation" in help_text and "/annuler" in help_text
    assert "intitulé" in help_text  # the step's own hint
    assert "Quel est son intitulé ?" in question  # asked again, after the help
    stranger = person("quelquun")
    await stranger.says("/aide")
    assert "invitation" in stranger.last and "/formation" not in stranger.last


async def test_cancel_and_unknown_commands(db: Database, trainer: Person) -> None:
    await trainer.says("/annuler")
    assert "rien en cours" in trainer.last
    await trainer.says("/formation")
    await trainer.says("/nimportequoi")
    assert "Je ne connais pas la commande /nimportequoi" in trainer.all_text
    assert "intitulé" in trainer.last  # the question under way, asked again
    assert await step_of(db, trainer) == ("formation", "title")
    await trainer.says("/annuler")
    assert "annulé" in trainer.last
    await trainer.says("Un texte isolé")
    assert trainer.last.startswith("Je ne suis pas sûr de ce que vous voulez faire.")
    await trainer.says("/formation")  # /stop, what a Telegram bot is told (explorer KE4)
    await trainer.says("/stop")
    assert "annulé" in trainer.last and "Je ne connais pas" not in trainer.all_text
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("/stop")
    assert "rien en cours" in trainer.last
    await trainer.says("Karim absent hier " * 300)  # explorer M: not « pas sûr »: too long
    assert trainer.last.startswith(
        "Votre message est trop long (5\u202f400 caractères, pour 4\u202f000"
    )


async def test_a_file_at_a_choice_is_said_to_be_a_file(db: Database, trainer: Person) -> None:
    """Explorer AC9: a photo sent at a menu (the signed sheet at /attestations) was « Je n'ai
    pas reconnu ce choix »; the question stays, nothing is taken."""
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    await trainer.sends_file("feuille.jpg", "image/jpeg", b"\xff\xd8\xff")
    assert trainer.last.startswith("Je ne prends pas de fichier ni de photo à cette question")
    assert "pas reconnu" not in trainer.all_text
    assert await step_of(db, trainer) == ("formation", "kind")
    await trainer.presses("Une formation")
    assert await step_of(db, trainer) == ("formation", "funder")


async def test_stale_and_forged_buttons_are_answered_politely(
    db: Database, trainer: Person
) -> None:
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    kind_buttons = trainer.replies[-1].choices
    await trainer.presses("Une formation")
    await trainer.presses_data(kind_buttons[1].data)  # "bilan de compétences", from before
    assert "plus ancien" in trainer.last
    assert await step_of(db, trainer) == ("formation", "funder")
    await trainer.says("/annuler")
    await trainer.presses_data(kind_buttons[0].data)
    assert "ancien message" in trainer.last


async def test_a_conversation_expires_after_a_day(
    db: Database, trainer: Person, clock: Clock
) -> None:
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    clock.advance(hours=25)
    await trainer.presses("Une formation")
    assert "j'ai refermé « créer une formation »" in trainer.last
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("/formation")
    assert "intitulé" in trainer.last


async def test_a_started_command_abandons_the_current_one(db: Database, trainer: Person) -> None:
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    await trainer.says("/formations")
    assert "Je mets de côté" in trainer.all_text
    assert await step_of(db, trainer) == ("formations", "formation")


async def test_a_conversation_left_for_another_command_is_taken_up_again(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer O O21: /echeances typed in the middle of /formation dropped every answer;
    it is set aside, /reprendre takes it up where it stood, the two change places, /annuler
    of the other keeps it, and after a day it is gone."""
    await trainer.says("/reprendre")
    assert trainer.last.startswith("Il n'y a rien à reprendre.")
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    await trainer.presses("Une formation")
    question = trainer.last
    await trainer.says("/echeances")
    assert "Je mets de côté « créer une formation », sans rien enregistrer : tapez /reprendre" in (
        trainer.all_text
    )
    assert (await step_of(db, trainer))[0] == "echeances"
    await trainer.says("/reprendre")
    # A list looked through is closed, not set aside in its turn (explorer U U11).
    assert trainer.all_text.startswith("Je reprends « créer une formation » là où vous en étiez.")
    assert "Je mets de côté" not in trainer.all_text
    assert trainer.last == question and await step_of(db, trainer) == ("formation", "funder")
    await trainer.says("/absence")
    await trainer.says("/annuler")  # the absence: the formation stays aside
    await trainer.says("/reprendre")
    assert trainer.last == question
    await trainer.presses("Région Normandie")  # answers go on from there, « Cuisine » kept
    assert await step_of(db, trainer) == ("formation", "mode")
    async with db.sessions() as session:
        [state] = (await session.scalars(select(ConversationState))).all()
    assert state.data["title"] == "Cuisine" and "_aside" not in state.data  # none left
    await trainer.says("Karim absent hier")  # a sentence leaves it too
    await trainer.presses("Non")
    await trainer.says("/reprendre")
    assert "Je reprends « créer une formation »" in trainer.all_text
    await trainer.says("/echeances")
    # How long it waits is said, and reminded to whoever writes meanwhile (explorer AG3).
    until = f"jusqu'au {dates.spell_datetime((clock.now + timedelta(hours=24)).astimezone(PARIS))}"
    assert f"là où vous en étiez ({until})." in trainer.all_text
    await trainer.says("/annuler")
    clock.advance(hours=20)
    await trainer.says("bonjour")
    assert "Vous aviez mis de côté « créer une formation » : tapez /reprendre" in trainer.last
    clock.advance(hours=5)
    await trainer.says("/reprendre")  # lapsed: said once, then forgotten
    assert trainer.last == (
        f"Vous aviez mis de côté « créer une formation » {until} : sans reprise avant, je l'ai "
        "refermé, et rien n'en a été enregistré. Recommencez avec /formation."
    )
    await trainer.says("/reprendre")
    assert trainer.last.startswith("Il n'y a rien à reprendre.")
    await trainer.says("bonjour")
    assert "mis de côté" not in trainer.last


async def test_a_look_at_a_list_never_takes_the_place_of_a_half_typed_dialogue(
    db: Database, trainer: Person
) -> None:
    """Explorer U U11: /echeances between two commands took the one place aside, and the next
    command dropped /formation's answers without a word."""
    await trainer.says("/formation")
    await trainer.says("Formation longue importante")
    await trainer.presses("Une formation")
    question = trainer.last
    await trainer.says("/echeances")
    await trainer.says("/absence karim")
    assert "Je mets de côté" not in trainer.all_text  # the list is closed, not set aside
    await trainer.says("/reprendre")
    assert trainer.all_text.startswith(
        "Je reprends « créer une formation » là où vous en étiez. Je mets de côté « noter une "
        "absence"
    )
    assert trainer.last == question
    # Two dialogues left in turn: the one dropped is said.
    await trainer.says("/bilan")
    assert (
        "Je n'en garde qu'une : « noter une absence ou un retard », mise de côté plus tôt, "
        "est abandonnée." in trainer.all_text
    )
    await trainer.says("/reprendre")
    assert trainer.last == question


async def test_one_deadline_opened_from_the_list_is_a_look_too(
    db: Database, trainer: Person
) -> None:
    """Explorer AA, AA10: one deadline opened from /echeances counted as the dialogue set
    aside, and the next command dropped a half-typed /formation."""
    await trainer.says("/formation")
    await trainer.says("Formation longue importante")
    question = trainer.last
    await trainer.says("/echeances")
    await trainer.says("2")
    assert "Reporter" in trainer.buttons or "✅ Fait" in trainer.buttons, trainer.last
    await trainer.says("/reglages")
    assert "n'en garde qu'une" not in trainer.all_text
    await trainer.says("/reprendre")
    assert trainer.last == question
    # « Reporter » under way is a dialogue: set aside.
    await trainer.says("/echeances")
    await trainer.says("2")
    await trainer.presses("Reporter")
    await trainer.says("/reglages")
    assert "Je mets de côté « voir vos échéances" in trainer.all_text


async def test_leaving_once_saved_says_it_stays_saved(db: Database, trainer: Person) -> None:
    """Explorers A and E: after « C'est noté », /annuler at the follow-up's offer said « C'est
    annulé … n'est pas enregistré », as if the absence were undone."""
    for leave, said in (
        ("/annuler", "D'accord, je n'ouvre rien de plus. Ce qui vient d'être enregistré le reste."),
        ("/echeances", "Ce qui vient d'être enregistré le reste ; je laisse de côté la question"),
    ):
        await trainer.says("/absence nadia vendredi matin")
        await trainer.presses("Oui")
        await trainer.presses("Non")
        await trainer.presses("Passer")
        await trainer.presses("Enregistrer")
        assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
        await trainer.says(leave)
        assert said in trainer.all_text, leave
        assert "n'est pas enregistré" not in trainer.all_text.split("C'est noté")[-1]
        await trainer.says("/annuler")
        async with db.sessions() as session:
            live = select(func.count()).select_from(Absence).where(Absence.deleted_at.is_(None))
            assert await session.scalar(live) == 1
        await trainer.says("/absences")  # one formation holds absences: no question
        await trainer.presses("Nadia Roux")
        await trainer.presses("Supprimer")
        await trainer.presses("Oui")


async def test_an_offer_left_unanswered_a_day_says_what_was_saved_stays(
    trainer: Person, clock: Clock
) -> None:
    """Explorer AF7: twenty days of absence saved, the follow-up's offer left overnight, then
    « rien de ce qui n'avait pas été validé n'est enregistré »: read quickly, noted again."""
    await trainer.says("/absence nadia vendredi matin")
    for label in ("Oui", "Non", "Passer", "Enregistrer"):
        await trainer.presses(label)
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    clock.advance(hours=25)
    await trainer.says("oui")
    assert trainer.all_text == (
        "Sans réponse depuis un moment, j'ai refermé « noter une absence ou un retard » : ce qui "
        "avait été enregistré le reste ; je laisse seulement la question qui suivait."
    )


async def test_the_command_of_what_is_under_way_starts_it_again_saying_so(
    db: Database, trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    """The command of the conversation under way starts it again, up to date; it is not
    said as something abandoned (the outside test: a participant told to send /attestation,
    who already did, read « J'abandonne la saisie en cours »).  To a participant, who is no
    member, nothing is said of « saisie » or « validé » (explorer C): the question again."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.advance(days=3, hours=7, minutes=30)  # the bilan is over
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    for again in ("/attestation", f"/start {invited['Léa Martin']}"):
        lea.replies.clear()
        await lea.says(again)
        assert "Je mets de côté" not in lea.all_text and "Je reprends" not in lea.all_text
        assert "validé" not in lea.all_text
        assert lea.last.startswith("Pour commencer, quel est votre nom complet"), again
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in lea.all_text
    await trainer.says("/formation")
    await trainer.says("/formation")  # the same: started again, saying so
    assert "Je reprends « créer une formation » depuis le début" in trainer.all_text
    await trainer.says("/formations")  # another one, nothing answered: replaced, unsaid (AR3)
    assert "Je mets de côté" not in trainer.all_text
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    await trainer.says("/formations")  # an answer given: set aside
    assert "Je mets de côté « créer une formation »" in trainer.all_text


async def test_a_code_pasted_alone_outside_a_conversation_is_read_as_start(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    """Outside test (item 15): the participant's code alone got the stranger's answer.
    In a group a code is never tried (a wrong one would count against the account)."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea = person("lea")
    await lea.says(f"{invited['Léa Martin']}.")
    assert "Camille Durand vous invite" in lea.all_text
    # The link itself pasted as a message (explorer DB1: « Ouvrez le lien personnel … »).
    other = person("lea-pc")
    await other.says(f"https://t.me/formabot_bot?start={invited['Léa Martin']}")
    assert other.all_text.startswith("Ce lien a déjà été utilisé depuis un autre compte")
    hugo = person("hugo", chat="groupe-7", is_group=True)
    await hugo.says(invited["Hugo Moreau"])
    assert "vous invite" not in hugo.all_text and "pas valable" not in hugo.all_text
    # In a sentence, in his own chat (explorer U U6: told to send the code he had sent).
    alone = person("hugo")
    await alone.says(f"Bonjour, je suis Hugo Moreau, voici mon code : {invited['Hugo Moreau']}")
    assert "Camille Durand vous invite" in alone.all_text
    await trainer.says("/formation")  # inside a conversation, it answers the question
    await trainer.says(invited["Hugo Moreau"])
    assert await step_of(db, trainer) == ("formation", "kind")


async def test_a_sentence_that_answers_nothing_here_starts_what_it_says(
    db: Database, trainer: Person
) -> None:
    """An absence reported while a list waits for a choice: the outside test got « Je n'ai
    pas reconnu ce choix » and the list again; the list is left and the absence noted."""
    await trainer.says("/echeances")
    await trainer.says("Inès absente hier matin")
    assert "Je mets de côté" not in trainer.all_text  # a list is closed, not set aside
    assert "Je n'ai pas reconnu ce choix" not in trainer.all_text
    assert trainer.last.endswith(
        "Noter l'absence d'Inès Garnier, hier matin (dimanche 22 novembre 2026) ?"
    )
    assert (await step_of(db, trainer))[0] == "absence_phrase"
    # Words that start nothing get the question again, and only that: not the commands
    # those words point to, as they would outside a conversation.
    await trainer.says("/echeances")
    await trainer.says("n'importe quoi")
    assert "Je n'ai pas reconnu ce choix" in trainer.last
    await trainer.says("je voudrais créer une nouvelle formation")
    assert "Je n'ai pas reconnu ce choix" in trainer.last
    assert "/formation" not in trainer.all_text
    assert (await step_of(db, trainer))[0] == "echeances"


async def test_no_personal_data_in_a_group(trainer: Person, person: Callable[..., Person]) -> None:
    group = person("formateur", chat="groupe-42", is_group=True)
    await group.says("/formations")
    assert "groupe" in group.last
    assert "Léa Martin" not in group.all_text


async def test_messages_from_many_people_at_once(
    engine: Engine, demo: None, person: Callable[..., Person]
) -> None:
    people = [person(f"visiteur{i}") for i in range(20)]
    await asyncio.gather(*(p.says("/aide") for p in people))
    assert all("invitation" in p.last for p in people)


async def test_one_persons_messages_are_handled_in_order(db: Database, trainer: Person) -> None:
    await trainer.says("/formation")
    await asyncio.gather(
        trainer.send(trainer.incoming("Cuisine du monde")), trainer.send(trainer.incoming("1"))
    )
    assert await step_of(db, trainer) == ("formation", "funder")


async def test_an_unexpected_error_saves_nothing_and_logs_no_personal_data(
    db: Database,
    trainer: Person,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(ctx: object) -> None:
        raise ValueError("Marie Dupont est absente")

    monkeypatch.setattr(formation_module.NEW, "finish", broken)
    await trainer.says("/formation")
    for answer in (
        "Cuisine",
        "1",
        "4",
        "Passer",
        "1",
        "du 1er au 19 décembre 2026",
        "oui",
        "non",
        "1",
        "Marie Dupont",
        "Terminé",
    ):
        await trainer.says(answer)
    before = await count_formations(db)
    with caplog.at_level(logging.DEBUG):
        await trainer.presses("Enregistrer")
    assert "mal passé" in trainer.last, trainer.transcript
    assert await count_formations(db) == before
    assert await step_of(db, trainer) == ("formation", "recap")
    assert "ValueError" in caplog.text
    assert "Marie" not in caplog.text and "Dupont" not in caplog.text


async def test_a_full_disk_is_said_to_the_person_and_once_in_the_log_and_nothing_is_lost(
    db: Database, trainer: Person, caplog: pytest.LogCaptureFixture
) -> None:
    """Explorer R R5: with the disk full, « Enregistrer » got no answer, and the log said only
    « retrying event after OperationalError »; the turn is refused at once, not five times."""
    caplog.set_level(logging.INFO, logger="bot")
    await trainer.says("/formation")
    for answer in (
        *("Cuisine", "1", "4", "Passer", "1", "du 1er au 19 décembre 2026", "oui", "non", "1"),
    ):
        await trainer.says(answer)
    await trainer.says("Marie Dupont")
    await trainer.says("Terminé")
    [save] = [c.data for r in trainer.replies for c in r.choices if c.label == "Enregistrer"]
    before = await count_formations(db)
    await fill_the_disk(db)
    try:
        for _ in range(2):
            await trainer.presses_data(save)
            assert trainer.last == texts.plain(texts.say("common.disk_full")), trainer.transcript
            assert "place sera libérée" in trainer.last
        assert SPACE.full
        assert await count_formations(db) == before
        assert await step_of(db, trainer) == ("formation", "recap")
        assert caplog.text.count("the disk is full") == 1
        assert "retrying event" not in caplog.text
        assert "Marie" not in caplog.text and "Dupont" not in caplog.text
        await free_space(db)
        await trainer.presses_data(save)
        assert await count_formations(db) == before + 1
        assert not SPACE.full
        assert "the database is written again (2 refused for want of space)" in caplog.text
    finally:
        space_reset()


async def test_long_lists_are_paged(db: Database, trainer: Person, clock: Clock) -> None:
    async with db.sessions() as session, session.begin():
        first = await session.scalar(select(Formation))
        assert first is not None
        for i in range(12):
            session.add(
                Formation(
                    organisation_id=first.organisation_id,
                    owner_id=first.owner_id,
                    title=f"Session {i:02d}",
                    funder="autre",
                    mode="dates",
                    kind="formation",
                    start_date=date(2026, 1, 1 + i),
                    end_date=date(2026, 6, 1),
                )
            )
    await trainer.says("/formations")
    assert len(trainer.buttons) == 9 and trainer.buttons[-1].startswith("Suivants")
    await trainer.presses("Suivants")
    assert trainer.replies[-1].edit_previous
    assert "◀ Précédents" in trainer.buttons
    # Numbers run across the pages (9, 10… on page 2); the page turns carry none.
    assert trainer.numbered[0].startswith("9. ") and trainer.numbered[-1] == "– ◀ Précédents"
    await trainer.says("2")  # on page 1: shown there first, never taken unseen
    assert trainer.last.startswith("Le numéro 2 est en page 1 : la voici.")
    assert trainer.numbered[1].startswith("2. ")
    await trainer.says("2")
    assert "Que voulez-vous faire" in trainer.last


async def test_conversation_ttl_is_a_setting(
    db: Database, settings: Settings, clock: Clock, demo: None
) -> None:
    short = build_engine(db, replace(settings, conversation_ttl_hours=1), clock=clock)
    who = Person(short, "formateur")
    await who.says("/formation")
    clock.advance(minutes=90)
    await who.says("Cuisine")
    # Issue 11 item 24: nothing "expired" for someone who had not even answered.
    assert "Sans réponse depuis un moment, j'ai refermé « créer une formation »" in who.last
    assert "expiré" not in who.all_text


async def a_formateur(db: Database, person: Callable[..., Person]) -> Person:
    """Claire, formatrice (not admin) of the demo organisation."""
    async with db.sessions() as s, s.begin():
        claire = PersonRow(display_name="Claire Martin")
        s.add(claire)
        await s.flush()
        s.add(Membership(organisation_id=1, person_id=claire.id, role=Role.FORMATEUR.value))
        s.add(
            ChatIdentity(
                person_id=claire.id, platform="console", user_id="claire", chat_id="claire"
            )
        )
    return person("claire")


async def test_a_refused_admin_command_keeps_the_conversation_under_way(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    claire = await a_formateur(db, person)
    await claire.says("/formation")
    await claire.says("Cuisine")
    question = claire.last
    await claire.says("/reglages")
    assert claire.all_text.startswith("Cette commande est réservée à l'administration")
    assert "Je mets de côté" not in claire.all_text
    assert claire.last == question  # asked again, where she was
    assert await step_of(db, claire) == ("formation", "kind")
    await claire.presses("Une formation")  # the buttons shown again are the current ones
    assert await step_of(db, claire) == ("formation", "funder")


async def test_a_mistyped_command_gets_the_closest_ones(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    await trainer.says("/absense")
    assert trainer.last == "Je ne connais pas la commande /absense. Vouliez-vous dire /absence ?"
    await trainer.says("/formaton")
    assert "Vouliez-vous dire /formation ?" in trainer.last
    await trainer.says("/bilan_")
    assert "Vouliez-vous dire /bilan ?" in trainer.last
    await trainer.says("absense")
    assert trainer.last.startswith("Vouliez-vous dire /absence ?")
    await trainer.says("/zzzz")
    assert "Tapez /aide pour voir celles que je comprends" in trainer.last
    await trainer.says("reglage")
    assert trainer.last.startswith("Vouliez-vous dire /reglages ?")
    claire = await a_formateur(db, person)
    for typed in ("/reglage", "reglage"):  # an admin's command is not suggested to a formatrice
        await claire.says(typed)
        assert "/reglages" not in claire.last


async def test_yes_to_the_closest_command_runs_it_with_the_words_typed_after(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer QB17: « Vouliez-vous dire /absence ? » answered « oui » got « Je ne suis pas
    sûr de ce que vous voulez faire », and « Karim hier » typed after the typo was lost."""
    await trainer.says("/absence Karim hier")
    meant = trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("/absense Karim hier")
    assert trainer.last.endswith("Vouliez-vous dire /absence ?")
    await trainer.says("oui")
    assert trainer.all_text == meant  # as if « /absence Karim hier » had been typed
    assert await step_of(db, trainer) == ("absence", "date")
    await trainer.says("/annuler")
    await trainer.says("/absense")
    await trainer.says("Ouais, merci")
    assert await step_of(db, trainer) == ("absence", "formation")
    await trainer.says("/annuler")
    await trainer.says("/echeance")
    await trainer.says("oui")
    assert "Vouliez-vous dire" not in trainer.all_text
    assert "pas sûr" not in trainer.all_text
    assert await step_of(db, trainer) == ("echeances", "list")
    await trainer.says("/annuler")
    # Only the very next message answers it, and within the hour.
    await trainer.says("/absense Karim hier")
    await trainer.says("merci")
    await trainer.says("oui")
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("/absense Karim hier")
    clock.advance(hours=2)
    await trainer.says("oui")
    assert await step_of(db, trainer) == (None, None)


async def test_no_to_the_closest_command_is_heard(db: Database, trainer: Person) -> None:
    """Explorer UA9: « Vouliez-vous dire /absence ? » answered « non » got « Je ne suis pas sûr
    de ce que vous voulez faire »: the bot's own question, answered, deserves « D'accord »."""
    await trainer.says("/absense Karim vendredi")
    await trainer.says("non")
    assert trainer.last == "D'accord, je n'ouvre rien."
    assert await step_of(db, trainer) == (None, None)
    await trainer.says("non")  # no question pending: as before
    assert trainer.last.startswith("Je ne suis pas sûr de ce que vous voulez faire.")


async def test_any_message_after_the_closest_command_forgets_it(
    db: Database, trainer: Person
) -> None:
    """Explorer SA9: after « Vouliez-vous dire /absence ? », a voice message (not read: « Je ne
    peux pas écouter … ») kept the offer, and the « oui » after it ran /absence Karim hier. Any
    message, read or not — a voice message, a file, a button — forgets it."""
    await trainer.says("/absence Karim hier")
    await trainer.presses("Oui")
    stale = trainer.replies[-1].choices[0].data
    await trainer.says("/annuler")
    others: list[Callable[[], Awaitable[object]]] = [
        lambda: trainer.send(replace(trainer.incoming(""), kind="voice")),
        lambda: trainer.send(replace(trainer.incoming("oui"), kind="edit")),
        lambda: trainer.sends_file("liste.pdf", "application/pdf", b"%PDF-1.4"),
        lambda: trainer.presses_data(stale),
    ]
    for other in others:
        await trainer.says("/absense Karim hier")
        assert trainer.last.endswith("Vouliez-vous dire /absence ?")
        await other()
        await trainer.says("oui")
        assert "Noter" not in trainer.all_text
        assert "J'ai compris" not in trainer.all_text
        assert await step_of(db, trainer) == (None, None)
    # In a dialogue, « oui » answers its question (asked again after the typo).
    await trainer.says("/absence")
    await trainer.says("/absense")
    assert trainer.last.startswith("Dans quelle formation ?")
    await trainer.says("oui")
    assert await step_of(db, trainer) == ("absence", "formation")


async def test_aide_followed_by_a_command_gives_that_command_s_help(trainer: Person) -> None:
    """Explorer QB20's second half: « /aide absence » gave the whole list, its word ignored."""
    for typed in (
        "/aide absence",
        "/aide /absence",
        "/help Absence",
        "/aide pour noter une absence",
    ):
        await trainer.says(typed)
        assert trainer.last == (
            "/absence : noter une absence ou un retard (ex. : /absence Dupont hier matin).\n"
            "Tapez /absence pour commencer. Pendant la saisie, /aide explique la question en "
            "cours et /annuler arrête tout sans rien enregistrer."
        ), typed
    await trainer.says("/aide échéances")
    assert trainer.last.startswith("/echeances : ")
    await trainer.says("/aide annuler")
    assert trainer.last.startswith("/annuler : arrêter la saisie en cours")
    await trainer.says("/aide zorglub")
    assert trainer.last.startswith(
        "Aucune de vos commandes ne s'appelle « zorglub ». Voici ce que je sais faire :\n"
    )
    assert "/formation : " in trainer.last
    await trainer.says("/aide")  # the list, as before
    assert trainer.last.startswith("Voici ce que je sais faire :")


async def test_aide_without_a_slash_is_the_help(trainer: Person) -> None:
    await trainer.says("Aide")
    assert "Voici ce que je sais faire" in trainer.last and "/formation" in trainer.last
    # Open to anyone, and listed for members too (not /start nor /attestation).
    assert "/mesdonnees : recevoir tout ce que formabot garde à votre sujet" in trainer.last
    assert "/start" not in trainer.last and "/attestation :" not in trainer.last
    # Asked for in a sentence (explorer QB20: « Je ne suis pas sûr de ce que vous voulez »).
    for asked in ("tu peux m'aider ?", "Pouvez-vous m'aider ?", "J'ai besoin d'aide"):
        await trainer.says(asked)
        assert "Voici ce que je sais faire" in trainer.last, asked
    await trainer.says("/formation")
    await trainer.says("Cuisine")
    await trainer.says("aide")
    assert "En cours : créer une formation" in trainer.all_text
    assert trainer.last == "De quoi s'agit-il ?" and "Une formation" in trainer.buttons
    assert "« Retour »" in trainer.all_text  # a question before this one
    # At the first question nothing comes before; a summary's example is not « what you are
    # doing » (explorer AW12).
    await trainer.says("/absence")
    trainer.replies.clear()
    await trainer.says("/aide")
    said = trainer.all_text
    assert "En cours : noter une absence ou un retard." in said
    assert "« Retour »" not in said and "(ex." not in said


async def test_a_formatrices_aide_lists_her_data_but_not_the_admins_erasure(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    claire = await a_formateur(db, person)
    await claire.says("/aide")
    assert "/mesdonnees : recevoir tout ce que formabot garde à votre sujet" in claire.last
    assert "/effacer" not in claire.last and "/journal" not in claire.last


async def test_a_turn_issues_no_more_statements_than_the_readme_says(
    db: Database, trainer: Person
) -> None:
    """Event, state and person read at once; state written with its version; event recorded."""
    figure = re.search(r"a turn\s+issues\s+\*\*(\d+) SQL statements\*\*", README.read_text("utf-8"))
    assert figure is not None, "the README states how many statements a turn issues"
    await trainer.says("/formation")  # the state row exists from here on
    for text in ("Cuisine du monde", "/annuler", "/aide"):  # steps with no business rows
        with counting(db) as sent:
            await trainer.says(text)
        statements = [s for s in sent if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
        assert len(statements) <= int(figure.group(1)), (text, statements)
        # Seen by the counter even on SQLite's direct path: read, versioned write, event.
        assert [s.split()[0] for s in statements] == ["SELECT", "UPDATE", "INSERT"], statements


class SlowEcho(Engine):
    """Each turn says what it got after a pause, and notes how many turns run at once."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.order: list[str] = []
        self.running = 0
        self.most = 0

    async def _route(self, ctx: Context, state: Stand) -> tuple[str | None, str | None]:
        self.running += 1
        self.most = max(self.most, self.running)
        self.order.append(ctx.incoming.text)
        await asyncio.sleep(0.05)
        ctx.send(Reply(text=f"reçu {ctx.incoming.text}"))
        self.running -= 1
        return None, None


async def test_a_peak_queues_fairly_each_persons_messages_behind_their_own(
    store: Database, settings: Settings, clock: Clock
) -> None:
    """Two slots: no more than two turns at once, every reply once, each person in order,
    and Bruno's first message is not kept behind Anna's second one."""
    settings = replace(settings, db_pool_size=1, db_max_overflow=1)
    echo = SlowEcho(store, settings, FEATURES, clock=clock)

    def message(user: str, n: int) -> Incoming:
        return Incoming(Platform.CONSOLE, user, user, f"{user}-{n}", text=f"{user} {n}")

    sent = [message("anna", 1), message("anna", 2), message("anna", 3)]
    sent += [message(f"p{i}", 1) for i in range(6)]
    replies = await asyncio.gather(*(echo.handle(m) for m in sent))
    assert [r[0].text for r in replies] == [f"reçu {m.text}" for m in sent]
    assert echo.most == (1 if store.is_sqlite else 2)
    anna = [t for t in echo.order if t.startswith("anna")]
    assert anna == ["anna 1", "anna 2", "anna 3"]
    assert echo.order.index("p0 1") < echo.order.index("anna 2")  # not behind Anna's next


async def test_two_processes_racing_on_one_person_keep_one_effect_per_event(
    store: Database, settings: Settings, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """Two engines on one database (two processes): the same event handled by both at once
    is kept once and both answer alike; two events of one person at once are both kept,
    one after the other (the state's version check starts the loser over)."""
    from bot.storage.state import ConversationState, ProcessedEvent

    caplog.set_level(logging.INFO, logger="bot.engine")
    first, second = (SlowEcho(store, settings, FEATURES, clock=clock) for _ in range(2))
    same = Incoming(Platform.CONSOLE, "anna", "anna", "anna-1", text="anna 1")
    replies = await asyncio.gather(first.handle(same), second.handle(same))
    assert [r[0].text for r in replies] == ["reçu anna 1", "reçu anna 1"]
    other = [
        Incoming(Platform.CONSOLE, "anna", "anna", f"anna-{n}", text=f"anna {n}") for n in (2, 3)
    ]
    replies = await asyncio.gather(first.handle(other[0]), second.handle(other[1]))
    assert [r[0].text for r in replies] == ["reçu anna 2", "reçu anna 3"]
    async with store.sessions() as session:
        events = (await session.scalars(select(ProcessedEvent.event_id))).all()
        versions = (await session.scalars(select(ConversationState.version))).all()
    assert sorted(events) == ["anna-1", "anna-2", "anna-3"]
    assert versions == [3]  # one state, written once per event kept
    if not store.is_sqlite:  # PostgreSQL runs both turns at once: the state's race did happen
        # (the same event's second turn may, on a loaded machine, start after the first's commit
        # and replay it without an IntegrityError: the outcome above is what must hold)
        assert "retrying event after StaleState" in caplog.text


@pytest.mark.parametrize("kind", ["edit", "reaction", "voice", "media", "forward"])
async def test_what_is_not_read_is_said_and_the_question_stays(
    db: Database, trainer: Person, kind: str
) -> None:
    """Explorers AT1, AT2, AW3, AW5: an edit, a reaction, a voice message or a sticker was
    ignored without a word, or taken as an empty answer (« Je n'ai rien reçu »)."""
    await trainer.says("/formation")
    asked = trainer.last
    await trainer.send(replace(trainer.incoming(""), kind=kind))
    assert trainer.replies[0].text == texts.say(f"common.unread_{kind}")
    assert trainer.last == asked
    assert "rien reçu" not in trainer.all_text
    assert await step_of(db, trainer) == ("formation", "title")
    await trainer.says("/annuler")
    await trainer.send(replace(trainer.incoming(""), kind=kind))  # outside: said, nothing more
    assert [r.text for r in trainer.replies] == [texts.say(f"common.unread_{kind}")]


async def test_a_command_that_waited_sets_aside_until_a_moment_to_come(
    trainer: Person, clock: Clock
) -> None:
    """Explorer AR1: a command handled 30 h after it was sent set the dialogue aside
    « jusqu'au » a moment already past, and /reprendre a minute later said it was closed."""
    await trainer.says("/absence")
    await trainer.presses("Agent de restauration")  # an answer: set aside, not replaced
    sent = clock.now
    clock.advance(hours=30)
    await trainer.send(replace(trainer.incoming("/echeances"), sent_at=sent))
    said = trainer.all_text
    kept = clock.now + timedelta(hours=24)
    assert dates.spell_datetime(kept.astimezone(ZoneInfo("Europe/Paris"))) in said
    clock.advance(minutes=1)
    await trainer.says("/reprendre")
    assert "je l'ai refermé" not in trainer.last
    assert "De qui s'agit-il ?" in trainer.last


async def test_a_dialogue_with_nothing_answered_is_replaced_and_one_further_on_set_aside(
    trainer: Person,
) -> None:
    """Explorer AR3: « /absence julie lundi » at /absence's first question set aside an empty
    /absence and dropped the /bilan kept before it; AR4: a bare « /absence » at its sixth
    question started it over, its answers gone."""
    await trainer.says("/bilan")
    await trainer.presses("Agent de restauration")
    await trainer.says("/absence")  # the /bilan, answered, set aside
    assert "Je mets de côté « programmer un bilan »" in trainer.all_text
    await trainer.says("/absence julie lundi")  # nothing answered: replaced, /bilan kept
    assert "Je n'en garde qu'une" not in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("/reprendre")
    assert "Je reprends « programmer un bilan »" in trainer.all_text
    await trainer.says("/absence karim vendredi dernier matin")
    await trainer.presses("Non")  # not justified: « Un motif connu ? »
    await trainer.says("/absence")  # further on: set aside, not started over
    assert "Je reprends « noter une absence ou un retard » depuis le début" not in (
        trainer.all_text
    )
    assert "Je mets de côté « noter une absence ou un retard »" in trainer.all_text


async def test_a_database_that_cannot_be_reached_leaves_the_turn_to_a_later_try(
    db: Database, settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer BA9: a restart refused the retry's connection; the message was answered
    « quelque chose s'est mal passé » and dropped. Now the engine gives the turn up, which
    the transports' inbox tries again (1 s, 2 s … later), nothing answered meanwhile."""
    from bot.messages import gave_up

    engine = build_engine(db, settings, clock=clock)
    tries: list[int] = []

    async def refused(incoming: Incoming) -> list[Reply]:
        tries.append(1)
        raise ConnectionRefusedError(111, "Connect call failed")

    monkeypatch.setattr(engine, "_handle_once", refused)
    replies = await engine.handle(Incoming(Platform.CONSOLE, "u", "u", "ev-1", text="/aide"))
    assert gave_up(replies) and len(tries) == 1


async def test_in_a_group_someone_who_is_no_member_is_asked_to_write_in_private(
    trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer DC6: in a group the chargée de mission got the stranger's « il faut une
    invitation », a délégué « Vous ne faites plus partie d'aucun organisme », before all."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    await person("lea").says(f"/start {invited['Léa Martin']}")
    in_group = person("lea", chat="groupe-bilan", is_group=True)
    stranger = person("sophie", chat="groupe-bilan", is_group=True)
    for who, typed in ((in_group, "formabot, à quelle heure est le bilan ?"), (stranger, "/aide")):
        await who.says(typed)
        assert who.last == (
            "Pour votre invitation, votre bilan ou votre attestation, écrivez-moi en message "
            "privé : dans un groupe, je ne réponds qu'aux membres de l'organisme."
        ), typed
    await in_group.says("/bilans")
    assert "plus partie" not in in_group.all_text and "message privé" in in_group.last


async def test_a_private_dialogue_in_a_chat_become_a_group_is_closed_saying_why(
    db: Database, person: Callable[..., Person], demo: None
) -> None:
    """Explorer EF13: « J'ai refermé « … » : elle ne se mène qu'en conversation privée », the
    « elle » of nothing, and not a word of the absence just typed."""
    alone = person("formateur", chat="salon-7")
    await alone.says("/absence karim")
    together = person("formateur", chat="salon-7", is_group=True)
    await together.says("Léa absente vendredi matin")
    assert (
        "cette conversation compte désormais d'autres personnes, et cette démarche ne se mène "
        "qu'en conversation privée avec moi (le message que vous venez d'envoyer n'a pas été "
        "traité : envoyez-le-moi en message privé)"
    ) in together.all_text


async def test_a_bare_cancel_with_nothing_under_way_is_answered_at_once(
    db: Database, trainer: Person
) -> None:
    """Explorer QB3: « annuler » typed with nothing under way sent the trainer to type
    /annuler, which then said there was nothing to cancel."""
    for typed in ("annuler", "Annuler", "anuler"):
        await trainer.says(typed)
        assert trainer.last == "Il n'y a rien en cours à annuler.", typed
    await trainer.says("/absence")
    await trainer.says("annuler")  # inside a dialogue the slash is still asked for
    assert "/annuler" in trainer.last
    assert await step_of(db, trainer) != (None, None)


@pytest.mark.postgres
@pytest.mark.parametrize("code", ["40P01", "40001"])
async def test_a_deadlock_or_a_serialization_failure_is_retried_unseen(
    pg_db: Database,
    settings: Settings,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    code: str,
) -> None:
    """Explorer XA9: PostgreSQL undoing a turn for a deadlock (40P01, two people holding a
    trainee and a formation in the opposite order) or a serialization failure (40001) gave
    « Désolé, quelque chose s'est mal passé ». The whole turn is tried again, as for a stale
    state; the person reads only the answer of the turn kept, nothing of the one undone."""
    tried: list[int] = []

    async def conflicting_once(session: Any, *args: Any, **kwargs: Any) -> Any:
        tried.append(1)
        if len(tried) == 1:  # PostgreSQL's own error, as a deadlock raises it
            await session.execute(
                sql(f"DO $$ BEGIN RAISE EXCEPTION 'conflit' USING ERRCODE = '{code}'; END $$")
            )
        return await record_roll(session, *args, **kwargs)

    monkeypatch.setattr(batch, "record_roll", conflicting_once)
    caplog.set_level(logging.INFO, logger="bot.engine")
    async with two_processes(pg_db, settings, clock) as (make, _):
        trainer = make("formateur")
        await trainer.says("Karim et Julie absents vendredi matin")
        await trainer.presses("Enregistrer")
        said = trainer.all_text
    assert said.startswith("C'est noté : vendredi 20 novembre 2026, matin"), said
    assert said.count("C'est noté") == 1 and "Désolé" not in said
    assert len(tried) == 2 and "retrying event after DBAPIError" in caplog.text
    async with pg_db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Absence)) == 2


@pytest.mark.postgres
async def test_a_conflict_that_keeps_coming_back_is_given_up_after_two_tries(
    pg_db: Database, settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer XA9: a deadlock is tried again twice, not forever; then « renvoyez votre
    message dans un instant », nothing saved."""
    tried: list[int] = []

    async def always_conflicting(session: Any, *args: Any, **kwargs: Any) -> Any:
        tried.append(1)
        await session.execute(
            sql("DO $$ BEGIN RAISE EXCEPTION 'conflit' USING ERRCODE = '40P01'; END $$")
        )

    monkeypatch.setattr(batch, "record_roll", always_conflicting)
    async with two_processes(pg_db, settings, clock) as (make, _):
        trainer = make("formateur")
        await trainer.says("Karim et Julie absents vendredi matin")
        await trainer.presses("Enregistrer")
        assert trainer.last == texts.say("common.busy")
    assert len(tried) == 3
    async with pg_db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Absence)) == 0


async def test_an_unknown_command_is_echoed_without_its_invisible_characters(
    trainer: Person,
) -> None:
    """Explorer AB3: « /aide\u202eXYZ » was echoed with its right-to-left override, the rest of
    the line drawn reversed; the command is quoted as other echoed text is (``visible``)."""
    await trainer.says("/aide\u202eXYZ\u200b")
    assert trainer.last.startswith("Je ne connais pas la commande /aidexyz.")
    assert not any(ch in trainer.all_text for ch in "\u202e\u200b")
