"""A new formation's recap: « Corriger » asks one topic again and keeps the rest (U4, U15)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from bot.storage import people
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, step_of, survives
from tests.auxil.statements import counting
from tests.test_formation import HAPPY, answer, cvl_formation, formations


async def at_the_recap(trainer: Person, trainees: str | None = None) -> None:
    """/formation answered as :data:`HAPPY` (another list of trainees if given), at its recap."""
    await trainer.says("/formation")
    for step, kind, value in HAPPY[:-1]:
        await answer(trainer, kind, trainees if step == "trainees" and trainees else value)
    assert "Tout est juste ?" in trainer.last


async def test_the_recap_shows_what_was_asked_companies_and_organisation(
    trainer: Person,
) -> None:
    await at_the_recap(trainer)
    recap = trainer.last
    assert "Organisation : De date à date (un groupe)" in recap
    assert "Marie Dupont (Boulangerie Martin, représente les stagiaires)" in recap
    assert trainer.buttons == ["Enregistrer", "Corriger", "Abandonner"]


async def test_dates_corrected_at_the_recap_are_saved_and_the_rest_kept(
    db: Database, trainer: Person
) -> None:
    before = len(await formations(db))
    await at_the_recap(trainer)
    await trainer.presses("Corriger")
    assert "Que voulez-vous corriger ?" in trainer.last
    await trainer.presses("Dates")
    assert "Quelles sont les dates" in trainer.last
    await trainer.says("du 4 janvier au 30 juin 2027")
    await trainer.presses("Oui")
    recap = trainer.last
    assert "Du lundi 4 janvier 2027 au mercredi 30 juin 2027" in recap
    assert (
        "Personne chargée de mission de la Région : Mme Sophie Leroy (sophie.leroy@example.org)"
        in recap
    )
    assert "Certifiante, longue" in recap
    await trainer.presses("Enregistrer")
    saved = (await formations(db))[before:]
    assert len(saved) == 1
    f = saved[0]
    assert (f.start_date, f.end_date) == (date(2027, 1, 4), date(2027, 6, 30))
    assert (f.title, f.cm_email, f.long, f.certifying) == (
        "Agent de restauration",
        "sophie.leroy@example.org",
        True,
        True,
    )
    assert sorted(t.full_name for t in f.trainees) == [
        "Julie Petit",
        "Karim Benali",
        "Marie Dupont",
    ]
    assert [t.full_name for t in f.trainees if t.is_delegate] == ["Marie Dupont"]


async def test_a_no_at_the_recap_offers_corrections_and_loses_nothing(
    db: Database, trainer: Person
) -> None:
    before = len(await formations(db))
    await at_the_recap(trainer)
    await trainer.says("non")
    assert "Que voulez-vous corriger ?" in trainer.last
    await trainer.presses("Intitulé")
    assert trainer.last.startswith("Quel est le bon intitulé ?")
    await trainer.says("Agent polyvalent de restauration")
    assert "Agent polyvalent de restauration" in trainer.last and "Tout est juste ?" in trainer.last
    await trainer.presses("Enregistrer")
    saved = (await formations(db))[before:]
    assert [f.title for f in saved] == ["Agent polyvalent de restauration"]
    assert len(saved[0].trainees) == 3


async def test_a_formation_corrected_into_a_vae_drops_the_group_answers_and_back_asks_them(
    db: Database, trainer: Person
) -> None:
    before = len(await formations(db))
    await at_the_recap(trainer, trainees="Marie Dupont ; Boulangerie Martin")
    await trainer.presses("Corriger")
    await trainer.says("Nature")
    await trainer.presses("Un accompagnement VAE")
    recap = trainer.last
    assert "Tout est juste ?" in recap
    assert "Organisation" not in recap and "longue" not in recap
    # One person followed, not « Stagiaires » (explorer T, T9).
    assert "Personne accompagnée : Marie Dupont (Boulangerie Martin)" in recap
    assert "représente les stagiaires" not in recap
    await trainer.presses("Corriger")
    await trainer.says("Nature")
    await trainer.presses("Une formation")
    # What a formation needs and a VAE did not is asked, nothing else.
    assert "organisé" in trainer.last
    await trainer.presses("De date à date")
    assert "certifiante" in trainer.last
    await trainer.presses("Non")
    assert "courte ou longue" in trainer.last
    await trainer.presses("Courte")
    assert "délégués" in trainer.last
    await trainer.presses("Terminé")
    assert "Non certifiante, courte" in trainer.last
    await trainer.presses("Enregistrer")
    f = (await formations(db))[before:][0]
    assert (f.kind, f.long, f.certifying, f.cm_name) == (
        "formation",
        False,
        False,
        "Mme Sophie Leroy",
    )


async def test_a_list_that_no_longer_fits_is_asked_again_and_says_why(trainer: Person) -> None:
    await at_the_recap(trainer)
    await trainer.presses("Corriger")
    await trainer.says("Nature")
    await trainer.presses("Un bilan de compétences")
    assert "une seule personne" in trainer.all_text
    assert "Renvoyez la liste des stagiaires" in trainer.all_text
    await trainer.says("Marie Dupont")
    assert "Tout est juste ?" in trainer.last and "Marie Dupont" in trainer.last


async def test_new_dates_that_leave_an_entry_outside_ask_the_list_again(trainer: Person) -> None:
    await at_the_recap(trainer, trainees="Marie Dupont\nKarim Benali ; entrée le 14 décembre 2026")
    await trainer.presses("Corriger")
    await trainer.presses("Dates")
    await trainer.says("du 4 janvier au 30 juin 2027")
    await trainer.presses("Oui")
    assert "L'entrée de Karim Benali ne tombe plus dans les nouvelles dates" in trainer.all_text
    await trainer.says("Marie Dupont\nKarim Benali ; entrée le 11 janvier 2027")
    await trainer.presses("Terminé")
    assert "Karim Benali (entrée le lundi 11 janvier 2027)" in trainer.last


async def test_the_trainees_corrected_forget_the_delegates_chosen_among_the_old_list(
    db: Database, trainer: Person
) -> None:
    before = len(await formations(db))
    await at_the_recap(trainer)
    await trainer.presses("Corriger")
    await trainer.presses("Stagiaires")
    await trainer.says("Léa Martin\nHugo Moreau")
    assert "délégués" in trainer.last and "☐ Léa Martin" in trainer.buttons
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Terminé")
    assert "Stagiaires : Léa Martin, Hugo Moreau (représente les stagiaires)" in trainer.last
    await trainer.presses("Enregistrer")
    f = (await formations(db))[before:][0]
    assert [(t.full_name, t.is_delegate) for t in f.trainees] == [
        ("Léa Martin", False),
        ("Hugo Moreau", True),
    ]


async def test_the_recap_and_its_corrections_survive_bad_input(
    db: Database, trainer: Person
) -> None:
    before = len(await formations(db))
    await at_the_recap(trainer)
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Corriger")
    assert await step_of(db, trainer) == ("formation", "fix")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("rien du tout")
    assert await step_of(db, trainer) == ("formation", "fix")
    await trainer.presses("Délégués")
    await trainer.presses("Terminé")
    await trainer.presses("Enregistrer")
    assert len(await formations(db)) == before + 1


async def test_retour_in_a_correction_goes_back_to_the_menu_then_the_recap_nothing_lost(
    db: Database, trainer: Person
) -> None:
    """Explorer Y, Y1 and Y2: « Retour » at a correction's question, then at the menu, failed
    at every try, or saved the formation with no trainee."""
    before = len(await formations(db))
    await at_the_recap(trainer)
    for topic in ("Dates", "Stagiaires", "Suivi à la Région", "Financeur", "Intitulé"):
        await trainer.presses("Corriger")
        await trainer.says(topic)
        await trainer.says("Retour")
        assert "Que voulez-vous corriger ?" in trainer.last, topic
        await trainer.says("Retour")
        recap = trainer.last
        assert "Tout est juste ?" in recap and "mal passé" not in trainer.all_text, topic
        assert "Marie Dupont (Boulangerie Martin, représente les stagiaires)" in recap, topic
        assert "Personne chargée de mission de la Région : Mme Sophie Leroy" in recap, topic
    await trainer.presses("Enregistrer")
    [f] = (await formations(db))[before:]
    assert len(f.trainees) == 3 and f.cm_name == "Mme Sophie Leroy"


async def test_an_entry_that_was_the_start_follows_new_dates(trainer: Person) -> None:
    """Explorer Y, Y3: a trainee entering at the start was said outside new dates, or saved
    entering on the old start."""
    await at_the_recap(trainer, trainees="Marie Dupont\nKarim Benali ; entrée le 1er décembre 2026")
    await trainer.presses("Corriger")
    await trainer.presses("Dates")
    await trainer.says("du 7 décembre 2026 au 15 juin 2027")
    await trainer.presses("Oui")
    assert "ne tombe plus" not in trainer.all_text
    assert "Du lundi 7 décembre 2026" in trainer.last and "entrée le" not in trainer.last


async def test_a_topic_typed_at_the_recap_is_corrected_at_once_and_annuler_asks_for_the_slash(
    db: Database, trainer: Person
) -> None:
    """Explorer Y, Y9: « non, les dates », « corriger les dates » and « Dates » were « Je
    n'ai pas reconnu ce choix »; « annuler » without its slash dropped the whole dialogue."""
    await at_the_recap(trainer)
    await trainer.says("annuler")
    assert "/annuler" in trainer.last and "Tout est juste ?" in trainer.last
    assert await step_of(db, trainer) == ("formation", "recap")
    for typed in ("non, les dates", "corriger les dates", "Dates"):
        await trainer.says(typed)
        assert "Quelles sont les dates" in trainer.last, typed
        await trainer.says("Retour")
        await trainer.says("Retour")
        assert "Tout est juste ?" in trainer.last, typed
    await trainer.says("corriger les stagiaires")
    assert await step_of(db, trainer) == ("formation", "trainees")


async def test_another_funder_asks_the_region_s_person_again(db: Database, trainer: Person) -> None:
    """Explorer Y, Y10: Normandie's chargée de mission was kept, unasked, for a formation now
    funded by the Centre-Val de Loire."""
    await at_the_recap(trainer)
    await trainer.says("corriger le financeur")
    await trainer.presses("Centre-Val de Loire")
    await trainer.presses("Parcours Métiers")
    await trainer.presses("premiers gestes")
    for _ in range(3):  # the questions the new funder needs, up to the Région's person
        if "Le financeur a changé" in trainer.all_text:
            break
        await trainer.presses("Non")
    assert "Le financeur a changé : la personne qui suit la formation n'est plus la même" in (
        trainer.all_text
    )
    assert await step_of(db, trainer) == ("formation", "cm_name")
    await trainer.says("M. Hugo Blanc")
    await trainer.says("hugo.blanc@example.org")
    assert (
        # Centre-Val de Loire's word for her, as its texts say it (explorer CF10).
        "Personne référente territoriale de la Région : M. Hugo Blanc (hugo.blanc@example.org)"
        in trainer.last
    )
    await trainer.presses("Enregistrer")
    f = (await formations(db))[-1]
    assert (f.funder, f.cm_name) == ("cvl", "M. Hugo Blanc")


async def test_another_action_drops_the_composantes_its_sessions_no_longer_have(
    db: Database, trainer: Person
) -> None:
    """Explorer Y, Y10: « Session 1 (composante « Cuisine ») » was kept for an action of
    another type, which no dialogue can give composantes."""
    await cvl_formation(trainer, "Cuisinier", "Se former au(x) métier(s)")
    await trainer.says("du 1er décembre 2026 au 30 juin 2027")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    await trainer.says("Composante Cuisine\nSession 1 : du 7 décembre au 16 avril")
    for label in ("Non", "Longue", "Passer", "Plus tard"):
        await trainer.presses(label)
    assert "(composante « Cuisine »)" in trainer.last
    await trainer.says("corriger le financeur")
    await trainer.presses("Centre-Val de Loire")
    await trainer.presses("Parcours Métiers")
    await trainer.presses("premiers gestes")
    assert "Tout est juste ?" in trainer.last and "composante" not in trainer.last
    await trainer.presses("Enregistrer")
    f = (await formations(db))[-1]
    assert [(s.label, s.composante) for s in f.sessions] == [("Session 1", None)]


async def test_a_formation_named_as_another_on_its_dates_is_said_at_the_recap(
    db: Database, trainer: Person
) -> None:
    """Explorer AD21: a second « Agent de restauration » on the same dates was created without
    a word; two groups of one training exist, so it is said, not refused."""
    await at_the_recap(trainer)
    assert "Attention" not in trainer.last
    await trainer.presses("Enregistrer")
    before = len(await formations(db))
    await at_the_recap(trainer, "Zoé Lambert\nMarie Dupont")
    assert (
        "Attention : une formation porte déjà ce nom sur ces dates, Agent de restauration, du "
        "mardi 1er décembre 2026 au mardi 15 juin 2027. Si c'est la même, abandonnez et "
        "complétez-la avec /formations ; si c'est un autre groupe, donnez-lui un intitulé qui "
        "l'en distingue"
    ) in trainer.last
    await trainer.presses("Enregistrer")  # another group: the trainer's to decide
    assert len(await formations(db)) == before + 1


async def test_the_recap_reads_the_formations_on_its_dates_without_an_orm_session(
    db: Database, trainer: Person
) -> None:
    """The look for a namesake, on a SQLite file, goes straight to the driver (ZP: through an
    ORM session and SQLAlchemy's rows it was most of the recap turn's time in bench.turns):
    the turn's statements are the engine's three and that one read, and no SQLAlchemy
    connection is made (none begins or commits)."""
    await at_the_recap(trainer)
    await trainer.presses("Enregistrer")
    await trainer.says("/formation")
    for step, kind, value in HAPPY[:-2]:
        await answer(trainer, kind, "Agent de cuisine" if step == "title" else value)
    with counting(db) as sent:
        await trainer.presses("Terminé")
    assert "Tout est juste ?" in trainer.last and "Attention" not in trainer.last
    assert [s.split()[0] for s in sent] == ["SELECT", "SELECT", "UPDATE", "INSERT"], sent
    assert "FROM formations" in sent[1]


async def test_many_formations_of_the_same_name_are_said_in_one_paragraph(
    db: Database, trainer: Person
) -> None:
    """Five « Agent de restauration » on the same dates: the recap named each in a paragraph
    of its own, five times « Attention … » (a hundred in the benchmark); now one paragraph,
    the first three named, the others counted."""
    for group in ("Jean Petit", "Anne Roux", "Paul Blanc", "Inès Garnier", "Hugo Moreau"):
        await at_the_recap(trainer, f"{group}\nMarie Dupont")  # other groups: no twin
        await trainer.presses("Enregistrer")
    await at_the_recap(trainer, "Zoé Lambert\nMarie Dupont")
    recap = trainer.last
    assert recap.count("Attention") == 1 and recap.count("Agent de restauration") == 4
    period = "du mardi 1er décembre 2026 au mardi 15 juin 2027"
    assert (
        f"Attention : 5 formations portent déjà ce nom sur ces dates : Agent de restauration, "
        f"{period} ; Agent de restauration, {period} ; Agent de restauration, {period}, et 2 "
        "autres. Si c'est l'une d'elles, abandonnez et complétez-la avec /formations"
    ) in recap
    await trainer.presses("Enregistrer")
    await at_the_recap(trainer, "Zoé Lambert\nMarie Dupont")
    assert ", et 3 autres. Si" in trainer.last


async def test_a_colleague_s_formation_of_the_same_name_and_dates_is_said_too(
    db: Database, trainer: Person
) -> None:
    """Explorer BD7: Marc's « Agent de restauration » on Sophie's dates, no word to him; the
    administration then saw two identical lines."""
    await at_the_recap(trainer)
    await trainer.presses("Enregistrer")
    async with db.sessions() as session, session.begin():
        marc = people.Person(display_name="Marc Dubois")
        session.add(marc)
        await session.flush()
        await session.execute(
            update(Formation)
            .where(Formation.title == "Agent de restauration")
            .values(owner_id=marc.id)
        )
        # Camille no administrator: she sees her formations alone.
        await session.execute(update(people.Membership).values(role=people.Role.FORMATEUR.value))
    await at_the_recap(trainer, "Zoé Lambert\nMarie Dupont")
    assert (
        "Attention : une formation d'un autre membre de l'organisme porte déjà ce nom sur "
        "ces dates, Agent de restauration, du mardi 1er décembre 2026 au mardi 15 juin 2027. Si "
        "c'est un autre groupe, donnez-lui un intitulé qui l'en distingue"
    ) in trainer.last


async def test_the_recap_of_another_cvl_programme_says_its_deadlines_are_kept_by_prudence(
    trainer: Person,
) -> None:
    """Explorer UB3: « Autre programme » of the Centre-Val de Loire owes the PRF's deadlines by
    prudence; the recap says it once, a Visa's says nothing."""
    for programme, said in (("Autre programme", True), ("Visa", False)):
        await trainer.says("/formation")
        await trainer.says("Hors PRF")
        await trainer.presses("Une formation")
        await trainer.presses("Centre-Val de Loire")
        await trainer.presses(programme)
        await trainer.presses("De date à date")
        await trainer.says("du 4 janvier 2027 au 25 juin 2027")
        for label in ("Oui", "Non", "Non", "Courte", "Passer", "Plus tard"):
            await trainer.presses(label)
        recap = trainer.last
        assert "Tout est juste ?" in recap
        assert recap.count("prudence") == said, recap
        if said:
            assert (
                "Financeur : Région Centre-Val de Loire – Autre programme\nLe texte de la Région "
                "(001) couvre les programmes du PRF (Parcours Métiers, Visa, Visa+ Parcours vers "
                "l'Emploi, Alpha FLE/FLI Ran) : appliqué ici par prudence à un programme hors de "
                "cette liste.\n"
            ) in recap
        await trainer.presses("Abandonner")
