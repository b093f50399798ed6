"""What the bot says after a contact is noted: the procedure of the trainee's own formation.

Seed 003 §2: a short formation asks to contact the trainee and the company
(ELY-SHORT); a long or certifying one answers any sign with an entretien
individuel (ELY-LONG), never with « contacter la personne et son entreprise ».
"""

from __future__ import annotations

from bot.storage.db import Database
from bot.storage.formations import Trainee
from tests.auxil.absences import trainee_id
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, survives
from tests.test_decrochage import open_followup, tasks

SHORT_RULE = "la procédure demande de contacter la personne et son entreprise"
ENTRETIEN = "la procédure demande un entretien individuel avec Karim Benali"


async def give_company(db: Database, name: str, company: str) -> None:
    async with db.sessions() as session, session.begin():
        trainee = await session.get(Trainee, await trainee_id(db, name))
        assert trainee is not None
        trainee.company = company


async def at_contact_day(trainer: Person, command: str, whom: str) -> None:
    """``command``'s menu, « Noter un contact » with ``whom`` by phone: « Quel jour ? »."""
    await trainer.says(command)
    await trainer.presses("Noter un contact")
    await trainer.presses(whom)
    await trainer.presses("Téléphone")


async def thomas_followed(trainer: Person) -> None:
    """A short formation's follow-up opened for Thomas, its entretien left for later."""
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")


async def note_contact(trainer: Person, command: str, whom: str) -> None:
    await at_contact_day(trainer, command, whom)
    await trainer.says("aujourd'hui")
    await trainer.presses("Oui")
    await trainer.says("Tuteur joint")
    await trainer.presses("Pas de preuve")
    await trainer.presses("Enregistrer")


async def thomas_reached(trainer: Person) -> str:
    """A short formation's follow-up opened, a contact with the trainee noted: what is said."""
    await thomas_followed(trainer)
    await note_contact(trainer, "/decrochage thomas", "Thomas Fabre")
    return trainer.all_text[trainer.all_text.rindex("C'est noté") :]


async def test_a_long_formation_recalls_the_entretien_not_the_company(
    db: Database, trainer: Person
) -> None:
    await give_company(db, "Karim Benali", "Hôtel des Lys")
    await open_followup(trainer, "karim")
    assert "formation longue ou certifiante" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await note_contact(trainer, "/decrochage karim", "L'entreprise")
    saved = trainer.all_text[trainer.all_text.rindex("C'est noté") :]
    assert "Reste à contacter" not in saved and SHORT_RULE not in saved
    assert ENTRETIEN in saved and "Programmer l'entretien individuel" in saved

    await trainer.presses("Programmer l'entretien individuel")
    await trainer.says("jeudi à 14h")
    await trainer.presses("Oui")
    await note_contact(trainer, "/decrochage karim", "Karim Benali")
    saved = trainer.all_text[trainer.all_text.rindex("C'est noté") :]
    assert ENTRETIEN not in saved and "Reste à contacter" not in saved


async def test_a_long_formation_offers_no_way_round_the_company(
    db: Database, trainer: Person
) -> None:
    """Explorer EA3: « Pas d'entreprise à contacter » was offered in a long formation, whose
    procedure asks no company's contact, with its sentence about short formations."""
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage karim")
    await trainer.presses("Noter un contact")
    assert not any("Pas d'entreprise" in b for b in trainer.buttons)
    assert "Karim Benali" in trainer.buttons


async def test_a_short_formation_still_asks_for_the_company(db: Database, trainer: Person) -> None:
    await give_company(db, "Thomas Fabre", "Garage Martin")
    saved = await thomas_reached(trainer)
    assert "Reste à contacter son entreprise (Garage Martin)" in saved
    assert "pour une formation courte, " + SHORT_RULE in saved
    assert "entretien individuel" not in saved


async def test_a_short_formation_asks_for_the_company_even_when_none_is_known(
    db: Database, trainer: Person
) -> None:
    """Seed 003 §2 asks the company too: an unknown company is to be found, not excused."""
    saved = await thomas_reached(trainer)
    assert "Reste à contacter son entreprise :" in saved
    assert "Je n'ai pas le nom de son entreprise" in saved
    assert (await tasks(db))["CONTACT"].status == "open"

    await note_contact(trainer, "/decrochage thomas", "L'entreprise")
    assert "Reste à contacter" not in trainer.last
    assert (await tasks(db))["CONTACT"].status == "done"


async def test_a_contact_before_the_first_sign_is_said_and_does_not_count(
    db: Database, trainer: Person
) -> None:
    """Explorer K: a contact « à la suite de l'absence » dated days before it was taken
    silently, and it closed the procedure's contact deadline."""
    await thomas_followed(trainer)  # first sign: today, Monday 23 November
    for whom, day in (("Thomas Fabre", "le 16 novembre"), ("L'entreprise", "aujourd'hui")):
        await at_contact_day(trainer, "/decrochage thomas", whom)
        await trainer.says(day)
        await trainer.presses("Oui")
        await trainer.says("Message laissé")
        await trainer.presses("Pas de preuve")
        if day != "aujourd'hui":
            assert (
                "Attention : ce jour vient avant le premier signe de ce suivi (lundi 23 novembre "
                "2026) : je garde ce contact dans le suivi, mais il ne compte pas"
            ) in trainer.last
        else:
            assert "Attention" not in trainer.last
        await trainer.presses("Enregistrer")
    assert "Reste à contacter la personne elle-même" in trainer.all_text


async def test_an_hour_typed_with_the_contact_s_day_is_said_not_kept(trainer: Person) -> None:
    """Explorer O O19: « aujourd'hui à 11h » was confirmed as the day alone, the hour dropped
    without a word; a contact keeps its day, and the confirmation says so."""
    await thomas_followed(trainer)
    await at_contact_day(trainer, "/decrochage thomas", "Thomas Fabre")
    await trainer.says("aujourd'hui à 11h")
    assert trainer.last.startswith(
        "J'ai compris : lundi 23 novembre 2026 (je garde le jour, pas l'heure). C'est bien ça ?"
    )
    await trainer.presses("Non, corriger")
    await trainer.says("aujourd'hui")
    assert trainer.last.startswith("J'ai compris : lundi 23 novembre 2026. C'est bien ça ?")


async def test_a_trainee_with_no_employer_is_noted_as_such_and_the_contact_is_done(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer BB1: a job seeker has no company to reach; the contact step stayed open and
    the ticket closed it « non tenue », an auditor reading a step missed."""
    saved = await thomas_reached(trainer)
    assert (
        "Sans employeur à joindre, notez-le : « Noter un contact », puis « Pas d'entreprise à "
        "contacter (sans employeur) »."
    ) in saved
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    assert "Pas d'entreprise à contacter (sans employeur)" in trainer.buttons
    await trainer.presses("Pas d'entreprise à contacter (sans employeur)")
    assert trainer.last.startswith(
        "Noter que Thomas Fabre n'a pas d'entreprise à contacter (pas d'employeur) ? Pour une "
        "formation courte, la procédure demande de contacter la personne et son entreprise"
    )
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Enregistrer")
    assert "contacts : 1" in trainer.all_text  # Thomas himself; « sans employeur » is none (EA3)
    assert "C'est noté : pas d'entreprise à contacter." in trainer.all_text
    assert "Reste à contacter" not in trainer.all_text[trainer.all_text.rindex("C'est noté") :]
    assert (await tasks(db))["CONTACT"].status == "done"
    # the ticket at the same instant (the frozen clock): the contact stays held (CF6)
    await trainer.says("/decrochage thomas")
    await trainer.presses("Saisir le ticket qualité")
    assert (
        "Pas d'entreprise à contacter (la personne n'a pas d'employeur), noté le lundi 23 "
        "novembre 2026."
    ) in trainer.last
    assert "Non fait à la clôture" not in trainer.last
    await trainer.presses("Rien à ajouter")
    await trainer.presses("Enregistrer le ticket")
    await trainer.says("/suivi thomas")
    assert "Pas d'entreprise à contacter : la personne n'a pas d'employeur" in trainer.all_text
    assert "non tenue" not in trainer.all_text


async def test_a_known_company_offers_no_way_round_it(db: Database, trainer: Person) -> None:
    await give_company(db, "Thomas Fabre", "Garage Martin")
    await thomas_followed(trainer)
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    assert "L'entreprise (Garage Martin)" in trainer.buttons
    assert not any("Pas d'entreprise" in b for b in trainer.buttons)


async def test_no_employer_noted_first_leaves_the_trainee_to_contact(
    db: Database, trainer: Person
) -> None:
    await thomas_followed(trainer)
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    await trainer.presses("Pas d'entreprise à contacter (sans employeur)")
    await trainer.presses("Enregistrer")
    assert (
        "C'est noté : pas d'entreprise à contacter.\nReste à contacter la personne elle-même : "
    ) in trainer.all_text
    assert (await tasks(db))["CONTACT"].status == "open"


async def test_back_from_no_employer_a_contact_asks_its_means_again(
    db: Database, trainer: Person
) -> None:
    """Explorer DF6: « Retour » from « Pas d'entreprise », then the trainee: « Contact avec
    Thomas Fabre par sans objet » was saved, the means never asked."""
    await thomas_followed(trainer)
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    await trainer.presses("Pas d'entreprise à contacter (sans employeur)")
    await trainer.says("retour")
    await trainer.presses("Thomas Fabre")
    assert trainer.last.startswith("Par quel moyen ?")
    await trainer.presses("Téléphone")
    assert "Quel jour ?" in trainer.last


async def test_no_employer_is_asked_with_the_elision_before_a_vowel(trainer: Person) -> None:
    """Explorer GF5: « Noter que Inès Garnier n'a pas d'entreprise à contacter ? », where the
    bot writes « d'Inès » everywhere else."""
    await open_followup(trainer, "inès")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/decrochage inès")
    await trainer.presses("Noter un contact")
    await trainer.presses("Pas d'entreprise à contacter (sans employeur)")
    assert trainer.last.startswith(
        "Noter qu'Inès Garnier n'a pas d'entreprise à contacter (pas d'employeur) ?"
    )


async def test_once_the_trainee_is_reached_what_is_left_is_the_company(
    db: Database, trainer: Person
) -> None:
    """Explorer HB10: once Thomas was reached, the menu, /echeances and the digest still read
    « Contacter Thomas Fabre et son entreprise »: a trainer back a week later could not tell
    that only the employer (or « Pas d'entreprise à contacter ») was missing."""
    await thomas_reached(trainer)
    await trainer.says("/decrochage thomas")
    assert "Contacter Thomas Fabre et son entreprise" not in trainer.last
    assert (
        "· Contacter l'entreprise de Thomas Fabre, ou noter qu'il n'y en a pas, au plus tard le "
    ) in trainer.last
    assert "; le contact avec Thomas Fabre est noté" in trainer.last
    contact = (await tasks(db))["CONTACT"]
    assert contact.title == "Contacter l'entreprise de la personne"
    assert contact.explanation.startswith(
        "Prendre contact avec l'entreprise de Thomas Fabre au plus tard le "
    )
    assert "le contact avec Thomas Fabre est noté" in contact.explanation
    await trainer.says("/echeances")
    assert any("Contacter l'entreprise de la personne" in b for b in trainer.buttons)

    await give_company(db, "Thomas Fabre", "Garage Martin")
    await trainer.says("/decrochage thomas")
    assert "· Contacter l'entreprise de Thomas Fabre (Garage Martin) au plus tard le " in (
        trainer.last
    )
    await note_contact(trainer, "/decrochage thomas", "L'entreprise (Garage Martin)")
    contact = (await tasks(db))["CONTACT"]
    assert (contact.status, contact.title) == ("done", "Contacter la personne et son entreprise")


async def test_no_employer_noted_first_leaves_the_trainee_in_the_deadline(
    db: Database, trainer: Person
) -> None:
    """Explorer HB10, the other way round: « Pas d'entreprise » noted, the trainee is left."""
    await thomas_followed(trainer)
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    await trainer.presses("Pas d'entreprise à contacter (sans employeur)")
    await trainer.presses("Enregistrer")
    await trainer.says("/decrochage thomas")
    assert "· Contacter Thomas Fabre au plus tard le " in trainer.last
    assert "; pas d'entreprise à contacter, c'est noté" in trainer.last
    assert (await tasks(db))["CONTACT"].title == "Contacter la personne"
