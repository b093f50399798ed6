"""Replies to the health warning on a participant's words, before attesting (explorer MB).

The demo's bilan is Thursday 26 November 2026, 14 h 00 to 16 h 00 in Paris; Camille Durand
is its formation's trainer, Hugo Moreau a delegate invited to it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.storage.db import Database
from bot.texts import plain
from tests.auxil.attestations import after_the_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.test_attestations_words import (
    CHEMO,
    REFUSED,
    answers,
    hugo_asked_why,
    hugo_at_the_text,
    told_the_trainer,
)

AT_THE_NAME = "Hugo Moreau, j'étais à l'hôpital le matin même"
AT_THE_ROLE = "oui, mais je suis parti à 15 h pour ma chimiothérapie"


@pytest.mark.parametrize(
    "lines",
    [
        [AT_THE_NAME, "Hugo Moreau", "oui", "oui"],
        ["Hugo Moreau", AT_THE_ROLE, "oui", "oui"],
    ],
    ids=["name", "role"],
)
async def test_words_pointed_out_then_left_behind_by_answering_are_never_sent_later(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, lines: list[str]
) -> None:
    """Explorer MB10: words pointed out at the name (or the role), then left behind by
    answering that question, were sent to the trainer and signed by the « oui » that answers
    the oath two questions later. Answering the question ends the warning's memory."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    for line in lines:
        await hugo.says(line)
    assert "J'ai transmis" not in hugo.all_text
    assert "Votre attestation est enregistrée" in hugo.all_text, hugo.all_text
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


async def test_oui_right_after_the_warning_at_the_text_is_the_oath_without_the_words(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer MB9: « oui » right after the warning sent the health detail to the trainer
    and signed it, though « oui » is how the oath is answered and the warning never offers
    it. It is the oath: the words are dropped, said once."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says("oui")
    assert plain(hugo.replies[0].text) == (
        "Votre message n'a été ni transmis à Camille Durand ni joint à votre réponse."
    ), hugo.all_text
    assert "Votre attestation est enregistrée" in hugo.all_text
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


@pytest.mark.parametrize(
    "keeping",
    [
        "oui vous pouvez le transmettre",
        "oui transmettez-le à Camille",
        "vous pouvez l'envoyer quand même",
        "c'est bon vous pouvez le garder",
        "oui tel quel s'il vous plaît",
    ],
)
async def test_keeping_the_words_in_other_words_keeps_them_not_the_reply(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, keeping: str
) -> None:
    """Explorer MB3: « oui vous pouvez le transmettre » and the like were passed on and
    signed as the participant's message, the words pointed out lost."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says(keeping)
    assert hugo.last.startswith("J'ai transmis votre message à Camille Durand."), hugo.last
    (told,) = await told_the_trainer(db)
    assert told.endswith(f"« {CHEMO} »"), told
    await hugo.presses("Je l'atteste sur l'honneur")
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", CHEMO)


@pytest.mark.parametrize(
    "refusing", ["ne le transmettez pas", "non supprimez ce message svp", "non", "je laisse tomber"]
)
async def test_refusing_the_words_pointed_out_drops_them_and_sends_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, refusing: str
) -> None:
    """Explorer MB3: « ne le transmettez pas » was sent to the trainer and signed as the
    message. A refusal drops the words, says so, and is itself no message."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(CHEMO)
    await hugo.says(refusing)
    assert hugo.last.startswith(
        "Entendu : votre message n'a été ni transmis à Camille Durand ni joint à votre "
        "réponse. Pour l'attestation, choisissez l'une des réponses ci-dessous."
    ), hugo.last
    await hugo.presses("Je l'atteste sur l'honneur")
    assert "ni transmis" not in hugo.all_text and "Votre attestation est enregistrée" in (
        hugo.all_text
    )
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


@pytest.mark.parametrize(
    "refusing", ["ne le transmettez pas", "non supprimez ce message svp", "je laisse tomber"]
)
async def test_refusing_the_reason_pointed_out_saves_neither_it_nor_the_reply(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, refusing: str
) -> None:
    """Explorer MB3: « ne le transmettez pas » after the reason's warning was saved as the
    reason for not taking part, the text the Région reads."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says("j'étais à l'hôpital pour ma chimiothérapie ce jour-là")
    await hugo.says(refusing)
    assert hugo.replies[0].text.startswith(
        "Entendu : je n'enregistre pas cette raison. Écrivez-en une autre"
    ), hugo.all_text
    assert "Pouvez-vous dire en quelques mots pourquoi" in hugo.last, hugo.last
    assert "C'est noté" not in hugo.all_text, hugo.all_text
    assert await answers(db) == []
    await hugo.says("empêchement")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", "empêchement")


async def test_keeping_the_reason_politely_keeps_the_reason(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer MB3: « oui vous pouvez la garder » was saved as the reason itself."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says("Arrêt maladie ce jour-là")
    await hugo.says("oui vous pouvez la garder")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", "Arrêt maladie ce jour-là")


@pytest.mark.parametrize(
    "oath", ["J'atteste sur l'honneur avoir participé", "je l'atteste sur l'honneur."]
)
async def test_the_oath_typed_at_the_text_is_the_oath_not_a_message(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, oath: str
) -> None:
    """Explorer MB4: « J'atteste sur l'honneur avoir participé » typed was passed on to the
    trainer as a message and kept as the words before the oath."""
    hugo = await hugo_at_the_text(trainer, person, clock)
    await hugo.says(oath)
    assert "Votre attestation est enregistrée" in hugo.all_text, hugo.all_text
    assert await told_the_trainer(db) == []
    (answer,) = await answers(db)
    assert (answer.answer, answer.words_before) == ("attested", None)


async def test_the_oath_typed_at_the_reason_for_not_taking_part_is_no_reason(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer MB4: « je l'atteste sur l'honneur » was saved as the reason for NOT taking
    part; it says what to press, as « mais si j'ai participé » does (explorer DB5)."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says("je l'atteste sur l'honneur")
    assert hugo.last.startswith(REFUSED), hugo.last
    assert await answers(db) == []


ILL = "j'étais en arrêt maladie"
ACKNOWLEDGED = (
    "Votre réponse n'est pas encore enregistrée. Écrivez la raison sans détail de santé "
    "(« empêchement » ou « raison personnelle » suffisent), ou choisissez « Passer »."
)


@pytest.mark.parametrize(
    "typed",
    [
        *("ok compris", "je comprends", "entendu", "ok je vois", "oui je comprends"),
        *("oui c'est compris merci", "Compris !", "ok je note", "bien reçu, merci"),
    ],
)
async def test_an_acknowledgement_of_the_reason_s_health_warning_is_no_reason(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer XA10: « ok compris », « je comprends », « entendu » answering the health
    warning were saved as the reason for not taking part, in the Région's dossier. Read as
    the acknowledgement they are: the rewording asked, nothing saved; the reason then
    written is saved, and the first one sent again unchanged is still kept."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says(ILL)
    assert hugo.last.startswith("Si votre réponse parle de santé"), hugo.last
    await hugo.says(typed)
    assert hugo.replies[0].text.startswith(ACKNOWLEDGED), hugo.all_text
    assert "C'est noté" not in hugo.all_text, hugo.all_text
    assert await answers(db) == []
    await hugo.says("empêchement")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", "empêchement")


async def test_the_reason_sent_again_after_an_acknowledgement_is_kept(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer XA10: after « ok compris », the reason pointed out sent again unchanged is
    kept, as the warning says (« renvoyez-la telle quelle »)."""
    hugo = await hugo_asked_why(trainer, person, clock)
    for line in (ILL, "ok compris", ILL):
        await hugo.says(line)
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", ILL)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("mettez empêchement", "empêchement"),
        ("remplacez par raison personnelle", "raison personnelle"),
        ("écrivez plutôt empêchement", "empêchement"),
        ("ok mettez empêchement alors", "empêchement"),
        ("notez juste empêchement", "empêchement"),
        ("gardez seulement rendez-vous", "rendez-vous"),
        ("Remplacez-la par « raison personnelle » svp", "raison personnelle"),
        ("empêchement svp", "empêchement"),  # courtesy at its ends, not the reason (BB4)
        ("merci, raison personnelle please", "raison personnelle"),
    ],
)
async def test_an_instruction_to_replace_the_reason_saves_the_words_it_gives(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    typed: str,
    reason: str,
) -> None:
    """Explorer XA15: « mettez empêchement » after the health warning was saved verbatim as
    the reason for the Région, and « notez juste empêchement » asked « Garder votre réponse
    telle quelle ? » about the health words. The words the instruction gives are the reason."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says(ILL)
    await hugo.says(typed)
    assert "Garder votre réponse telle quelle" not in hugo.all_text, hugo.all_text
    assert "C'est noté" in hugo.all_text, hugo.all_text
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", reason)


@pytest.mark.parametrize("typed", ["ok", "d'accord", "oui", "okay", "ça marche", "Ok !"])
async def test_a_bare_agreement_to_the_reason_s_health_warning_keeps_nothing(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer ZA7: « ok », « d'accord », « oui » answering the reason's health warning
    saved the health words as the reason for the Région, though the warning says the way to
    keep them is to send them again unchanged. Answered as « ok compris » is: nothing saved,
    and the words sent again unchanged are still kept."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says(ILL)
    await hugo.says(typed)
    assert hugo.replies[0].text.startswith(ACKNOWLEDGED), hugo.all_text
    assert await answers(db) == []
    await hugo.says(ILL)
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", ILL)


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["mettez empêchement"], "empêchement"),
        (["notez juste empêchement"], "empêchement"),
        (["vous pouvez mettre raison personnelle"], "raison personnelle"),
        (["garde d'enfant"], "garde d'enfant"),
        (["remplacer un collègue absent"], "remplacer un collègue absent"),
        ([ILL, "compris, mettez empêchement"], "empêchement"),
        ([ILL, "ok je comprends, raison personnelle alors"], "raison personnelle"),
        ([ILL, "garde d'enfant"], "garde d'enfant"),
        ([ILL, "garde alternée de mes enfants"], "garde alternée de mes enfants"),
        ([ILL, "note de frais à rendre"], "note de frais à rendre"),
        ([ILL, "écrire un mémoire"], "écrire un mémoire"),
        ([ILL, "remplacer un collègue"], "remplacer un collègue"),
        ([ILL, "changement d'horaire au travail"], "changement d'horaire au travail"),
        (["chimio", "garde d'enfants"], "garde d'enfants"),
        ([ILL, "mets empêchement"], "empêchement"),
        ([ILL, "écris plutôt empêchement"], "empêchement"),
        ([ILL, "note juste empêchement"], "empêchement"),
        ([ILL, "remplace par raison personnelle"], "raison personnelle"),
        ([ILL, "vous pouvez mettre empêchement"], "empêchement"),
        (["mets empêchement"], "empêchement"),
        # Explorer AM1: after the warning, an infinitive or « met » that names no noun
        # phrase, or says « par », « plutôt », is the instruction it was before AA1.
        ([ILL, "mettre empêchement"], "empêchement"),
        ([ILL, "non mettre raison personnelle"], "raison personnelle"),
        ([ILL, "mettre plutôt empêchement"], "empêchement"),
        ([ILL, "met empêchement"], "empêchement"),
        ([ILL, "note empêchement"], "empêchement"),
        ([ILL, "noter rendez-vous personnel"], "rendez-vous personnel"),
        ([ILL, "remplacer par empêchement"], "empêchement"),
        ([ILL, "changer par raison personnelle"], "raison personnelle"),
        ([ILL, "écrire empêchement"], "empêchement"),
        ([ILL, "écrire mon mémoire"], "écrire mon mémoire"),
        ([ILL, "mettre en place un atelier"], "mettre en place un atelier"),
        ([ILL, "changer de poste"], "changer de poste"),
        (["mettre empêchement"], "mettre empêchement"),  # no warning: ZA8
        # Explorer BB3: an article before the words the warning itself offers is still the
        # instruction (« noter un empêchement » asked « Garder … « j'étais en arrêt
        # maladie » ? »); an article before anything else is a reason (« écrire un mémoire »).
        ([ILL, "noter un empêchement"], "un empêchement"),
        ([ILL, "note une raison personnelle"], "une raison personnelle"),
        ([ILL, "mettre un empêchement"], "un empêchement"),
        ([ILL, "écrire le motif personnel"], "le motif personnel"),
        ([ILL, "écrire un rapport"], "écrire un rapport"),
    ],
)
async def test_an_instruction_at_the_reason_saves_the_words_it_gives_at_any_turn(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    lines: list[str],
    reason: str,
) -> None:
    """Explorer ZA8: « mettez empêchement » as the first answer, « compris, mettez
    empêchement » after the warning, were saved whole as the reason for the Région. The words
    the instruction gives are the reason; a true reason that starts like a verb is kept.
    Explorer AA1: after the warning, « garde d'enfant », « note de frais à rendre », « écrire
    un mémoire » were read as instructions and saved cut (« d'enfant »): a noun phrase or an
    infinitive is the reason as typed, only an instruction plainly addressed to the bot gives
    the words to write; AA2: « mets empêchement » (tutoiement) is such an instruction."""
    hugo = await hugo_asked_why(trainer, person, clock)
    for line in lines:
        await hugo.says(line)
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", reason)


@pytest.mark.parametrize(
    "typed", ["pourquoi ?", "pourquoi ？", "c'est obligatoire ？", "je dois répondre？"]
)
async def test_a_question_at_the_reason_is_answered_never_saved(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer ZA8: « pourquoi ? », « c'est obligatoire ？ » typed at « pourquoi vous n'avez
    pas participé ? » were saved as the reason, in the Région's dossier. A question is
    answered (why it is asked, that « Passer » is possible) and the question asked again."""
    hugo = await hugo_asked_why(trainer, person, clock)
    await hugo.says(typed)
    assert await answers(db) == []
    said = hugo.all_text
    assert "C'est noté" not in said, said
    assert "facultati" in said and "Passer" in said, said
    assert "pourquoi vous n'avez pas participé" in said.splitlines()[-1], said
    await hugo.says("empêchement")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", "empêchement")


async def test_the_reason_typed_again_after_reopening_the_link_is_warned_again(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer ZA9: after the reason's health warning, her link opened again asked the
    question as new, and the same words typed to it counted as « sent again unchanged »:
    saved for the Région. The question asked anew is a new asking: the warning comes again."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.presses("Je n'ai pas participé")
    await hugo.says(ILL)
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    assert "Vous aviez déjà ouvert ce lien" in hugo.all_text, hugo.all_text
    await hugo.says(ILL)
    assert hugo.last.startswith("Si votre réponse parle de santé"), hugo.all_text
    assert await answers(db) == []
    await hugo.says(ILL)
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", ILL)


async def test_words_typed_again_at_the_text_after_reopening_the_link_are_warned_again(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer ZA9: the same at the text: the words pointed out, the link opened again, the
    same words typed were passed on to the trainer and kept with the signed answer."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui", CHEMO):
        await hugo.says(line)
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says(CHEMO)
    assert "J'ai transmis" not in hugo.all_text, hugo.all_text
    assert "Je n'ai pas encore transmis votre message" in hugo.all_text, hugo.all_text
    assert await told_the_trainer(db) == []


async def test_the_reason_s_health_words_do_not_rest_in_the_row_after_an_acknowledgement(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer ZA18: after « ok compris », the health words pointed out rested as typed (and
    folded) in the conversation's row. Only a digest rests, to know them sent again: then
    the words sent again are what is saved."""
    from sqlalchemy import select

    from bot.storage.state import ConversationState

    hugo = await hugo_asked_why(trainer, person, clock)
    for line in (ILL, "ok compris"):
        await hugo.says(line)
    async with db.sessions() as session:
        rows = (await session.scalars(select(ConversationState))).all()
    assert rows and not any("maladie" in str(row.data) for row in rows), [r.data for r in rows]
    await hugo.says(ILL)
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason) == ("declined", ILL)


@pytest.mark.parametrize("typed", ["je la garde", "je retire ma réponse"])
async def test_after_an_acknowledgement_only_the_words_sent_again_keep_them(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer ZA18: once only their digest rests, « je la garde » or « je retire ma
    réponse » is never saved as the reason: the words are kept by sending them again."""
    hugo = await hugo_asked_why(trainer, person, clock)
    for line in (ILL, "ok compris", typed):
        await hugo.says(line)
    assert hugo.replies[0].text.startswith(ACKNOWLEDGED), hugo.all_text
    assert await answers(db) == []
