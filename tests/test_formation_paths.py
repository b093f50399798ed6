"""Each trainee's entry and exit by chat, and an extension of one path (issue 11, item 12)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.formations.exports import trainees as trainee_rows
from bot.storage.absences import FollowUpSign
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.attestations import schedule_bilan
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, step_of, survives
from tests.test_decrochage import open_followup
from tests.test_formation import TWO_SESSIONS, two_sessions_with

PROJET = "Projet professionnel"  # the demo's CVL formation: 24 September 2026 – 23 March 2027


async def trainee(db: Database, name: str) -> Trainee:
    async with db.sessions() as session:
        found = await session.scalar(select(Trainee).where(Trainee.full_name == name))
        assert found is not None
        return found


async def due(db: Database, key_start: str) -> list[tuple[str, date]]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(StoredDeadline).where(StoredDeadline.key.startswith(key_start))
        )
        return sorted((r.key, r.due_on) for r in rows)


async def test_an_entry_date_typed_when_adding_is_the_entry_not_the_company(
    db: Database, trainer: Person
) -> None:
    """As reported: "Nora Ali ; entrée le 30 novembre" stored the words as her company."""
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says(
        "Nora Ali ; entrée le 30 novembre\nPaul Henry ; Hôtel des Lys ; entrée le 2/12"
    )
    assert "2 stagiaires ajoutés" in trainer.all_text
    nora, paul = await trainee(db, "Nora Ali"), await trainee(db, "Paul Henry")
    assert (nora.company, nora.entered_on) == (None, date(2026, 11, 30))
    assert (paul.company, paul.entered_on) == ("Hôtel des Lys", date(2026, 12, 2))
    assert await due(db, f"CVL-EOS-ENTRY:trainee:{nora.id}") == [
        (f"CVL-EOS-ENTRY:trainee:{nora.id}", date(2026, 11, 30))
    ]
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Zoé Lambert ; entrée le 30 avril 2027")
    assert "hors des dates de la formation" in trainer.last
    await trainer.says("Zoé Lambert ; entrée le n'importe quand")
    assert "Je n'ai pas compris la date d'entrée" in trainer.last
    await trainer.says("Zoé Lambert ; entrée le 31/02")  # explorer AD12: which day, said
    assert trainer.last.startswith("Le 31 février n'existe pas. Écrivez par exemple")


async def test_an_exit_with_its_reason_and_an_extension_are_recorded_by_chat(
    db: Database, trainer: Person
) -> None:
    nadia = await trainee(db, "Nadia Roux")
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Entrées et sorties")
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Nadia Roux")
    assert trainer.last == "Que voulez-vous enregistrer pour Nadia Roux ?"
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Sa sortie")
    assert "date de sortie de Nadia Roux" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("le 30 avril")  # after the end of her path
    assert "après la fin du parcours" in trainer.last
    await trainer.says("le 18/12/2226")  # explorer GD8: the year said, not « pas compris »
    assert trainer.last.startswith("L'année 2226 semble fausse : vérifiez-la et redonnez la")
    await trainer.says("le 18 décembre")
    assert "vendredi 18 décembre 2026" in trainer.last
    await trainer.presses("Oui")
    assert "motif" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Emploi")
    assert (
        "Sortie de Nadia Roux le vendredi 18 décembre 2026 (motif : emploi). J'enregistre ?"
        in trainer.last
    )
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui")
    assert "C'est enregistré." in trainer.all_text
    assert trainer.last == "Que voulez-vous faire de « Projet professionnel (démo) » ?"
    nadia = await trainee(db, "Nadia Roux")
    assert (nadia.left_on, nadia.exit_reason) == (date(2026, 12, 18), "emploi")
    assert await due(db, f"CVL-EOS-EXIT:trainee:{nadia.id}") == [
        (f"CVL-EOS-EXIT:trainee:{nadia.id}", date(2026, 12, 18))
    ]

    # A bon de commande supplémentaire for Thomas: the final bilan waits for it.
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Thomas Fabre")
    await trainer.presses("Une prolongation de parcours")
    assert await step_of(db, trainer) == ("formation_path", "extend_on")
    await survives(db, trainer, FOR_CHOICES)  # coverage AR
    await trainer.says("le 15 mars")  # before the end of his path: not an extension
    assert "doit finir après la fin actuelle" in trainer.last
    await trainer.says("le 30 avril")
    await trainer.presses("Oui")
    assert "prolongé jusqu'au vendredi 30 avril 2027" in trainer.last
    await trainer.presses("Oui")
    assert "Le bilan final attendra la fin de ce parcours" in trainer.all_text
    await trainer.presses("Voir le détail")
    assert "Fin de tous les parcours (prolongations comprises) : vendredi 30 avril 2027" in (
        trainer.all_text
    )
    # Entered on the formation's first day: no « entrée le » repeating its start.
    assert (
        "Nadia Roux – représente les stagiaires, sortie le vendredi 18 décembre 2026 (emploi)"
        in trainer.all_text
    )
    await trainer.presses("Terminé")
    assert await step_of(db, trainer) == (None, None)

    thomas = await trainee(db, "Thomas Fabre")
    assert thomas.path_end == date(2027, 4, 30)
    async with db.sessions() as session:
        f = await session.scalar(select(Formation).where(Formation.title.startswith(PROJET)))
        assert f is not None
        rows = {r["nom"]: r for r in await trainee_rows(session, f.organisation_id)}
    fins = await due(db, f"CVL-BQ-END:formation:{f.id}")
    assert fins == [(f"CVL-BQ-END:formation:{f.id}", date(2027, 5, 30))]
    assert (rows["Nadia Roux"]["sortie"], rows["Nadia Roux"]["motif de sortie"]) == (
        date(2026, 12, 18),
        "Emploi",
    )
    assert rows["Thomas Fabre"]["fin de parcours"] == date(2027, 4, 30)
    assert nadia.id != thomas.id


async def test_a_trainee_s_name_and_company_typed_when_adding_are_corrected(
    db: Database, trainer: Person
) -> None:
    karim = await trainee(db, "Karim Benali")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Corriger son nom")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("léa MARTIN")
    assert "s'appelle déjà « léa MARTIN »" in trainer.last
    await trainer.says("Karim Benali-Haddad")
    assert "Karim Benali s'appellera désormais Karim Benali-Haddad. J'enregistre ?" in trainer.last
    await trainer.presses("Oui")
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali-Haddad")
    await trainer.presses("Corriger son entreprise")
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("Brasserie du Port")
    await trainer.presses("Oui")
    await trainer.presses("Terminé")
    renamed = await trainee(db, "Karim Benali-Haddad")
    assert (renamed.id, renamed.name_key, renamed.company) == (
        karim.id,
        "karim benali haddad",
        "Brasserie du Port",
    )


async def test_an_abandon_offers_the_procedure_s_follow_up(db: Database, trainer: Person) -> None:
    """Explorer F: an « Abandon » exit in a short formation (a rupture, 003 §2) asked for
    no contact and offered no follow-up, while one absence does."""
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Inès Garnier")
    await trainer.presses("Sa sortie")
    await trainer.says("vendredi")
    await trainer.presses("Oui")
    await trainer.presses("Abandon")
    await trainer.presses("Oui")
    assert trainer.last.startswith("Inès Garnier a abandonné la formation : c'est une rupture")
    assert "contacter la personne et son entreprise" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Pas maintenant")
    assert "plus tard avec /decrochage Inès Garnier" in trainer.all_text
    assert trainer.last == "Que voulez-vous faire de « Projet professionnel (démo) » ?"

    await trainer.presses("Entrées et sorties")
    await trainer.presses("Thomas Fabre")
    await trainer.presses("Sa sortie")
    await trainer.says("vendredi")
    await trainer.presses("Oui")
    await trainer.presses("Abandon")
    await trainer.presses("Oui")
    await trainer.presses("Ouvrir un suivi")
    assert "☑ Abandon de la formation" in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Non")  # not subcontracted
    assert "Premier signe : le vendredi 20 novembre 2026" in trainer.last
    await trainer.presses("Ouvrir le suivi")
    thomas = await trainee(db, "Thomas Fabre")
    assert thomas.exit_reason == "abandon"
    # The contact is due the day after the abandon (the organisation's one day), a Saturday.
    contact = await due(db, "ELY-SHORT-CONTACT:followup:")
    assert [day for _, day in contact] == [date(2026, 11, 21)]


async def test_an_exit_before_absences_noted_says_them(db: Database, trainer: Person) -> None:
    """Explorer E: an exit dated before absences noted left them in the exports, unsaid."""
    await trainer.says("Nadia absente de mercredi à vendredi")  # 18 to 20 November
    await trainer.presses("Enregistrer")
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Nadia Roux")
    await trainer.presses("Sa sortie")
    await trainer.says("le 18 novembre")
    await trainer.presses("Oui")
    await trainer.presses("Emploi")
    # Said before « Oui » (explorer I: only once saved, too late to think again).
    assert trainer.last == (
        "Sortie de Nadia Roux le mercredi 18 novembre 2026 (motif : emploi).\n"
        "Attention, 2 absences notées entre le jeudi 19 novembre 2026 et le vendredi 20 "
        "novembre 2026 tomberont après cette sortie : je les garde ; vous pourrez les corriger "
        "ou les supprimer avec /absences.\nJ'enregistre ?"
    )
    await trainer.presses("Oui")
    assert "C'est enregistré." in trainer.all_text and "tombent" not in trainer.all_text
    await trainer.says("/absences")  # one formation holds absences: no question
    assert "20/11 journée – Nadia Roux – après sa sortie" in trainer.buttons
    assert "18/11 journée – Nadia Roux" in trainer.buttons  # the exit day itself is hers


async def test_a_prolongation_outside_the_centre_val_de_loire_is_said_plainly(
    trainer: Person,
) -> None:
    """Explorer F F6: « bon de commande supplémentaire » and « Le bilan final attendra … »
    are the Centre-Val de Loire's (002); a Normandie formation was told them too."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Une prolongation de parcours")
    assert trainer.last.startswith("Le parcours de Karim Benali est prolongé : jusqu'à")
    await trainer.says("le 26 février 2027")
    await trainer.presses("Oui")
    assert "prolongé jusqu'au vendredi 26 février 2027." in trainer.last
    assert "bon de commande" not in trainer.all_text
    await trainer.presses("Oui")
    assert "C'est enregistré. Les échéances qui en dépendent sont recalculées." in (
        trainer.all_text
    )
    assert "bilan final" not in trainer.all_text


async def test_an_exit_before_a_bilan_the_trainee_is_invited_to_says_it(trainer: Person) -> None:
    """Explorer I: a delegate's planned exit before the bilan he was invited to said nothing."""
    await schedule_bilan(trainer)  # Thursday 26 November, Léa and Hugo invited
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Hugo Moreau")
    await trainer.presses("Sa sortie")
    await trainer.says("le 25 novembre")
    await trainer.presses("Oui")
    await trainer.presses("Fin de parcours")
    assert (
        "Attention : le bilan du jeudi 26 novembre 2026 à 14 h 00 compte Hugo Moreau "
        "parmi ses participants, après cette sortie."
    ) in trainer.last
    assert trainer.last.endswith("J'enregistre ?")
    await trainer.presses("Oui")
    # Where the warning sends, the exit is said too (explorer L).
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Retirer un participant")
    assert any(
        b.startswith("Hugo Moreau (") and b.endswith("– sortie le mercredi 25 novembre 2026")
        for b in trainer.buttons
    ), trainer.buttons


async def test_an_abandon_announced_ahead_opens_nothing_yet_and_says_when(
    db: Database, trainer: Person
) -> None:
    """Explorer T T5: an abandon noted ahead was said in the past (« a abandonné ») and
    offered a follow-up whose first sign was a day to come."""
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Inès Garnier")
    await trainer.presses("Sa sortie")
    await trainer.says("vendredi 27 novembre")  # the clock: Monday 23 November
    await trainer.presses("Oui")
    await trainer.presses("Abandon")
    await trainer.presses("Oui")
    assert (
        "Inès Garnier quittera la formation le vendredi 27 novembre 2026 : c'est une rupture de "
        "parcours, que la procédure de l'organisme demande de suivre. Ouvrez son suivi de "
        "décrochage ce jour-là avec /decrochage Inès Garnier." in trainer.all_text
    )
    assert "a abandonné" not in trainer.all_text
    assert trainer.last == "Que voulez-vous faire de « Projet professionnel (démo) » ?"
    assert (await trainee(db, "Inès Garnier")).exit_reason == "abandon"


async def test_an_abandon_is_a_sign_of_the_follow_up_already_open(
    db: Database, trainer: Person
) -> None:
    """Explorer K: an abandon recorded while a follow-up was open said nothing of it, and the
    follow-up went on as if the person were still there."""
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Sa sortie")
    await trainer.says("aujourd'hui")
    await trainer.presses("Oui")
    await trainer.presses("Abandon")
    await trainer.presses("Oui")
    assert (
        "Un suivi de décrochage est déjà ouvert pour Karim Benali : j'y note l'abandon de la "
        "formation."
    ) in trainer.all_text
    # A long formation's path has an entretien (a short one's has none: explorer T, T9).
    assert (
        "(un entretien prévu après la sortie s'annule avec « Annuler l'entretien » ou se reprogramme, le ticket"
        in (trainer.all_text)
    )
    async with db.sessions() as session:
        signs = (await session.scalars(select(FollowUpSign.code))).all()
    assert sorted(signs) == ["abandon", "manque_reactivite"]


async def test_an_exit_before_the_entry_names_the_entry(db: Database, trainer: Person) -> None:
    """Explorer L: « Cette date tombe avant la date d'entrée » did not say which day."""
    await trainer.says("/formations")
    await trainer.presses("Agent de restauration")
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Zoé Vert")  # enters today, Monday 23 November
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Zoé Vert")
    await trainer.presses("Sa sortie")
    await trainer.says("le 20 novembre")
    if "Oui" in trainer.buttons:
        await trainer.presses("Oui")
    assert "Cette date tombe avant la date d'entrée (lundi 23 novembre 2026)." in trainer.all_text


async def test_an_exit_recorded_again_says_it_replaces_the_first(trainer: Person) -> None:
    """Explorer L: a second exit replaced the first without a word."""
    for day in ("le 20 novembre", "le 19 novembre"):
        await trainer.says("/formations")
        await trainer.presses("Agent de restauration")
        await trainer.presses("Entrées et sorties")
        await trainer.presses("Karim Benali")
        await trainer.presses("Sa sortie")
        await trainer.says(day)
        await trainer.presses("Oui, c'est ça")
        await trainer.presses("Emploi")
        said = trainer.last
        await trainer.presses("Oui")
    assert "(motif : emploi), à la place de celle du vendredi 20 novembre 2026." in said


async def session_deadlines(db: Database, title: str) -> dict[str, date]:
    """The CVL-EOS exits and CVL-BQ-END fins of ``title``, keyed without their ids."""
    async with db.sessions() as session:
        formation = await session.scalar(select(Formation).where(Formation.title == title))
        assert formation is not None
        await session.refresh(formation, ["trainees", "sessions"])
        names = {t.id: t.full_name for t in formation.trainees}
        labels = {s.id: s.label for s in formation.sessions}
        rows = await session.scalars(
            select(StoredDeadline).where(StoredDeadline.formation_id == formation.id)
        )
        found = {}
        for row in rows:
            rule, _, rest = row.key.partition(":")
            if rule == "CVL-EOS-EXIT":
                found[f"sortie {names[int(rest.rsplit(':', 1)[1])]}"] = row.due_on
            elif rule == "CVL-BQ-END" and ":session:" in rest:
                found[f"fin {labels[int(rest.rsplit(':', 1)[1])]}"] = row.due_on
            elif rule == "CVL-BQ-END":  # one fin for the formation (explorer MA1)
                found["fin"] = row.due_on
        return found


async def test_a_trainee_of_session_1_leaves_with_it_and_is_prolonged_from_there(
    db: Database, trainer: Person
) -> None:
    """Explorer IC5, hand-computed from 001 « Données quantitatives » and 002 §2, « ATTENTION »:
    « Premiers gestes cuisine », 1 March → 30 June 2027, session 1 from 1 to 31 March, session
    2 from 3 May to 30 June.  Karim Benali, entered on 1 March, follows session 1: his EOS exit
    is Wed 31 March (it was Wed 30 June), and a bon de commande supplémentaire to Tue 20 April
    (refused before: « doit finir après la fin actuelle du parcours ») moves his exit and
    session 1's final bilan, due a month later, Thu 20 May; session 2's stays Fri 30 July.
    Nadia Roux, given without her entry, is asked her session."""
    title = "Premiers gestes cuisine"
    await two_sessions_with(
        trainer, title, "premiers gestes", "Karim Benali ; entrée le 1er mars 2027"
    )
    assert "1 stagiaire ajouté à « Premiers gestes cuisine »." in trainer.all_text
    assert "Session 1 (du 1er au 31 mars 2027) : Karim Benali." in trainer.all_text
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Nadia Roux")
    assert trainer.last == (
        "Dans quelle session de « Premiers gestes cuisine » est Nadia Roux ? Sa sortie de "
        "formation (EOS) est prévue à la fin de cette session."
    )
    assert trainer.buttons == [
        "Session 1 : du 1er au 31 mars 2027",
        "Session 2 : du 3 mai au 30 juin 2027",
    ]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Session 2 : du 3 mai au 30 juin 2027")
    assert (
        "1 stagiaire ajouté à « Premiers gestes cuisine », avec pour entrée le lundi 3 mai 2027"
        in trainer.all_text
    )
    assert "Session 2 (du 3 mai au 30 juin 2027) : Nadia Roux." in trainer.all_text
    assert await session_deadlines(db, title) == {
        "sortie Karim Benali": date(2027, 3, 31),
        "sortie Nadia Roux": date(2027, 6, 30),
        "fin Session 1": date(2027, 4, 30),
        "fin Session 2": date(2027, 7, 30),
    }

    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Une prolongation de parcours")
    await trainer.says("jusqu'au 20 avril 2027")
    assert trainer.last == "J'ai compris : le mardi 20 avril 2027. C'est bien ça ?"
    await trainer.presses("Oui")
    assert "Parcours de Karim Benali prolongé jusqu'au mardi 20 avril 2027" in trainer.last
    await trainer.presses("Oui")
    assert "Le bilan de fin de la session « Session 1 » attendra la fin de ce parcours" in (
        trainer.all_text
    )
    assert await session_deadlines(db, title) == {
        "sortie Karim Benali": date(2027, 4, 20),
        "sortie Nadia Roux": date(2027, 6, 30),
        "fin Session 1": date(2027, 5, 20),
        "fin Session 2": date(2027, 7, 30),
    }
    await trainer.presses("Voir le détail")
    assert "· Karim Benali – Session 1, parcours prolongé jusqu'au mardi 20 avril 2027" in (
        trainer.all_text
    )
    assert "· Nadia Roux – Session 2 – entrée le lundi 3 mai 2027" in trainer.all_text

    # Her entry corrected to a day of session 1: she follows it, and leaves with it.
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Nadia Roux")
    await trainer.presses("Sa date d'entrée")
    await trainer.says("le 2 mars 2027")
    await trainer.presses("Oui")
    await trainer.presses("Oui")
    assert (await session_deadlines(db, title))["sortie Nadia Roux"] == date(2027, 3, 31)


async def test_an_entry_corrected_to_a_holiday_is_questioned(db: Database, trainer: Person) -> None:
    """Explorer UB1: a day of a trainee's path on a day off is pointed out before « Oui », as
    the formation's own start or end is."""
    title = "Premiers gestes cuisine"
    await two_sessions_with(
        trainer, title, "premiers gestes", "Karim Benali ; entrée le 1er mars 2027"
    )
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Sa date d'entrée")
    await trainer.says("le 6 mai 2027")
    assert trainer.last == (
        "J'ai compris : le jeudi 6 mai 2027. Attention, c'est un jour férié (Ascension). "
        "C'est bien ça ?"
    )
    await trainer.presses("Non")
    await trainer.says("le 7 mai 2027")
    assert trainer.last == "J'ai compris : le vendredi 7 mai 2027. C'est bien ça ?"


async def test_an_entry_between_sessions_moves_the_trainee_to_a_session_to_come(
    db: Database, trainer: Person
) -> None:
    """Explorer MB7: « premiers gestes », Session 1 (1–31 March 2027), Session 2 (3 May–30
    June); Karim Benali, entered on 1 March, follows Session 1.  His entry corrected to 15
    April (he came with the May group) was refused: « Cette date tombe après la fin du
    parcours … enregistrez d'abord la prolongation ».  He now follows Session 2, said before
    « Oui », and leaves EOS on 30 June.  In three sessions, an entry between the first two
    asks which of the two to come, as « Ajouter des stagiaires » does."""
    title = "Premiers gestes cuisine"
    await two_sessions_with(
        trainer, title, "premiers gestes", "Karim Benali ; entrée le 1er mars 2027"
    )
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Karim Benali")
    await trainer.presses("Sa date d'entrée")
    await trainer.says("le 15 avril 2027")
    await trainer.presses("Oui")
    assert trainer.last == (
        "Entrée de Karim Benali le jeudi 15 avril 2027. Selon cette date, Karim Benali change "
        "de session : Session 2 (du 3 mai au 30 juin 2027), sortie d'EOS à sa fin. J'enregistre ?"
    )
    await trainer.presses("Oui")
    assert (await session_deadlines(db, title))["sortie Karim Benali"] == date(2027, 6, 30)
    await trainer.presses("Voir le détail")
    assert "· Karim Benali – Session 2 – entrée le jeudi 15 avril 2027" in trainer.all_text

    three = "PG trois"
    await two_sessions_with(
        trainer,
        three,
        "premiers gestes",
        "Inès David ; entrée le 1er mars 2027",
        "Session 1 : du 1er au 31 mars 2027\nSession 2 : du 12 avril au 7 mai 2027\n"
        "Session 3 : du 1er au 30 juin 2027",
    )
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Inès David")
    await trainer.presses("Sa date d'entrée")
    await trainer.says("le 6 avril 2027")
    await trainer.presses("Oui")
    assert trainer.last.startswith("Dans quelle session de « PG trois » est Inès David ?")
    assert trainer.buttons == [
        "Session 2 : du 12 avril au 7 mai 2027",
        "Session 3 : du 1er au 30 juin 2027",
    ]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Session 3 : du 1er au 30 juin 2027")
    assert "Inès David change de session : Session 3 (du 1er au 30 juin 2027)" in trainer.last
    await trainer.presses("Oui")
    assert (await session_deadlines(db, three))["sortie Inès David"] == date(2027, 6, 30)
    assert (await trainee(db, "Inès David")).entered_on == date(2027, 4, 6)


async def test_one_trainee_s_entry_does_not_narrow_the_sessions_offered_to_another(
    db: Database, trainer: Person
) -> None:
    """Explorer MB8: « premiers gestes » in three sessions (1–31 March, 12 April–7 May, 1–30
    June 2027), « Karim Benali ; entrée le 15 avril 2027 / Nadia Roux / Léa Martin ; entrée le
    20 mai 2027 » added at once: Nadia, who gave no entry, was offered June alone, because of
    Léa's 20 May.  She is asked among the three sessions, alone; Karim follows the April one
    (his entry falls in it), Léa the June one (the one to come after her entry)."""
    title = "PG trois"
    await two_sessions_with(
        trainer,
        title,
        "premiers gestes",
        "Karim Benali ; entrée le 15 avril 2027\nNadia Roux\nLéa Martin ; entrée le 20 mai 2027",
        "Session 1 : du 1er au 31 mars 2027\nSession 2 : du 12 avril au 7 mai 2027\n"
        "Session 3 : du 1er au 30 juin 2027",
    )
    assert trainer.last.startswith("Dans quelle session de « PG trois » est Nadia Roux ?")
    assert trainer.buttons == [
        "Session 1 : du 1er au 31 mars 2027",
        "Session 2 : du 12 avril au 7 mai 2027",
        "Session 3 : du 1er au 30 juin 2027",
    ]
    await trainer.presses("Session 1 : du 1er au 31 mars 2027")
    assert "Session 1 (du 1er au 31 mars 2027) : Nadia Roux." in trainer.all_text
    assert "Session 2 (du 12 avril au 7 mai 2027) : Karim Benali." in trainer.all_text
    assert "Session 3 (du 1er au 30 juin 2027) : Léa Martin." in trainer.all_text
    exits = await session_deadlines(db, title)
    assert [exits[f"sortie {n}"] for n in ("Nadia Roux", "Karim Benali", "Léa Martin")] == [
        date(2027, 3, 31),
        date(2027, 5, 7),
        date(2027, 6, 30),
    ]


ONE_PATH = {
    "se former, une composante": (
        "se former",
        f"Composante Cuisine\n{TWO_SESSIONS}",
    ),
    "se former, sans composante": (
        "se former",
        TWO_SESSIONS,
    ),
    "projet": (
        "projet",
        TWO_SESSIONS,
    ),
    "créer": ("créer", TWO_SESSIONS),
}


@pytest.mark.parametrize("case", list(ONE_PATH))
async def test_the_sessions_of_other_action_types_are_one_path_for_every_trainee(
    db: Database, trainer: Person, case: str
) -> None:
    """Explorer MA1 (002 §2): only « premiers gestes » owes a bilan de fin at the end of each
    session, its sessions being groups of their own.  « Se former au(x) métier(s) de » in one
    composante (or none), « Élaboration de projet professionnel » and « Se préparer à créer
    ou reprendre une entreprise » owe « étape + fin »: the same trainees through both
    sessions (1–31 March, 3 May–30 June 2027).  As at 99ca96f: no « Dans quelle session … ? »,
    no session named, and Karim Benali's EOS exit stays Wed 30 June, not Wed 31 March."""
    title = "Cuisine MA"
    action, sessions = ONE_PATH[case]
    await two_sessions_with(
        trainer, title, action, "Karim Benali ; entrée le 1er mars 2027", sessions
    )
    assert "1 stagiaire ajouté à « Cuisine MA »." in trainer.all_text
    assert "Session 1 (du 1er au 31 mars 2027)" not in trainer.all_text
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Nadia Roux")
    assert "Dans quelle session" not in trainer.all_text
    assert "1 stagiaire ajouté à « Cuisine MA », avec pour entrée le" in trainer.all_text
    assert await session_deadlines(db, title) == {
        "sortie Karim Benali": date(2027, 6, 30),
        "sortie Nadia Roux": date(2027, 6, 30),
        "fin": date(2027, 7, 30),
    }
    assert (await trainee(db, "Karim Benali")).session_id is None
    await trainer.presses("Voir le détail")
    assert "· Karim Benali\n" in trainer.all_text + "\n"
    assert "– Session" not in trainer.all_text


async def test_a_day_with_its_weekday_typed_in_december_is_of_the_year_it_falls_on(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer AB1: in December, « entrée le lundi 11 janvier » and a planned exit on
    « vendredi 12 mars » were « pas compris »; the weekday tells the year, and a weekday
    that fits no near year is said with the one the day falls on."""
    clock.now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Ajouter des stagiaires")
    await trainer.says("Amina Diallo ; entrée le mardi 11 janvier")
    assert trainer.last.startswith(
        "Le 11 janvier 2027 tombe un lundi, pas un mardi ; vérifiez le jour ou ajoutez l'année."
    )
    await trainer.says("Amina Diallo ; entrée le lundi 11 janvier")
    assert "1 stagiaire ajouté" in trainer.all_text
    assert (await trainee(db, "Amina Diallo")).entered_on == date(2027, 1, 11)

    await trainer.presses("Entrées et sorties")
    await trainer.presses("Nadia Roux")
    await trainer.presses("Sa date d'entrée")
    await trainer.says("mardi 11 janvier")
    assert trainer.last.startswith(
        "Le 11 janvier 2027 tombe un lundi, pas un mardi. Vérifiez le jour, ou écrivez la "
        "date avec son année, par exemple « le lundi 11 janvier 2027 »."
    )
    await trainer.says("lundi 11 janvier")
    assert trainer.last.startswith("J'ai compris : le lundi 11 janvier 2027.")
    await trainer.presses("Oui")
    assert trainer.last == "Entrée de Nadia Roux le lundi 11 janvier 2027. J'enregistre ?"
    await trainer.presses("Oui")
    assert (await trainee(db, "Nadia Roux")).entered_on == date(2027, 1, 11)

    await trainer.presses("Entrées et sorties")
    await trainer.presses("Thomas Fabre")
    await trainer.presses("Sa sortie")
    await trainer.says("vendredi 12 mars")
    assert trainer.last.startswith("J'ai compris : le vendredi 12 mars 2027.")
    await trainer.presses("Oui")
    await trainer.presses("Emploi")
    await trainer.presses("Oui")
    assert "C'est enregistré." in trainer.all_text
    assert (await trainee(db, "Thomas Fabre")).left_on == date(2027, 3, 12)


async def test_back_at_the_follow_up_offer_after_an_exit_says_the_exit_is_saved(
    db: Database, trainer: Person
) -> None:
    """Explorer AM3: « Retour » at « Ouvrir un suivi de décrochage maintenant ? » after an
    abandon showed the formation's menu, the offer dropped without a word, while /aide
    promised « la question précédente »: like the /absence offer (AD1), it now says the
    exit is saved and asks the offer again; /aide offers /annuler, not « Retour »."""
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Inès Garnier")
    await trainer.presses("Sa sortie")
    await trainer.says("vendredi")
    for label in ("Oui", "Abandon", "Oui"):
        await trainer.presses(label)
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    await trainer.says("/aide")
    assert "Retour" not in trainer.all_text
    assert "ce qui est déjà enregistré le reste" in trainer.all_text
    await trainer.says("Retour")
    assert trainer.all_text.startswith("C'est déjà enregistré : je ne reviens pas")
    assert "Ouvrir un suivi de décrochage maintenant ?" in trainer.last
    assert (await trainee(db, "Inès Garnier")).exit_reason == "abandon"
    await trainer.presses("Pas maintenant")
    assert "plus tard avec /decrochage Inès Garnier" in trainer.all_text


async def test_every_step_of_an_entry_date_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    """« Sa date d'entrée » re-asks on wrong, empty, huge or hostile input and changes no
    entry date (coverage AR)."""
    before = (await trainee(db, "Nadia Roux")).entered_on
    await trainer.says("/formations")
    await trainer.presses(PROJET)
    await trainer.presses("Entrées et sorties")
    await trainer.presses("Nadia Roux")
    await trainer.presses("Sa date d'entrée")
    assert await step_of(db, trainer) == ("formation_path", "entry_on")
    await survives(db, trainer, FOR_CHOICES)
    assert (await trainee(db, "Nadia Roux")).entered_on == before
