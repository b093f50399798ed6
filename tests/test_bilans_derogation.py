"""A trainee who is not a delegate at a remote Normandie bilan, with the chargé(e) de
mission's agreement (issue 11, item 11): ``/bilan`` records who agreed, when and how,
the trainee takes part, and the documents say so (bot/conversations/bilans/derogation.py).

The demo clock says Monday 23 November 2026, 10:00 in Paris; Karim Benali is a trainee of
"Agent de restauration (démo)", not a delegate; Mme Sophie Leroy is its chargée de mission.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.storage.bilans import Bilan, BilanParticipant, StoredDeadline
from bot.storage.db import Database
from tests.auxil.attestations import UP_TO_PARTICIPANTS
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, FOR_NAMES, survives
from tests.auxil.pdf import pdf_words

AGREED = "accord de Mme Sophie Leroy, par e-mail, le dimanche 22 novembre 2026"


async def up_to_participants(trainer: Person) -> None:
    for line in UP_TO_PARTICIPANTS:
        await trainer.says(line)
    assert "Qui participe ?" in trainer.last


async def stored_participants(db: Database) -> list[BilanParticipant]:
    async with db.sessions() as session:
        bilan = await session.scalar(select(Bilan))
        assert bilan is not None
        return list(bilan.participants)


async def test_the_agreement_is_recorded_and_the_trainee_takes_part(
    db: Database, trainer: Person
) -> None:
    await up_to_participants(trainer)
    await trainer.presses("Karim Benali")
    assert "seuls les représentants des stagiaires sont conviés" in trainer.last
    assert "Avez-vous l'accord de Mme Sophie Leroy pour que Karim Benali participe ?" in (
        trainer.last
    )
    await trainer.presses("Oui, j'ai cet accord")
    assert "Qui a donné cet accord ?" in trainer.last
    assert trainer.buttons == ["Mme Sophie Leroy", "Une autre personne"]
    await trainer.presses("Mme Sophie Leroy")
    assert "Quel jour" in trainer.last
    await trainer.says("hier")
    assert "dimanche 22 novembre 2026" in trainer.last
    await trainer.presses("Oui, c'est ça")
    assert "Comment cet accord a-t-il été donné ?" in trainer.last
    assert "Par e-mail" in trainer.buttons and "Par téléphone" in trainer.buttons
    assert "Par message (Tchap)" in trainer.buttons  # Outside test: « (tchap) » before
    await trainer.presses("Par e-mail")
    # Back at the participants, Karim Benali ticked with the delegates.
    assert "Qui participe ?" in trainer.last
    assert "☑ Karim Benali (hors délégation)" in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")  # no partner
    assert f"Karim Benali ({AGREED})" in trainer.last
    await trainer.presses("Programmer le bilan")
    assert "C'est programmé" in trainer.all_text

    # Delegates and a trainee the chargée de mission agreed to: NOR-DELEGATES is answered.
    async with db.sessions() as session:
        delegates = await session.scalar(
            select(StoredDeadline).where(StoredDeadline.rule_id == "NOR-DELEGATES")
        )
        assert delegates is not None and delegates.status == "done"
    karim = next(p for p in await stored_participants(db) if p.name == "Karim Benali")
    assert karim.kind == "trainee"
    assert (karim.derogation_by, karim.derogation_on, karim.derogation_how) == (
        "Mme Sophie Leroy",
        date(2026, 11, 22),
        "email",
    )
    documents = {
        r.document.filename.rsplit(".", 1)[-1]: r.document for r in trainer.replies if r.document
    }
    agenda = pdf_words(documents["pdf"].content)
    assert f"Karim Benali, stagiaire ({AGREED})" in agenda
    assert "Léa Martin, pour les stagiaires" in agenda
    email = documents["txt"].content.decode()
    # Written to her: her own agreement (explorer UE5).
    assert (
        "- Karim Benali, stagiaire (avec votre accord, donné par e-mail le dimanche 22 novembre"
        " 2026)" in email
    )


async def test_another_person_agreed_by_phone(db: Database, trainer: Person) -> None:
    await up_to_participants(trainer)
    await trainer.presses("Julie Petit")
    await trainer.presses("Oui, j'ai cet accord")
    await trainer.presses("Une autre personne")
    assert "Son nom ?" in trainer.last
    await survives(db, trainer, FOR_NAMES)
    await trainer.says("M. Paul Martin")
    await trainer.says("demain")  # an agreement is given in the past
    assert "Cette date est à venir" in trainer.last
    await trainer.says("le 20 novembre")
    await trainer.presses("Oui, c'est ça")
    await trainer.presses("Par téléphone")
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")
    await trainer.presses("Programmer le bilan")
    julie = next(p for p in await stored_participants(db) if p.name == "Julie Petit")
    assert (julie.derogation_by, julie.derogation_on, julie.derogation_how) == (
        "M. Paul Martin",
        date(2026, 11, 20),
        "telephone",
    )


async def test_every_step_of_the_agreement_survives_bad_input(
    db: Database, trainer: Person
) -> None:
    await up_to_participants(trainer)
    await trainer.presses("Karim Benali")
    for answer in ("Oui, j'ai cet accord", "Mme Sophie Leroy", "hier", "Oui, c'est ça"):
        await survives(db, trainer, FOR_CHOICES)
        await trainer.presses(answer) if answer != "hier" else await trainer.says(answer)
    await survives(db, trainer, FOR_CHOICES)
    async with db.sessions() as session:
        assert await session.scalar(select(func.count(Bilan.id))) == 0
    await trainer.presses("De vive voix")
    assert "☑ Karim Benali (hors délégation)" in trainer.buttons


async def test_no_agreement_gives_the_draft_and_no_seat(db: Database, trainer: Person) -> None:
    await up_to_participants(trainer)
    await trainer.presses("Karim Benali")
    await trainer.presses("Non, préparer le message")
    text = trainer.all_text
    assert "Je n'ajoute donc pas Karim Benali" in text
    assert "Karim Benali, qui ne fait pas partie des délégués, souhaite prendre la parole" in text
    assert "« Ajouter un participant »" in text
    assert "☐ Karim Benali (hors délégation)" in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")
    await trainer.presses("Programmer le bilan")
    assert [p.name for p in await stored_participants(db)] == ["Léa Martin", "Hugo Moreau"]
