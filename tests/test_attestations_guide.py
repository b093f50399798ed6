"""A bilan's participant writing outside any conversation hears where they stand.

Outside test (items 7 and 8): a partner who had used his link, then typed
/annuler and « bonjour », read the stranger's « il faut une invitation … envoyez
/start suivi du code reçu »; before the bilan, /aide spoke of « la dernière
question » and /attestation of input « pas gardé », though nothing was asked.
The demo's bilan is Thursday 26 November 2026, 14 h 00 to 16 h 00 in Paris.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.attestations import invitations
from bot.attestations.service import Author
from bot.bilans.view import view_of
from bot.messages import Platform
from bot.storage.bilans import Bilan
from bot.storage.db import Database
from tests.auxil.attestations import BILAN_END, codes, schedule_bilan
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import FOR_CHOICES, survives_outside

STRANGER = "il faut une invitation de votre organisme de formation"
TO_CONFIRM = (
    "Pour confirmer votre participation au bilan de fin de formation du "
    "jeudi 26 novembre 2026, envoyez /attestation."
)
NOTHING_YET = (
    "Rien à faire pour l'instant : revenez après le bilan, à partir du "
    "jeudi 26 novembre 2026 à 16 h 00, et envoyez /attestation."
)
NOTHING_YET_AGAIN = (
    "Le bilan de fin de formation « Agent de restauration (démo) » a lieu le jeudi 26 novembre "
    "2026 de 14 h 00 à 16 h 00, à distance.\nRien à faire pour l'instant : revenez après le "
    "bilan, à partir de 16 h 00 ce jour-là, et envoyez /attestation."
)
"""After the first visit, its start first (explorer DC7: the one hour said was its end)."""


async def invited(trainer: Talker) -> tuple[int, dict[str, str]]:
    bilan_id = await schedule_bilan(trainer)
    return bilan_id, codes(trainer.replies)


async def test_after_the_bilan_a_known_participant_is_pointed_to_attestation(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    _, code = await invited(trainer)
    clock.now = BILAN_END + timedelta(hours=1)
    lea = person("lea")
    await lea.says(f"/start {code['Léa Martin']}")
    await lea.says("/annuler")
    for typed in ("bonjour", "/start", "je comprends pas"):
        await lea.says(typed)
        assert lea.last == TO_CONFIRM, typed
    for typed in ("/aide", "aide"):  # asking for help also names what she may ask for
        await lea.says(typed)
        assert lea.last == (
            TO_CONFIRM + "\nPour recevoir tout ce que formabot garde à votre sujet : /mesdonnees."
        ), typed
    await lea.says("/mesdonnees")
    assert lea.replies[-1].document is not None
    assert STRANGER not in lea.all_text and "Je ne vous connais pas" not in lea.all_text
    await lea.says("/attestation")
    assert "nom complet" in lea.last


async def test_before_the_bilan_one_short_answer_and_no_question_under_way(
    trainer: Talker, person: Callable[..., Talker], db: Database
) -> None:
    _, code = await invited(trainer)
    hugo = person("hugo")
    await hugo.says(f"/start {code['Hugo Moreau']}")
    assert "Bonjour ! Je suis formabot" in hugo.all_text  # the first visit is greeted
    assert hugo.last.startswith(NOTHING_YET)
    for typed in ("/aide", "/attestation", "bonjour", "?", "je comprends pas"):
        await hugo.says(typed)
        said = hugo.all_text
        assert said.startswith(NOTHING_YET_AGAIN), typed
        assert "Pour rejoindre la visio : https://visio.example.org/bilan" in said
        assert said.count("jeudi 26 novembre 2026") == 1, typed  # the date once
        for never in ("dernière question", "pas gardé", "Je reprends", "Bonjour !", STRANGER):
            assert never not in said, (typed, never)
    await survives_outside(db, hugo, FOR_CHOICES)


async def test_one_greeted_before_the_end_is_not_greeted_again_after_it(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer O: « Bonjour ! Je suis formabot … » at every visit, the README saying once."""
    _, code = await invited(trainer)
    hugo = person("hugo")
    await hugo.says(f"/start {code['Hugo Moreau']}")
    # The organisation's name never bare (explorer AI13: « qu'utilise Organisme de … »).
    assert (
        "Bonjour ! Je suis formabot, l'assistant qu'utilise l'organisme de formation "
        "« Organisme de démonstration »." in hugo.all_text
    )
    clock.now = BILAN_END + timedelta(hours=1)
    for _ in range(2):  # after the end, and again after /annuler
        await hugo.says("/attestation")
        said = hugo.all_text
        assert "Bonjour !" not in said and "Je suis formabot" not in said
        assert said.startswith("Confirmons votre participation au bilan"), said
        assert "nom complet" in hugo.last
        await hugo.says("/annuler")


async def test_someone_who_answered_is_told_so_and_what_they_can_still_do(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    _, code = await invited(trainer)
    clock.now = BILAN_END + timedelta(hours=1)
    lea, hugo = person("lea"), person("hugo")
    await lea.says(f"/start {code['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    await hugo.says(f"/start {code['Hugo Moreau']}")
    await hugo.says("Hugo Moreau")
    await hugo.presses("Je représente les stagiaires")
    await hugo.presses("Je n'ai pas participé")
    await hugo.presses("Passer")

    await lea.says("bonjour")
    assert lea.last.startswith("Vous avez déjà répondu, le jeudi 26 novembre 2026 à 17 h 00")
    assert "vous avez attesté sur l'honneur votre participation" in lea.last
    assert lea.last.endswith(
        "Pour recevoir à nouveau votre attestation ou corriger votre réponse, envoyez /attestation."
    )
    await hugo.says("/aide")
    assert "vous avez déclaré ne pas avoir participé" in hugo.last
    assert hugo.last.endswith(
        "Pour corriger votre réponse, envoyez /attestation.\n"
        "Pour recevoir tout ce que formabot garde à votre sujet : /mesdonnees."
    )


async def test_a_bilan_moved_after_the_answer_asks_to_confirm_again(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    bilan_id, code = await invited(trainer)
    clock.now = BILAN_END + timedelta(hours=1)
    lea = person("lea")
    await lea.says(f"/start {code['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    await lea.presses("Je l'atteste")
    async with db.sessions() as session, session.begin():
        bilan = await session.get(Bilan, bilan_id)
        assert bilan is not None
        bilan.starts_at -= timedelta(days=1)  # it was held on Wednesday, in fact
        bilan.ends_at -= timedelta(days=1)
    await lea.says("bonjour")
    assert "a été déplacé au mercredi 25 novembre 2026 depuis votre réponse" in lea.last
    assert lea.last.endswith("envoyez /attestation, puis « Corriger ma réponse ».")


async def test_a_link_expired_or_replaced_says_so(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    bilan_id, code = await invited(trainer)
    lea, hugo = person("lea"), person("hugo")
    await lea.says(f"/start {code['Léa Martin']}")
    await hugo.says(f"/start {code['Hugo Moreau']}")
    async with db.sessions() as session, session.begin():
        info = await view_of(session, bilan_id)
        assert info is not None
        (participant,) = [p for p in info.bilan.participants if p.name == "Hugo Moreau"]
        await invitations.reissue(session, info, participant.id, author=Author(), now=clock.now)
    await hugo.says("bonjour")
    # He had opened it: he is told whom to ask, by name (no masculine « formateur »).
    assert hugo.last == "Ce lien a été remplacé par un nouveau : demandez-le à Camille Durand."
    # /attestation, the command his invitation named, says the same (explorer C, F10).
    await hugo.says("/attestation")
    assert hugo.last == "Ce lien a été remplacé par un nouveau : demandez-le à Camille Durand."
    clock.now = BILAN_END + timedelta(days=31)  # valid 30 days after the bilan
    await lea.says("bonjour")
    assert lea.last.startswith("Ce lien a expiré.")


async def test_a_stranger_and_a_member_keep_their_own_answers(
    trainer: Talker, person: Callable[..., Talker]
) -> None:
    await invited(trainer)
    stranger = person("inconnu")
    await stranger.says("bonjour")
    assert STRANGER in stranger.last
    # A delegate writing before opening her invitation is pointed to it (explorer AW7); in
    # the console, where it is a message to send, not a link (explorer QB9).
    await stranger.says("c ki ?")
    assert (
        "Envoyez-moi ici le message « /start … » que votre formateur ou votre formatrice vous a "
        "transmis."
    ) in stranger.last
    assert "lien personnel" not in stranger.last
    await trainer.says("bonjour")
    assert "Tapez /aide pour voir toutes les commandes" in trainer.last  # greeted (AW4)
    assert STRANGER not in trainer.last


async def test_a_partner_written_to_on_matrix_is_pointed_to_her_invitation(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AL2: the partner the bot invited on Matrix typed « bonjour » in that very
    chat and read that she needed an invitation « de votre organisme de formation »."""
    bilan_id, _ = await invited(trainer)
    async with db.sessions() as session, session.begin():
        info = await view_of(session, bilan_id)
        assert info is not None
        participant = info.bilan.participants[0]
        participant.contact = "@fatima:example.org"
        await invitations.issue(session, info, participant, by=None, now=clock.now)
    fatima = person("@fatima:example.org", Platform.MATRIX)
    await fatima.says("bonjour")
    assert STRANGER not in fatima.all_text
    assert fatima.last.startswith(
        "Bonjour ! Je vous ai écrit plus haut une invitation personnelle pour le bilan de fin "
        "de formation du jeudi 26 novembre 2026 (formation « Agent de restauration (démo) », "
        "Organisme de démonstration)."
    )
    assert "renvoyez-moi le message « /start … » qu'elle contient" in fatima.last
    someone = person("@autre:example.org", Platform.MATRIX)
    await someone.says("bonjour")
    assert STRANGER in someone.last


async def test_the_other_sworn_button_pressed_just_after_says_where_she_stands(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer AJ4: « Je n'ai pas participé » tapped right after « Je l'atteste » (a mis-tap
    corrected at once) was « Ce bouton vient d'un ancien message … », not what she swore."""
    _, code = await invited(trainer)
    clock.now = BILAN_END + timedelta(hours=1)
    lea = person("lea")
    await lea.says(f"/start {code['Léa Martin']}")
    await lea.says("Léa Martin")
    await lea.presses("Je représente les stagiaires")
    sworn = lea.replies
    await lea.presses("Je l'atteste")
    lea.replies = sworn
    await lea.presses("Je n'ai pas participé")
    assert "ancien message" not in lea.all_text
    assert lea.last.startswith("Vous avez déjà répondu, le jeudi 26 novembre 2026 à 17 h 00")
    assert "corriger votre réponse, envoyez /attestation" in lea.last


async def test_after_a_cancellation_the_bilan_planned_since_is_named(
    trainer: Talker, person: Callable[..., Talker]
) -> None:
    """Explorer DC12: « le bilan a bien lieu le 26 ? » got « Ce bilan a été annulé » though
    another one, hers too, was planned since."""
    _, code = await invited(trainer)
    lea = person("lea")
    await lea.says(f"/start {code['Léa Martin']}")
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    await lea.says("bonjour")
    assert lea.last == "Ce bilan a été annulé : il n'y a rien à confirmer. Merci !"
    await schedule_bilan(trainer)  # planned again, Léa among its delegates
    await lea.says("le bilan a bien lieu jeudi ?")
    assert lea.last.startswith(
        "Le bilan de votre invitation a été annulé. Un autre bilan de fin de formation "
        "« Agent de restauration (démo) » est prévu le jeudi 26 novembre 2026 de 14 h 00 à "
        "16 h 00, à distance : Camille Durand vous transmettra sa nouvelle invitation."
    )


@pytest.mark.parametrize("command", ["/mesdonnees", "/effacer"])
async def test_her_attestation_set_aside_points_to_reprendre(
    trainer: Talker, person: Callable[..., Talker], clock: Clock, command: str
) -> None:
    """Explorer KE6: /mesdonnees at the name question set her attestation aside; the name
    then typed got « Pour confirmer votre participation …, envoyez /attestation », which
    starts it again, rather than /reprendre, which takes it up where she was."""
    _, codes_of = await invited(trainer)
    clock.now = BILAN_END + timedelta(minutes=5)
    lea = person("lea")
    await lea.says(f"/start {codes_of['Léa Martin']}")
    await lea.says(command)
    assert "/reprendre" in lea.all_text
    await lea.says("Léa Martin")
    assert lea.last == (
        "Vous aviez commencé à confirmer votre participation au bilan de fin de formation du "
        "jeudi 26 novembre 2026 : tapez /reprendre pour y revenir là où vous en étiez."
    )
    await lea.says("/reprendre")
    assert "nom complet" in lea.last
