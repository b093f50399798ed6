"""The chargée de mission answers the bilan's invitation on Matrix: « 1 », « 2 », « 3 » or words.

The demo's trainer is Camille Durand (console ``formateur``); the demo's remote
bilan is scheduled on Thursday 26 November 2026 at 14 h (the clock: Monday 23rd).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.config import Settings
from bot.messages import ROOM_NAME, ROOM_TOPIC
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Organisation
from bot.storage.state import ConversationState
from bot.texts import plain
from tests.auxil.attestations import schedule_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import (
    A_FILE,
    BLANK,
    CONTROLS,
    EMPTY,
    FOR_CHOICES,
    FOR_TEXT,
    FORGED,
    FORGED_RAW,
    MARKUP,
    step_of,
    survives,
)
from tests.auxil.organisations import add_organisations
from tests.test_bilan import move_bilan
from tests.test_bilans_charge_de_mission import follows, notices, sophie

DEMO = "Agent de restauration (démo)"
BILAN = "Agent de restauration (démo) – jeudi 26 novembre 2026 à 14 h 00"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The bot is on Matrix too: the invitation goes to her there (no homeserver is reached:
    the outbox is read, not sent)."""
    return replace(
        settings, matrix_homeserver="http://127.0.0.1:1", matrix_user_id="@formabot:localhost"
    )


async def the_bilan(db: Database) -> Bilan:
    async with db.sessions() as session:
        [bilan] = (await session.scalars(select(Bilan))).all()
        return bilan


async def told(db: Database) -> list[str]:
    """What the trainer was told of her answers, oldest first."""
    return [r.payload["text"] for r in await notices(db, "charge-de-mission-answer:")]


async def test_the_invitation_offers_three_numbered_answers_and_1_confirms(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    async with db.sessions() as session:
        invitation = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.like("bilan:%:charge-de-mission:%"))
        )
    assert invitation is not None
    assert [label for label, _ in invitation.payload["choices"]] == [
        "Je confirme ma présence",
        "Je propose une autre date",
        "Je ne pourrai pas venir",
    ]
    her = sophie(person)
    await her.says("1")
    assert her.all_text.startswith(
        f"Merci, c'est noté : votre présence au bilan ({BILAN}) est confirmée."
    )
    assert "Camille Durand" in her.all_text
    bilan = await the_bilan(db)
    assert (bilan.cm_answer, bilan.cm_answer_sequence) == ("confirmed", bilan.sequence)
    assert bilan.cm_answered_at == clock.now
    [notice] = await told(db)
    assert notice.startswith("<b>Réponse de Mme Sophie Leroy</b> à l'invitation au bilan de fin")
    assert notice.endswith("(« Agent de restauration (démo) ») : présence confirmée.")
    await trainer.says("/bilans")
    await trainer.presses("Agent de restauration")
    assert "Réponse de Mme Sophie Leroy, le 23 novembre : présence confirmée." in trainer.last


async def test_her_help_says_how_to_answer_the_invitation(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer G G10: her /aide said only that her messages are passed on."""
    await follows(db, DEMO)
    await sophie(person).says("/aide")
    assert "écrivez « 1 »" not in sophie(person).all_text  # no bilan yet: nothing to answer
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("/aide")
    assert (
        "Pour répondre à l'invitation à un bilan, écrivez « 1 » (je confirme ma présence), "
        "« 2 » (je propose une autre date) ou « 3 » (je ne pourrai pas venir)."
    ) in her.all_text


@pytest.mark.parametrize(
    "typed",
    ["Je confirme.", "OK", "D'accord !", "je confirme ma présence", "Bonjour, je serai là"],
)
async def test_her_own_words_confirm_too(
    trainer: Talker, person: Callable[..., Talker], db: Database, typed: str
) -> None:
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    await sophie(person).says(typed)
    assert (await the_bilan(db)).cm_answer == "confirmed"


async def test_another_date_is_asked_checked_and_passed_on_with_a_word(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("2")
    assert her.last.startswith("Quelle date proposez-vous, avec l'heure ?")
    assert await step_of(db, her) == ("bilan_cm_answer", "proposed")
    await survives(db, her, FOR_CHOICES)
    for typed in ("ok", "d'accord", "Oui", "1"):  # no date: no confirmation either (AG4)
        await her.says(typed)
        assert await step_of(db, her) == ("bilan_cm_answer", "proposed")
        assert "Je n'ai pas compris cette date" in her.last, her.last
    assert (await the_bilan(db)).cm_answer is None and await told(db) == []
    await her.says("hier à 10 h")
    assert "déjà passée" in her.last
    await her.says("31/02 à 10 h")
    assert await step_of(db, her) == ("bilan_cm_answer", "proposed")
    await her.says("mardi 1er décembre à 10 h")
    assert her.last.startswith("J'ai compris : mardi 1er décembre 2026 à 10 h 00.")
    await her.presses("Oui, c'est ça")
    assert her.last.startswith("Un mot pour accompagner votre proposition à Camille Durand ?")
    await survives(db, her, FOR_TEXT)
    await her.says("Le jeudi, je suis en commission.")
    assert "votre proposition d'une autre date pour le bilan" in her.all_text
    assert await step_of(db, her) == (None, None)
    bilan = await the_bilan(db)
    assert bilan.cm_answer == "other_date"
    assert bilan.cm_proposed_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert bilan.cm_note == "Le jeudi, je suis en commission."
    [notice] = await told(db)
    assert "propose une autre date : le mardi 1er décembre 2026 à 10 h 00." in notice
    assert "« Le jeudi, je suis en commission. »" in notice
    assert "/bilans, puis « Déplacer »" in notice
    assert "commission" not in caplog.text
    await trainer.says("/bilans")
    await trainer.presses("Agent de restauration")
    assert (
        "Réponse de Mme Sophie Leroy, le 23 novembre : propose une autre date, "
        "le mardi 1er décembre 2026 à 10 h 00. « Le jeudi, je suis en commission. »"
    ) in trainer.last
    # « Déplacer » offers her date, typed back as it is shown (explorer AJ6: asked from scratch).
    await trainer.presses("Déplacer")
    proposal = "Mme Sophie Leroy a proposé le mardi 1er décembre 2026 à 10 h 00"
    assert proposal in trainer.last, trainer.last
    await trainer.says("mardi 1er décembre 2026 à 10 h 00")
    assert trainer.last.startswith("J'ai compris : mardi 1er décembre 2026 à 10 h 00"), trainer.last


async def her_other_date(trainer: Talker, person: Callable[..., Talker], db: Database) -> None:
    """She proposes Tuesday 1st December at 10 h; the trainer opens « Déplacer »."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("2")
    await her.says("mardi 1er décembre à 10 h")
    await her.presses("Oui, c'est ça")
    await her.presses("Passer")
    await trainer.says("/bilans")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Déplacer")


async def test_her_date_is_a_button_that_moves_the_bilan_as_typing_it_would(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer AJ6: « Déplacer » said her date, to be typed back by hand; it is offered as a
    button now, pressed: the same confirmation, the same move, the same news to her."""
    await her_other_date(trainer, person, db)
    assert trainer.replies[-1].choices[0].label == "Déplacer au mardi 1er décembre à 10 h"
    assert "choisissez « Déplacer au … » pour la retenir, ou écrivez une autre date" in (
        trainer.last
    )
    await trainer.presses("Déplacer au mardi 1er décembre à 10 h")
    assert trainer.last.startswith("J'ai compris : mardi 1er décembre 2026 à 10 h 00"), trainer.last
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    assert "C'est déplacé" in trainer.all_text
    assert (await the_bilan(db)).starts_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    invitations = await notices(db, "bilan:")
    hers = [m for m in invitations if ":charge-de-mission:" in m.key and m.key.endswith("matrix")]
    assert len(hers) == 2 and "le mardi 1er décembre 2026 de 10 h 00" in hers[-1].payload["text"]


@pytest.mark.parametrize("change", ["moved", "cancelled"])
async def test_her_date_s_button_once_the_bilan_changed_moves_nothing_and_says_why(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, change: str
) -> None:
    await her_other_date(trainer, person, db)
    async with db.sessions() as session, session.begin():
        bilan = await session.scalar(select(Bilan))
        assert bilan is not None
        if change == "moved":  # elsewhere meanwhile: her answer was to the old date
            bilan.next_version(clock.now, same_date=False)
        else:
            bilan.cancelled_at = clock.now
    await trainer.presses("Déplacer au mardi 1er décembre à 10 h")
    if change == "moved":
        assert trainer.last.startswith(
            "Le mardi 1er décembre 2026 à 10 h 00 ne vaut plus : le bilan a changé depuis que "
            "cette date a été proposée. Rien n'est déplacé."
        )
        assert "bilan prévu le jeudi 26 novembre 2026 à 14 h 00. Quelle est" in trainer.last
        assert not trainer.replies[-1].choices  # her date is no longer offered
    else:
        assert trainer.last == "Ce bilan a été annulé entre-temps : rien n'est déplacé."
        assert await step_of(db, trainer) == (None, None)
    assert (await the_bilan(db)).starts_at == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


async def test_her_hour_is_read_in_the_organisations_time_as_the_invitation_says(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer AC2: with an organisation in Martinique, the invitation she read said 14 h
    Martinique time, but her « 10 h » was read in Paris time: the trainer was told 5 h."""
    async with db.sessions() as session, session.begin():
        await session.execute(update(Organisation).values(timezone="America/Martinique"))
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    assert (await the_bilan(db)).starts_at == datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
    her = sophie(person)
    await her.says("2")
    await her.says("mardi 1er décembre à 10 h")
    assert her.last.startswith("J'ai compris : mardi 1er décembre 2026 à 10 h 00.")
    await her.presses("Oui, c'est ça")
    await her.presses("Passer")
    assert (await the_bilan(db)).cm_proposed_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    [notice] = await told(db)
    assert "propose une autre date : le mardi 1er décembre 2026 à 10 h 00." in notice


async def test_cannot_come_with_no_word_and_a_move_asks_again(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Je ne pourrai pas venir")
    await her.presses("Passer")
    assert "vous ne pourrez pas venir au bilan" in her.all_text
    assert (await the_bilan(db)).cm_answer == "cannot"
    [notice] = await told(db)
    assert "ne pourra pas venir." in notice and "Convenez d'une autre date avec Mme" in notice
    # The bilan moves: her answer was to the old date, the new invitation asks again.
    await move_bilan(trainer, "Agent de restauration", "vendredi 27 novembre à 14 h")
    await trainer.says("/bilans")
    await trainer.presses("Agent de restauration")
    assert "Réponse de Mme Sophie Leroy : pas encore reçue." in trainer.last
    async with db.sessions() as session:
        moved = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.key.like("bilan:%:charge-de-mission:%:matrix"))
                .order_by(OutboxMessage.id)
            )
        ).all()
    assert len(moved) == 2 and len(moved[-1].payload["choices"]) == 3


async def test_a_partner_added_is_an_update_for_her_and_her_answer_holds(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer G G2: adding a partner sent her the first invitation again, word for word,
    and wiped her answer from /bilans although the date had not changed."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    async with db.sessions() as session, session.begin():
        first = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.like("bilan:%:charge-de-mission:%"))
        )
        assert first is not None
        first.status, first.sent_at = "sent", clock.now
    await sophie(person).says("1")
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Ajouter un participant")
    await trainer.presses("Partenaire extérieur")
    await trainer.says("Mme Agnès Roy")
    await trainer.says("France Travail Caen")
    await trainer.says("agnes.roy@example.org")
    await trainer.presses("Oui, l'ajouter")
    async with db.sessions() as session:
        [_, update] = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.key.like("bilan:%:charge-de-mission:%:matrix"))
                .order_by(OutboxMessage.id)
            )
        ).all()
    text = plain(update.payload["text"])
    assert text.startswith(
        "Bonjour Madame,\nLe bilan de fin de formation « Agent de restauration (démo) » est mis "
        "à jour, à la même date : le jeudi 26 novembre 2026 de 14 h 00 à 16 h 00, à distance"
    )
    assert "vous invite" not in text and "1 partenaire et Camille Durand" in text
    assert not update.payload.get("choices")  # her answer holds: not asked again
    bilan = await the_bilan(db)
    assert (bilan.cm_answer, bilan.cm_answer_sequence) == ("confirmed", bilan.sequence)
    await trainer.says("/bilans")
    await trainer.presses("Agent de restauration")
    assert "Réponse de Mme Sophie Leroy, le 23 novembre : présence confirmée." in trainer.last


async def test_a_cancellation_offers_her_no_answers(trainer: Talker, db: Database) -> None:
    """Explorer G G7: « 1. Je confirme ma présence » under « … est annulé »."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    async with db.sessions() as session:
        last = await session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.key.like("bilan:%:charge-de-mission:%:matrix"))
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
    assert last is not None
    # Greeted as her invitation was, and told who comes back to her (explorer DC10).
    assert plain(last.payload["text"]) == (
        "Bonjour Madame,\nLe bilan de fin de formation « Agent de restauration (démo) », prévu "
        "le jeudi 26 novembre 2026 à 14 h 00, est annulé. Camille Durand reviendra vers vous si "
        "une autre date est fixée."
    )
    assert not last.payload.get("choices")
    assert "J'envoie moi-même l'annulation à Mme Sophie Leroy sur Matrix" in trainer.all_text


async def test_the_chat_opened_for_her_says_which_organisation_and_which_bilan(
    trainer: Talker, db: Database
) -> None:
    """Explorer DC2: on Tchap she saw « formabot vous invite » and nothing else before
    accepting; the room the bot opens is named and says why, no trainee named."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    async with db.sessions() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.key.like("bilan:%:charge-de-mission:%:matrix"))
                .order_by(OutboxMessage.id)
            )
        ).all()
    rooms = [(r.payload["extras"][ROOM_NAME], r.payload["extras"][ROOM_TOPIC]) for r in rows]
    day = "bilan de fin de formation du jeudi 26 novembre 2026"
    assert rooms == [
        (
            "formabot – Organisme de démonstration",
            f"Organisme de démonstration (Camille Durand) : invitation au {day}",
        ),
        (
            "formabot – Organisme de démonstration",
            f"Organisme de démonstration (Camille Durand) : annulation du {day}",
        ),
    ]


async def test_with_two_bilans_she_is_asked_which_and_a_restart_keeps_the_question(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    her, other = await asked_which_bilan(trainer, person, db, clock)
    assert await step_of(db, her) == ("bilan_cm_answer", "bilan")
    await survives(db, her, tuple(b for b in FOR_CHOICES if b is not MARKUP))
    # Markup is words of hers, a message: held, she is asked whose it is (naming none of her
    # two organisations: AF7), and her dialogue goes on at its question after.
    await her.says(MARKUP.text)
    assert await step_of(db, her) == ("bilan_cm_which", "formation")
    await her.presses("Ne pas le transmettre")
    assert await step_of(db, her) == ("bilan_cm_answer", "bilan")
    assert await notices(db, "charge-de-mission:") == []
    # The same chat later (a restart keeps the state in SQL): the question is still open.
    again = sophie(person)
    await again.says("2")  # the second bilan of the list, by its number
    assert "votre présence au bilan (Parcours 1" in again.all_text
    async with db.sessions() as session:
        answers = dict((await session.execute(select(Bilan.id, Bilan.cm_answer))).all())
    assert answers[other] == "confirmed" and list(answers.values()).count(None) == 1


async def asked_which_bilan(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> tuple[Talker, int]:
    """She follows two formations, each with a bilan to come, and answers « 1 »: asked which
    bilan; the other bilan's id."""
    her, other = await two_bilans(trainer, person, db, clock)
    await her.says("1")
    assert her.last.startswith("Pour quel bilan ?")
    return her, other


async def two_bilans(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> tuple[Talker, int]:
    """She follows two formations of two organisations, each with a bilan to come: her, and
    the other organisation's bilan (Thursday 3 December)."""
    await add_organisations(db, 1, clock.now.date())
    await follows(db, DEMO)
    await follows(db, "Parcours 1")
    await schedule_bilan(trainer)
    return sophie(person), await _bilan_of_parcours(db, clock)


async def _bilan_of_parcours(db: Database, clock: Clock) -> int:
    """A bilan of the other organisation's « Parcours 1 », the week after the demo's."""
    from datetime import timedelta

    from bot.storage.formations import Formation

    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation).where(Formation.title == "Parcours 1"))
        assert formation is not None
        start = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
        bilan = Bilan(
            organisation_id=formation.organisation_id,
            formation_id=formation.id,
            kind="fin",
            remote=True,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        session.add(bilan)
        await session.flush()
        return bilan.id


async def test_a_free_message_still_goes_to_the_trainer_and_a_member_typing_1_is_not_her(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    await sophie(person).says("1 question : faut-il un ordinateur ?")
    assert (await the_bilan(db)).cm_answer is None
    await trainer.says("1")
    assert (await the_bilan(db)).cm_answer is None


async def test_with_no_bilan_to_come_her_1_is_passed_on_as_a_message(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, DEMO)
    her = sophie(person)
    await her.says("1")
    assert "j'ai transmis votre message" in her.all_text


async def test_another_date_proposed_in_her_own_sentence_is_confirmed_then_kept(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer AG5: « je propose le 21 janvier à 10h » was passed on as a message, the
    bilan left « pas encore reçue » in /bilans."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Bonjour, je propose le 1er décembre à 10 h")
    assert her.last.startswith("J'ai compris : mardi 1er décembre 2026 à 10 h 00.")
    await her.presses("Oui, c'est ça")
    await her.presses("Passer")
    bilan = await the_bilan(db)
    assert bilan.cm_answer == "other_date"
    assert bilan.cm_proposed_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    [notice] = await told(db)
    assert "propose une autre date : le mardi 1er décembre 2026 à 10 h 00." in notice


async def test_with_two_bilans_the_day_she_names_says_which(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AT4: « je confirme ma présence au bilan du vendredi 15 janvier », the one
    bilan of hers that day, was asked « Pour quel bilan ? »."""
    her, other = await two_bilans(trainer, person, db, clock)  # the other: 3 December
    await her.says("Bonjour, je confirme ma présence au bilan du jeudi 3 décembre.")
    assert "Pour quel bilan" not in her.all_text
    assert "Parcours 1" in her.last
    await her.says("oui")
    async with db.sessions() as session:
        answers = dict((await session.execute(select(Bilan.id, Bilan.cm_answer))).all())
    assert answers[other] == "confirmed" and list(answers.values()).count(None) == 1


async def test_with_two_bilans_her_reply_to_one_s_invitation_says_which(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer DB3: her « Répondre » on one bilan's invitation, « Je ne pourrai pas venir »,
    was asked « Pour quel bilan ? »; a reply to a message naming no bilan still asks."""
    her, other = await two_bilans(trainer, person, db, clock)
    await her.send(replace(her.incoming("Je ne pourrai pas venir"), quoted="Bonjour !"))
    assert her.last.startswith("Pour quel bilan ?")
    await her.says("/annuler")
    invitation = (
        "Bonjour Madame,\nOrganisme 1 vous invite au bilan de fin de formation « Parcours 1 », "
        "le jeudi 3 décembre 2026 de 14 h 00 à 16 h 00, à distance, animé par Camille Durand."
    )
    await her.send(replace(her.incoming("Je ne pourrai pas venir"), quoted=invitation))
    assert her.last.startswith("Un mot pour expliquer votre absence à Admin 1 ?")
    await her.presses("Passer")
    async with db.sessions() as session:
        answers = dict((await session.execute(select(Bilan.id, Bilan.cm_answer))).all())
    assert answers[other] == "cannot" and list(answers.values()).count(None) == 1


async def test_with_two_bilans_the_date_she_proposed_is_shown_once_she_says_which(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AQ4: with two bilans, the date in her sentence was dropped after « Pour quel
    bilan ? », to be typed again."""
    her, other = await two_bilans(trainer, person, db, clock)
    await her.says("Je vous propose le 10 décembre à 10h")
    assert her.last.startswith("Pour quel bilan ?")
    await her.says("2")
    assert her.last.startswith("J'ai compris : jeudi 10 décembre 2026 à 10 h 00.")
    await her.presses("Oui, c'est ça")
    await her.presses("Passer")
    async with db.sessions() as session:
        bilan = await session.get(Bilan, other)
    assert bilan is not None and bilan.cm_answer == "other_date"
    assert bilan.cm_proposed_at == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed",
    [
        "Bonjour, c'est noté pour le 26, je serai présente. Merci de m'envoyer le bilan "
        "pédagogique dès que possible.",
        "Je confirme ma présence au bilan du 26 novembre.",
        "Bonjour Madame Durand, je confirme ma présence. Cordialement, S. Leroy",
        "OK pour moi",
        "👍",  # explorer DB1: Tchap's « ok », passed on only
    ],
)
async def test_her_answer_in_a_sentence_of_her_own_is_asked_then_kept(
    trainer: Talker, person: Callable[..., Talker], db: Database, typed: str
) -> None:
    """Explorer AL1: answers a civil servant writes were passed on as messages only, /bilans
    saying « pas encore reçue »; AN1: never recorded unasked either (« je confirme avoir
    reçu le document » is no presence)."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says(typed)
    assert "j'ai transmis votre message" in her.all_text  # her words reach the trainer
    assert her.last.startswith("Est-ce aussi votre réponse à l'invitation au bilan (")
    assert her.last.endswith(" : « Je confirme ma présence » ?")
    assert (await the_bilan(db)).cm_answer is None  # not before she says so
    await her.presses("Oui")
    assert (await the_bilan(db)).cm_answer == "confirmed"


async def test_le_premier_at_her_answer_s_question_is_its_first_choice(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer HA1: « le premier » (a day of the month elsewhere) was passed on as a message
    and her answer dropped; this question reads no date."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Je confirme ma présence au bilan du 26 novembre.")
    await her.says("le premier")
    assert (await the_bilan(db)).cm_answer == "confirmed"


@pytest.mark.parametrize(
    "typed",
    [
        "Je confirme avoir bien reçu le document.",
        "Je ne peux pas me connecter au lien, pouvez-vous le renvoyer ?",
        "Peut-on décaler l'envoi de la feuille d'émargement ?",
    ],
)
async def test_a_sentence_that_only_looks_like_an_answer_is_a_message(
    trainer: Talker, person: Callable[..., Talker], db: Database, typed: str
) -> None:
    """Explorer AN1-AN3: these were « présence confirmée », « ne pourra pas venir », « Quelle
    date proposez-vous ? » (and the message never reached the trainer)."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says(typed)
    assert "j'ai transmis votre message" in her.all_text
    await her.presses("Non")
    assert her.last.startswith("D'accord : je ne note pas de réponse à l'invitation.")
    assert (await the_bilan(db)).cm_answer is None
    await her.says(typed)  # or she writes on instead of answering: passed on, nothing noted
    await her.says("Merci de me renvoyer le lien de la visio")
    assert "j'ai transmis votre message" in her.all_text
    assert (await the_bilan(db)).cm_answer is None


async def test_a_refusal_in_her_words_is_kept_and_a_move_asked_takes_its_date(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Je ne serai pas disponible le 26, désolée")
    assert her.last.endswith(" : « Je ne pourrai pas venir » ?")
    await her.presses("Oui")
    assert "vous ne pourrez pas venir au bilan" in her.all_text
    assert (await the_bilan(db)).cm_answer == "cannot"
    await her.says(
        "Je ne pourrai pas être présente jeudi. Pouvez-vous décaler au mardi 1er décembre à 10h ?"
    )
    # The date it proposes shown back to confirm: that is the question (AG5).
    assert her.last.startswith("J'ai compris : mardi 1er décembre 2026 à 10 h 00.")
    await her.presses("Oui, c'est ça")
    await her.presses("Passer")
    bilan = await the_bilan(db)
    assert bilan.cm_answer == "other_date"
    assert bilan.cm_proposed_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed",
    [
        "Je serai présente si la visio fonctionne",
        "Je serai là ? Je ne sais pas encore",
        # Explorer BE14: her question was « présence confirmée », passed on to no one.
        "je serai là ?",
        "ok ?",
        "d'accord ?",
        "Présente ?",
        "je confirme ？",
    ],
)
async def test_a_presence_with_a_condition_or_a_doubt_is_a_message(
    trainer: Talker, person: Callable[..., Talker], db: Database, typed: str
) -> None:
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says(typed)
    assert (await the_bilan(db)).cm_answer is None
    assert "j'ai transmis votre message" in her.all_text
    assert "confirmée" not in her.all_text
    assert await told(db) == []


@pytest.mark.parametrize("yes", ["Oui, merci beaucoup", "Exactement", "oui je serai présente"])
async def test_a_yes_in_her_words_at_the_reading_keeps_it(
    trainer: Talker, person: Callable[..., Talker], db: Database, yes: str
) -> None:
    """Explorer AQ8: « Oui, merci beaucoup » was passed on as a message, nothing kept."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Je confirme ma présence au bilan du 26 novembre.")
    await her.says(yes)
    assert (await the_bilan(db)).cm_answer == "confirmed"


@pytest.mark.parametrize(
    ("then", "kept"),
    [
        ("Oui, mais je ne pourrai rester qu'une heure, je dois partir à 15h.", "confirmed"),
        ("Oui enfin non, je viens de voir que j'ai un comité ce jour-là.", None),
    ],
)
async def test_a_yes_with_a_caveat_passes_it_on_and_a_yes_then_no_keeps_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database, then: str, kept: str | None
) -> None:
    """Explorer AR2: « Oui, mais je ne pourrai rester qu'une heure » confirmed, the caveat
    reaching no one; « Oui enfin non, j'ai un comité » confirmed her presence."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Je confirme ma présence au bilan du 26 novembre.")
    await her.says(then)
    assert (await the_bilan(db)).cm_answer == kept
    passed = [r.payload["text"] for r in await notices(db, "charge-de-mission:")]
    assert any(then.split(",")[-1].strip()[:20] in plain(p) for p in passed)


async def test_a_message_where_her_bilan_is_asked_is_passed_on(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AQ2: « rien dans la liste ne correspond », and the trainer never read it."""
    her, _ = await asked_which_bilan(trainer, person, db, clock)
    await her.says("Pouvez-vous m'envoyer la liste des délégués avant ?")
    # Two organisations, nothing naming one: sent to neither, held, and she is asked which
    # formation (AX1; AF7's rest: « je ne sais pas auquel transmettre », and it was dropped).
    assert "de quelle formation parle votre message ?" in her.all_text
    assert await notices(db, "charge-de-mission:") == []
    await her.presses("Parcours 1")
    assert "j'ai transmis votre message à Admin 1 (Organisme 1)" in her.all_text
    assert await step_of(db, her) == ("bilan_cm_answer", "bilan")  # and asked again
    await her.says("Organisme 1 : pouvez-vous m'envoyer la liste des délégués avant ?")
    assert "j'ai transmis votre message à Admin 1 (Organisme 1)" in her.all_text
    assert await step_of(db, her) == ("bilan_cm_answer", "bilan")


async def test_an_hour_alone_she_proposes_is_on_her_bilan_s_day(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer DC3: « à 14h30 » (the same day, half an hour later) was recorded as today,
    and passed on so to the trainer."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)  # Thursday 26 November, 14 h
    her = sophie(person)
    for typed, shown in (
        ("à 14h30", "jeudi 26 novembre 2026 à 14 h 30"),
        ("même jour, 16h", "jeudi 26 novembre 2026 à 16 h 00"),
        ("le lendemain à 14h", "vendredi 27 novembre 2026 à 14 h 00"),  # DF7: the day after
    ):
        await her.says("2")
        await her.says(typed)
        assert her.last.startswith(f"J'ai compris : {shown}."), typed
        await her.says("/annuler")
    await her.says("Je propose plutôt à 15h30 le même jour")
    assert "jeudi 26 novembre 2026 à 15 h 30" in her.last
    await her.says("oui")
    await her.presses("Passer")
    assert (await the_bilan(db)).cm_proposed_at == datetime(2026, 11, 26, 14, 30, tzinfo=UTC)


async def test_the_weekday_of_her_bilan_is_her_bilan_s_day(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AJ6: « plutôt jeudi 14h », her bilan on a Thursday two weeks ahead, was read
    as the next Thursday; another weekday is still the next one."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)  # Thursday 26 November, 14 h
    clock.now = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)  # Monday 9 November
    her = sophie(person)
    for typed, shown in (
        ("plutôt jeudi 10h", "jeudi 26 novembre 2026 à 10 h 00"),
        ("jeudi à 16h", "jeudi 26 novembre 2026 à 16 h 00"),
        ("jeudi 12 à 16h", "jeudi 12 novembre 2026 à 16 h 00"),  # a day of her own
        ("vendredi 14h", "vendredi 13 novembre 2026 à 14 h 00"),
    ):
        await her.says("2")
        await her.says(typed)
        assert her.last.startswith(f"J'ai compris : {shown}."), (typed, her.last)
        await her.says("/annuler")


async def test_every_step_of_her_answer_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """The chargée de mission's reading of her own sentence: a message of hers is passed on
    by design (explorer AQ8), but one with nothing to read (empty, blank, control
    characters, a file, a forged button) was passed on as a blank message and the question
    dropped; it is asked again now, and no answer is kept (coverage AR)."""
    await follows(db, DEMO)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Je confirme ma présence au bilan du 26 novembre.")
    assert await step_of(db, her) == ("bilan_cm_answer", "reading")
    passed = await told(db)
    await survives(db, her, (EMPTY, BLANK, CONTROLS, FORGED, FORGED_RAW, A_FILE))
    assert (await the_bilan(db)).cm_answer is None
    assert await told(db) == passed
    await her.presses("Oui")
    assert (await the_bilan(db)).cm_answer == "confirmed"


async def test_her_answer_s_question_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """« Votre réponse ? » is never asked through a dialogue: the conversation only starts
    from an answer of hers (« 1 », « je confirme », a date proposed). Stored there all the
    same (a conversation row of an older version), it re-asks on wrong, empty, huge or
    hostile input and keeps no answer, passes nothing on (coverage BC)."""
    her, other = await asked_which_bilan(trainer, person, db, clock)
    async with db.sessions() as session, session.begin():
        state = await session.scalar(
            select(ConversationState).where(ConversationState.flow == "bilan_cm_answer")
        )
        assert state is not None
        data = {k: v for k, v in state.data.items() if k != "answer"}
        state.data, state.step = {**data, "bilan_id": other}, "answer"
    passed = len(await told(db))
    await survives(db, her, FOR_CHOICES)
    async with db.sessions() as session:
        assert list((await session.scalars(select(Bilan.cm_answer))).all()) == [None, None]
    assert len(await told(db)) == passed
    await her.presses("Je confirme ma présence")
    async with db.sessions() as session:
        bilan = await session.get(Bilan, other)
        assert bilan is not None and bilan.cm_answer == "confirmed"


async def test_her_answer_unnamed_on_a_centre_val_de_loire_formation_names_her_as_its_texts(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer DE5's rest: the agenda of a Centre-Val de Loire bilan names her « personne
    référente territoriale », as its texts do; the trainer's chat, her name unknown, said
    « Réponse de la personne chargée de mission »."""
    title = "Projet professionnel (démo)"
    await follows(db, title)
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Formation).where(Formation.title == title).values(cm_name=None)
        )
    await schedule_bilan(trainer, "Projet professionnel", "Programmer le bilan d'étape")
    captions = [r.document.caption for r in trainer.replies if r.document is not None]
    assert any(c.startswith("Message pour la personne référente territoriale") for c in captions)
    assert "chargée de mission" not in " ".join([trainer.all_text, *captions])
    await sophie(person).says("3")
    await sophie(person).says("Passer")
    [notice] = await told(db)
    assert notice.startswith("<b>Réponse de la personne référente territoriale</b>"), notice
    assert "Convenez d'une autre date avec la personne référente territoriale," in notice
    await trainer.says("/bilans")
    await trainer.presses("Projet professionnel")
    assert (
        "Réponse de la personne référente territoriale, le 23 novembre : ne pourra pas venir."
        in (trainer.last)
    )
