"""« Modifier les dates » of /formations (bot/conversations/formations/new_dates.py): what
the new dates leave outside the formation, said before « Oui » and once saved.

The demo clock says Monday 23 November 2026, 10:00 in Paris; "Agent de restauration
(démo)" runs from Monday 19 October 2026 to Friday 8 January 2027.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.storage.bilans import Bilan
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.attestations import UP_TO_PARTICIPANTS
from tests.auxil.dialogue import Person
from tests.auxil.hostile import FOR_CHOICES, step_of, survives

DEMO = "Agent de restauration"
FIN = "le bilan de fin de formation du mardi 5 janvier 2027 à 14 h 00"


async def stored(db: Database) -> Formation:
    async with db.sessions() as session:
        formation = await session.scalar(select(Formation).where(Formation.title.startswith(DEMO)))
        assert formation is not None
        return formation


async def bilan_rows(db: Database) -> list[tuple[object, ...]]:
    """What moving or cancelling a bilan would change: none of it may change here."""
    async with db.sessions() as session:
        rows = (await session.scalars(select(Bilan).order_by(Bilan.id))).all()
        return [(b.id, b.starts_at, b.ends_at, b.sequence, b.cancelled_at) for b in rows]


async def schedule_the_end_bilan(trainer: Person) -> None:
    """/bilan as a trainer books it: the bilan de fin, remote, Tuesday 5 January 14 h,
    its delegates invited."""
    when = UP_TO_PARTICIPANTS.index("jeudi 26 novembre à 14 h")
    for line in (
        *UP_TO_PARTICIPANTS[:when],
        "mardi 5 janvier à 14 h",
        *UP_TO_PARTICIPANTS[when + 1 :],
    ):
        await trainer.says(line)
    for line in ("Terminé", "Terminé"):
        await trainer.says(line)
    await trainer.presses("Programmer le bilan")
    assert "C'est programmé" in trainer.all_text, trainer.all_text


async def new_dates(trainer: Person, typed: str) -> None:
    await trainer.says("/formations")
    await trainer.presses(DEMO)
    await trainer.presses("Modifier les dates")
    await trainer.says(typed)


async def test_a_bilan_after_a_shortened_end_is_said_before_and_after_saving_and_kept(
    db: Database, trainer: Person
) -> None:
    """Explorer AD22: the end brought forward to 4 December, the bilan de fin booked for
    January (its invitations sent) went unsaid, still listed by /bilans after the end.
    Said at « C'est bien ça ? », where a slip of the month can still be corrected, and
    with the way to move it once saved; never moved or cancelled by the bot, its
    participants having been invited to that date."""
    await schedule_the_end_bilan(trainer)
    before = await bilan_rows(db)
    await new_dates(trainer, "jusqu'au 4 décembre")
    assert trainer.last == (
        "J'ai compris : du lundi 19 octobre 2026 au vendredi 4 décembre 2026. C'est bien ça ?\n\n"
        f"Attention : {FIN} tomberait après cette nouvelle fin ; il garderait sa date, "
        "à déplacer ensuite avec /bilans."
    )
    await survives(db, trainer, FOR_CHOICES)
    await trainer.presses("Oui, c'est ça")
    said = trainer.all_text
    assert (
        "Nouvelles dates enregistrées pour « Agent de restauration (démo) » : du lundi 19 "
        "octobre 2026 au vendredi 4 décembre 2026.\n"
        f"Attention : {FIN} tombe maintenant après la fin de la formation. Il garde sa date "
        "tant que vous ne le déplacez pas : /bilans, puis « Déplacer »."
    ) in said, said
    assert (await stored(db)).end_date == date(2026, 12, 4)
    assert await bilan_rows(db) == before
    await trainer.says("/bilans")
    assert "05/01/2027" in " ".join(trainer.buttons)


async def test_a_bilan_before_a_later_start_is_said(db: Database, trainer: Person) -> None:
    """The other side: a formation put back a fortnight leaves its bilan d'étape before the
    new start."""
    formation = await stored(db)
    starts = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # Wednesday 25 November, 14 h in Paris
    async with db.sessions() as session, session.begin():
        session.add(
            Bilan(
                organisation_id=formation.organisation_id,
                formation_id=formation.id,
                kind="etape",
                owed_key="etape",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
            )
        )
    before = await bilan_rows(db)
    await new_dates(trainer, "à partir du 30 novembre")
    assert (
        "Attention : le bilan d'étape du mercredi 25 novembre 2026 à 14 h 00 tomberait avant "
        "ce nouveau début ; il garderait sa date, à déplacer ensuite avec /bilans."
    ) in trainer.last
    await trainer.presses("Oui, c'est ça")
    assert (
        "Attention : le bilan d'étape du mercredi 25 novembre 2026 à 14 h 00 tombe maintenant "
        "avant le début de la formation. Il garde sa date tant que vous ne le déplacez pas : "
        "/bilans, puis « Déplacer »."
    ) in trainer.all_text
    assert await bilan_rows(db) == before


async def test_dates_that_keep_the_bilan_inside_say_nothing_of_it(
    db: Database, trainer: Person
) -> None:
    """A later end, or an end brought forward but still after the bilan: no word of it, the
    confirmation as it always was."""
    await schedule_the_end_bilan(trainer)
    await new_dates(trainer, "jusqu'au 29 janvier")
    assert trainer.last == (
        "J'ai compris : du lundi 19 octobre 2026 au vendredi 29 janvier 2027. C'est bien ça ?"
    )
    await trainer.says("jusqu'au 6 janvier")  # new dates at « C'est bien ça ? »
    assert trainer.last == (
        "J'ai compris : du lundi 19 octobre 2026 au mercredi 6 janvier 2027. C'est bien ça ?"
    )
    await trainer.says("jusqu'au 4 janvier")  # now it is after: said
    assert f"{FIN} tomberait après cette nouvelle fin" in trainer.last
    await trainer.presses("Non, corriger")
    await trainer.says("jusqu'au 7 janvier")
    await trainer.presses("Oui, c'est ça")
    assert "tombe maintenant" not in trainer.all_text
    assert (await stored(db)).end_date == date(2027, 1, 7)
    assert await step_of(db, trainer) == ("formations", "action")  # back to the menu


async def test_dates_moved_onto_another_formation_of_its_title_are_said(
    db: Database, trainer: Person
) -> None:
    """Explorer CB11: « Modifier les dates » put two formations of one title on the same
    dates without a word, and every list showed them alike."""
    from tests.auxil.absences import add_formation

    other = await add_formation(db, title=(await stored(db)).title)  # 3 Nov to 2 Jan
    async with db.sessions() as session, session.begin():
        twin = await session.get(Formation, other)
        assert twin is not None
        twin.start_date, twin.end_date = date(2027, 2, 1), date(2027, 6, 30)
    await new_dates(trainer, "du 1er février au 30 juin 2027")
    assert "Attention : « Agent de restauration (démo) » est aussi l'intitulé d'une autre " in (
        trainer.last
    )
