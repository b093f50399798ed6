"""The visio link given "plus tard" (issue 11, item 20): a deadline asks for it
(NOR-VISIO-LINK), and giving it in ``/bilans`` closes that deadline and sends the
updated invitation (bot/conversations/bilans/visio_link.py, bot/bilans/changes.py).

The demo clock says Monday 23 November 2026, 10:00 in Paris.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from icalendar import Calendar
from sqlalchemy import select

from bot.storage.bilans import Bilan, StoredDeadline
from bot.storage.db import Database
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, survives

LINK = "https://visio.example.org/bilan-restauration"


async def the_bilan(db: Database) -> tuple[Bilan, dict[str, StoredDeadline]]:
    async with db.sessions() as session:
        bilan = await session.scalar(select(Bilan))
        assert bilan is not None
        rows = (
            await session.scalars(
                select(StoredDeadline).where(
                    StoredDeadline.subject == "bilan", StoredDeadline.subject_id == bilan.id
                )
            )
        ).all()
        return bilan, {r.rule_id: r for r in rows}


def ics_event(who: Person) -> Any:
    [document] = [
        r.document for r in who.replies if r.document and r.document.filename.endswith(".ics")
    ]
    [event] = Calendar.from_ical(document.content).events
    return event


async def test_the_link_can_come_later_and_closes_its_deadline(
    db: Database, trainer: Person
) -> None:
    for line in (
        "/bilan",
        "Agent de restauration",
        "Programmer le bilan de fin",
        "À distance",
        "jeudi 10 décembre à 14 h",
        "oui",
        "2 heures",
    ):
        await trainer.says(line)
    assert "Plus tard" in trainer.buttons
    await trainer.presses("Plus tard")
    for line in ("oui", "oui", "non", "Terminé", "Terminé"):
        await trainer.says(line)
    assert "lien de la visio à donner plus tard, avec /bilans" in trainer.last
    await trainer.presses("Programmer le bilan")
    assert "Donner le lien de la visio : jeudi 3 décembre 2026" in trainer.all_text
    event = ics_event(trainer)
    assert "LOCATION" not in event
    assert "lien communiqué ultérieurement" in str(event["DESCRIPTION"])
    [email] = [
        r.document for r in trainer.replies if r.document and r.document.filename.endswith(".txt")
    ]
    assert "Le lien de connexion suivra" in email.content.decode()

    bilan, rows = await the_bilan(db)
    assert (bilan.visio_url, bilan.visio_link_later, bilan.sequence) == (None, True, 0)
    link = rows["NOR-VISIO-LINK"]
    assert (link.status, link.due_on) == ("open", date(2026, 12, 3))
    assert "/bilans" in link.explanation and "§I Outil de visioconférence" in link.explanation

    # A few days later, the link is there: /bilans, the bilan, "Donner le lien de la visio".
    await trainer.says("/bilans")
    await trainer.presses("10/12/2026")
    assert "à distance : lien de la visio à donner" in trainer.last
    await trainer.presses("Donner le lien de la visio")
    assert "Quel est le lien de la visio ?" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("pas un lien")
    assert "Ce n'est pas un lien de visio valable" in trainer.last
    await trainer.says(LINK)
    text = trainer.all_text
    assert f"C'est noté : le lien de la visio est {LINK}." in text
    # The link closes its deadline; with it, the tool checked at booking closes NOR-VISIO.
    assert (
        "Échéances faites : Donner le lien de la visio ; Vérifier l'outil de visioconférence."
        in text
    )
    event = ics_event(trainer)
    assert str(event["LOCATION"]) == LINK
    assert int(event["SEQUENCE"]) == 1
    assert "Donner le lien de la visio" not in trainer.buttons  # the menu, without it now
    assert f"à distance : {LINK}" in trainer.last

    bilan, rows = await the_bilan(db)
    assert (bilan.visio_url, bilan.sequence) == (LINK, 1)
    link = rows["NOR-VISIO-LINK"]
    assert link.status == "done" and link.done_by == bilan.created_by
    assert rows["NOR-VISIO"].status == "done"


async def test_a_link_for_a_bilan_booked_late_is_due_the_day_before_not_overdue(
    db: Database, trainer: Person
) -> None:
    """Explorer IC2: booked on Monday for Thursday, the link « plus tard » was due seven days
    before the bilan, « ⚠️ déjà dépassée » from the booking, though the fiche fixes no delay
    for it: as the preparation and the guides (explorer EB1), the last working day before."""
    for line in (
        "/bilan",
        "Agent de restauration",
        "Programmer le bilan de fin",
        "À distance",
        "jeudi 26 novembre à 14 h",
        "oui",
        "2 heures",
    ):
        await trainer.says(line)
    await trainer.presses("Plus tard")
    for line in ("oui", "oui", "non", "Terminé", "Terminé"):
        await trainer.says(line)
    await trainer.presses("Programmer le bilan")
    said = trainer.all_text
    assert "Donner le lien de la visio : mercredi 25 novembre 2026\n" in said + "\n"
    assert "Donner le lien de la visio : jeudi 19 novembre 2026" not in said
    _, rows = await the_bilan(db)
    link = rows["NOR-VISIO-LINK"]
    assert (link.status, link.due_on) == ("open", date(2026, 11, 25))
    assert (
        "La fiche ne fixe pas de délai : l'organisme s'est donné 7 jours avant le bilan "
        "(modifiable avec /reglages) ; le bilan ayant été programmé moins de 7 jours à "
        "l'avance, c'est au plus tard le dernier jour ouvré qui le précède"
    ) in link.explanation
