"""Replies to the health warning that speak of the message itself (explorer QA1), and « oui »
after « Je n'ai pas participé » (explorer QA3).

The demo's bilan is Thursday 26 November 2026, 14 h 00 to 16 h 00 in Paris; Camille Durand
is its formation's trainer, Hugo Moreau a delegate invited to it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.privacy.health import about_the_message, keeping_explicitly, only_about_the_message
from bot.storage.db import Database
from tests.auxil.attestations import after_the_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import FOR_CHOICES, Bad, step_of, survives
from tests.test_attestations_hostile import add_bilan, issue_code
from tests.test_attestations_words import (
    CHEMO,
    answers,
    hugo_asked_why,
    hugo_at_the_text,
    told_the_trainer,
)

HOSPITAL = "j'étais à l'hôpital pour ma chimiothérapie ce jour-là"
ASKED = "Transmettre votre message tel quel ?"
KEEP, DROP = "Oui, le transmettre tel quel", "Non, ne rien transmettre"
REASON_ASKED = "Garder votre réponse telle quelle ?"
MAYBE = Bad("neither yes nor no", "peut-être, je ne sais pas")
DROPPED = "Entendu : votre message n'a été ni transmis à Camille Durand ni joint à votre réponse."


@pytest.mark.parametrize(
    "reply",
    [
        "Ne transmettez pas ce message",
        "merci de ne pas le transmettre",
        "non ne le transmettez surtout pas",
        "je ne veux pas que ce soit transmis",
        "non, je préfère ne pas l'envoyer",
        "ne pas transmettre svp",
        "c'est privé, ne le transmettez pas",
        "non c'est bon, oubliez ce que j'ai dit",
        "finalement je ne veux pas l'envoyer",
        "pas besoin de le transmettre",
        "allez-y, transmettez-le tel quel",
        "je confirme, vous pouvez le transmettre à Camille Durand",
        "transmettez à personne",
        "envoyez-le à la poubelle",
    ],
)
async def test_a_reply_about_the_message_is_asked_about_never_sent_nor_signed(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, reply: str
) -> None:
    """Explorer QA1: after the health warning, « Ne transmettez pas ce message », « merci de
    ne pas le transmettre », « allez-y, transmettez-le tel quel » were passed on to the
    trainer and signed as the message. A reply that speaks of the message itself is asked
    about with two buttons; « Non » drops the words, and the oath is signed without them."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says(reply)
    assert hugo.last.startswith(f"{ASKED}\n« {CHEMO} »"), hugo.last
    assert [c.label for c in hugo.replies[-1].choices] == [KEEP, DROP]
    assert "J'ai transmis" not in hugo.all_text
    assert await told_the_trainer(db) == [] and await answers(db) == []
    await hugo.presses(DROP)
    assert hugo.replies[0].text.startswith(DROPPED), hugo.all_text
    assert "j'atteste sur l'honneur" in hugo.last
    await hugo.presses("Je l'atteste sur l'honneur")
    assert "Votre attestation est enregistrée" in hugo.all_text, hugo.all_text
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


@pytest.mark.parametrize("answer_typed", [None, "oui", "tel quel"])
async def test_yes_to_the_question_passes_on_the_words_pointed_out_not_the_reply(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    answer_typed: str | None,
) -> None:
    """Explorer QA1: « allez-y, transmettez-le tel quel » was itself the message, the words
    pointed out lost. « Oui » (pressed or typed) passes the words on as written."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says("allez-y, transmettez-le tel quel")
    if answer_typed is None:
        await hugo.presses(KEEP)
    else:
        await hugo.says(answer_typed)
    assert hugo.replies[0].text.startswith("J'ai transmis votre message à Camille Durand."), (
        hugo.all_text
    )
    (told,) = await told_the_trainer(db)
    assert told.endswith(f"« {CHEMO} »"), told
    await hugo.presses("Je l'atteste sur l'honneur")
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", CHEMO)


async def test_no_typed_to_the_question_drops_the_words(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer QA1: the question's typed answer is read simply, as a yes or a no."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says("Ne transmettez pas ce message")
    await hugo.says("non")
    assert hugo.replies[0].text.startswith(DROPPED), hugo.all_text
    await hugo.says("oui")
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


@pytest.mark.parametrize(
    "reply",
    [
        "Ne transmettez pas ce message",
        "merci de ne pas l'enregistrer",
        "non je préfère ne pas la donner",
        "ne l'enregistrez pas",
        "je retire ma réponse",
        "pas besoin de le noter",
        "non, oubliez ce que j'ai écrit",
        "envoyez à personne svp",
        # explorer SB2: the Région reads the reason; sending it to the trainer is no keep
        "vous pouvez la transmettre à ma formatrice",
        "transmettez-la à ma formatrice",
        "transmettez-la au formateur",
        "transmettez-la à elle",
        "transmettez-la à Camille Durand",
    ],
)
async def test_a_reply_about_the_reason_is_asked_about_never_saved_as_the_reason(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, reply: str
) -> None:
    """Explorer QA1: « je retire ma réponse », « ne l'enregistrez pas » after the reason's
    health warning were saved as the reason for the Région. Asked; « Non » drops the reason
    and asks for another, nothing saved meanwhile."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says(HOSPITAL)
    await hugo.says(reply)
    assert hugo.last.startswith(f"{REASON_ASKED}\n« {HOSPITAL} »"), hugo.last
    assert await answers(db) == []
    await hugo.presses("Non, ne pas la garder")
    assert hugo.replies[0].text.startswith("Entendu : je n'enregistre pas cette raison.")
    assert "Pouvez-vous dire en quelques mots pourquoi" in hugo.last, hugo.last
    assert await answers(db) == []
    await hugo.says("empêchement")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", "empêchement")
    assert await told_the_trainer(db) == []


async def test_yes_to_the_reason_s_question_keeps_the_reason_as_written(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer QA1: the reason kept is the one pointed out, never the reply."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says(HOSPITAL)
    await hugo.says("je confirme, vous pouvez l'enregistrer telle quelle")
    await hugo.presses("Oui, la garder telle quelle")
    assert "C'est noté : vous déclarez ne pas avoir participé" in hugo.last, hugo.last
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", HOSPITAL)


@pytest.mark.parametrize("agreeing", ["oui", "je confirme"])
async def test_oui_after_choosing_not_to_have_taken_part_never_signs_the_oath(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, agreeing: str
) -> None:
    """Explorer QA3: words pointed out, « Je n'ai pas participé » pressed (the notice that the
    words went nowhere), then « oui »: the oath of participation was signed. « oui » there
    confirms the answer chosen: the words dropped (said), the reason asked, nothing signed."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.presses("Je n'ai pas participé")
    await hugo.says(agreeing)
    assert "Votre attestation est enregistrée" not in hugo.all_text, hugo.all_text
    assert hugo.replies[0].text.startswith("Votre message n'a été ni transmis"), hugo.all_text
    assert "Pouvez-vous dire en quelques mots pourquoi" in hugo.last, hugo.last
    assert await answers(db) == []
    await hugo.presses("Passer")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason, answer.words_before) == ("declined", None, None)
    assert await told_the_trainer(db) == []


async def test_tel_quel_at_the_reason_after_the_words_were_dropped_is_no_reason(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer QA3 (x1): « Je n'ai pas participé » pressed twice after the warning, then
    « tel quel » (as the notice had offered) at the reason was saved as the reason."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.presses("Je n'ai pas participé")
    await hugo.presses("Je n'ai pas participé")
    await hugo.says("tel quel")
    assert "ce n'est pas une raison que je puisse enregistrer" in hugo.last, hugo.last
    assert await answers(db) == [] and await told_the_trainer(db) == []
    await hugo.presses("Passer")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason, answer.words_before) == ("declined", None, None)


async def test_a_reply_about_the_words_written_at_the_name_is_asked_about_too(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer QA1 (x3): the same at the name, where words are read the same way: « Non »
    drops them, the name is asked again, and the oath goes without them."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Hugo Moreau, j'étais à l'hôpital le matin même")
    await hugo.says("Ne transmettez pas ce message")
    assert hugo.last.startswith(ASKED), hugo.last
    await hugo.presses(DROP)
    assert hugo.replies[0].text.startswith(DROPPED), hugo.all_text
    for line in ("Hugo Moreau", "oui", "oui"):
        await hugo.says(line)
    assert "Votre attestation est enregistrée" in hugo.all_text, hugo.all_text
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


@pytest.mark.parametrize(
    ("typed", "about"),
    [
        ("je retire ma réponse", True),
        ("c'est privé, ne le transmettez pas", True),
        ("j'ai quitté le bilan plus tôt pour un rendez-vous", False),
        ("je suis partie à 15 h", False),
    ],
)
def test_about_the_message_reads_words_of_sending_keeping_or_removing(
    typed: str, about: bool
) -> None:
    """Explorer QA1: the rule is the words' kind, not a closed list of phrasings; a rewrite
    without such words stays a rewrite."""
    assert about_the_message(typed) is about


async def _words_pointed_out(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, step: str
) -> tuple[Talker, str]:
    """Someone whose words at ``step`` were just pointed out for health, and those words."""
    if step == "structure":  # a partner, no structure known: « Quelle structure … ? »
        bilan_id = await add_bilan(
            db, start=clock.now, participants=(("partner", "Julie Vasseur", None),)
        )
        julie = person("julie")
        await julie.says(f"/start {await issue_code(db, bilan_id, 'Julie Vasseur', at=clock.now)}")
        clock.advance(hours=3)
        await julie.says("/attestation")
        await julie.says("Julie Vasseur")
        assert "Quelle structure représentez-vous ?" in julie.last, julie.last
        said = "Mission locale, mais je suis partie à 15 h pour ma chimiothérapie"
        await julie.says(said)
        return julie, said
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    said = {
        "name": "Hugo Moreau, j'étais à l'hôpital le matin même",
        "role": "oui, mais je suis parti à 15 h pour ma chimiothérapie",
        "text": CHEMO,
    }[step]
    for line in {"name": [], "role": ["Hugo Moreau"], "text": ["Hugo Moreau", "oui"]}[step]:
        await hugo.says(line)
    await hugo.says(said)
    assert "Je n'ai pas encore transmis votre message" in hugo.all_text, hugo.all_text
    return hugo, said


@pytest.mark.parametrize("step", ["name", "role", "structure", "text"])
@pytest.mark.parametrize(
    "reply",
    [
        "transmettez à personne",
        "envoyez-le à la poubelle",
        "vous pouvez le transmettre à personne",
        "renvoyez-le au secrétariat",
        "Ne transmettez pas ce message",
    ],
)
async def test_sent_to_nobody_or_elsewhere_is_no_keep_at_any_question(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    step: str,
    reply: str,
) -> None:
    """Explorer QA6: « transmettez à personne », « envoyez-le à la poubelle » (any word after
    « à ») were read as « send it to Camille »: the health detail passed on and signed; and
    explorer QA8: « Ne transmettez pas ce message » became a partner's structure. At each
    question the words can be written at, they are asked about, nothing passed on or kept."""
    talker, said = await _words_pointed_out(trainer, person, db, clock, step)
    await talker.says(reply)
    assert talker.last.startswith(f"{ASKED}\n« {said} »"), talker.last
    assert "J'ai transmis" not in talker.all_text and "pour la structure" not in talker.all_text
    assert await told_the_trainer(db) == [] and await answers(db) == []


async def test_sent_to_the_trainer_by_name_is_still_a_keep(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer QA6: only the trainer's name (or « ma formatrice ») after « à » keeps the
    words, as the warning offers; they are passed on to her."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says("transmettez-le à Camille Durand svp")
    assert hugo.replies[0].text.startswith("J'ai transmis votre message à Camille Durand.")
    (told,) = await told_the_trainer(db)
    assert told.endswith(f"« {CHEMO} »"), told


@pytest.mark.parametrize(
    ("typed", "keeps"),
    [
        ("transmettez à personne", False),
        ("vous pouvez l'envoyer à la poubelle", False),
        ("renvoyez le au secrétariat", False),
        ("envoyez-le à mon patron", False),
        ("transmettez-le à la Région", False),
        ("transmettez-le à Camille", True),
        ("vous pouvez le transmettre à Camille Durand", True),
        ("transmettez à madame Durand svp", True),
        ("oui, envoyez-le à ma formatrice", True),
    ],
)
def test_a_keep_names_no_one_but_the_trainer(typed: str, keeps: bool) -> None:
    """Explorer QA6: the one or two words after « à » were never looked at."""
    assert keeping_explicitly(typed, "Camille Durand") is keeps


@pytest.mark.parametrize(
    "typed",
    ["oui, envoyez-le à ma formatrice", "transmettez-la au formateur", "transmettez-la à elle"],
)
def test_with_no_trainer_reading_a_keep_names_no_one(typed: str) -> None:
    """Explorer SB2: where no trainer reads the words (the reason, for the Région), a keep
    that sends them to the trainer keeps nothing; « tel quel » alone still does."""
    assert keeping_explicitly(typed) is False
    assert keeping_explicitly("transmettez-la telle quelle") is True


@pytest.mark.parametrize(
    "rewritten",
    [
        "empêchement (je ne veux pas donner de détail)",
        "rendez-vous, je ne veux pas donner de détail",
        "empêchement, je préfère garder le détail pour moi",
        "raison personnelle, désolé de ne pas l'avoir noté plus tôt",
        # filler only: « personnel » and no detail given is the rewording all the same
        "c'est personnel, je ne veux pas donner de détail",
        "je préfère ne pas donner de détails",
        "perso, je garde les détails pour moi",
    ],
)
async def test_a_reason_rewritten_in_words_that_speak_of_giving_or_keeping_is_the_reason(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, rewritten: str
) -> None:
    """Explorer UA7: a reason rewritten after the health warning, in words that happen to say
    « donner », « garder », « noter », was asked « Garder votre réponse telle quelle ? » about
    the first (health) reason, and « oui » saved « j'étais malade, gastro » for the Région.
    A reply that says more than talk about the message is the new reason."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says("j'étais malade, gastro")
    await hugo.says(rewritten)
    assert REASON_ASKED not in hugo.all_text, hugo.all_text
    assert "C'est noté" in hugo.all_text, hugo.all_text
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", rewritten)


async def test_words_rewritten_in_words_that_speak_of_giving_are_the_new_message(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer UA7: at the text, « je suis parti à 15 h pour un rendez-vous, je ne veux pas
    donner de détail » after the warning was asked « Transmettre votre message tel quel ? »
    about the chemotherapy sentence, which « oui » then sent and signed. It is the new
    message: passed on and kept, the health words nowhere."""
    rewritten = "je suis parti à 15 h pour un rendez-vous, je ne veux pas donner de détail"
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says(rewritten)
    assert ASKED not in hugo.all_text, hugo.all_text
    assert hugo.last.startswith("J'ai transmis votre message à Camille Durand."), hugo.last
    await hugo.says("oui")
    (told,) = await told_the_trainer(db)
    assert told.endswith(f"« {rewritten} »") and "chimio" not in told, told
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", rewritten)


async def test_words_rewritten_as_filler_alone_are_the_new_message(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Closing 38 (WD's rest of explorer UA7): « c'est personnel, je ne veux pas donner de
    détail » after the warning drops the health detail, as the warning asks; it was asked
    « tel quel ? » about the chemotherapy sentence. It is the new message, passed on."""
    rewritten = "c'est personnel, je ne veux pas donner de détail"
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says(rewritten)
    assert ASKED not in hugo.all_text, hugo.all_text
    assert hugo.last.startswith("J'ai transmis votre message à Camille Durand."), hugo.last
    await hugo.says("oui")
    (told,) = await told_the_trainer(db)
    assert told.endswith(f"« {rewritten} »") and "chimio" not in told, told
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", rewritten)


@pytest.mark.parametrize(
    ("typed", "alone"),
    [
        ("c'est privé, ne le transmettez pas", True),
        ("allez-y, transmettez-le tel quel", True),
        ("non c'est bon, oubliez ce que j'ai dit", True),
        ("rendez-vous, je ne veux pas donner de détail", False),
        ("empêchement (je ne veux pas donner de détail)", False),
        ("c'est personnel, je ne veux pas donner de détail", False),
        ("je ne souhaite pas entrer dans les détails", False),
        ("non je préfère ne pas la donner", True),
        ("ne transmettez pas ce message, je ne veux pas donner de détail", True),
    ],
)
def test_only_about_the_message_leaves_out_a_reply_with_a_message_of_its_own(
    typed: str, alone: bool
) -> None:
    """Explorer UA7: what is asked « tel quel ? » is a reply about the message alone."""
    assert only_about_the_message(typed) is alone


async def test_the_question_about_the_message_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """« Transmettre votre message tel quel ? » re-asks on wrong, empty, huge or hostile input:
    nothing passed on to the trainer, nothing signed (coverage BC)."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says("Ne transmettez pas ce message")
    assert await step_of(db, hugo) == ("attestation", "words_as_is")
    await survives(db, hugo, (*FOR_CHOICES, MAYBE))
    assert hugo.buttons == [KEEP, DROP]
    assert await told_the_trainer(db) == [] and await answers(db) == []


async def test_the_question_about_the_reason_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """« Garder votre réponse telle quelle ? » re-asks on wrong, empty, huge or hostile input:
    no reason saved, nothing passed on (coverage BC)."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says(HOSPITAL)
    await hugo.says("je retire ma réponse")
    assert await step_of(db, hugo) == ("attestation", "reason_as_is")
    await survives(db, hugo, (*FOR_CHOICES, MAYBE))
    assert hugo.buttons == ["Oui, la garder telle quelle", "Non, ne pas la garder"]
    assert await answers(db) == [] and await told_the_trainer(db) == []
