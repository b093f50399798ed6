"""Who a participant says they are (bot/conversations/attestations/identity.py): what a
novice types is no name, another name is confirmed, « oui » takes the invited role, and a
partner confirms the structure the trainer entered (outside test C, defects 1, 16, 17)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.storage.attestations import Attestation
from bot.storage.db import Database
from tests.auxil.attestations import (
    BILAN_END,
    BILAN_START,
    add_bilan,
    after_the_bilan,
    issue_code,
    lea_opening_her_link,
    open_zip,
    trainer_corrects_name,
)
from tests.auxil.dialogue import Clock
from tests.auxil.dialogue import Person as Talker
from tests.auxil.hostile import FOR_CHOICES, FOR_TEXT, survives
from tests.auxil.pdf import pdf_words


async def answers(db: Database) -> list[Attestation]:
    async with db.sessions() as session:
        return list((await session.scalars(select(Attestation))).all())


async def test_what_a_novice_types_at_the_name_question_is_asked_again_never_stored(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Outside test C, defect 1: « Moi, c quoi ce truc, … j'atteste sur l'honneur »."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    # « Hugo Moreau 😀 » folds to the invited name, but is no signature (explorer X).
    for said in ("je comprends pas", "bonjour", "c quoi ce truc", "?", "aide", "Hugo Moreau 😀"):
        await hugo.says(said)
        assert hugo.last.startswith("Je n'ai pas compris : ici, il me faut seulement votre"), said
        assert hugo.last.endswith(
            "quel est votre nom complet, prénom et nom ? (par exemple « Claire Dubois »)"
        )
        assert "atteste" not in hugo.last
    await hugo.says("Hugo Moreau")  # the invited name: straight on
    assert "À quel titre participez-vous à ce bilan ?" in hugo.last
    assert await answers(db) == []


async def test_another_name_is_confirmed_before_the_text_and_oui_takes_the_invited_one(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Hugo Morau")
    assert "vous avez écrit « Hugo Morau ». Vous êtes bien Hugo Moreau ?" in hugo.last
    await hugo.says("Corriger mon nom")
    assert "nom complet" in hugo.last
    await hugo.says("Hugo Morau")
    await hugo.says("oui")
    # Outside test C, defect 16: the role the invitation gives is confirmed by « oui ».
    assert "D'après votre invitation, vous y représentez les stagiaires" in hugo.last
    assert "délégation" not in hugo.last
    await hugo.says("oui")
    assert "Moi, Hugo Moreau, représentant les stagiaires" in hugo.last
    await hugo.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.typed_name, answer.name_matches, answer.role) == (
        "Hugo Moreau",
        True,
        "delegate",
    )
    # Explorer W, W9: « Nom tapé par la personne : Hugo Moreau » was not what he typed.
    assert answer.pdf is not None
    words = pdf_words(answer.pdf)
    assert (
        "Nom attesté (tapé par la personne, reconnu dans ce qu'elle a tapé, ou confirmé parmi ceux proposés) : Hugo"
        in words
    )
    assert "Nom tapé" not in words


async def test_the_role_question_takes_ok_for_the_invited_role(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    invited = await after_the_bilan(trainer, clock)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("martin lea")  # her own name in small letters, reversed (explorers O, P)
    await lea.says("ok")
    assert "Je n'ai pas reconnu ce choix" not in lea.last
    assert "Moi, Léa Martin, représentant les stagiaires" in lea.last  # as invited


async def test_a_partner_s_structure_typed_under_its_old_name_is_sworn_under_its_current_one(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer KE10: « Pôle emploi Caen » typed at the structure question went as such into
    the sworn text for the Région, where the trainer's own entry of it is written France
    Travail, saying so (explorer AD14)."""
    bilan_id = await add_bilan(
        db, start=BILAN_START, participants=(("partner", "Dominique Roux", None),)
    )
    code = await issue_code(db, bilan_id, "Dominique Roux", at=clock.now)
    clock.now = BILAN_END + timedelta(minutes=30)
    dominique = person("dominique")
    for line in (f"/start {code}", "Dominique Roux", "Pôle emploi Caen"):
        await dominique.says(line)
    assert dominique.all_text.startswith(
        "« Pôle emploi Caen » : cette structure s'appelle France Travail depuis le 1er janvier "
        "2024 ; j'écris « France Travail Caen »."
    )
    assert "Moi, Dominique Roux, pour la structure « France Travail Caen »" in dominique.last
    await dominique.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert answer.structure == "France Travail Caen"


async def test_a_partner_confirms_or_corrects_the_structure_the_trainer_entered(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Outside test C, defect 17: asked blank, « Je suis arrivé en retard » became the
    structure (« représentant Je suis arrivé en retard »)."""
    bilan_id = await add_bilan(
        db,
        start=BILAN_START,
        participants=(
            ("partner", "Jean Dupuis", "Mission locale de Caen"),
            ("partner", "Karim Haddad", "France Travail"),
        ),
    )
    jean_code = await issue_code(db, bilan_id, "Jean Dupuis", at=clock.now)
    karim_code = await issue_code(db, bilan_id, "Karim Haddad", at=clock.now)
    clock.now = BILAN_END + timedelta(minutes=30)
    jean = person("jean")
    await jean.says(f"/start {jean_code}")
    await jean.says("Jean Dupuis")  # a partner: no role to choose (explorer AE2)
    assert "À quel titre" not in jean.all_text
    assert (
        "Votre invitation indique que vous représentez la structure Mission locale de Caen"
        in jean.last
    )
    assert jean.buttons == ["Oui, c'est exact"]
    await jean.says("Je suis arrivé en retard")
    # No structure, and no word lost: passed on to the trainer (explorer HB12).
    assert jean.last.startswith("J'ai transmis votre message à Camille Durand.")
    assert "Mission locale de Caen" in jean.last
    await jean.says("non")
    assert "écrivez le nom exact de la structure" in jean.last
    await jean.says("oui")
    assert "Moi, Jean Dupuis, pour la structure « Mission locale de Caen », partenaire" in jean.last
    await jean.presses("Je l'atteste")

    karim = person("karim")
    await karim.says(f"/start {karim_code}")
    await karim.says("Karim Haddad")
    await karim.says("France Travail Lisieux")  # corrected
    assert "pour la structure « France Travail Lisieux », partenaire" in karim.last
    await karim.presses("Je l'atteste")
    assert sorted(a.structure or "" for a in await answers(db)) == [
        "France Travail Lisieux",
        "Mission locale de Caen",
    ]
    await trainer.says("/attestations")  # the structure sworn, told (explorer O)
    assert trainer.all_text.count("a attesté pour la structure") == 1
    assert "a attesté pour la structure « France Travail Lisieux »" in trainer.all_text
    await trainer.presses("Recevoir le dossier")  # and in the summary the auditor opens
    zipped = [r.document for r in trainer.replies if r.document is not None][-1]
    recap = pdf_words(open_zip(zipped.content)[0]["recapitulatif.pdf"])
    assert "a attesté pour la structure « France Travail Lisieux »" in recap


async def test_aide_at_the_name_confirmation_explains_the_three_answers(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    invited = await after_the_bilan(trainer, clock)
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martine")
    await lea.says("aide")
    assert "« Oui, je suis … » reprend le nom de l'invitation" in lea.all_text
    assert "l'organisme de formation vérifiera la différence" in lea.all_text


async def test_a_name_corrected_at_the_text_is_confirmed_then_the_text_comes_back(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """« Corriger mon nom » asks the name only: another name is still confirmed, and then
    the text comes back, the role kept, not the role question."""
    hugo = await hugo_at_the_role(trainer, person, clock)
    await hugo.says("oui")
    await hugo.presses("Corriger mon nom")
    await hugo.says("Hugo Moreau-Petit")
    assert "Vous êtes bien Hugo Moreau ?" in hugo.last
    await hugo.presses("Garder")
    assert "l'attestation portera le nom « Hugo Moreau-Petit »" in hugo.all_text
    assert "Moi, Hugo Moreau-Petit, représentant les stagiaires" in hugo.last
    assert "À quel titre" not in hugo.all_text
    await hugo.presses("Corriger mon nom")
    await hugo.says("Hugo Moreau")  # the invited name: straight back to the text
    assert "Moi, Hugo Moreau, représentant les stagiaires" in hugo.last
    await hugo.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.typed_name, answer.role) == ("Hugo Moreau", "delegate")


async def test_a_first_name_alone_cannot_be_kept_for_the_attestation(
    trainer: Talker, person: Callable[..., Talker], clock: Clock
) -> None:
    """Explorer M: « aicha » was kept, and sworn as « Moi, aicha, … »."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("hugues")
    assert "Vous êtes bien Hugo Moreau ?" in hugo.last
    assert hugo.buttons == ["Oui, je suis Hugo Moreau", "Corriger mon nom"]
    await hugo.presses("Corriger mon nom")
    await hugo.says("Hugues Morel")  # a full name, another one: can be kept, and checked
    assert hugo.buttons == [
        "Oui, je suis Hugo Moreau",
        "Garder « Hugues Morel »",
        "Corriger mon nom",
    ]


async def test_i_could_not_come_at_the_role_question_leads_to_the_decline(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer U U9: « je n'ai pas pu venir, j'étais malade » was « Je n'ai pas reconnu ce
    choix », and the person had to claim a title to be offered « Je n'ai pas participé »."""
    hugo = await hugo_at_the_role(trainer, person, clock)
    assert "À quel titre" in hugo.last
    await hugo.says("en fait je n'ai pas pu venir, j'étais malade")
    assert "Vous n'avez pas participé à ce bilan" in hugo.all_text
    assert "Je n'ai pas participé" in hugo.buttons
    # Explorer Y, Y4: « oui » there attested a presence he had just denied.
    await hugo.says("oui")
    assert hugo.last.startswith("Vous m'avez dit ne pas avoir pu venir")
    assert await answers(db) == []
    await hugo.presses("Je n'ai pas participé")
    assert "pas de détail sur votre santé" in hugo.last
    await hugo.says("empêchement")
    (answer,) = await answers(db)
    assert (answer.answer, answer.reason, answer.role) == ("declined", "empêchement", "delegate")


async def test_a_partner_who_did_not_take_part_says_so_at_the_structure_question(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer Z, Z3: « je n'ai pas participé » at « Quelle structure représentez-vous ? »
    was « Je n'ai pas compris », again and again, with no word that it could be said after."""
    bilan_id = await add_bilan(
        db,
        start=BILAN_START,
        participants=(
            ("partner", "Julie Vasseur", None),
            ("partner", "Jean Dupuis", "Mission locale de Caen"),
        ),
    )
    codes = {
        n: await issue_code(db, bilan_id, n, at=clock.now) for n in ("Julie Vasseur", "Jean Dupuis")
    }
    clock.now = BILAN_END + timedelta(minutes=30)
    julie = person("julie")
    await julie.says(f"/start {codes['Julie Vasseur']}")
    await julie.says("Julie Vasseur")
    await julie.says("en fait j'ai pas pu me connecter")
    assert julie.last.startswith("C'est noté : vous n'avez pas participé à ce bilan")
    await julie.says("Mission locale de Caen")
    assert "pour la structure « Mission locale de Caen »" in julie.last
    await julie.says("oui")  # not a sworn presence after what she said
    assert julie.last.startswith("Vous m'avez dit ne pas avoir pu venir")
    assert await answers(db) == []
    await julie.presses("Je n'ai pas participé")
    await julie.says("problème de connexion")

    jean = person("jean")  # his structure known: kept, and the text shown at once
    await jean.says(f"/start {codes['Jean Dupuis']}")
    await jean.says("Jean Dupuis")
    await jean.says("je n'ai pas participé")
    assert "Vous n'avez pas participé à ce bilan" in jean.all_text
    assert "pour la structure « Mission locale de Caen »" in jean.last
    await jean.presses("Je n'ai pas participé")
    await jean.says("empêchement")
    assert sorted((a.structure, a.answer) for a in await answers(db)) == [
        ("Mission locale de Caen", "declined"),
        ("Mission locale de Caen", "declined"),
    ]


async def test_non_and_je_n_etais_pas_la_at_the_role_question_are_heard(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer Y, Y12: both were « Je n'ai pas reconnu ce choix »."""
    hugo = await hugo_at_the_role(trainer, person, clock)
    await hugo.says("non")
    assert hugo.last.startswith("D'accord : choisissez votre rôle parmi les réponses proposées.")
    await hugo.says("je n'étais pas là")
    assert "Vous n'avez pas participé à ce bilan" in hugo.all_text
    assert "Je n'ai pas participé" in hugo.buttons
    assert await answers(db) == []


async def test_a_role_refused_is_not_taken_for_an_absence(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    hugo = await hugo_at_the_role(trainer, person, clock)
    await hugo.says("je ne sais pas")  # the roles explained (explorer KE9), no absence
    assert "Représenter les stagiaires, c'est" in hugo.last and "À quel titre" in hugo.last
    assert "Vous n'avez pas participé" not in hugo.last
    assert await answers(db) == []


async def hugo_at_the_role(trainer: Talker, person: Callable[..., Talker], clock: Clock) -> Talker:
    """The demo's bilan over, Hugo Moreau opens his link and gives his name: « À quel
    titre … ? » is asked."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Hugo Moreau")
    return hugo


NOT_THE_DELEGATE = "Votre invitation vous désigne comme stagiaire de la formation"


async def open_as(
    db: Database, person: Callable[..., Talker], clock: Clock, kind: str, name: str, **more: str
) -> Talker:
    """A bilan over with one participant invited as ``kind`` (``structure`` for a partner),
    who opens their link and gives their name."""
    bilan_id = await add_bilan(
        db, start=BILAN_START, participants=((kind, name, more.get("structure")),)
    )
    code = await issue_code(db, bilan_id, name, at=clock.now)
    clock.now = BILAN_END + timedelta(minutes=30)
    who = person(more.get("user", "karim"))
    await who.says(f"/start {code}")
    await who.says(name)
    return who


def forged(who: Talker, value: str) -> str:
    """A button of the question shown, pointed at ``value`` (one it does not offer)."""
    question = who.replies[-1].choices[0].data.split("|", 1)[0]
    return f"{question}|{value}"


async def test_a_trainee_outside_the_delegation_swears_as_a_trainee_without_being_asked(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AE2: Karim Benali, invited « stagiaire (hors délégation) », was offered
    « Délégué ou déléguée des stagiaires » and could swear « Moi, Karim Benali,
    représentant les stagiaires … » under art. 441-7 of the code pénal."""
    karim = await open_as(db, person, clock, "trainee", "Karim Benali")
    assert "À quel titre" not in karim.all_text
    assert "représente les stagiaires" not in " ".join(karim.buttons)
    assert "Moi, Karim Benali, stagiaire de la formation" in karim.last
    assert karim.buttons == [
        "Je l'atteste sur l'honneur",
        "Je n'ai pas participé",
        "Corriger mon nom",
    ]
    # The role no longer offered, typed: said plainly, the text asked again, nothing kept.
    for said in ("délégué", "je suis déléguée", "je représente les stagiaires", "partenaire"):
        await karim.says(said)
        assert karim.last.startswith(NOT_THE_DELEGATE), said
        assert "demandez à" in karim.last and "Moi, Karim Benali, stagiaire" in karim.last
    await karim.presses_data(forged(karim, "delegate"))
    assert "représentant les stagiaires" not in karim.all_text
    await survives(db, karim, FOR_CHOICES)
    assert await answers(db) == []
    await karim.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.role, answer.role_matches) == ("trainee", True)


async def test_a_partner_is_asked_the_structure_not_a_role(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    jean = await open_as(
        db, person, clock, "partner", "Jean Dupuis", structure="Mission locale de Caen", user="jean"
    )
    assert "À quel titre" not in jean.all_text
    assert "Votre invitation indique que vous représentez la structure" in jean.last
    for said in ("délégué", "stagiaire"):
        await jean.says(said)  # no structure called « délégué »
        assert jean.last.startswith("Votre invitation vous désigne comme partenaire"), said
        assert "Votre invitation indique que vous représentez la structure" in jean.last
    await jean.says("oui")
    assert "Moi, Jean Dupuis, pour la structure « Mission locale de Caen », partenaire" in (
        jean.last
    )
    await jean.says("je suis délégué")
    assert jean.last.startswith("Votre invitation vous désigne comme partenaire")
    await jean.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.role, answer.structure) == ("partner", "Mission locale de Caen")


async def test_a_partner_without_a_structure_is_asked_it_at_once(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    julie = await open_as(db, person, clock, "partner", "Julie Vasseur", user="julie")
    assert "À quel titre" not in julie.all_text
    assert "Quelle structure représentez-vous ?" in julie.last
    await julie.says("je suis déléguée des stagiaires")
    assert julie.last.startswith("Votre invitation vous désigne comme partenaire")
    await survives(db, julie, FOR_TEXT)
    await julie.says("France Travail Lisieux")
    assert "pour la structure « France Travail Lisieux », partenaire" in julie.last


@pytest.mark.parametrize("typed", ["Julie Vasseur", "julie vasseur", "Vasseur", "Mme Vasseur"])
async def test_a_partner_s_own_name_is_no_structure(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer UC8: her own name was taken as her structure and written in the sworn text
    (« Moi, Julie Vasseur, pour la structure « Julie Vasseur » »). Refused, saying why."""
    julie = await open_as(db, person, clock, "partner", "Julie Vasseur", user="julie")
    await julie.says(typed)
    assert julie.all_text.startswith(
        f"« {typed} », c'est votre nom : il me faut celui de la structure que vous représentez"
    ), julie.all_text
    assert "Quelle structure représentez-vous ?" in julie.last
    await julie.says("France Travail Lisieux")
    assert "pour la structure « France Travail Lisieux », partenaire" in julie.last


@pytest.mark.parametrize("typed", ["aucune", "Aucune structure", "sans structure", "néant"])
async def test_no_structure_is_answered_not_sworn(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer UC8: « aucune » went into the sworn text (« pour la structure « aucune » »).
    She is told what the attestation needs, and how to leave it if she represents none."""
    julie = await open_as(db, person, clock, "partner", "Julie Vasseur", user="julie")
    await julie.says(typed)
    assert julie.all_text.startswith("Comme partenaire, vous représentez une structure"), (
        julie.all_text
    )
    assert "/annuler" in julie.all_text
    assert "Quelle structure représentez-vous ?" in julie.last
    assert "pour la structure" not in julie.all_text


async def test_a_reservation_at_the_structure_question_is_passed_on_and_kept(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer HB12: words said at the structure question go the way of those written at
    the text (GB5): passed on to the trainer, kept with the answer, the question asked again."""
    julie = await open_as(db, person, clock, "partner", "Julie Vasseur", user="julie")
    await julie.says("Cap emploi, mais je suis partie au bout d'une heure")
    assert julie.last.startswith(
        "J'ai transmis votre message à Camille Durand. Pour l'attestation, il me faut ici"
        " seulement le nom de la structure que vous représentez."
    )
    assert julie.last.endswith(
        "Quelle structure représentez-vous ? (par exemple « France"
        " Travail Caen » ou « Mission locale de Lisieux »)"
    )
    await julie.says("Cap emploi")
    await julie.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.structure, answer.words_before) == (
        "Cap emploi",
        "Cap emploi, mais je suis partie au bout d'une heure",
    )


async def test_a_delegate_may_say_a_trainee_only_and_the_trainer_is_told(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """A delegate is a trainee of the formation too: both are true, and « stagiaire » alone
    (stepped down, or replaced) is the one mismatch left for the trainer to check."""
    hugo = await hugo_at_the_role(trainer, person, clock)
    assert hugo.buttons == ["Je représente les stagiaires", "Je suis stagiaire de la formation"]
    await hugo.says("partenaire")
    assert hugo.last.startswith("Votre invitation vous désigne pour représenter les stagiaires")
    assert "À quel titre" in hugo.last
    await hugo.presses_data(forged(hugo, "partner"))
    assert "Partenaire" not in " ".join(hugo.buttons)
    await survives(db, hugo, FOR_CHOICES)
    await hugo.presses("Stagiaire de la formation")
    assert "Moi, Hugo Moreau, stagiaire de la formation" in hugo.last
    await hugo.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.role, answer.role_matches) == ("trainee", False)
    await trainer.says("/attestations")
    assert "⚠ rôle choisi différent de celui de l'invitation" in trainer.last


async def test_a_classmate_s_name_is_no_name_to_swear_under(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AD23: Léa kept « Karim Benali » and swore « Moi, Karim Benali, … »; the
    trainer was told only of a name « différent »."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    for typed in ("Léa Martin", "martin léa"):
        await hugo.says(typed)
        assert hugo.last.startswith(
            # No « d'un autre stagiaire » for a woman named (explorer AI5).
            "« Léa Martin » est le nom d'une autre personne de cette formation : chacun atteste "
            "pour soi, avec sa propre invitation. Écrivez votre propre nom ;"
        ), typed
    await hugo.says("Hugues Morel")  # no one of the formation: checked as before
    assert "Vous êtes bien Hugo Moreau ?" in hugo.last
    assert await answers(db) == []


async def test_her_invitation_follows_her_name_corrected_by_the_trainer(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer KE2: the trainer corrected « Léa Martin » to « Léa Martin-Diallo » after the
    invitation; Léa, typing that name, was told it was « le nom d'une autre personne de cette
    formation », then asked whether she was « Léa Martin ». Her invitation is in her name as
    corrected: that name goes straight on, the old one is confirmed against the new."""
    invited = await after_the_bilan(trainer, clock)
    await trainer_corrects_name(trainer, "Léa Martin", "Léa Martin-Diallo")
    lea = person("lea")
    await lea.says(f"/start {invited['Léa Martin']}")
    await lea.says("Léa Martin")
    assert (
        "Votre invitation est au nom de Léa Martin-Diallo, et vous avez écrit « Léa Martin ». "
        "Vous êtes bien Léa Martin-Diallo ?"
    ) in lea.last
    await lea.presses("Corriger mon nom")
    await lea.says("léa martin-diallo")  # her name, other capitals: the invitation's spelling
    assert "le nom d'une autre personne" not in lea.all_text
    await lea.presses("Je représente les stagiaires")
    assert "Moi, Léa Martin-Diallo, représentant les stagiaires" in lea.last
    await lea.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.typed_name, answer.name_matches, answer.answer) == (
        "Léa Martin-Diallo",
        True,
        "attested",
    )
    hugo = person("hugo")  # a classmate's corrected name is still no name to swear under
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("Léa Martin-Diallo")
    assert hugo.last.startswith("« Léa Martin-Diallo » est le nom d'une autre personne")


@pytest.mark.parametrize(
    "typed",
    [
        "je m'appelle Hugo Moreau",
        "Bonjour, je m’appelle Hugo Moreau",
        "moi c'est Hugo Moreau",
        "je suis Hugo Moreau",
        "c'est Hugo Moreau",
        "Hugo Moreau !",
        "Hugo Moreau, délégué",
        *("Hugo Moreau merci", "Hugo Moreau svp", "Hugo Moreau, merci !"),  # explorer UA9
        # Dictated (explorer KE8: passed on to the trainer, and the name asked again).
        *("euh oui bonjour c'est Hugo Moreau à l'appareil", "alors euh je m'appelle Hugo Moreau"),
    ],
)
async def test_the_name_in_a_sentence_that_introduces_it_is_the_name(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer QB11: « je m'appelle Léa Martin », « je suis Léa Martin », « Léa Martin ! »
    were « Je n'ai pas compris » (and « Léa Martin, déléguée » offered to swear under « Léa
    Martin, déléguée »): the bot greets with « Je suis formabot », and a newcomer answers in
    kind. The words that introduce the name are left out, the name taken."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says(typed)
    assert hugo.last.startswith("À quel titre participez-vous à ce bilan ?"), hugo.last
    await hugo.says("oui")
    assert "Moi, Hugo Moreau, représentant les stagiaires" in hugo.last
    await hugo.presses("Je l'atteste")
    (answer,) = await answers(db)
    assert (answer.typed_name, answer.name_matches) == ("Hugo Moreau", True)


@pytest.mark.parametrize(
    "typed",
    [
        "plus tard",
        "plus tard svp",
        "pas maintenant",
        "Attendez merci",
        "un instant",
        "Attendez",
        "Demain Matin",
        "2 min",
    ],
)
async def test_later_at_the_name_question_is_no_name(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer QB12: « plus tard », « pas maintenant », « un instant » became names to swear
    under (« Garder « Plus Tard » »). Someone who wants to stop for now is told nothing is
    kept and how to come back; the question stays."""
    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says(typed)
    assert hugo.last.startswith(
        "D'accord, rien ne presse : répondez quand vous voulez, ici ou plus tard avec /attestation."
    ), hugo.last
    assert "Garder" not in hugo.last
    assert hugo.last.endswith("(par exemple « Claire Dubois »)")
    await hugo.says("Hugo Moreau")
    assert hugo.last.startswith("À quel titre participez-vous à ce bilan ?")
    assert await answers(db) == []


async def test_a_link_that_does_not_work_said_at_the_name_reaches_the_trainer(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer SB9: « le lien marche pas » at the name question was offered as a name
    (« Garder « Le Lien Marche Pas » »), signed so after « non », and never reached the
    trainer; it is passed on, and the name asked again."""
    from tests.test_attestations_words import told_the_trainer

    lea = await lea_opening_her_link(trainer, person, clock)
    await lea.says("le lien marche pas")
    assert "Le Lien Marche Pas" not in lea.all_text
    assert lea.all_text.startswith("J'ai transmis votre message à Camille Durand.")
    (told,) = await told_the_trainer(db)
    assert "le lien marche pas" in told


@pytest.mark.parametrize(
    "typed",
    ["pas le temps", "mot de passe", "bonne soirée", "bonjour", "c'est pour quoi ?", "en attente"],
)
async def test_words_that_are_no_name_are_never_offered_as_one(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock, typed: str
) -> None:
    """Explorer SB9: « pas le temps », « mot de passe », « bonne soirée » at the name question
    were offered as names (« Vous êtes bien Léa Martin ? », « Garder « Pas le Temps » »): a
    negation, a wish, the link's words are no name. The name is asked again, nothing kept."""
    lea = await lea_opening_her_link(trainer, person, clock)
    await lea.says(typed)
    assert lea.all_text.startswith("Je n'ai pas compris : ici, il me faut seulement"), lea.all_text
    assert "Garder" not in lea.all_text and "Vous êtes bien" not in lea.all_text
    await lea.says("Léa Martin")
    assert lea.last.startswith("À quel titre participez-vous à ce bilan ?"), lea.last


async def test_a_name_then_that_one_was_absent_is_passed_on(
    trainer: Talker, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer UA9: « je m'appelle Hugo Moreau et j'étais absent » got « Je n'ai pas
    compris » and reached nobody, while « Hugo Moreau, mais je n'étais pas là » is passed on
    to the trainer. The same: passed on, the name asked again."""
    from tests.test_attestations_words import told_the_trainer

    invited = await after_the_bilan(trainer, clock)
    hugo = person("hugo")
    await hugo.says(f"/start {invited['Hugo Moreau']}")
    await hugo.says("je m'appelle Hugo Moreau et j'étais absent")
    assert hugo.last.startswith("J'ai transmis votre message à Camille Durand."), hugo.last
    (told,) = await told_the_trainer(db)
    assert told.endswith("« je m'appelle Hugo Moreau et j'étais absent »"), told
    assert await answers(db) == []


def test_a_partner_who_did_not_take_part_is_told_in_plain_french() -> None:
    """Explorer AI6: « vous pourrez le répondre juste après » (one answers something, one
    does not « le répondre »)."""
    from bot.texts import say

    assert say("attestation_participant.not_there_structure").startswith(
        "C'est noté : vous n'avez pas participé à ce bilan ; vous pourrez le dire juste après,"
        " avec « Je n'ai pas participé »."
    )


async def test_the_role_question_offers_what_the_person_says_of_herself(
    demo: None, person: Callable[..., Talker], db: Database, clock: Clock
) -> None:
    """Explorer AI14: « choisissez « Délégué ou déléguée des stagiaires » », both genders
    written to the person herself; the buttons now speak as her, with no gender."""
    lea = await open_as(db, person, clock, "delegate", "Léa Martin")
    assert (
        "D'après votre invitation, vous y représentez les stagiaires : si c'est bien cela, "
        "choisissez « Je représente les stagiaires » ou répondez « oui »."
    ) in lea.last
    assert lea.buttons[-2:] == ["Je représente les stagiaires", "Je suis stagiaire de la formation"]
