"""The trainer in charge told of what someone else does to her formation's bilan
(bot/conversations/bilans/in_charge.py): scheduled (explorer KB4), moved or cancelled
(explorer QA2), and the person acting told whether she was."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.outbox import OutboxMessage
from tests.auxil.colleague import nina_in_charge, told_in
from tests.auxil.dialogue import Person
from tests.test_bilan import move_bilan, schedule


async def test_an_administrator_scheduling_in_a_colleague_s_formation_tells_her(
    db: Database, trainer: Person
) -> None:
    """Explorer KB4: Camille (administrator) scheduling the bilan of Nina's formation read
    « Vos échéances pour ce bilan », and Nina, whose deadlines, reminders and participants'
    answers they are, was told nothing: the first she heard of it was a reminder."""
    await nina_in_charge(db)
    await schedule(trainer)
    text = trainer.all_text
    assert "Vos échéances" not in text
    assert "Les échéances de Nina Colleague pour ce bilan :" in text
    assert "un message l'en avertit" in text
    (to_nina,) = await told_in(db)
    assert to_nina.startswith(
        "Camille Durand a programmé le bilan de fin de formation d'« Agent de restauration "
        "(démo) » le jeudi 26 novembre 2026 de 14 h 00 à 16 h 00, à distance : ses échéances, "
        "ses rappels et les réponses des participants vous reviennent."
    )
    assert "· Vérifier l'outil de visioconférence : lundi 23 novembre 2026 ✅ faite" in to_nina
    assert to_nina.endswith("Retrouvez-les avec /echeances et ce bilan avec /bilans.")


async def test_scheduling_in_her_own_formation_tells_nobody_else(
    db: Database, trainer: Person
) -> None:
    """Explorer KB4: the notice is for the trainer in charge when someone else schedules."""
    await schedule(trainer)
    assert "Vos échéances pour ce bilan :" in trainer.all_text
    async with db.sessions() as session:
        keys = (await session.scalars(select(OutboxMessage.key))).all()
    assert not [k for k in keys if k.startswith("bilan-scheduled")]


async def test_a_trainer_in_charge_the_bot_cannot_write_to_is_left_to_the_scheduler(
    db: Database, trainer: Person
) -> None:
    """Explorer KB4: no chat to tell the trainer in charge in, the administrator is asked to."""
    await nina_in_charge(db, chat=False)
    await schedule(trainer)
    assert (
        "Nina Colleague a la charge de cette formation : je ne peux pas lui écrire, pensez à "
        "l'en avertir."
    ) in trainer.all_text


async def test_a_colleague_moving_her_bilan_tells_the_trainer_in_charge_the_new_date(
    db: Database, trainer: Person
) -> None:
    """Explorer QA2: Camille moved Nina's bilan to 3 December; Nina's last message still
    gave 26 November, and her deadlines had moved without a word."""
    await nina_in_charge(db)
    await schedule(trainer)
    await move_bilan(trainer, "26/11/2026", "jeudi 3 décembre à 14 h")
    assert "Nina Colleague a la charge de cette formation : un message l'en avertit." in (
        trainer.all_text
    )
    scheduled, moved = await told_in(db)
    assert scheduled.startswith("Camille Durand a programmé")
    assert moved.startswith(
        "Camille Durand a déplacé le bilan de fin de formation d'« Agent de restauration "
        "(démo) » : il aura lieu le jeudi 3 décembre 2026 de 14 h 00 à 16 h 00 (au lieu du "
        "jeudi 26 novembre 2026 à 14 h 00), à distance."
    )
    assert "Vos échéances déplacées :" in moved
    assert "(au lieu du " in moved.split("Vos échéances déplacées :")[1]


async def test_a_colleague_cancelling_her_bilan_tells_the_trainer_in_charge(
    db: Database, trainer: Person
) -> None:
    """Explorer QA2: the cancellation of Nina's bilan by Camille reached everyone but Nina."""
    await nina_in_charge(db)
    await schedule(trainer)
    await trainer.says("/bilans")
    await trainer.presses("26/11/2026")
    await trainer.presses("Annuler le bilan")
    await trainer.presses("Oui, annuler le bilan")
    assert "Nina Colleague a la charge de cette formation : un message l'en avertit." in (
        trainer.all_text
    )
    cancelled = (await told_in(db))[-1]
    assert cancelled.startswith(
        "Camille Durand a annulé le bilan de fin de formation d'« Agent de restauration "
        "(démo) » prévu le jeudi 26 novembre 2026 à 14 h 00."
    )
    assert "Vos échéances retirées : " in cancelled
    assert cancelled.endswith("Pour en programmer un autre : /bilan.")


async def test_moving_a_colleague_s_bilan_she_cannot_be_written_to_asks_to_warn_her(
    db: Database, trainer: Person
) -> None:
    """Explorer QA2: no chat for Nina, Camille is asked to warn her of the move."""
    await nina_in_charge(db, chat=False)
    await schedule(trainer)
    await move_bilan(trainer, "26/11/2026", "jeudi 3 décembre à 14 h")
    assert (
        "Nina Colleague a la charge de cette formation : je ne peux pas lui écrire, pensez à "
        "l'en avertir."
    ) in trainer.all_text


async def test_moving_her_own_bilan_tells_nobody_else(db: Database, trainer: Person) -> None:
    """Explorer QA2: the notice is for the trainer in charge when someone else acts."""
    await schedule(trainer)
    await move_bilan(trainer, "26/11/2026", "jeudi 3 décembre à 14 h")
    assert "a la charge de cette formation" not in trainer.all_text
    async with db.sessions() as session:
        keys = (await session.scalars(select(OutboxMessage.key))).all()
    assert not [k for k in keys if k.startswith("bilan-moved")]
