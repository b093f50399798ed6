"""Adding a participant after scheduling (issue 11, item 11), from ``/bilans``:
a partner, a trainee who is not a delegate with the chargée de mission's agreement,
and one without (bot/conversations/bilans/add_participant.py).

The demo clock says Monday 23 November 2026, 10:00 in Paris; the bilan is scheduled by
``/bilan`` for Thursday 26 at 14 h, remote, with the two delegates.
"""

from __future__ import annotations

from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from bot.storage.bilans import Bilan
from bot.storage.db import Database
from tests.auxil.absences import record_exit
from tests.auxil.attestations import codes, schedule_bilan
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, survives
from tests.auxil.pdf import pdf_words


async def stored(db: Database) -> Bilan:
    async with db.sessions() as session:
        bilan = await session.scalar(select(Bilan))
        assert bilan is not None
        return bilan


def document(who: Person, extension: str) -> bytes:
    [found] = [
        r.document.content
        for r in who.replies
        if r.document and r.document.filename.endswith(extension)
    ]
    return found


async def open_menu(trainer: Person) -> None:
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    assert "Ajouter un participant" in trainer.buttons


async def test_a_partner_is_added_and_the_invitation_updated(db: Database, trainer: Person) -> None:
    await schedule_bilan(trainer)
    await open_menu(trainer)
    await trainer.presses("Ajouter un participant")
    assert trainer.buttons == ["Stagiaire de la formation", "Partenaire extérieur"]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Partenaire extérieur")
    # What would be printed as is on the agenda, the e-mail and the invitation is refused.
    for wrong in ("<b>Marc</b> <i>Blanc</i>", "bonjour", "Karim 2000"):
        await trainer.says(wrong)
        assert trainer.last.startswith("Un nom s'écrit avec des lettres, sans autres signes"), wrong
    await trainer.says("Mme Agnès Roy")
    # Printed on the agenda and sworn in her attestation: said why (explorer DF6: a formula
    # and an emoji were taken, markup refused with « Écrivez le nom … en quelques mots »).
    for wrong in ("<i>France Travail</i>", '=HYPERLINK("http://x")', "Mission locale 🎉"):
        await trainer.says(wrong)
        assert trainer.last.startswith(
            "Ce nom est imprimé tel quel sur les attestations et les documents : écrivez-le "
            "sans balises ni crochets (« < > { } [ ] »), sans émoticônes, et sans « = », « + » "
            "ou « @ » au début.\n\nSa structure ?"
        ), wrong
    await trainer.says("bonjour")
    assert trainer.last.startswith("Écrivez le nom de la structure en quelques mots")
    await trainer.says("France Travail Caen")
    await trainer.says("agnes.roy@example.org")
    assert "Ajouter Mme Agnès Roy (France Travail Caen), partenaire" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, l'ajouter")
    assert "C'est fait : Mme Agnès Roy participera au bilan." in trainer.all_text
    # Her invitation to forward names her (explorer HB6: « Bonjour Madame, »).
    assert "Transférez-la à la personne qu'elle nomme" in trainer.all_text
    assert "Bonjour Madame Roy,\n" in trainer.all_text
    calendar = Calendar.from_ical(document(trainer, ".ics"))
    [event] = calendar.events
    assert int(event["SEQUENCE"]) == 1
    assert calendar["METHOD"] == "PUBLISH" and "ATTENDEE" not in event  # nobody to answer to
    assert "Mme Agnès Roy (France Travail Caen), partenaire" in pdf_words(document(trainer, ".pdf"))
    assert "Mme Agnès Roy" in trainer.last  # the menu again, with her among the participants

    bilan = await stored(db)
    assert bilan.sequence == 1
    assert [(p.kind, p.name, p.structure, p.contact) for p in bilan.participants][-1] == (
        "partner",
        "Mme Agnès Roy",
        "France Travail Caen",
        "agnes.roy@example.org",
    )


async def test_a_partner_already_invited_or_a_trainee_is_not_added_as_a_partner(
    db: Database, trainer: Person
) -> None:
    """Explorer W, W1 and W2, after scheduling."""
    await schedule_bilan(trainer)
    await open_menu(trainer)
    await trainer.presses("Ajouter un participant")
    await trainer.presses("Partenaire extérieur")
    await trainer.says("Mme Agnès Roy")
    await trainer.presses("Passer")
    await trainer.presses("Passer")
    await trainer.presses("Oui, l'ajouter")
    await trainer.presses("Ajouter un participant")
    await trainer.presses("Partenaire extérieur")
    await trainer.says("Agnès Roy")
    assert "a déjà une invitation comme partenaire à ce bilan" in trainer.last
    await trainer.says("Julie Petit")
    assert "Julie Petit suit cette formation comme stagiaire" in trainer.last
    partners = [p.name for p in (await stored(db)).participants if p.kind == "partner"]
    assert partners.count("Mme Agnès Roy") == 1 and "Julie Petit" not in partners


async def test_a_trainee_gone_by_the_bilan_s_day_is_said_so(db: Database, trainer: Person) -> None:
    """Explorer I: Karim, who had left, was offered with nothing said."""
    await schedule_bilan(trainer)  # Thursday 26 November
    await record_exit(db, "Karim Benali", date(2026, 11, 24))
    await open_menu(trainer)
    await trainer.presses("Ajouter un participant")
    await trainer.presses("Stagiaire de la formation")
    assert trainer.buttons == ["Julie Petit", "Karim Benali – sortie le mardi 24 novembre 2026"]


async def test_a_trainee_who_is_not_a_delegate_needs_the_agreement(
    db: Database, trainer: Person
) -> None:
    await schedule_bilan(trainer)
    await open_menu(trainer)
    await trainer.presses("Ajouter un participant")
    await trainer.presses("Stagiaire de la formation")
    assert trainer.buttons == ["Julie Petit", "Karim Benali"]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Karim Benali")
    assert "Avez-vous l'accord de Mme Sophie Leroy pour que Karim Benali participe ?" in (
        trainer.last
    )
    await trainer.presses("Non, préparer le message")
    assert "Je n'ajoute donc pas Karim Benali" in trainer.all_text
    assert "Que voulez-vous faire ?" in trainer.last  # back at the bilan's menu
    assert [p.name for p in (await stored(db)).participants] == ["Léa Martin", "Hugo Moreau"]

    # The agreement came by telephone on Monday morning.
    await trainer.presses("Ajouter un participant")
    await trainer.presses("Stagiaire de la formation")
    await trainer.presses("Karim Benali")
    await trainer.presses("Oui, j'ai cet accord")
    await trainer.presses("Mme Sophie Leroy")
    await trainer.says("aujourd'hui")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Par téléphone")
    agreement = "accord de Mme Sophie Leroy, par téléphone, le lundi 23 novembre 2026"
    assert f"Ajouter Karim Benali ({agreement}) au bilan" in trainer.last
    await trainer.presses("Oui, l'ajouter")
    assert "C'est fait : Karim Benali participera au bilan." in trainer.all_text
    assert f"Karim Benali, stagiaire ({agreement})" in pdf_words(document(trainer, ".pdf"))
    # The draft written to Mme Sophie Leroy says her own agreement to her, not in the third
    # person (explorer UE5: « (accord de Mme Sophie Leroy, par message (Tchap), … ) »).
    draft = document(trainer, ".txt").decode()
    assert "Bonjour Madame," in draft
    assert (
        "- Karim Benali, stagiaire (avec votre accord, donné par téléphone le lundi 23"
        " novembre 2026)" in draft
    )
    assert "accord de Mme Sophie Leroy" not in draft
    assert list(codes(trainer.replies)) == ["Karim Benali"]  # his own attestation link

    bilan = await stored(db)
    karim = bilan.participants[-1]
    assert (karim.kind, karim.name, karim.derogation_by, karim.derogation_on) == (
        "trainee",
        "Karim Benali",
        "Mme Sophie Leroy",
        date(2026, 11, 23),
    )
    assert karim.derogation_how == "telephone" and bilan.sequence == 1
