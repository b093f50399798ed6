"""One trainee's timeline, in the order things happened (issue 11 item 8)."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from bot.absences.exports import qualiopi_bundle
from bot.absences.timeline import timeline
from bot.formations.paths import record_exit
from bot.formations.queries import Member
from bot.storage.db import Database
from bot.storage.formations import Formation, Trainee
from tests.auxil.dialogue import Clock, Person
from tests.auxil.pdf import pdf_words
from tests.test_decrochage import open_followup


async def kinds(db: Database, name: str) -> list[str]:
    async with db.sessions() as session:
        trainee = await session.scalar(select(Trainee).where(Trainee.full_name == name))
        assert trainee is not None
        return [e.kind for e in await timeline(session, trainee, "Europe/Paris")]


async def contact(who: Person, day: str, whom: str = "Thomas Fabre") -> None:
    await who.presses(whom)
    await who.presses("Téléphone")
    await who.says(day)
    await who.presses("Oui")
    await who.says("Joint")
    await who.presses("Pas de preuve")
    await who.presses("Enregistrer")


async def test_a_days_contacts_come_after_the_follow_up_opened_that_day(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """As reported: the follow-up opened at 10 h, the trainee called at 10 h 30 the same day;
    the timeline showed the call before « Suivi ouvert »."""
    await trainer.says("/absence thomas ce matin non justifiée")  # 10 h: recorded first
    await trainer.presses("Oui")
    await trainer.presses("Passer")
    await trainer.presses("Enregistrer")
    await trainer.presses("Pas maintenant")
    clock.advance(minutes=10)
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    clock.advance(minutes=20)
    await trainer.presses("Oui, maintenant")
    await contact(trainer, "aujourd'hui")
    clock.advance(days=1)  # the next day, yesterday's second call is logged
    await trainer.says("/decrochage thomas")
    await trainer.presses("Noter un contact")
    await contact(trainer, "hier", "L'entreprise")  # the procedure's contact, done
    # The contact logged a day late has no hour: it still comes after the opening.
    assert await kinds(db, "Thomas Fabre") == [
        "absence",
        "signe_vu",  # « Pas maintenant » at 10 h (explorer GF2)
        "ouverture",
        "signes",
        "contact",
        "contact",
        "echeance",
    ]
    await trainer.says("/suivi thomas")  # newest first
    text = trainer.last
    assert text.index("Suivi de décrochage ouvert") > text.rindex("Contact avec")
    # The day the deadlines count from is in the evidence (explorer E).
    assert "– premier signe observé le lundi 23 novembre 2026" in text
    await trainer.presses("Chronologie en PDF")
    document = next(r.document for r in trainer.replies if r.document is not None)
    words = pdf_words(document.content)
    assert words.index("Suivi de décrochage ouvert") < words.index("Contact avec")
    assert "premier signe observé le lundi 23 novembre 2026" in words
    assert "Produit le :" in words  # a label like the others (explorer AH11)


async def test_an_entretien_given_already_past_is_held_in_the_timeline_never_planned(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer AD13: noted as held, it was « Entretien individuel programmé pour … » in the
    follow-up's timeline and its PDF, the proof an auditor reads."""
    await open_followup(trainer, "karim")
    await trainer.presses("Ouvrir le suivi")
    clock.advance(hours=3)
    await trainer.presses("Oui, maintenant")
    await trainer.says("aujourd'hui à 9 h")
    assert "C'est déjà passé" in trainer.last
    await trainer.presses("Oui")
    assert "entretien" in await kinds(db, "Karim Benali")
    assert "programmation" not in await kinds(db, "Karim Benali")
    await trainer.says("/suivi karim")
    assert "Entretien individuel tenu" in trainer.last
    assert "programmé" not in trainer.last


async def test_a_step_done_after_its_day_says_so(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer AF7: the contact due on the 24th and made on the 26th read « Échéance faite »
    alone, the CSV export having both dates."""
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    await trainer.presses("Plus tard")
    clock.advance(days=3)
    for whom in ("Thomas Fabre", "L'entreprise"):
        await trainer.says("/decrochage thomas")
        await trainer.presses("Noter un contact")
        await contact(trainer, "aujourd'hui", whom)
    await trainer.says("/suivi thomas")
    assert (
        "Échéance faite : Contacter la personne et son entreprise (en retard : elle était à "
        "faire au plus tard le mardi 24 novembre 2026)" in trainer.last
    )


async def test_the_exit_is_in_the_timeline_with_its_motive_and_who_recorded_it(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer AO3: the timeline never said the trainee left (for a job), so an entretien
    never held read as a procedure not followed."""
    await open_followup(trainer, "thomas")
    await trainer.presses("Ouvrir le suivi")
    clock.advance(days=1)
    async with db.sessions() as session, session.begin():
        thomas = await session.scalar(select(Trainee).where(Trainee.full_name == "Thomas Fabre"))
        assert thomas is not None
        formation_id, trainee_id = thomas.formation_id, thomas.id
        organisation_id = await session.scalar(
            select(Formation.organisation_id).where(Formation.id == formation_id)
        )
        owner = await session.scalar(select(Formation.owner_id).where(Formation.id == formation_id))
        assert organisation_id is not None and owner is not None
        done = await record_exit(
            session,
            Member(organisation_id, owner, admin=True),
            formation_id,
            trainee_id,
            clock.now.date(),
            "emploi",
        )
        assert done is not None
    assert (await kinds(db, "Thomas Fabre"))[-1] == "sortie"
    await trainer.says("/suivi thomas")
    assert "Sortie de la formation : emploi" in trainer.last


async def test_a_sign_declined_is_a_dated_line_of_the_timeline_and_of_the_bundle(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer GF2: « Pas maintenant » left no trace in the Qualiopi bundle: no timeline for
    Hugo (three half-days missed in four days, no follow-up), nothing between Thomas's
    absence and his follow-up opened six days later; an auditor needs the sign seen, and
    who chose not to open one."""
    for line in (
        "/absence hugo mercredi 18 novembre après-midi justifiée",
        "/absence hugo jeudi 19 novembre matin justifiée",
        "/absence hugo vendredi dernier matin justifiée",
    ):
        await trainer.says(line)
        await trainer.presses("Oui")
        await trainer.says("rendez-vous médical")
        await trainer.presses("Pas de justificatif")
        await trainer.presses("Enregistrer")
    assert "Hugo Moreau a manqué 3 demi-journées en 14 jours" in trainer.all_text
    await trainer.presses("Pas maintenant")
    assert (await kinds(db, "Hugo Moreau"))[-1] == "signe_vu"
    await trainer.says("/suivi hugo")
    assert (
        "lundi 23 novembre 2026 – Signe de décrochage relevé (absences répétées) : suivi non "
        "ouvert pour l'instant (« Pas maintenant ») (Camille Durand)"
    ) in trainer.last
    async with db.sessions() as session:
        formation = await session.scalar(
            select(Formation).where(Formation.title.startswith("Agent"))
        )
        assert formation is not None
        bundle = await qualiopi_bundle(session, formation.id)
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        words = pdf_words(archive.read("chronologie-hugo-moreau.pdf"))
    assert "suivi non ouvert pour l'instant" in words


async def test_an_exit_that_came_with_an_imported_list_says_so_not_a_question_mark(
    db: Database, trainer: Person, clock: Clock
) -> None:
    """Explorer CF14: a trainee imported with her exit (« sortie », « motif de sortie » columns)
    read « Sortie de la formation : abandon (?) », and the PDF « ?, le mardi 1er décembre 2026 à
    12 h 00 », a moment nobody entered anything: the list's import is who and when."""
    imported_at = clock.now
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(select(Formation).order_by(Formation.id).limit(1))
        assert formation is not None
        session.add(
            Trainee(
                formation_id=formation.id,
                full_name="Paul Sortant",
                name_key="paul sortant",
                entered_on=formation.start_date,
                left_on=imported_at.date(),
                exit_reason="abandon",
                created_at=imported_at,
            )
        )
    clock.advance(days=2)
    await trainer.says("/suivi paul sortant")
    assert "Sortie de la formation : abandon (liste de stagiaires importée)" in trainer.last
    assert "(?)" not in trainer.last
    async with db.sessions() as session:
        paul = await session.scalar(select(Trainee).where(Trainee.full_name == "Paul Sortant"))
        assert paul is not None
        (exit_,) = [e for e in await timeline(session, paul, "Europe/Paris") if e.kind == "sortie"]
    assert exit_.recorded_at == imported_at
