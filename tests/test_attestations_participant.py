"""When a participant may confirm: from the bilan's scheduled end, not its start.

An outside tester signed an attestation eight seconds after the visio began, whose
text said the bilan « s'est tenu … de 8 h 29 à 10 h 29 », and the trainer read
« Dossier de preuves : complet » two hours before the end.  The demo's bilan is
Thursday 26 November 2026, 14 h 00 to 16 h 00 in Paris (13 h to 15 h UTC).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.attestations import invitations, service
from bot.attestations.answers import Said, TooEarly, record_answer
from bot.attestations.keys import signing_key
from bot.attestations.service import Author, Chat
from bot.bilans.view import view_of
from bot.config import Settings
from bot.messages import Platform
from bot.storage.attestations import Attestation
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.storage.people import Membership, Person
from bot.texts import plain
from tests.auxil.attestations import (
    BILAN_END,
    BILAN_START,
    add_bilan,
    after_the_bilan,
    codes,
    lea_at_the_text,
    lea_opening_her_link,
    on_signed_sheet,
    schedule_bilan,
)
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import step_of
from tests.auxil.race import one_after_the_other, two_processes

OPENS_TODAY = "Revenez à sa fin, à partir de 16 h 00, et envoyez /attestation."


async def answers(db: Database) -> list[Attestation]:
    async with db.sessions() as session:
        return list((await session.scalars(select(Attestation))).all())


async def bilans(db: Database) -> list[Bilan]:
    async with db.sessions() as session:
        return list((await session.scalars(select(Bilan))).all())


async def move(db: Database, bilan_id: int, by: timedelta) -> None:
    """The trainer moves the bilan (as ``/bilans`` does: both ends, a new sequence)."""
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        bilan.starts_at += by
        bilan.ends_at += by
        bilan.sequence += 1


async def test_during_the_visio_nobody_can_confirm_and_the_proofs_are_not_complete(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.now = BILAN_START + timedelta(minutes=29, seconds=46)  # the visio runs
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    assert "Le bilan est en cours : rien à faire pour l'instant." in lea.last
    assert OPENS_TODAY in lea.last
    assert "nom complet" not in lea.all_text
    for typed in ("1", "Je l'atteste sur l'honneur", "Léa Martin", "/aide", "/attestation"):
        await lea.says(typed)
        assert lea.last.startswith("Le bilan est en cours") and OPENS_TODAY in lea.last
    assert await answers(db) == []
    await trainer.says("/attestations")
    assert "Dossier de preuves : incomplet, le bilan n'est pas terminé" in trainer.last
    assert "à partir de 16 h 00" in trainer.last and "complet." not in trainer.last

    clock.now = BILAN_END  # the end itself opens it
    await lea.says("me voici")
    assert "Pour confirmer votre participation au bilan de fin de formation" in lea.last
    await lea.says("/attestation")
    assert "nom complet" in lea.last
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in lea.last
    (answer,) = await answers(db)
    assert answer.answered_at == BILAN_END


async def test_a_bilan_moved_later_while_the_text_is_shown_stores_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.now = BILAN_END + timedelta(minutes=5)
    lea, hugo = person("lea"), person("hugo")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Hugo Moreau")
    await hugo.presses("Je représente les stagiaires")
    await hugo.presses("Je n'ai pas participé")
    await move(db, bilan_id, timedelta(days=1))  # to Friday, the invitations already out

    await lea.presses("Je l'atteste")  # the text changed: shown again
    assert "modifié entre-temps" in lea.last and "vendredi 27 novembre 2026" in lea.last
    await lea.presses("Je l'atteste")
    opens = "à partir du vendredi 27 novembre 2026 à 16 h 00, à la fin du bilan"
    assert "je n'enregistre rien pour l'instant" in lea.last and opens in lea.last
    await hugo.presses("Passer")  # his refusal, typed before the move, is not kept
    assert "je n'enregistre rien" in hugo.last and opens in hugo.last
    assert await answers(db) == []

    clock.now += timedelta(days=1)  # Friday, after the new end: the same links work
    await lea.says("/attestation")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    assert "vendredi 27 novembre 2026, de 14 h 00 à 16 h 00" in lea.last
    await lea.presses("Je l'atteste")
    assert "Votre attestation est enregistrée" in lea.last


async def test_a_cancelled_bilan_after_the_invitations_has_nothing_to_confirm(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    bilan_id = await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")  # Monday: told to come back
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        bilan.cancelled_at = clock.now
    clock.now = BILAN_END
    await lea.says(f"/start {invited['Léa Martin']}")
    assert "annulé" in lea.last and await answers(db) == []


async def test_the_engine_stores_no_answer_and_no_complete_proofs_before_the_end(
    db: Database, demo: None, clock: Clock, settings: Settings
) -> None:
    bilan_id = await add_bilan(db, start=BILAN_START)
    chat = Chat("console", "lea", "lea")
    async with db.sessions() as session, session.begin():
        info = await view_of(session, bilan_id)
        assert info is not None
        (lea,) = info.bilan.participants
        _, code = await invitations.issue(session, info, lea, by=None, now=clock.now)
        found = await invitations.redeem(session, code, chat=chat, author=Author(), now=clock.now)
        held = await invitations.open_invitation(session, found, chat=chat, now=clock.now)
        assert not isinstance(held, str)
        said = Said("Léa Martin", "delegate", None, "texte", attested=True)
        with pytest.raises(TooEarly):
            await record_answer(
                session,
                held,
                said,
                chat=chat,
                author=Author(),
                now=BILAN_END - timedelta(seconds=1),
                key=signing_key(settings.data_dir),
            )
        # Everyone on the signed sheet: complete only once the bilan has ended.
        await on_signed_sheet(session, info.bilan, lea.id, at=BILAN_START)
        early = await service.progress(session, info, now=BILAN_END - timedelta(seconds=1))
        assert not early.missing and not early.complete
        assert (await service.progress(session, info, now=BILAN_END)).complete
    assert await answers(db) == []


async def test_coming_back_after_answering_hears_the_answer_not_the_greeting(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Outside test (item 17): « C'est simple et rapide : je vous demande votre nom », then
    « Vous avez déjà répondu »."""
    lea = await lea_at_the_text(trainer, person, clock)
    invited = codes(trainer.replies)
    await lea.presses("Je l'atteste")
    for again in ("/attestation", f"/start {invited['Léa Martin']}"):
        await lea.says(again)
        assert lea.last.startswith("Vous avez déjà répondu, le jeudi 26 novembre 2026"), again
        assert "Bonjour" not in lea.all_text and "nom complet" not in lea.all_text
    await lea.says("/reprendre")  # no trainer's command as its example (explorer AZ13)
    assert "par exemple /mesdonnees tapé au milieu de votre attestation" in lea.all_text
    assert "/echeances" not in lea.all_text


async def test_a_bare_start_mid_answer_asks_the_question_again_and_another_command_keeps_it(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AW6: a delegate lost at « Je l'atteste » typed /start; her name and role
    went without a word, and /reprendre said there was nothing to resume."""
    lea = await lea_at_the_text(trainer, person, clock)
    text = lea.last
    assert "Moi, Léa Martin" in text
    await lea.says("/start")
    assert lea.last == text and "Je l'atteste sur l'honneur" in lea.buttons
    await lea.says("/mesdonnees")
    assert "/reprendre" in lea.all_text
    await lea.says("/reprendre")
    assert lea.last == text
    await lea.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert answer.typed_name == "Léa Martin" and answer.answer == "attested"


async def test_a_mistyped_code_mid_answer_is_refused_and_her_answer_goes_on(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AZ12: a delegate re-pasting her invitation with a character missing lost her
    name and role without a word. Explorer UC6: then they were set aside before the code was
    refused, and « Je l'atteste » typed next answered nothing. The code is refused first, as
    for a member (GD5), and the text asked again, nothing set aside."""
    lea = await lea_at_the_text(trainer, person, clock)
    text = lea.last
    await lea.says("/start ZZZZ-ZZZZ")
    assert lea.all_text.startswith("Ce code n'est pas valable"), lea.all_text
    assert "Je mets de côté" not in lea.all_text
    assert lea.last == text
    assert await step_of(db, lea) == ("attestation", "text")
    await lea.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert answer.typed_name == "Léa Martin" and answer.answer == "attested"


async def test_her_own_link_opened_again_mid_answer_goes_on_where_she_was(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer UC6 (rest): her invitation's link opened a second time from the mail, at the
    text, set her attestation aside (« Je mets de côté … ») and asked her name again. She is
    told where she was and her question is asked again, her name and role kept."""
    lea = await lea_opening_her_link(trainer, person, clock)
    code = codes(trainer.replies)["Léa Martin"]
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    text = lea.last
    await lea.says(f"/start {code}")
    assert lea.all_text.startswith(
        "Vous aviez déjà ouvert ce lien. Nous en étions à cette question :"
    ), lea.all_text
    assert "Je mets de côté" not in lea.all_text and "nom complet" not in lea.all_text
    assert lea.last == text
    assert await step_of(db, lea) == ("attestation", "text")
    await lea.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert answer.typed_name == "Léa Martin" and answer.answer == "attested"


async def test_her_own_link_opened_again_at_the_name_asks_the_name_once(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer UC6 (rest): at her name, the link opened again greets her only once."""
    lea = await lea_opening_her_link(trainer, person, clock)
    asked = lea.last
    await lea.says(f"/start {codes(trainer.replies)['Léa Martin']}")
    assert lea.all_text.startswith(
        "Vous aviez déjà ouvert ce lien. Nous en étions à cette question :"
    ), lea.all_text
    assert lea.last == asked and "Confirmons" not in lea.all_text
    await lea.says("Léa Martin")
    assert "Je représente les stagiaires" in lea.buttons


async def test_a_thumb_is_no_oath(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AW11: a 👍 under the text, the way a long message is acknowledged, gave the
    sworn attestation (« article 441-7 du code pénal »)."""
    lea = await lea_at_the_text(trainer, person, clock)
    await lea.says("👍")
    assert "ne se donne pas d'un simple signe (👍, ✅)" in lea.all_text
    await lea.says("✅")  # a tick is no thumb, and no oath either (explorer AZ13)
    assert lea.last.startswith("Une attestation sur l'honneur ne se donne pas d'un simple signe")
    assert await answers(db) == []
    await lea.says("je l'atteste")
    (answer,) = await answers(db)
    assert answer.answer == "attested"


@pytest.mark.parametrize(
    "typed",
    ["test", "Test", "tes", "hon", "sur", "sur honneur", "l'honneur", "je teste", "participé"],
)
async def test_a_word_inside_the_oath_s_label_is_no_oath(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer XA4: « test », inside « Je l'atteste sur l'honneur », signed it (XA13:
    « participé » declined): a sworn answer is its button, its whole words or « oui », never
    a part of them."""
    lea = await lea_at_the_text(trainer, person, clock)
    await lea.says(typed)
    assert "Merci ! Votre attestation est enregistrée" not in lea.all_text
    assert await answers(db) == []
    await lea.says("Je l'atteste sur l'honeur")  # the whole oath, one typo (explorer ZA2)
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


@pytest.mark.parametrize("typed", ["j'ai participé", "j ai participe", "j'ai participé !"])
async def test_saying_one_took_part_at_the_text_is_neither_oath_nor_decline(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer XA13: every word of « j'ai participé » is inside « Je n'ai pas participé »,
    and it was recorded as a decline, the trainer told « déclare ne pas avoir participé »."""
    lea = await lea_at_the_text(trainer, person, clock)
    await lea.says(typed)
    assert lea.last.startswith("Vous écrivez avoir participé à ce bilan : si le texte")
    assert await answers(db) == []
    await lea.says("oui")
    (answer,) = await answers(db)
    assert answer.answer == "attested"


async def test_correcting_the_name_asks_the_name_only(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Outside test (item 17): « Corriger mon nom » asked the name, then the role again."""
    lea = await lea_opening_her_link(trainer, person, clock)
    await lea.says("Lea Matin")
    await lea.presses("Garder")  # another name than the invited one is confirmed first
    await lea.presses("Stagiaire de la formation")
    await lea.presses("Corriger mon nom")
    assert "nom complet" in lea.last
    await lea.says("Léa Martin")
    assert "Moi, Léa Martin, stagiaire de la formation" in lea.last
    assert "À quel titre" not in lea.all_text
    await lea.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert answer.typed_name == "Léa Martin" and answer.role == "trainee"

    await lea.says("/attestation")
    await lea.presses("Corriger ma réponse")  # a new round asks everything again
    await lea.says("Léa Martin")
    assert "À quel titre" in lea.last


async def test_a_code_with_a_full_stop_or_quotes_opens_the_invitation(
    trainer: Talker, person: Callable[..., Talker]
) -> None:
    """Outside test (item 15): « /start CODE. » read « Ce code n'est pas valable »."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea, hugo = person("lea"), person("hugo")
    await lea.says(f"/start  {invited['Léa Martin']}.")
    assert "Camille Durand vous invite" in lea.all_text
    await hugo.says(f"/start « {invited['Hugo Moreau']} »")
    assert "Camille Durand vous invite" in hugo.all_text
    assert "pas valable" not in lea.all_text + hugo.all_text


async def test_a_reason_that_speaks_of_health_is_pointed_out_and_another_taken(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer W, W13: « Arrêt maladie ce jour-là » went into the signed file sent to the
    Région, though the question asked for no health detail."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.presses("Je n'ai pas participé")
    await hugo.says("Arrêt maladie ce jour-là")
    assert "Si votre réponse parle de santé" in hugo.last and "« empêchement »" in hugo.last
    assert "Passer" in hugo.buttons
    await hugo.says("Empêchement")
    async with db.sessions() as session:
        (answer,) = (await session.scalars(select(Attestation))).all()
    assert (answer.answer, answer.reason) == ("declined", "Empêchement")


async def test_an_urgence_is_kept_as_the_reason_and_the_health_warning_asks_softly(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer HB8: « parti à 14h30, urgence » was answered « Votre réponse parle de santé »:
    an urgence is no word of health, and the warning, a guess from words, says « si »."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.presses("Je n'ai pas participé")
    await hugo.says("J'accompagnais ma mère à l'hôpital")
    assert hugo.last.startswith(
        "Si votre réponse parle de santé, sachez qu'elle figurera telle quelle dans le dossier"
        " transmis à la Région, qui n'a pas besoin de ce détail"
    )
    await hugo.says("parti à 14h30, urgence")
    assert "santé" not in hugo.last
    async with db.sessions() as session:
        (answer,) = (await session.scalars(select(Attestation))).all()
    assert (answer.answer, answer.reason) == ("declined", "parti à 14h30, urgence")


async def test_family_emergencies_are_kept_as_the_reason_without_the_health_warning(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer FT (closing 35): « des urgences familiales » as the reason for not taking part
    no longer got the health warning. Decided: family emergencies say nothing of anyone's
    health (an event in the family, not the emergency ward), so the reason is kept at once;
    « urgences » alone (the ward) and « urgences pédiatriques » still get the warning."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.presses("Je n'ai pas participé")
    await hugo.says("urgences pédiatriques avec mon fils")
    assert hugo.last.startswith("Si votre réponse parle de santé")
    await hugo.says("des urgences familiales")
    assert "santé" not in hugo.last
    async with db.sessions() as session:
        (answer,) = (await session.scalars(select(Attestation))).all()
    assert (answer.answer, answer.reason) == ("declined", "des urgences familiales")


@pytest.mark.parametrize("agreeing", ["Je la garde", "je la garde telle quelle"])
async def test_oui_to_the_health_warning_keeps_the_reason_not_the_word(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, agreeing: str
) -> None:
    """Explorer AK7: « oui » after the warning reached the Région's dossier as the reason.
    A keep said in words keeps the reason pointed out; a bare « oui », « ok » keeps nothing
    (explorer ZA7, tests/test_attestations_words_health.py)."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.presses("Je n'ai pas participé")
    await hugo.says("j'étais malade, gastro")
    assert "Si votre réponse parle de santé" in hugo.last
    await hugo.says(agreeing)
    async with db.sessions() as session:
        (answer,) = (await session.scalars(select(Attestation))).all()
    assert (answer.answer, answer.reason) == ("declined", "j'étais malade, gastro")


@pytest.mark.parametrize(
    "typed",
    [
        "je n'ai pas pu venir",
        "non j'étais absente",
        "J'étais empêché ce jour-là",
        "j'étais absent jeudi",  # the bilan's day (explorer KE3)
        "absente depuis mardi",  # a span that holds it
    ],
)
async def test_saying_one_did_not_take_part_at_the_text_declines(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer AC6: the text says « Si vous n'avez pas participé à ce bilan, dites-le », but
    only the button's own words were taken; each miss sent the twelve-line text again."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    assert "Si vous n'avez pas participé à ce bilan, dites-le" in hugo.last
    await hugo.says(typed)
    assert "pourquoi" in hugo.last
    await hugo.presses("Passer")
    (answer,) = await answers(db)
    assert answer.answer == "declined"


async def test_an_absence_on_another_day_at_the_text_declares_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer KE3: « non j'étais absent le mardi » under the text of Thursday's bilan
    was « C'est noté. Pouvez-vous dire … pourquoi vous n'avez pas participé ? », and his
    next reply recorded that he had not taken part: he spoke of a Tuesday of his formation."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.says("non j'étais absent le mardi")
    assert hugo.all_text.startswith(
        "Vous parlez du mardi, mais ce bilan a eu lieu le jeudi 26 novembre 2026 : je "
        "n'enregistre rien pour l'instant. Si vous n'avez pas participé à ce bilan-là, "
        "choisissez « Je n'ai pas participé » ; si vous y étiez, choisissez « Je l'atteste "
        "sur l'honneur »."
    )
    assert "pourquoi" not in hugo.all_text
    await hugo.says("ok")
    assert await answers(db) == []
    await hugo.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert answer.answer == "attested"

    lea = person("lea")  # at the role question: no « Vous n'avez pas participé à ce bilan »
    for line in (f"/start {invited['Léa Martin']}", "Léa Martin", "j'étais absente mardi"):
        await lea.says(line)
    assert lea.last.startswith(
        "Vous parlez du mardi, mais ce bilan a eu lieu le jeudi 26 novembre 2026 : je "
        "n'enregistre rien pour l'instant. Choisissez d'abord votre rôle"
    )
    assert "Vous n'avez pas participé" not in lea.all_text
    await lea.says("oui")
    await lea.says("oui")  # no « Vous m'avez dit ne pas avoir pu venir »
    assert len(await answers(db)) == 2


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("non j'étais absente le 24", "mardi 24 novembre"),
        ("j'étais pas là le 25/11", "mercredi 25 novembre"),
        ("absent hier", "mercredi 25 novembre"),
    ],
)
async def test_an_absence_on_another_date_at_the_text_declares_nothing(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    typed: str,
    said: str,
) -> None:
    """Explorer KE3's rest: a date (« le 24 ») was not read as a weekday's name is, and
    « non j'étais absente le 24 » under the text of Thursday 26's bilan asked why she had
    not taken part, her next reply recorded as her non-participation."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.says(typed)
    assert hugo.last.startswith(
        f"Vous parlez du {said}, mais ce bilan a eu lieu le jeudi 26 novembre 2026 : je "
        "n'enregistre rien pour l'instant."
    )
    assert "pourquoi" not in hugo.last
    await hugo.says("absent le 26")  # the bilan's own date: declined, asked why
    assert "pourquoi" in hugo.last
    await hugo.presses("Passer")
    (answer,) = await answers(db)
    assert answer.answer == "declined"


async def test_a_sentence_at_the_text_that_says_nothing_of_it_is_asked_again(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.says("c'était bien")
    assert hugo.last.startswith("Choisissez l'une des trois réponses")
    assert await answers(db) == []
    # A sentence of his own is passed on to the trainer, and asked again (explorer AU3: « j'ai
    # dû quitter la visio à 15 h » was lost).
    await hugo.says("J'ai dû quitter la visio à 15 h, désolé")
    assert hugo.last.startswith("J'ai transmis votre message à Camille Durand.")
    async with db.sessions() as session:
        told = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.key.like("attestation:words:%"))
        )
    assert told is not None and told.chat_id == "formateur"
    # After the bilan, the words come with his answer to the attestation (explorer GE5).
    assert plain(told.payload["text"]) == (
        "Hugo Moreau (pour les stagiaires, bilan de fin de formation « Agent de restauration "
        "(démo) » du jeudi 26 novembre 2026) vous écrit en répondant à l'attestation de "
        "participation : « J'ai dû quitter la visio à 15 h, désolé »"
    )
    assert await answers(db) == []


@pytest.mark.parametrize("typed", ["stop", "annuler", "arrête", "je veux arrêter"])
async def test_asking_to_stop_at_the_text_is_told_the_way_out(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer AG2: a delegate who had never used a bot typed « stop », « arrête », « je veux
    arrêter », « annuler » and got the sworn text back four times, never /annuler."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui", typed):
        await hugo.says(line)
    assert hugo.last.startswith("Pour tout arrêter, tapez /annuler (avec la barre oblique)")
    assert await answers(db) == []
    await hugo.says("/annuler")
    assert "/attestation" in hugo.last  # how to come back
    assert await answers(db) == []


async def test_an_attestation_left_a_day_says_how_to_start_again(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AG10: « Recommencez quand vous voulez », to a delegate who never used a bot,
    without the command every other message to her names."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    clock.advance(hours=25)
    await hugo.says("1")
    assert hugo.all_text.startswith("Sans réponse depuis un moment, j'ai refermé « confirmer")
    assert "Recommencez quand vous voulez : envoyez /attestation." in hugo.all_text
    assert await answers(db) == []


async def test_a_cut_code_pasted_during_the_attestation_says_how_to_go_back_to_it(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AG11: his code pasted again, cut, ended his attestation without a word and
    told him to ask for a new code, while his own still stood."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau"):
        await hugo.says(line)
    asked = hugo.last
    await hugo.says(f"/start {invited['Hugo Moreau'][:-3]}")
    # The code refused, then his question again, nothing set aside (explorers AZ12, UC6).
    assert hugo.all_text.startswith("Ce code n'est pas valable.")
    assert "Je mets de côté" not in hugo.all_text
    assert hugo.last == asked
    assert await answers(db) == []


async def test_a_sentence_before_the_bilan_is_passed_on_to_the_trainer(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer DC4: « Je ne pourrai pas venir … » before the bilan was answered « Rien à
    faire pour l'instant », and the trainer, who may need another delegate, never knew."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("c'est quand ?")  # a short question: the time of the bilan, nothing sent
    await lea.says("ok merci bien, à jeudi alors")  # thanks only: nothing to pass on (DF10)
    assert "J'ai transmis" not in lea.all_text
    await lea.says("Je ne pourrai pas venir, j'ai un entretien d'embauche ce jour-là")
    assert "J'ai transmis votre message à Camille Durand." in lea.all_text
    assert "Rien à faire pour l'instant" in lea.last  # and what to do, as before
    # A huge one is cut, said to both (explorer GB2: 500 characters, inside a word, unsaid).
    await lea.says("La visio a coupé plusieurs fois, je vous explique. " * 60)
    cut = ("La visio a coupé plusieurs fois, je vous explique. " * 60)[:2000].rstrip()
    assert (
        "J'ai transmis votre message à Camille Durand (ses 2\u202f000 premiers caractères : "
        "écrivez-lui directement pour le reste)."
    ) in lea.all_text
    async with db.sessions() as session:
        told = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.key.like("attestation:words:%"))
            )
        ).all()
    assert [(t.chat_id, plain(t.payload["text"])) for t in told] == [
        (
            "formateur",
            # Not « au bilan de « Agent … » », nor an attestation asked before it (GE5).
            "Léa Martin (pour les stagiaires, bilan de fin de formation « Agent de restauration "
            "(démo) » du jeudi 26 novembre 2026) vous écrit : « Je ne pourrai pas venir, j'ai un "
            "entretien d'embauche ce jour-là »",
        ),
        (
            "formateur",
            "Léa Martin (pour les stagiaires, bilan de fin de formation « Agent de restauration "
            f"(démo) » du jeudi 26 novembre 2026) vous écrit : « {cut} […] »\n"
            "(Message coupé : il faisait 3\u202f059 caractères.)",
        ),
    ]


async def test_her_words_are_said_passed_on_to_the_formation_s_trainer_now(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer DF5: the formation handed to Bruno, Léa's words went to him, but she was told
    « J'ai transmis votre message à Camille Durand », who had sent her the link."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    async with db.sessions() as session, session.begin():
        bruno = Person(display_name="Bruno Lefèvre")
        session.add(bruno)
        await session.flush()
        bilan = await session.scalar(select(Bilan))
        assert bilan is not None
        formation = await session.get(Formation, bilan.formation_id)
        assert formation is not None
        session.add(
            Membership(
                organisation_id=formation.organisation_id, person_id=bruno.id, role="formateur"
            )
        )
        formation.owner_id = bruno.id
    await lea.says("Je ne pourrai pas venir, j'ai un entretien d'embauche ce jour-là")
    assert "J'ai transmis votre message à Bruno Lefèvre." in lea.all_text


async def test_a_yes_typed_before_the_text_was_shown_swears_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer DB8: « oui » typed twice while the bot restarted: the second, sent before
    the text existed, was signed as « Je l'atteste sur l'honneur » on it."""
    lea = await lea_at_the_text(trainer, person, clock)
    early = replace(lea.incoming("oui"), sent_at=clock.now - timedelta(seconds=4))
    await lea.send(early)
    assert lea.last.startswith(
        "Votre réponse est partie avant que le texte de l'attestation ne s'affiche : je ne la "
        "compte pas."
    )
    assert await answers(db) == []
    await lea.says("oui")  # read, then typed
    (answer,) = await answers(db)
    assert answer.answer == "attested"


async def test_on_matrix_no_button_is_named_where_none_is_shown(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer GB4: « choisissez le bouton « Je l'atteste sur l'honneur » » on Matrix."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.now = BILAN_END + timedelta(minutes=5)
    lea = person("@lea:ex.org", Platform.MATRIX, chat="!lea:ex.org")
    for said in (f"/start {invited['Léa Martin']}", "Léa Martin", "1"):
        await lea.says(said)
    clock.advance(minutes=1)
    await lea.says("👍")
    assert "choisissez « Je l'atteste sur l'honneur » ou écrivez « je l'atteste »" in lea.last
    assert "bouton" not in lea.last


async def test_on_matrix_a_yes_handled_seconds_after_the_text_is_asked_again(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer GB6: the pacer posts the text about a second after its turn; a second « oui »
    sent 0.56 s before it was there was signed as the oath on it."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    clock.now = BILAN_END + timedelta(minutes=5)
    lea = person("@lea:ex.org", Platform.MATRIX, chat="!lea:ex.org")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.says("1")  # Délégué: the text follows
    assert "Moi, Léa Martin," in lea.all_text
    clock.advance(seconds=2)
    await lea.says("oui")
    assert lea.last.startswith("Votre réponse est partie avant que le texte")
    assert await answers(db) == []
    clock.advance(seconds=30)  # read, then typed
    await lea.says("oui")
    (answer,) = await answers(db)
    assert answer.answer == "attested"


async def test_a_bare_no_at_the_text_declares_nothing_nor_does_a_reason_that_took_part(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer DB5: « non » (meaning « not right ») declined at once, and « mais si j'ai
    participé, la date est fausse » was signed as the reason of a non-participation."""
    lea = await lea_at_the_text(trainer, person, clock)
    await lea.says("non")
    assert lea.last.startswith("Choisissez l'une des trois réponses")
    await lea.presses("Je n'ai pas participé")
    await lea.says("mais si j'ai participé, je voulais dire que la date est fausse")
    assert lea.last.startswith("Vous écrivez avoir participé à ce bilan. Tapez « Retour »")
    assert await answers(db) == []


@pytest.mark.postgres
async def test_je_l_atteste_pressed_as_the_bilan_is_cancelled_stores_nothing_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD1: Camille pressed « Oui, annuler le bilan » while Léa pressed « Je
    l'atteste » (two processes): her attestation was stored, signed and chained, on the
    cancelled bilan, and she was told both « enregistrée » and « annulé ».  Now the cancel
    first, her answer waits for it and reads the bilan again."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        camille, lea = first("formateur"), second("lea")
        await schedule_bilan(camille)
        invited = codes(camille.replies)
        clock.now = BILAN_END + timedelta(minutes=30)
        await lea.says(f"/start {invited['Léa Martin']}")
        await lea.says("Léa Martin")
        await lea.presses("Je représente les stagiaires")
        for step in ("/bilans", "26/11/2026", "Annuler le bilan"):
            await (camille.says(step) if step.startswith("/") else camille.presses(step))
        [bilan_id] = [b.id for b in await bilans(pg_db)]
        await one_after_the_other(
            pg_db,
            Bilan,
            bilan_id,
            camille.presses("Oui, annuler le bilan"),
            lea.presses("Je l'atteste"),
        )
    assert camille.all_text.startswith("C'est annulé")
    assert lea.last == "Ce bilan a été annulé : il n'y a rien à confirmer. Merci !"
    assert await answers(pg_db) == []


@pytest.mark.postgres
async def test_je_l_atteste_pressed_as_the_bilan_is_moved_stores_nothing_on_postgresql(
    pg_db: Database, settings: Settings, clock: Clock
) -> None:
    """Explorer UD1 with « Oui, déplacer »: Léa was told « Votre attestation est
    enregistrée » for 26 November while the bilan moved to 30 November.  Now her answer
    waits for the move and reads the new date: too early, nothing stored."""
    async with two_processes(pg_db, settings, clock) as (first, second):
        camille, lea = first("formateur"), second("lea")
        await schedule_bilan(camille)
        invited = codes(camille.replies)
        clock.now = BILAN_END + timedelta(minutes=30)
        await lea.says(f"/start {invited['Léa Martin']}")
        await lea.says("Léa Martin")
        await lea.presses("Je représente les stagiaires")
        await camille.says("/bilans")
        await camille.presses("26/11/2026")
        await camille.presses("Déplacer")
        await camille.says("lundi 30 novembre à 14 h")
        await camille.presses("Oui, c'est ça")
        [bilan_id] = [b.id for b in await bilans(pg_db)]
        await one_after_the_other(
            pg_db, Bilan, bilan_id, camille.presses("Oui, déplacer"), lea.presses("Je l'atteste")
        )
    assert "lundi 30 novembre 2026" in camille.all_text
    assert lea.all_text.startswith(
        "Le bilan n'est pas terminé : je n'enregistre rien pour l'instant. Vous pourrez "
        "confirmer votre participation à partir du lundi 30 novembre 2026 à 16 h 00"
    )
    assert await answers(pg_db) == []


async def test_her_pdf_is_named_by_the_bilan_s_day_and_formation(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer YD2: Léa, delegate in two formations, got « attestation-sur-l-honneur-v1.pdf »
    after each bilan, twice the same name in her chat and her downloads, nothing saying
    which bilan; « v1 » is no word of hers.  Her copy is named as the bilan's other files."""
    lea = await lea_at_the_text(trainer, person, clock)
    await lea.presses("Je l'atteste")
    (copy,) = [r.document for r in lea.replies if r.document is not None]
    assert copy.filename == "attestation-bilan-2026-11-26-agent-de-restauration-demo.pdf"


def test_what_the_participant_reads_agrees_with_no_name() -> None:
    """Explorer AI7: « Elycoop en est informé » (the agreement followed the organisation's
    name) and « Il irait à votre formateur ou formatrice » (both genders written)."""
    from bot.texts import say

    declined = say(
        "attestation_participant.declined_thanks", when="jeudi 26 novembre", organisation="Elycoop"
    )
    assert "L'organisme Elycoop en est informé." in declined
    # Explorer BB18: its twin, the attestation's thanks, still read « Elycoop la transmettra ».
    for held in ((), ("reserve",)):
        thanks = say(
            "attestation_participant.thanks",
            when="jeudi 26 novembre",
            organisation="Elycoop",
            trainer="Camille Durand",
            held=held,
        )
        assert "'organisme Elycoop la transmettra à la Région" in thanks, thanks
    as_is = say("attestation_participant.ask_words_as_is", words="malade", inviter="")
    assert "Il irait à l'organisme de formation et serait joint à votre réponse" in as_is
