"""A trainee gone before the bilan's day, at « Qui participe ? » (explorers F F19, AU6)."""

from __future__ import annotations

from datetime import date

from bot.storage.db import Database
from tests.auxil.absences import record_exit
from tests.auxil.dialogue import Person
from tests.test_bilan import REMOTE, answer, bilans


async def lea_gone_at_who_participates(db: Database, trainer: Person) -> None:
    """Léa, a delegate, left on 25 November; a remote bilan of 26 November at « Qui
    participe ? »."""
    await record_exit(db, "Léa Martin", date(2026, 11, 25))
    await trainer.says("/bilan")
    for _step, kind, value in REMOTE[:11]:
        await answer(trainer, kind, value)


async def test_a_delegate_gone_before_the_bilan_is_not_ticked(
    db: Database, trainer: Person
) -> None:
    """Explorer F F19: someone who left no longer speaks for the group."""
    await lea_gone_at_who_participates(db, trainer)
    assert "Léa Martin : sortie de formation avant le bilan, je n'ai pas coché ce nom." in (
        trainer.last
    )
    assert "☐ Léa Martin – sortie le mercredi 25 novembre 2026" in trainer.buttons
    assert "☑ Hugo Moreau (pour les stagiaires)" in trainer.buttons
    await trainer.presses("Léa Martin")  # ticked back on purpose: it holds
    assert "☑ Léa Martin – sortie le mercredi 25 novembre 2026" in trainer.buttons
    assert "je n'ai pas coché" not in trainer.last
    await trainer.presses("Léa Martin")
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")  # no partner
    await trainer.presses("Programmer le bilan")
    [bilan] = await bilans(db)
    assert [p.name for p in bilan.participants] == ["Hugo Moreau"]


async def test_neither_the_day_chosen_nor_tous_ticks_her(db: Database, trainer: Person) -> None:
    """Explorer AU6: « tous » ticked a trainee gone weeks before; the chargée de mission's
    message and the agenda announced her."""
    await lea_gone_at_who_participates(db, trainer)
    assert "Léa Martin : sortie de formation avant le bilan, je n'ai pas coché ce nom." in (
        trainer.last
    )
    await trainer.presses("Hugo Moreau")  # unticked, to see « tous » tick him back
    await trainer.says("tous")
    said = trainer.all_text
    assert "Avez-vous l'accord" in said  # the others need the chargée de mission's agreement
    assert "Léa Martin" not in said.split("Avez-vous l'accord")[-1]
    await trainer.presses("Non, préparer le message")
    assert "☑ Hugo Moreau (pour les stagiaires)" in trainer.buttons
    assert "☐ Léa Martin – sortie le mercredi 25 novembre 2026" in trainer.buttons
    await trainer.presses("Terminé")
    await trainer.presses("Terminé")  # no partner
    await trainer.presses("Programmer le bilan")
    [bilan] = await bilans(db)
    assert "Léa Martin" not in [p.name for p in bilan.participants]
