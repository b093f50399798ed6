"""A sentence outside any conversation that no feature understood gets the closest commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.storage.bilans import Bilan
from bot.storage.db import Database
from tests.auxil.attestations import add_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import step_of

PARIS = ZoneInfo("Europe/Paris")


async def test_a_sentence_gets_the_command_its_words_point_to(
    db: Database, trainer: Person
) -> None:
    await trainer.says("je voudrais créer une nouvelle formation")
    assert trainer.last.startswith("Vous voulez peut-être :\n/formation : créer une formation")
    assert "/formations" not in trainer.last
    assert await step_of(db, trainer) == (None, None)

    await trainer.says("comment je note un retard ?")
    assert "/absence : noter une absence ou un retard\n" in trainer.last
    assert "(ex." not in trainer.last

    await trainer.says("Où en sont les attestations du bilan ?")  # one command: opened (BG1)
    assert trainer.last.startswith("Aucun bilan programmé pour vos formations.")


async def test_a_trainee_who_stops_coming_points_to_the_follow_up_never_to_erasure(
    trainer: Person,
) -> None:
    """Explorer AW1: « j'ai un stagiaire qui ne vient plus » offered /effacer first."""
    await trainer.says("j'ai un stagiaire qui ne vient plus")
    assert trainer.last.startswith("Vous voulez peut-être :\n/decrochage")
    assert "/effacer" not in trainer.last
    await trainer.says("je dois effacer les données d'un stagiaire")
    assert "/effacer" in trainer.last


async def test_nothing_close_gets_the_usual_answer(db: Database, trainer: Person) -> None:
    await trainer.says("il fait beau aujourd'hui sur la plage")
    assert "peut-être" not in trainer.last
    await trainer.says("Karim absent hier matin")  # a feature's own reader comes first
    assert trainer.last.startswith("Noter l'absence de Karim Benali")


async def test_only_commands_the_person_may_use(
    db: Database, person: Callable[..., Person], demo: None
) -> None:
    stranger = person("inconnu")
    await stranger.says("je voudrais créer une nouvelle formation")
    assert "/formation :" not in stranger.last
    assert await step_of(db, stranger) == (None, None)


async def test_a_member_s_hello_and_thanks_are_answered_as_such(trainer: Person) -> None:
    """Explorer AW4: « bonjour », « merci », « au revoir » got « Je ne suis pas sûr de ce
    que vous voulez faire »."""
    for typed, said in (
        ("bonjour", "Bonjour ! Dites-moi par exemple « Karim absent hier matin »"),
        ("Merci beaucoup !", "Avec plaisir !"),
        ("au revoir", "Au revoir, à bientôt !"),
    ):
        await trainer.says(typed)
        assert trainer.last.startswith(said), typed
        assert "pas sûr" not in trainer.last


async def test_a_file_sent_outside_a_question_is_said_not_kept(trainer: Person) -> None:
    """Explorer AW13: a photo of a signed paper was « Je ne suis pas sûr … »; the trainer
    believed it filed."""
    await trainer.sends_file("certificat.jpg", "image/jpeg", b"\xff\xd8\xff")
    assert trainer.last.startswith(
        "J'ai bien reçu « certificat.jpg », mais je ne garde pas de fichier en dehors d'une "
        "question : il n'est pas enregistré."
    )
    assert "/absences" in trainer.last and "/attestations" in trainer.last


async def test_who_has_not_signed_points_to_the_attestations_alone(trainer: Person) -> None:
    """Explorer QB4: « qui n'a pas signé ? » was offered /suivi (its « signes » of a
    décrochage share the stem « signe »), never /attestations."""
    for typed in (
        "qui n'a pas signé ?",
        "est-ce que tout le monde a signé ?",
        "qui n'a pas encore signé son attestation ?",
        "il manque des signatures sur la feuille d'émargement",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith("Aucun bilan programmé pour vos formations."), typed
        assert "/suivi" not in trainer.last, typed


async def test_who_answered_or_the_proofs_point_to_the_attestations(trainer: Person) -> None:
    """Explorer KF13: « qui a répondu ? », « le zip pour la région » got « Je ne suis pas sûr … »;
    « Julie a répondu ? » asks, it notes no contact in a follow-up."""
    for typed in (
        "qui a répondu ?",
        "ils ont tous répondu ?",
        "qui n'a pas répondu",
        "le zip pour la région",
        "envoie le dossier de preuves",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith("Aucun bilan programmé pour vos formations."), typed
        await trainer.says("/annuler")
    await trainer.says("Julie a répondu ?")
    assert "suivi" not in trainer.all_text


async def test_a_call_made_is_no_roll_call(trainer: Person) -> None:
    """Explorer KF2: « j'ai appelé la mission locale » was offered /appel, the roll call, for
    its stem « appel »; « faire l'appel ce matin » still is."""
    await trainer.says("j'ai appelé la mission locale")
    assert "/appel" not in trainer.all_text
    await trainer.says("je dois faire l'appel ce matin")
    assert "/appel" in trainer.all_text


async def test_no_news_given_is_no_word_of_erasure(trainer: Person) -> None:
    """Explorer BG3: « Inès a pas donné de nouvelles depuis lundi » was offered /effacer
    (« effacer les données personnelles … »): « donné » shares its first letters with
    « données »; an erasure is offered to its own words only."""
    await trainer.says("ines a pas donné de nouvelles depuis lundi")  # her follow-up: BG9
    assert "/decrochage" in trainer.all_text
    assert "/effacer" not in trainer.all_text
    await trainer.says("/annuler")
    await trainer.says("je veux supprimer les données d'un stagiaire")
    assert "/effacer" in trainer.last


async def test_a_bilan_said_with_its_day_or_moved_points_to_its_command(
    db: Database, trainer: Person
) -> None:
    """Explorer BG2: « bilan avec la région jeudi 14h », « décale le bilan à mardi » got the
    three commands of a bilan, /attestations, /bilan and /bilans, to choose from; now one,
    opened (BG1)."""
    said = {}
    for typed in (
        *("bilan avec la region jeudi 14h", "bilan demain aprem", "rdv bilan 17/12 14h"),
        *("decale le bilan a mardi", "le bilan est reporté", "annule le bilan"),
        *("j'ai envoyé le bilan pédagogique", "qui a pas signé pour le bilan de jeudi ?"),
    ):
        await trainer.says(typed)
        said[typed] = trainer.last.split("\n")[0]
        await trainer.says("/annuler")
    schedule, bilans = "Programmons un bilan. Pour quelle formation ?", "Vous n'avez aucun bilan"
    attestations = "Aucun bilan programmé pour vos formations. Programmez-en un avec /bilan : "
    assert said == {
        "bilan avec la region jeudi 14h": schedule,
        "bilan demain aprem": schedule,
        "rdv bilan 17/12 14h": schedule,
        "decale le bilan a mardi": f"{bilans} programmé. Programmez-en un avec /bilan.",
        "le bilan est reporté": f"{bilans} programmé. Programmez-en un avec /bilan.",
        "annule le bilan": f"{bilans} programmé. Programmez-en un avec /bilan.",
        "j'ai envoyé le bilan pédagogique": "Échéances de l'organisme :",  # its deadline
        "qui a pas signé pour le bilan de jeudi ?": attestations
        + "chaque participant recevra une invitation personnelle à attester sa participation.",
    }


async def test_what_to_do_or_a_deadline_done_opens_the_deadlines(
    db: Database, trainer: Person
) -> None:
    """Explorer KF8: « quoi a faire cette semaine » got « Je ne suis pas sûr de ce que vous
    voulez faire »; KF9: « c fait pour le bilan » was offered /attestations, /bilan and /bilans.
    Both are the deadlines, to read or to mark done; « comment on fait le bilan » is neither."""
    for typed in (
        *("quoi a faire cette semaine", "qu'est-ce que j'ai à faire", "ce qu'il reste à faire"),
        *("c fait pour le bilan", "c'est fait pour le bilan !", "bilan pédagogique fait"),
    ):
        await trainer.says(typed)
        assert trainer.last.startswith("Échéances de l'organisme :"), typed
        assert await step_of(db, trainer) != (None, None), typed
        await trainer.says("/annuler")
    await trainer.says("comment on fait le bilan")
    assert "Échéances" not in trainer.all_text
    for typed in ("pour le bilan, comment on fait ?", "qu'est-ce qu'on a fait au bilan ?"):
        await trainer.says(typed)  # a question, no deadline done (review LD3)
        assert "Échéances" not in trainer.all_text, typed


async def test_a_bilan_said_with_its_day_and_hour_keeps_them(db: Database, trainer: Person) -> None:
    """Explorer KF5: « bilan jeudi 14h » opened /bilan, whose « Quand ? » then asked the day
    and hour typed a minute before; they are asked « C'est bien ça ? » there, held to its checks."""
    await trainer.says("bilan jeudi 14h")
    while "C'est bien ça ?" not in trainer.last and trainer.buttons:
        await trainer.presses(trainer.buttons[0])
    assert trainer.last.startswith(
        "J'ai compris : jeudi 26 novembre 2026 à 14 h 00. C'est bien ça ?"
    )
    await trainer.presses("Oui, c'est ça")
    assert "Combien de temps durera le bilan ?" in trainer.last
    await trainer.says("/annuler")


async def _to_the_hour(trainer: Person, typed: str) -> None:
    """``typed`` said, /bilan's first choices taken up to its date question."""
    await trainer.says(typed)
    while "heure ?" not in trainer.last and trainer.buttons:
        await trainer.presses(trainer.buttons[0])


async def test_a_bilan_said_with_its_day_and_half_asks_the_hour_alone(
    db: Database, trainer: Person
) -> None:
    """Explorer KF5b: « bilan demain aprem » opened /bilan, whose « Quand ? » asked the day
    and hour again as if nothing was said; the day and the part of the day are kept, the
    hour alone asked, then « C'est bien ça ? » held to its checks as a date typed there."""
    await _to_the_hour(trainer, "bilan demain aprem")
    assert trainer.last == (
        "Demain (mardi 24 novembre 2026), l'après-midi : à quelle heure ?"
        " Par exemple « 14 h » ou « 15 h 30 »."
    )
    await trainer.says("3h")  # said as in the afternoon: 15 h, shown before « Oui »
    assert trainer.last.startswith(
        "J'ai compris : mardi 24 novembre 2026 à 15 h 00. C'est bien ça ?"
    )
    await trainer.presses("Oui, c'est ça")
    assert "Combien de temps durera le bilan ?" in trainer.last
    await trainer.says("/annuler")
    await _to_the_hour(trainer, "faire le bilan jeudi matin")
    assert trainer.last.startswith("Jeudi 26 novembre 2026, le matin : à quelle heure ?")
    await trainer.says("10h30")
    assert trainer.last.startswith("J'ai compris : jeudi 26 novembre 2026 à 10 h 30.")
    await trainer.presses("Non, corriger")  # the day and its part no longer held
    assert "Quand ? Donnez le jour et l'heure" in trainer.last


async def test_a_wrong_hour_for_the_half_said_is_told_the_day_kept(
    db: Database, trainer: Person
) -> None:
    """Explorer KF5b: at « Demain (…), l'après-midi : à quelle heure ? » an hour of the
    morning, a word, nothing, a page or a hostile answer is said wrong in words, the day and
    its part kept; another day and hour typed are read instead."""
    await _to_the_hour(trainer, "bilan demain aprem")
    await trainer.says("9h")
    assert trainer.last.startswith(
        "9 h 00 ne tombe pas l'après-midi, que vous aviez dit : donnez une heure entre 12 h"
        " et 19 h, par exemple « 14 h » ou « 15 h 30 », ou le jour et l'heure si vous changez"
        " d'avis (« demain 9 h »)."
    )
    for wrong in ("bof", "l'après-midi", "<b>x</b>"):
        await trainer.says(wrong)
        assert trainer.last.startswith(
            "Je n'ai pas compris cette heure. Tapez-la seule, par exemple « 14 h » ou"
            " « 15 h 30 » : je garde demain (mardi 24 novembre 2026), l'après-midi."
        ), wrong
    await trainer.says(" ")
    assert trainer.all_text.startswith("Je n'ai rien reçu : écrivez votre réponse")
    assert trainer.last.endswith(
        "l'après-midi : à quelle heure ? Par exemple « 14 h » ou « 15 h 30 »."
    )
    await trainer.says("1" * 5000)
    assert trainer.all_text.startswith("Votre message est trop long")
    await trainer.says("16h\u202e")
    assert trainer.all_text.startswith("Votre message contient des caractères de contrôle")
    assert "\u202e" not in trainer.all_text
    await trainer.says("<b>16h</b>")
    assert trainer.last.startswith("J'ai compris : mardi 24 novembre 2026 à 16 h 00.")
    await trainer.presses("Non, corriger")
    await _to_the_hour(trainer, "/annuler")
    await _to_the_hour(trainer, "bilan demain aprem")
    await trainer.says("vendredi 9h")  # another day and hour: read as typed
    assert trainer.last.startswith("J'ai compris : vendredi 27 novembre 2026 à 9 h 00.")


async def test_a_delegate_to_name_opens_the_formations_saying_where(
    db: Database, trainer: Person
) -> None:
    """Explorer KF12: « ajoute sarah comme deleguee » opened /attestations (its word
    « délégués »): the delegates are chosen in the formation; « relance les délégués » stays
    the attestations'."""
    for typed in ("ajoute sarah comme deleguee", "nommer Léa déléguée", "changer de délégué"):
        await trainer.says(typed)
        assert trainer.all_text.startswith(
            "Les délégués se choisissent dans leur formation : choisissez-la, puis « Choisir les"
            " délégués ». Une personne qui n'y est pas encore s'ajoute d'abord avec « Ajouter des"
            " stagiaires »."
        ), typed
        assert await step_of(db, trainer) == ("formations", "formation"), typed
        await trainer.says("/annuler")
    for typed in (
        "relance les délégués",
        "relance les délégués pour qu'ils mettent leur signature",  # review LD4
        "les délégués du métier ont signé ?",
    ):
        await trainer.says(typed)
        assert "Les délégués se choisissent" not in trainer.all_text, typed
        await trainer.says("/annuler")


async def test_a_sentence_pointing_to_one_command_opens_it(db: Database, trainer: Person) -> None:
    """Explorer BG1: « c'est quoi les échéances cette semaine », « qui a pas signé ? » got
    « Vous voulez peut-être : /echeances … Tapez la commande pour commencer »: the trainer had
    to type what the bot had guessed. Its list, or its first question, comes at once."""
    await trainer.says("c'est quoi les échéances cette semaine")
    assert trainer.last.startswith("Échéances de l'organisme :")
    assert "peut-être" not in trainer.all_text
    assert await step_of(db, trainer) != (None, None)
    await trainer.says("/annuler")
    await trainer.says("echeances en retard")  # the deadlines', not a trainee's (BG13)
    assert trainer.last.startswith("Échéances de l'organisme :")


async def test_a_guess_never_leaves_the_question_in_hand(db: Database, trainer: Person) -> None:
    """A sentence typed at a question is only pointed to its command: the dialogue under way
    stays (BG1: a guess is no reason to drop it)."""
    await trainer.says("/bilan")
    asked = await step_of(db, trainer)
    await trainer.says("c'est quoi les échéances cette semaine")
    assert await step_of(db, trainer) == asked
    assert "Échéances de l'organisme" not in trainer.all_text


async def test_a_reminder_or_a_link_not_received_is_the_attestations(
    db: Database, trainer: Person
) -> None:
    """Explorer BG14: « relance les délégués », « Léa a pas reçu le lien » got « Je ne suis pas
    sûr de ce que vous voulez faire »; /attestations invites, reminds and sends a new link."""
    for typed in ("relance les delegues", "lea a pas recu le lien", "renvoie le lien a hugo"):
        await trainer.says(typed)
        assert trainer.last.startswith("Aucun bilan programmé pour vos formations."), typed
    # Explorer KF14: « relance hugo », two words, got « Je ne suis pas sûr … ».
    await trainer.says("relance hugo")
    assert trainer.all_text.startswith(
        "Pour relancer « hugo » : choisissez son bilan, puis « Inviter ou relancer ». Chaque "
        "participant qui n'a pas encore répondu reçoit de nouveau son lien, le même.\n"
    ), trainer.all_text
    assert trainer.last.startswith("Aucun bilan programmé pour vos formations.")
    await trainer.says("relancer délégués")
    assert trainer.all_text.startswith("Les relances se font bilan par bilan : choisissez-le,")


async def test_an_absence_s_justificatif_is_offered_never_opened_as_the_attestations(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer CB2: « Karim a envoyé son justificatif » opened /attestations, « Aucun bilan
    programmé pour vos formations … », even 30 hours after an absence's dialogue lapsed, the
    trainer answering it. A justificatif is an absence's as much as a bilan's: both commands
    are offered, /absences where it is joined (after a lapse, its notice is the last word);
    a bilan named keeps the attestations'."""
    for typed in (
        "il a un justificatif médical",
        "Karim a envoyé son justificatif",
        # Explorer DC10: « Aucun bilan programmé … », /attestations opened for these too.
        "Karim a envoyé son certificat médical",
        "Karim a envoyé son arrêt maladie",
        "il m'a donné un arrêt de travail",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "Vous voulez peut-être :\n/absences : corriger ou supprimer une absence déjà notée\n"
            "/attestations : suivre les attestations d'un bilan"
        ), typed
        assert await step_of(db, trainer) == (None, None), typed
    await trainer.says("/absence")
    await trainer.says("1")
    await trainer.says("Karim")
    clock.advance(hours=30)
    await trainer.says("il a un justificatif de la médecine du travail")
    assert trainer.all_text.startswith("Sans réponse depuis un moment, j'ai refermé")
    assert trainer.last.endswith("« Absence de Karim Benali » suivi de son jour.")
    assert "Aucun bilan programmé" not in trainer.all_text
    await trainer.says("j'envoie les justificatifs du bilan")
    assert trainer.last.startswith("Aucun bilan programmé pour vos formations.")


async def test_a_contract_to_sign_is_no_attestation(db: Database, trainer: Person) -> None:
    """Explorer CB3: « il faut signer le contrat de Karim » opened /attestations, « Aucun bilan
    programmé … »: a contract or a convention signed is no participation attested, the usual
    answer asks what is wanted; an attestation or an émargement to sign stays the attestations'."""
    for typed in ("il faut signer le contrat de Karim", "Karim doit signer la convention"):
        await trainer.says(typed)
        assert trainer.last.startswith("Je ne suis pas sûr de ce que vous voulez faire."), typed
        assert "/attestations" not in trainer.last and "Aucun bilan" not in trainer.last, typed
        assert await step_of(db, trainer) == (None, None), typed
    for typed in (
        "attestation de Karim",
        "Karim doit signer son attestation",
        "Karim doit signer la feuille d'émargement",
        "qui n'a pas signé ?",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith("Aucun bilan programmé pour vos formations."), typed


async def test_an_absence_s_justificatif_named_so_is_the_absences_alone(
    db: Database, trainer: Person
) -> None:
    """Explorer CB13: « le justificatif d'absence de Karim » offered /attestations beside
    /absences: a justificatif of an absence or a retard is that absence's evidence."""
    for typed in (
        "le justificatif d'absence de Karim",
        "Karim a envoyé son justificatif d’absence",
        "le justificatif de retard de Karim",
    ):
        await trainer.says(typed)
        assert trainer.last.startswith(
            "Vous voulez peut-être :\n/absences : corriger ou supprimer une absence déjà notée\n"
            "Tapez la commande"
        ), typed
        assert "/attestations" not in trainer.last, typed


async def test_the_one_bilan_moved_in_a_sentence_is_moved_to_the_day_said(
    db: Database, trainer: Person
) -> None:
    """Explorer KF6: « on decale le bilan a vendredi », with one bilan, asked « Quel bilan ? »
    over a list of one, then its menu, « Déplacer », and the day typed a minute before; with
    one bilan it is that one, moved to the day said at its hour, confirmed, then its menu."""
    await add_bilan(db)  # jeudi 3 décembre 2026 à 14 h
    await trainer.says("on decale le bilan a vendredi")
    assert "Quel bilan ?" not in trainer.all_text
    assert "J'ai compris : vendredi 27 novembre 2026 à 14 h 00. C'est bien ça ?" in trainer.last
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Oui, déplacer")
    assert (
        "C'est déplacé : le bilan d'étape aura lieu le vendredi 27 novembre 2026 de 14 h 00 à "
        "16 h 00 (au lieu du jeudi 3 décembre 2026 à 14 h 00)." in trainer.all_text
    )
    assert "Que voulez-vous faire ?" in trainer.last  # its menu, as after « Déplacer »
    async with db.sessions() as session:
        starts = await session.scalar(select(Bilan.starts_at))
    assert starts is not None and starts.astimezone(PARIS) == datetime(
        2026, 11, 27, 14, tzinfo=PARIS
    )
    await trainer.says("/annuler")
    await trainer.says("on decale le bilan a mardi aprem")  # a part of the day: its hour (KF5b)
    assert trainer.last == (
        "Mardi 24 novembre 2026, l'après-midi : à quelle heure ? Par exemple « 14 h » ou"
        " « 15 h 30 »."
    )
    await trainer.says("même heure")  # the bilan's, 14 h, of the afternoon
    assert trainer.last.startswith("J'ai compris : mardi 24 novembre 2026 à 14 h 00.")
    await trainer.says("/annuler")
    await trainer.says("annule le bilan de vendredi")  # no day to move it to: its list
    assert trainer.last.startswith("Quel bilan ?")
