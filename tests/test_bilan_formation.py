"""/bilan's first question: the formation, from the words after the command or chosen."""

from __future__ import annotations

from bot.storage.db import Database
from tests.auxil.absences import add_formation
from tests.auxil.dialogue import Person


async def test_the_words_after_the_command_choose_the_formation(
    db: Database, trainer: Person
) -> None:
    """Explorer BG11: « /bilan cariste » asked « Pour quelle formation ? » among all of them,
    « cariste » dropped; words fitting none are said so above the whole list."""
    await add_formation(db, title="Cariste", funder="normandie")
    await trainer.says("/bilan cariste")
    assert trainer.last.startswith("« Cariste » doit à son financeur :"), trainer.last
    await trainer.says("/annuler")
    await trainer.says("/bilan zorglub")
    assert "Aucune formation ne correspond à « zorglub »" in trainer.all_text
    assert "Pour quelle formation ?" in trainer.last
    await trainer.says("Cariste")
    assert trainer.last.startswith("« Cariste » doit à son financeur :"), trainer.last


async def test_a_huge_or_hostile_argument_leaves_the_question_whole(trainer: Person) -> None:
    """Nothing read from a paste or control characters: the question, every formation."""
    for typed in ("x" * 5000, "cariste\x00\u202e", "<b>cariste</b>"):
        await trainer.says(f"/bilan {typed}")
        assert "Pour quelle formation ?" in trainer.last, typed
        assert "Agent de restauration (démo)" in " ".join(trainer.buttons), typed
        await trainer.says("/annuler")
