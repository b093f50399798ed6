"""``/mesdonnees``: anyone receives, in private, a document of what is held about them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from bot.messages import Platform
from bot.privacy import access
from bot.privacy.audit_words import details_words
from bot.storage.db import Database
from tests.auxil.attestations import add_colleague, after_the_bilan, codes, schedule_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.privacy import everywhere


def said(who: Person) -> str:
    """The answer to /mesdonnees (its first message, before the JSON's)."""
    return who.replies[0].text if who.replies and who.replies[-1].document else who.last


def document_of(who: Person) -> dict[str, object]:
    """The JSON sent after the text to read (explorer J: a trainee was handed JSON alone)."""
    readable, machine = who.replies
    assert readable.document is not None and machine.document is not None
    assert readable.document.filename == "mes-donnees-formabot.txt"
    assert machine.document.filename == "mes-donnees-formabot.json"
    text = readable.document.content.decode("utf-8")
    assert text.startswith("Vos données chez formabot\n\nPersonne\n")
    # Read by a person: no « null », « true », nor a UTC moment with its « T ».
    assert not re.search(r"\bnull\b|\btrue\b|\bfalse\b|\d{4}-\d\d-\d\d", text), text  # M: days too
    assert '{"' not in text, text  # nor a journal entry's details as JSON (explorer Z, Z12)
    held: dict[str, object] = json.loads(machine.document.content)
    return held


async def test_a_trainer_receives_their_data(trainer: Person) -> None:
    await trainer.says("/mesdonnees")
    assert "Voici tout ce que formabot garde à votre sujet" in said(trainer)
    # the demo's trainer runs it; the name quoted, never bare after « par » (explorer BE8)
    assert (
        "elles sont tenues par l'organisme de formation « Organisme de démonstration », que "
        "vous administrez et qui en répond." in said(trainer)
    )
    assert "Organisme de démonstration" in said(trainer)
    assert "adressez-vous" not in said(trainer)
    held = document_of(trainer)
    # Said so whether the file comes before it (Telegram sends a reply's text after its file)
    # or after it (the console): explorer DF4, « … au format JSON … : » pointed below.
    assert trainer.replies[1].text == (
        "Le fichier JSON reprend les mêmes données, pour un logiciel (si vous voulez les "
        "emporter ailleurs)."
    )
    assert held["personne"]["nom"] == "Camille Durand"  # type: ignore[index]
    assert set(held) == {
        "personne",
        "comptes de messagerie",
        "adhésions",
        "formations dont vous avez la charge",
        "participations aux bilans",
        "invitations reçues",
        "fiches de stagiaire",
        "notes de l'organisme",
        "attestations données",
        "journal des actions",
        "conversations en cours",
        "formations où vous êtes la personne chargée de mission",
    }


async def test_a_participant_known_by_their_attestation(
    db: Database, demo: None, clock: Clock, person: Callable[..., Person]
) -> None:
    await everywhere(db, "Karim Benali", at=clock.now)
    karim = person("9001", Platform.TELEGRAM)
    await karim.says("/mesdonnees")
    assert "Voici tout ce que formabot garde" in said(karim)
    # She typed a command: there is no link (explorer HB16: « ne passe pas par ce lien »).
    assert "ce lien" not in said(karim)
    assert "(absences et leur motif, suivi) n'est pas dans ce document : demandez-le-lui" in (
        said(karim)
    )
    held = document_of(karim)
    assert len(held["attestations données"]) == 2  # type: ignore[arg-type]


async def test_a_stranger_is_told_nothing_is_held_and_a_group_is_refused(
    demo: None, person: Callable[..., Person]
) -> None:
    stranger = person("inconnu")
    await stranger.says("/mesdonnees")
    assert "Je ne relie ce compte à personne que je connaisse : à son sujet, je ne garde" in (
        said(stranger)
    )
    # A trainee asking for their data is pointed to whom holds it (explorer J: told the
    # bot kept nothing, while the organisation holds their absences).
    assert "adressez votre demande à votre organisme de formation" in said(stranger)
    assert document_of(stranger)["personne"] is None
    group = person("formateur", chat="groupe", is_group=True)
    await group.says("/mesdonnees")
    assert "je ne fais pas cela dans un groupe" in group.last
    assert group.replies[0].document is None


async def test_a_colleague_reads_the_trainees_data_is_the_organismes(
    db: Database, demo: None, person: Callable[..., Person]
) -> None:
    await add_colleague(db)
    colleague = person("colleague")
    await colleague.says("/mesdonnees")
    assert "dont l'administration peut les effacer (/effacer)" in said(colleague)
    assert "que vous administrez" not in said(colleague)


async def test_a_delegate_invited_to_a_bilan_gets_all_the_organisme_holds_and_whom_to_ask(
    trainer: Person, person: Callable[..., Person]
) -> None:
    await trainer.says("/absence léa vendredi dernier matin justifiée, rendez-vous médical")
    await trainer.presses("Oui")
    await trainer.presses("Pas de justificatif")
    await trainer.presses("Enregistrer")
    await schedule_bilan(trainer)
    lea = person("lea")
    await lea.says(f"/start {codes(trainer.replies)['Léa Martin']}")
    lea.replies.clear()
    await lea.says("/mesdonnees")
    text = said(lea)
    assert "votre participation aux bilans" in text and "votre fiche de stagiaire" in text
    assert "adhésions" not in text and "dont vous avez la charge" not in text
    assert "des stagiaires sont tenus" not in text  # nothing about « the trainees » to one
    assert (
        "Ces données sont tenues par l'organisme de formation « Organisme de démonstration » : pour les consulter ou les "
        "faire corriger, adressez-vous à Camille Durand (Organisme de démonstration), qui "
        "transmet aussi une demande d'effacement à l'administration de l'organisme, seule à "
        "pouvoir le faire." in text  # a formatrice cannot erase (explorer AI5)
    )
    held = document_of(lea)
    [taking] = held["participations aux bilans"]  # type: ignore[misc]
    assert taking["rôle"] == "représente les stagiaires" and taking["nom"] == "Léa Martin"
    assert taking["formation"] == "Agent de restauration (démo)"
    [invitation] = held["invitations reçues"]  # type: ignore[misc]
    assert invitation["expire le"] and invitation["ouverte le"]
    # Which bilan, in words, not « bilan : 1 » alone (explorer AH12).
    assert (
        invitation["quel bilan"]
        == taking["quel bilan"]
        == (
            "bilan de fin de formation du jeudi 26 novembre 2026 à 14 h 00 "
            "(« Agent de restauration (démo) »)"
        )
    )
    readable = lea.replies[0].document
    assert readable is not None
    assert "bilan de fin de formation du jeudi 26 novembre 2026" in readable.content.decode()
    [record] = held["fiches de stagiaire"]  # type: ignore[misc]
    assert record["entreprise"] == "Brasserie du Port"
    assert record["représente les stagiaires"] is True
    # What the organisme noted (a motive, a follow-up: health, private life) is not handed to
    # whoever holds a link, but named, with whom to ask (explorer AX5, after AH7).
    assert "rendez-vous médical" not in json.dumps(held, ensure_ascii=False)
    [notes] = held["notes de l'organisme"]  # type: ignore[misc]
    assert notes["organisme"] == "Organisme de démonstration"
    assert "il vérifiera votre identité" in notes["absences et suivi"]
    assert "demandez-le-lui, il vérifiera votre identité" in text


async def test_a_link_contested_gives_no_trainee_file(
    trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer AX5: Léa's link, forwarded to a classmate who opened it first, still gave him
    her trainee file after Léa tried it (the link contested)."""
    await schedule_bilan(trainer)
    link = codes(trainer.replies)["Léa Martin"]
    classmate = person("classmate")
    await classmate.says(f"/start {link}")
    await person("lea").says(f"/start {link}")  # refused: contested
    classmate.replies.clear()
    await classmate.says("/mesdonnees")
    held = document_of(classmate)
    assert held["fiches de stagiaire"] == [] and held["notes de l'organisme"] == []


async def test_a_link_replaced_no_longer_gives_its_trainee_file_to_who_opened_it(
    trainer: Person, person: Callable[..., Person]
) -> None:
    """Explorer G G5: the wrong account that opened Hugo's link kept his trainee file."""
    await schedule_bilan(trainer)
    jean = person("jean")  # Hugo's link reached Jean
    await jean.says(f"/start {codes(trainer.replies)['Hugo Moreau']}")
    jean.replies.clear()
    await jean.says("/mesdonnees")
    [record] = document_of(jean)["fiches de stagiaire"]  # type: ignore[misc]
    assert record["nom"] == "Hugo Moreau"
    await trainer.says("/attestations")
    await trainer.presses("Nouveau lien pour un participant")
    await trainer.presses("Hugo Moreau")
    jean.replies.clear()
    await jean.says("/mesdonnees")
    held = document_of(jean)
    assert held["fiches de stagiaire"] == [] and held["participations aux bilans"] == []
    [invitation] = held["invitations reçues"]  # type: ignore[misc]
    assert invitation["retirée le"]  # what the account did stays said
    assert "Hugo" not in json.dumps(held["invitations reçues"], ensure_ascii=False)


async def test_a_participant_asking_for_erasure_is_told_whom_to_ask(
    trainer: Person, person: Callable[..., Person]
) -> None:
    await schedule_bilan(trainer)
    lea = person("lea")
    await lea.says(f"/start {codes(trainer.replies)['Léa Martin']}")
    for typed in (
        "/effacer",
        "/effacer Léa Martin",
        "/effacer ' OR 1=1 --",
        "/effacer " + "x" * 5000,
    ):
        await lea.says(typed)
        assert "Je ne peux pas effacer vos données moi-même" in lea.last
        assert "adressez-vous à Camille Durand (Organisme de démonstration)" in lea.last
        assert "réservée aux équipes" not in lea.last
    await lea.says("/aide")
    assert "/effacer" not in lea.last
    await trainer.says("/effacer Léa")
    assert "Effacer les données de Léa Martin" in said(trainer)  # nothing was erased


async def test_the_journal_s_details_are_words_in_the_text_to_read(trainer: Person) -> None:
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Anne Roc\nBen Sol")
    trainer.replies.clear()
    await trainer.says("/mesdonnees")
    held = document_of(trainer)
    text = trainer.replies[0].document.content.decode("utf-8")  # type: ignore[union-attr]
    assert "détails : nombre : 2" in text
    # The JSON to take elsewhere holds them as an object, not as JSON text (explorer CF4).
    journal: list[dict[str, Any]] = held["journal des actions"]  # type: ignore[assignment]
    [added] = [e for e in journal if e["action"] == "ajout de stagiaires"]
    assert added["détails"]["nombre"] == 2
    assert "['" not in text and "']" not in text  # no Python list (explorer AP8)
    # The answers of the dialogue under way, in words (explorer Z, Z12: « title », « kind »).
    assert "intitulé : Agent de restauration (démo)" in text and "title" not in text
    assert "sujet : voir et modifier vos formations" in text


def test_a_list_in_the_journal_s_details_is_read_as_words() -> None:
    """Explorer AP8: « signes : ['Une absence'] », Python's list, in the text to read."""
    paris = ZoneInfo("Europe/Paris")
    shown = access._word(details_words({"signs": ["Une absence", "Retards"]}), paris)
    assert shown == "signes : Une absence, Retards"
    # A day in them, and the values before a correction, in words too (explorer CF2).
    corrected = details_words({"day": "2026-11-16", "previous": {"day": "2026-11-13"}})
    assert access._word(corrected, paris) == (
        "jour : lundi 16 novembre 2026, valeurs précédentes : (jour : vendredi 13 novembre 2026)"
    )


async def test_the_charge_de_mission_is_told_what_the_formations_hold_about_her(
    trainer: Person, person: Callable[..., Person], db: Database
) -> None:
    """Explorer AX4: her /mesdonnees said « Je ne relie ce compte à personne », while the
    formations hold her name, e-mail, Matrix ID and her answers."""
    from sqlalchemy import update

    from bot.storage.formations import Formation

    async with db.sessions() as session, session.begin():
        await session.execute(
            update(Formation)
            .where(Formation.title == "Agent de restauration (démo)")
            .values(cm_matrix="@sophie.leroy:agent.tchap.gouv.fr")
        )
    await schedule_bilan(trainer)
    her = person("@sophie.leroy:agent.tchap.gouv.fr", Platform.MATRIX)
    await her.says("1")  # she confirms
    her.replies.clear()
    await her.says("/mesdonnees")
    text = said(her)
    assert text.startswith("Voici ce que formabot garde à votre sujet comme personne chargée")
    assert "adressez-vous à Camille Durand (Organisme de démonstration), qui transmet aussi" in text
    # Where her messages go, as they go (explorer AZ10: « aux formateurs concernés »).
    assert "quand vous suivez plusieurs organismes, à celui que votre message nomme" in text
    held = document_of(her)
    [followed] = held["formations où vous êtes la personne chargée de mission"]  # type: ignore[misc]
    assert followed["formation"] == "Agent de restauration (démo)"
    assert followed["e-mail"] == "sophie.leroy@example.org"
    [answered] = followed["réponses aux invitations"]
    assert answered["réponse"] == "Je confirme ma présence"


def test_several_holders_transmit_in_the_plural() -> None:
    """Explorer AZ10: « … ou à Camille Durand (…), qui transmet … de l'organisme », for two."""
    from bot import texts

    said = texts.plain(
        texts.say(
            "privacy.held_by",
            holders=[
                {"formateur": "Admin 1", "organisme": "Organisme 1"},
                {"formateur": "Camille Durand", "organisme": "Organisme de démonstration"},
            ],
        )
    )
    assert "qui transmettent aussi une demande d'effacement à l'administration de leur" in said


async def test_a_participant_s_file_says_how_the_organisme_examined_the_answer(
    trainer: Person, person: Callable[..., Person], clock: Clock
) -> None:
    """Explorer KC9: Hugo's words before attesting, validated by Camille Durand, were in his
    /mesdonnees file but not that his answer was flagged, examined and validated, which the
    dossier sent to the Région says (RGPD art. 15: data about him, passed on)."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    for line in (f"/start {invited['Hugo Moreau']}", "Hugo Moreau", "oui"):
        await hugo.says(line)
    await hugo.says("je suis arrivé à 14 h 40 à cause d'un problème de connexion")
    await hugo.presses("Je l'atteste sur l'honneur")
    await trainer.says("/attestations")
    await trainer.presses("Examiner une réponse signalée")
    if "Quelle réponse" in trainer.last:
        await trainer.presses("Hugo Moreau")
    await trainer.presses("Valider cette réponse")
    hugo.replies.clear()
    await hugo.says("/mesdonnees")
    held = document_of(hugo)
    [given] = held["attestations données"]  # type: ignore[misc]
    [review] = given["examen par l'organisme"]
    assert review["motif"] == (
        "a écrit avant d'attester : « je suis arrivé à 14 h 40 à cause d'un problème de connexion »"
    )
    assert (review["décision"], review["par"]) == ("validée", "Camille Durand")
    assert review["le"]
    readable = hugo.replies[0].document
    assert readable is not None
    text = readable.content.decode()
    assert "examen par l'organisme" in text and "décision : validée" in text, text
    assert "par : Camille Durand" in text
