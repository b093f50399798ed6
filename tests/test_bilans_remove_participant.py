"""Removing a participant after scheduling (issue 11, item 11), from ``/bilans``
(bot/conversations/bilans/remove_participant.py).

The demo clock says Monday 23 November 2026, 10:00 in Paris; the bilan is scheduled by
``/bilan`` for Thursday 26 at 14 h, remote, with the two delegates, each invited to
attest with a personal code.
"""

from __future__ import annotations

from collections.abc import Callable

from icalendar import Calendar
from sqlalchemy import select

from bot.storage.attestations import AttestationInvitation
from bot.storage.bilans import Bilan, BilanParticipant
from bot.storage.db import Database
from tests.auxil.attestations import codes, schedule_bilan
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, survives
from tests.auxil.pdf import pdf_words


async def test_a_participant_is_removed_the_row_kept_and_the_link_revoked(
    db: Database, trainer: Person, person: Callable[..., Person]
) -> None:
    await schedule_bilan(trainer)
    invited = codes(trainer.replies)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Retirer un participant")
    assert trainer.buttons == [
        "Léa Martin (pour les stagiaires)",
        "Hugo Moreau (pour les stagiaires)",
    ]
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Hugo Moreau")
    assert "Retirer Hugo Moreau du bilan du jeudi 26 novembre 2026 à 14 h 00 ?" in trainer.last
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, retirer")
    text = trainer.all_text
    assert "C'est fait : Hugo Moreau ne participe plus au bilan." in text
    assert "Prévenez cette personne vous-même" in text
    [ics] = [
        r.document for r in trainer.replies if r.document and r.document.filename.endswith(".ics")
    ]
    [event] = Calendar.from_ical(ics.content).events
    assert int(event["SEQUENCE"]) == 1
    [agenda] = [
        r.document for r in trainer.replies if r.document and r.document.filename.endswith(".pdf")
    ]
    words = pdf_words(agenda.content)
    assert "Léa Martin" in words and "Hugo Moreau" not in words
    assert "Participants : Léa Martin" in trainer.last  # the menu, without him

    async with db.sessions() as session:
        bilan = await session.scalar(select(Bilan))
        assert bilan is not None and bilan.sequence == 1
        assert [p.name for p in bilan.participants] == ["Léa Martin"]
        hugo = await session.scalar(
            select(BilanParticipant).where(BilanParticipant.name == "Hugo Moreau")
        )
        assert hugo is not None and hugo.removed_at is not None  # kept, for the record
        assert hugo.removed_by == bilan.created_by
        links = (
            await session.scalars(
                select(AttestationInvitation).where(AttestationInvitation.participant_id == hugo.id)
            )
        ).all()
        assert links and all(link.revoked_at is not None for link in links)

    # His personal code no longer works.
    hugo_chat = person("hugo")
    await hugo_chat.says(f"/start {invited['Hugo Moreau']}")
    assert "Camille Durand vous invite" not in hugo_chat.all_text


async def test_saying_no_changes_nothing(db: Database, trainer: Person) -> None:
    await schedule_bilan(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Retirer un participant")
    await trainer.presses("Léa Martin")
    await trainer.presses("Non")
    assert "rien n'a changé" in trainer.all_text
    async with db.sessions() as session:
        bilan = await session.scalar(select(Bilan))
        assert bilan is not None and bilan.sequence == 0 and len(bilan.participants) == 2
