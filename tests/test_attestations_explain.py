"""At the attestation's text, « je comprends pas » and a question about article 441-7
answered in plain words (explorer QB7).

The demo's bilan is Thursday 26 November 2026; Camille Durand is its formation's trainer,
Hugo Moreau a delegate invited to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.storage.db import Database
from tests.auxil.attestations import BILAN_END, BILAN_START, add_bilan, after_the_bilan, issue_code
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.test_attestations_words import CHEMO, answers, hugo_at_the_text, told_the_trainer

EXPLAINED = (
    "Ce texte dit que vous avez bien participé à ce bilan ; le confirmer vaut signature. "
    "Si c'est vrai, choisissez 1, « Je l'atteste sur l'honneur ». Si vous n'y avez pas "
    "participé, choisissez 2, « Je n'ai pas participé ». Si votre nom est mal écrit, "
    "choisissez 3."
)
LAW = (
    "L'article 441-7 du code pénal punit une fausse attestation d'un an d'emprisonnement "
    "et de 15 000 euros d'amende"
)


@pytest.mark.parametrize(
    "typed",
    [
        "je comprends pas",
        "Je ne comprends pas",
        "c'est quoi ?",
        "ça veut dire quoi",
        "Qu'est-ce que ça veut dire ?",
        "j'ai pas compris",
        "je dois faire quoi ?",
    ],
)
async def test_not_understanding_the_text_gets_it_in_plain_words(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer QB7: « je comprends pas » got « Choisissez l'une des trois réponses » and
    the whole text again. Now what the text means and which answer to choose, then the
    text and its answers again; nothing passed on nor signed."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(typed)
    assert hugo.replies[0].text.startswith(EXPLAINED), hugo.all_text
    assert "Choisissez l'une des trois réponses" not in hugo.all_text
    assert "j'atteste sur l'honneur" in hugo.last
    assert await told_the_trainer(db) == [] and await answers(db) == []
    await hugo.says("1")
    (answer,) = await answers(db)
    assert answer.answer == "attested"


@pytest.mark.parametrize(
    "typed", ["c'est quoi l'article 441-7 ?", "Article 441-7 du code pénal ?", "441-7 ?"]
)
async def test_a_question_about_the_article_is_answered_in_one_line(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer QB7: « c'est quoi l'article 441-7 ? » was only passed on to the trainer
    (« J'ai transmis votre message »), the person left waiting. The article the text cites
    answered: a false attestation, a year's prison and a 15 000 euros fine."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(typed)
    assert hugo.replies[0].text.startswith(LAW), hugo.all_text
    assert "J'ai transmis" not in hugo.all_text
    assert "j'atteste sur l'honneur" in hugo.last
    assert await told_the_trainer(db) == [] and await answers(db) == []


async def test_a_message_that_is_not_a_question_about_the_text_is_still_passed_on(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AU3 kept: words of one's own at the text still go to the trainer."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says("je ne comprends pas pourquoi la date est le 26, j'étais là le 27")
    assert hugo.replies[0].text.startswith("J'ai transmis votre message à Camille Durand.")
    assert len(await told_the_trainer(db)) == 1
    # A question about the article with more said after it (explorer SB4: the note of
    # leaving early was dropped for the article's answer).
    await hugo.says("c'est quoi l'article 441-7 ? je suis parti à 15h")
    assert hugo.replies[0].text.startswith("J'ai transmis votre message à Camille Durand.")
    assert "je suis parti à 15h" in (await told_the_trainer(db))[-1]


async def test_after_the_health_warning_the_reply_answers_the_warning(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """A « c'est quoi ? » right after the health warning is not taken for a question about
    the text: the words pointed out are not passed on."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says("c'est quoi ?")
    assert EXPLAINED not in hugo.all_text
    assert CHEMO not in "".join(await told_the_trainer(db))


EXPLAINED_WARNING = (
    "Votre message semble parler de santé : je ne l'ai pas encore transmis, car il serait "
    "joint tel quel à votre réponse, dans le dossier transmis à la Région"
)


@pytest.mark.parametrize("typed", ["je comprends pas", "c'est quoi ?", "j'ai pas compris"])
async def test_not_understanding_the_health_warning_gets_it_explained(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer SB5: « je comprends pas » right after the health warning got « Choisissez
    l'une des trois réponses ». The warning is explained, its three ways out said; the words
    are still held: « tel quel » then passes them on."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says(typed)
    assert hugo.replies[0].text.startswith(EXPLAINED_WARNING), hugo.all_text
    assert "le transmettre malgré tout à Camille Durand" in hugo.replies[0].text
    assert "Choisissez l'une des trois réponses" not in hugo.all_text
    assert "j'atteste sur l'honneur" in hugo.last
    assert await told_the_trainer(db) == [] and await answers(db) == []
    await hugo.says("tel quel")
    assert hugo.replies[0].text.startswith("J'ai transmis votre message à Camille Durand.")
    (told,) = await told_the_trainer(db)
    assert told.endswith(f"« {CHEMO} »"), told


@pytest.mark.parametrize(
    "typed",
    [
        *("je l'atteste ?", "oui ?", "oui??", "1 ?", "Je l'atteste sur l'honneur ?"),
        # Explorer XA5: full-width (iOS CJK or emoji keyboards), Spanish, reversed, emoji.
        *("oui ？", "oui ¿", "¿oui", "je l'atteste ⸮", "oui ❓", "oui ‽"),
    ],
)
async def test_an_oath_asked_as_a_question_signs_nothing_and_is_explained(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer UA8: « je l'atteste ? », « oui ? », « 1 ? » at the sworn text recorded the
    attestation. A reply that asks is never the oath: the text explained in plain words, as
    for « je comprends pas », and the question asked again; nothing signed nor passed on.
    Any question mark asks (explorer XA5: « oui ？ », « oui ¿ » signed)."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(typed)
    assert hugo.replies[0].text.startswith(EXPLAINED), hugo.all_text
    assert "j'atteste sur l'honneur" in hugo.last
    assert await told_the_trainer(db) == [] and await answers(db) == []
    await hugo.says("oui")
    (answer,) = await answers(db)
    assert answer.answer == "attested"


async def test_a_question_about_the_text_after_an_ok_is_explained_not_passed_on(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer UA9: « ok ça veut dire quoi ? » went to the trainer as a message, while « ça
    veut dire quoi ? » got the text in plain words."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says("ok ça veut dire quoi ?")
    assert hugo.replies[0].text.startswith(EXPLAINED), hugo.all_text
    assert await told_the_trainer(db) == [] and await answers(db) == []


@pytest.mark.parametrize(
    "typed", ["je sais pas", "c'est quoi la différence ?", "je suis quoi ?", "je comprends pas"]
)
async def test_a_doubt_at_the_role_question_gets_the_roles_in_plain_words(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer KE9: « je sais pas », « c'est quoi la différence ? » at « À quel titre
    participez-vous à ce bilan ? » were « Je n'ai pas reconnu ce choix : rien dans la liste ne
    correspond à … », the newcomer no wiser."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau"):
        await hugo.says(line)
    await hugo.says(typed)
    assert hugo.all_text.startswith(
        "Représenter les stagiaires, c'est parler au bilan au nom du groupe, comme le font ses "
        "délégués. Si vous y étiez seulement comme stagiaire, choisissez « Je suis stagiaire "
        "de la formation »."
    )
    assert "Je n'ai pas reconnu" not in hugo.all_text
    assert "À quel titre participez-vous à ce bilan ? D'après votre invitation" in hugo.last
    assert await told_the_trainer(db) == [] and await answers(db) == []
    await hugo.says("oui")
    assert "Moi, Hugo Moreau, représentant les stagiaires" in hugo.last


@pytest.mark.parametrize(
    "typed", ["je sais pas", "c'est quoi ?", "c'est quoi une structure ?", "je mets quoi ?"]
)
async def test_a_doubt_at_a_partner_s_structure_question_says_what_is_asked(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer KE12: « je sais pas », « c'est quoi ? » at « Quelle structure
    représentez-vous ? » were « Je n'ai pas compris : écrivez seulement le nom de la
    structure que vous représentez », which says what to write but not what it is."""
    bilan_id = await add_bilan(
        db, start=BILAN_START, participants=(("partner", "Dominique Roux", None),)
    )
    code = await issue_code(db, bilan_id, "Dominique Roux", at=clock.now)
    clock.now = BILAN_END + timedelta(minutes=30)
    dominique = person("dominique")
    for line in (f"/start {code}", "Dominique Roux"):
        await dominique.says(line)
    await dominique.says(typed)
    assert dominique.last.startswith(
        "Il me faut le nom de l'organisme pour lequel vous participez à ce bilan, celui qui vous "
        "emploie : par exemple « France Travail Caen », « Mission locale de Lisieux », « Cap "
        "emploi Calvados », ou l'entreprise qui accueille un stagiaire."
    )
    assert "Je n'ai pas compris" not in dominique.all_text
    assert await told_the_trainer(db) == [] and await answers(db) == []
    await dominique.says("Mission locale de Lisieux")
    assert "pour la structure « Mission locale de Lisieux »" in dominique.last
