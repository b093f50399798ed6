"""The Région's chargée de mission answering the bot on Tchap reaches the trainer.

Outside test (explore-D, H1): she got the bilan's invitation from the bot (« je
ne suis qu'un assistant qui transmet »), answered « je propose le 15 à 10 h »
in that chat and read the stranger's « il faut une invitation … »; her answer
reached nobody.  The demo's trainer is Camille Durand (console ``formateur``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.messages import Platform
from bot.storage.db import Database
from bot.storage.formations import Formation
from bot.storage.outbox import OutboxMessage
from bot.texts import plain
from tests.auxil.attestations import BILAN_END, BILAN_START, codes, schedule_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import FOR_CHOICES, HTML, HUGE, step_of, survives, survives_outside
from tests.auxil.organisations import add_organisations

SOPHIE = "@sophie.leroy-normandie.fr:agent.tchap.gouv.fr"
STRANGER = "il faut une invitation de votre organisme de formation"
THANKS = (
    "Merci, j'ai transmis votre message à Camille Durand (Organisme de démonstration), "
    "qui vous répondra."
)


async def follows(db: Database, title: str, matrix_id: str = SOPHIE) -> None:
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Formation).where(Formation.title == title).values(cm_matrix=matrix_id)
        )


async def notices(db: Database, prefix: str = "charge-de-mission:") -> list[OutboxMessage]:
    """What the outbox holds for the trainers (not the bilan's own invitations)."""
    async with db.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.key.like(prefix + "%"))
            .order_by(OutboxMessage.id)
        )
        return list(rows.all())


def sophie(person: Callable[..., Talker]) -> Talker:
    return person(SOPHIE, Platform.MATRIX, chat="!dm-sophie:agent.tchap.gouv.fr")


async def test_her_answer_reaches_the_trainer_quoted_with_the_formation_and_bilan(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await follows(db, "Agent de restauration (démo)")
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says("Le 26, faut-il prévoir un ordinateur pour la visio ?")
    assert her.all_text == THANKS
    [row] = await notices(db)
    assert (row.platform, row.chat_id) == ("console", "formateur")
    text = row.payload["text"]
    assert text.startswith(f"<b>Message de Mme Sophie Leroy</b> ({SOPHIE})")
    assert "votre formation « Agent de restauration (démo) »" in text
    assert "(bilan de fin de formation du jeudi 26 novembre 2026 à 14 h 00)" in text
    assert "« Le 26, faut-il prévoir un ordinateur pour la visio ? »" in text
    assert "écrivez-lui directement, sur Tchap ou par e-mail (sophie.leroy@example.org)" in text
    assert "ordinateur" not in caplog.text and "visio ?" not in caplog.text

    await her.says("c'est noté, merci")
    assert her.all_text == THANKS
    assert len(await notices(db)) == 2  # each message passed on, once
    assert STRANGER not in her.all_text


async def test_asking_for_the_visio_link_she_gets_it_at_once(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer UE4: during the bilan, « pouvez-vous me renvoyer le lien de la visio ? » got
    « Camille Durand vous répondra » only, the trainer busy animating that very visio, while
    the bot had the link and gave it to every délégué."""
    await follows(db, "Agent de restauration (démo)")
    await schedule_bilan(trainer)
    clock.now = BILAN_START + timedelta(minutes=5)
    her = sophie(person)
    await her.says("Bonjour, pouvez-vous me renvoyer le lien de la visio ?")
    assert her.all_text == (
        THANKS + "\nPour rejoindre le bilan de fin de formation du jeudi 26 novembre 2026 à"
        " 14 h 00 (formation « Agent de restauration (démo) ») : https://visio.example.org/bilan"
        " (mot de passe communiqué à part)"
    )
    assert len(await notices(db)) == 1  # passed on as well
    clock.now = BILAN_END + timedelta(minutes=5)
    await her.says("le lien de la visio ?")
    assert her.all_text == THANKS  # over: no link


async def test_the_server_part_of_her_id_is_read_whatever_its_case(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, "Agent de restauration (démo)", SOPHIE.replace("agent.tchap", "Agent.Tchap"))
    await sophie(person).says("bonjour")
    assert len(await notices(db)) == 1
    await person("@Sophie.leroy-normandie.fr:agent.tchap.gouv.fr", Platform.MATRIX).says("ok")
    assert len(await notices(db)) == 1  # another user part: another person


async def test_commands_explain_what_the_bot_does_for_her_and_pass_nothing_on(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, "Agent de restauration (démo)")
    her = sophie(person)
    for typed in ("/aide", "/start", "aide", "/formations", "/absence"):
        await her.says(typed)
        said = her.all_text
        assert said.startswith("Bonjour Madame, je suis formabot"), typed
        assert "pour Camille Durand (Organisme de démonstration)" in said, typed
        assert "Formation « Agent de restauration (démo) »." in said
        assert "écrivez votre message ici, et je le fais suivre à Camille Durand" in said
        assert "réservée" in said and STRANGER not in said, typed
    assert her.all_text.endswith("La commande /absence est réservée aux formateurs de l'organisme.")
    assert await notices(db) == []
    await her.says("/absence\u202eXYZ")  # explorer AB3: not echoed with its bidi override
    assert her.last.startswith("Je ne connais pas la commande /absencexyz.")


async def test_her_reaction_under_the_invitation_is_told_how_to_answer_it(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer DB5: her 👍 (a Matrix reaction) under the invitation got « Je ne lis pas les
    réactions : répondez-moi par un message » without a word of how to answer it."""
    await follows(db, "Agent de restauration (démo)")
    her = sophie(person)
    unread = "Je ne lis pas les réactions : répondez-moi par un message, s'il vous plaît."
    await her.send(replace(her.incoming(""), kind="reaction"))
    assert her.all_text == unread  # no bilan: no invitation to answer
    await schedule_bilan(trainer)
    await her.send(replace(her.incoming(""), kind="reaction"))
    assert her.all_text == (
        f"{unread}\nPour répondre à l'invitation au bilan (Agent de restauration (démo) – "
        "jeudi 26 novembre 2026 à 14 h 00), écrivez « 1 » (je confirme ma présence), "
        "« 2 » (je propose une autre date) ou « 3 » (je ne pourrai pas venir)."
    )
    await her.says("1")
    await her.send(replace(her.incoming(""), kind="reaction"))
    assert her.all_text == unread  # answered: nothing more to say
    assert await notices(db) == []  # nothing passed on to the trainer


async def test_formations_of_two_organisations_her_message_goes_to_the_one_named(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Projet professionnel (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    # Explorer AX1: her message about one organisation's trainee reached the other's trainer.
    await her.says("Bien reçu, je reviens vers vous.")
    assert her.all_text.startswith(
        "Vous suivez des formations de plusieurs organismes : de quelle formation parle votre "
        "message ? Je ne le transmettrai qu'à son organisme."
    )
    assert await notices(db) == []
    await her.presses("Ne pas le transmettre")
    assert her.last == "D'accord : je ne transmets votre message à personne."
    # A trainee named says which (explorer AY10: it went to the last to have written her).
    await her.says("Karim Benali est hospitalisé, il ne viendra pas.")
    assert her.last.startswith(
        "Merci, j'ai transmis votre message à Camille Durand (Organisme de démonstration), "
        "qui vous répondra.\nJe ne l'ai pas transmis à Organisme 1 : s'il le concerne aussi"
    )
    await her.says("Formation « Parcours 1 » : bien reçu.")  # a formation named says which, too
    rows = await notices(db)
    assert [r.chat_id for r in rows] == ["formateur", "admin-1"]
    # A file naming nobody: asked whose it is (explorer AZ9: nobody heard of it; AF7).
    await her.sends_file("arret-maladie.pdf", "application/pdf", b"%PDF-1.4")
    assert "de quelle formation est ce fichier ?" in her.all_text, her.all_text
    await her.presses("Ne pas le transmettre")
    assert [r.chat_id for r in await notices(db)] == ["formateur", "admin-1"]
    camille = rows[0].payload["text"]
    assert "vos formations « Agent de restauration (démo) » et « Projet professionnel" in camille
    assert "Karim" not in rows[1].payload["text"]


async def test_a_formation_title_met_as_words_of_her_sentence_is_asked_not_guessed(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AF7: Organisme 1's formation is « Remise à niveau »; her « la stagiaire qui
    devait faire une remise à niveau est hospitalisée », about a trainee of the demo, went to
    Organisme 1. She is asked which formation, that one first, and it goes to the one chosen."""
    await add_organisations(db, 1, clock.now.date())
    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Formation).where(Formation.title == "Parcours 1").values(title="Remise à niveau")
        )
    for title in ("Agent de restauration (démo)", "Remise à niveau"):
        await follows(db, title)
    her = sophie(person)
    await her.says(
        "Bonjour, la stagiaire qui devait faire une remise à niveau est hospitalisée, "
        "pouvez-vous me rappeler ?"
    )
    assert await notices(db) == []
    assert her.last.startswith("Vous suivez des formations de plusieurs organismes"), her.last
    assert [c.label for c in her.replies[-1].choices] == [
        "Remise à niveau (Organisme 1)",
        "Agent de restauration (démo) (Organisme de démonstration)",
        "Ne pas le transmettre",
    ]
    await her.says("Elle sera absente toute la semaine prochaine.")  # kept, never swallowed
    assert "avec le précédent" in her.all_text
    await her.presses("Agent de restauration")
    assert her.last.startswith(THANKS), her.last
    [row] = await notices(db)
    assert row.chat_id == "formateur" and "hospitalisée" in row.payload["text"]
    assert "toute la semaine prochaine" in row.payload["text"]
    # Quoted, or after « formation », the title names it: passed on at once.
    await her.says("Pour la formation Remise à niveau : bien reçu, merci.")
    assert [r.chat_id for r in await notices(db)] == ["formateur", "admin-1"]


async def test_a_file_naming_no_organisation_is_said_to_the_one_she_chooses(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AF7's rest: her PDF compte rendu, following formations of two organisations,
    reached no one (« je ne sais pas auquel dire que vous avez envoyé ce fichier »), and her
    « Organisme de démonstration » typed next went without a word of the file.  She is asked
    whose it is, as a message is; the trainer chosen hears of it, the other nothing."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.sends_file("compte-rendu.pdf", "application/pdf", b"%PDF-1.4")
    assert her.last.startswith(
        "Je ne transmets que du texte, pas les fichiers. Vous suivez des formations de "
        "plusieurs organismes : de quelle formation est ce fichier ?"
    ), her.last
    assert await step_of(db, her) == ("bilan_cm_which", "formation")
    assert await notices(db) == []
    await her.presses("Parcours 1")
    assert her.last.startswith(
        "Merci, j'ai dit à Admin 1 (Organisme 1) que vous avez envoyé ce fichier"
    ), her.last
    [row] = await notices(db)
    assert row.chat_id == "admin-1"
    assert "[un fichier, « compte-rendu.pdf », que je ne transmets pas" in plain(
        row.payload["text"]
    )


@pytest.mark.parametrize(
    ("first", "step", "after"),
    [
        ("2", "proposed", "proposed"),  # « Quelle date proposez-vous ? »: her answer goes on
        # « Est-ce aussi votre réponse … ? »: that question dropped, as before
        ("Je confirme ma présence au bilan du 26 novembre.", "reading", None),
    ],
)
async def test_her_message_typed_in_another_dialogue_is_held_and_asked_whose(
    trainer: Talker,
    person: Callable[..., Talker],
    db: Database,
    clock: Clock,
    first: str,
    step: str,
    after: str | None,
) -> None:
    """Explorer AF7's rest: mid-way in her answer to the invitation, her message about a
    trainee was answered « Je n'ai pas compris cette date », or « je ne sais pas auquel
    transmettre votre message », and dropped.  It is held and she is asked which formation
    it is about; it goes to that organisation only."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    await schedule_bilan(trainer)
    her = sophie(person)
    await her.says(first)
    assert await step_of(db, her) == ("bilan_cm_answer", step)
    before = len(await notices(db))
    await her.says("Au fait, la stagiaire est hospitalisée, pouvez-vous me rappeler ?")
    assert "de quelle formation parle votre message ?" in her.all_text, her.all_text
    assert len(await notices(db)) == before
    await her.presses("Parcours 1")
    [row] = [r for r in await notices(db) if "hospitalisée" in r.payload["text"]]
    assert row.chat_id == "admin-1"
    assert await step_of(db, her) == (("bilan_cm_answer", after) if after else (None, None))
    if after:
        assert her.last.startswith("Quelle date proposez-vous, avec l'heure ?"), her.last


@pytest.mark.parametrize("left", ["lapsed", "/annuler"])
async def test_her_message_held_for_which_formation_left_is_said_passed_on_to_nobody(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, left: str
) -> None:
    """Explorer AM5: her message held at « de quelle formation parle votre message ? », left
    unanswered, lapsed into « rien de ce qui n'avait pas été validé n'est enregistré.
    Recommencez quand vous voulez. »: a trainee's hospitalisation reached no one, and nothing
    said so. She is told it was passed on to nobody, and how to send it again. Explorer BB8:
    /annuler there said « C'est annulé : dire de quelle formation parle votre message. Ce qui
    n'avait pas été validé n'est pas enregistré. »; she is told the same."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("Bonjour, la stagiaire est hospitalisée, pouvez-vous me rappeler ?")
    assert her.last.startswith("Vous suivez des formations de plusieurs organismes"), her.last
    if left == "lapsed":
        clock.now += timedelta(days=3)
        await her.says("Bonjour, avez-vous eu mon message ?")
    else:
        await her.says(left)
        assert her.all_text == (
            "C'est annulé : votre message n'a été transmis à personne. Si besoin, envoyez-le à "
            "nouveau en commençant par « Pour la formation » suivi de son intitulé : je le "
            "transmettrai alors à son seul organisme."
        ), her.all_text
    assert await notices(db) == []
    said = her.all_text
    assert "n'est enregistré" not in said, said
    assert "votre message n'a été transmis à personne" in said, said


@pytest.mark.parametrize(
    "typed", ["annuler", "stop", "Abandonner", "laisser tomber", "je veux arrêter", "stop svp"]
)
async def test_her_stop_word_at_which_formation_is_not_passing_it_on(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer CB11: « annuler » at « de quelle formation parle votre message ? » answered
    « Pour tout arrêter, tapez /annuler … : ce qui n'était pas validé ne sera pas enregistré »,
    the words BB8 replaced for /annuler itself: it is her « Ne pas le transmettre »."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("Bonjour, la stagiaire est hospitalisée, pouvez-vous me rappeler ?")
    if typed == "annuler":  # her /aide there says what /annuler loses: her message
        await her.says("/aide")
        assert "ou tapez /annuler pour tout arrêter : votre message n'a été transmis à " in (
            her.all_text
        ), her.all_text
        assert "sans rien enregistrer" not in her.all_text
    await her.says(typed)
    assert her.last == "D'accord : je ne transmets votre message à personne.", her.last
    assert await notices(db) == []


@pytest.mark.parametrize("typed", ["terminé", "C'est tout"])
async def test_her_done_word_at_which_formation_says_what_becomes_of_her_message(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer DC6: « terminé » at « de quelle formation parle votre message ? » answered
    « … tapez /annuler pour tout arrêter (ce qui n'était pas validé ne sera pas enregistré) »:
    her message is no entry. She is told what each choice does with it."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("Bonjour, la stagiaire est hospitalisée, pouvez-vous me rappeler ?")
    asked = her.last
    await her.says(typed)
    assert her.all_text == (
        "Cette question n'a pas de choix « Terminé ». Choisissez la formation dont parle votre "
        "message : je le transmettrai à son seul organisme. Ou choisissez « Ne pas le "
        f"transmettre » : il ne sera transmis à personne.\n\n{asked}"
    ), her.all_text
    assert await notices(db) == []
    await her.presses("Parcours 1 (Organisme 1)")
    [row] = await notices(db)  # still held, passed on once chosen
    assert "hospitalisée" in row.payload["text"]


@pytest.mark.parametrize(
    "typed", ["Karim veut arrêter", "Il a arrêté hier", "Karim annule sa venue", "stop, et aussi"]
)
async def test_her_news_of_someone_stopping_at_which_formation_goes_with_her_message(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer DC3: « Karim veut arrêter », « Il a arrêté hier » typed at « de quelle
    formation parle votre message ? » were her « Ne pas le transmettre » (CB11's stop words
    read anywhere in four words): both messages went to no one. Only a way out said to the
    bot is one; news of a trainee goes with her first message, the question asked again
    without « Pour tout arrêter, tapez /annuler … » nor « rien … ne correspond »."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("Bonjour, pouvez-vous me rappeler au sujet du stagiaire ?")
    await her.says(typed)
    assert "avec le précédent" in her.all_text, her.all_text
    assert "Pour tout arrêter" not in her.all_text and "pas reconnu" not in her.all_text
    assert her.last.startswith("Vous suivez des formations de plusieurs organismes")
    await her.presses("Agent de restauration")
    assert her.last.startswith(THANKS), her.last
    [row] = await notices(db)
    assert "me rappeler" in row.payload["text"] and typed in row.payload["text"]


async def test_her_message_held_for_which_formation_outlives_a_command_or_says_it_went_nowhere(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer CB10, BB8's other path: her message held at « de quelle formation parle votre
    message ? », she typed /start or /mesdonnees: its answer came, the question was gone and
    her message (a trainee's hospitalisation) with it, unsaid (« Il n'y a rien à reprendre »,
    « Il n'y a rien en cours à annuler »). A bare /start asks the question again, her message
    still held; another command says it was passed on to nobody, and how to send it again."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("Bonjour, la stagiaire est hospitalisée, pouvez-vous me rappeler ?")
    await her.says("/start")
    assert her.last.startswith("Vous suivez des formations de plusieurs organismes"), her.last
    await her.presses("Parcours 1 (Organisme 1)")
    [row] = await notices(db)  # held across /start, passed on once chosen
    assert "hospitalisée" in row.payload["text"]
    await her.says("Bonjour, la stagiaire est de retour, pouvez-vous me rappeler ?")
    await her.says("/mesdonnees")
    assert her.all_text.startswith(
        "Votre message n'a été transmis à personne. Si besoin, envoyez-le à nouveau en "
        "commençant par « Pour la formation » suivi de son intitulé"
    ), her.all_text
    assert "comme personne chargée de mission" in her.all_text
    assert len(await notices(db)) == 1


@pytest.mark.parametrize("typed", ["/appel", "/formation", "/absence Karim"])
async def test_a_member_s_command_at_her_questions_is_not_promised_for_later(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer DC9: /appel at « de quelle formation parle votre message ? » got « Encore un
    instant : répondez d'abord à cette question ; ensuite, tapez /appel de nouveau. », a
    command she cannot use. She is told it is not hers, the question asked again, her message
    still held; the same at her answer's own questions."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("Bonjour, la stagiaire est hospitalisée, pouvez-vous me rappeler ?")
    asked = her.last
    await her.says(typed)
    command = typed.split()[0]
    refused = (
        f"La commande {command} est réservée aux formateurs de l'organisme : "
        "répondez plutôt à ma question."
    )
    assert [plain(r.text) for r in her.replies] == [refused, asked]
    await her.presses("Parcours 1 (Organisme 1)")
    [row] = await notices(db)
    assert "hospitalisée" in row.payload["text"]
    await schedule_bilan(trainer)
    await her.says("2")
    assert await step_of(db, her) == ("bilan_cm_answer", "proposed")
    asked = her.last
    await her.says(typed)
    assert [plain(r.text) for r in her.replies] == [refused, asked]
    assert await step_of(db, her) == ("bilan_cm_answer", "proposed")


async def test_a_participant_typed_as_chargee_de_mission_is_not_taken_for_her(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AX1: a delegate's Matrix ID typed as a formation's chargée de mission, and her
    « je suis malade cette semaine » went to that formation's trainer."""
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    lea = person("@lea.martin:matrix.org", Platform.MATRIX)
    await lea.says(f"/start {invited['Léa Martin']}")
    await follows(db, "Projet professionnel (démo)", "@lea.martin:matrix.org")
    await lea.says("Bonjour, c'est Léa Martin, je suis malade cette semaine")
    assert "j'ai transmis" not in lea.all_text
    assert await notices(db) == []


async def test_an_unknown_matrix_user_is_still_a_stranger(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, "Agent de restauration (démo)")
    other = person("@paul.girard:agent.tchap.gouv.fr", Platform.MATRIX)
    await other.says("bonjour")
    assert STRANGER in other.all_text
    await other.says("/aide")
    assert "Madame" not in other.all_text
    assert await notices(db) == []


async def test_hostile_input_is_answered_and_a_huge_message_is_cut(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    await follows(db, "Agent de restauration (démo)")
    her = sophie(person)
    await survives_outside(db, her, FOR_CHOICES)
    rows = await notices(db)
    huge = next(r.payload["text"] for r in rows if "x" * 100 in r.payload["text"])
    assert "x" * 2000 in huge and "x" * 2001 not in huge
    assert "(Message coupé : il faisait 10\u202f000 caractères.)" in huge
    html = next(r.payload["text"] for r in rows if "gras" in r.payload["text"])
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert HTML not in html and HUGE not in huge


async def test_a_long_message_cut_for_the_trainer_is_said_to_her(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer UC9: 5,600 characters were cut at 2,000 for the trainer while she read only
    « Merci, j'ai transmis votre message », as if all of it had been passed on. She is told,
    as a participant is."""
    await follows(db, "Agent de restauration (démo)")
    her = sophie(person)
    await her.says("Bonjour " * 700)
    assert her.all_text.startswith(THANKS), her.all_text
    assert (
        "Seuls ses 2\u202f000 premiers caractères ont été transmis (il en comptait 5\u202f599) : "
        "envoyez la suite dans un autre message."
    ) in her.all_text
    await her.says("Bonjour, je confirme le bilan de jeudi.")
    assert "premiers caractères" not in her.all_text


async def test_a_file_she_sends_is_not_passed_on_but_the_trainer_hears_of_it(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Explorer AT5: her file was refused to her, and the trainer never knew she sent one."""
    await follows(db, "Agent de restauration (démo)")
    her = sophie(person)
    await her.sends_file("modele-bilan.docx", "application/octet-stream", b"PK\x03\x04")
    assert "Je ne transmets que du texte" in her.last
    [notice] = await notices(db)
    assert "[un fichier, « modele-bilan.docx », que je ne transmets pas" in plain(
        notice.payload["text"]
    )


async def test_her_help_with_two_organisations_says_to_name_which(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AY13: her /aide promised to pass every message on to both trainers, while a
    message naming neither goes to no one."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("/aide")
    assert "en nommant l'organisme, la formation ou la personne dont il s'agit" in her.last


async def test_every_step_of_which_formation_survives_bad_input(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Asked which formation her message is about, wrong, empty, huge or hostile input is
    asked again and passes nothing on (coverage AR)."""
    await add_organisations(db, 1, clock.now.date())
    for title in ("Agent de restauration (démo)", "Projet professionnel (démo)", "Parcours 1"):
        await follows(db, title)
    her = sophie(person)
    await her.says("Bien reçu, je reviens vers vous.")
    assert await step_of(db, her) == ("bilan_cm_which", "formation")
    await survives(db, her, FOR_CHOICES)
    assert await notices(db) == []


async def test_her_reprendre_gives_an_example_of_hers(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    """Her /reprendre with nothing set aside gave « /mesdonnees tapé au milieu de votre
    attestation »: a chargée de mission swears no attestation; a participant does."""
    await follows(db, "Agent de restauration (démo)")
    her = sophie(person)
    await her.says("/reprendre")
    assert her.last == (
        "Il n'y a rien à reprendre. /reprendre ramène à une saisie laissée en cours pour une "
        "autre commande (par exemple /mesdonnees tapé avant d'avoir répondu à ma question)."
    )
