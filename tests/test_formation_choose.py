"""How a formation is offered to choose: its title and its start day, both readable."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from bot.conversations.formations.choose import formation_option
from bot.messages import MAX_LABEL
from bot.storage.db import Database
from tests.auxil.absences import add_formation
from tests.auxil.dialogue import Person


def listed(title: str, start: date = date(2026, 11, 2)) -> Any:
    return SimpleNamespace(id=7, title=title, start_date=start)


def test_a_short_title_reads_as_before() -> None:
    option = formation_option(listed("Cariste"))
    assert (option.label, option.value) == ("Cariste (lundi 2 novembre 2026)", "7")


def test_two_sessions_of_a_long_title_keep_their_start_day() -> None:
    """Explorer M: « Formation 10 Agent polyvalent … – session… », the day cut away, so two
    sessions of one long title read the same."""
    title = "Agent polyvalent de restauration collective et de cuisine centrale – session"
    labels = [
        formation_option(listed(title, start)).label
        for start in (date(2026, 9, 7), date(2027, 1, 4))
    ]
    assert labels[0].endswith("(lundi 7 septembre 2026)")
    assert labels[1].endswith("(lundi 4 janvier 2027)")
    assert all(label.startswith("Agent polyvalent de") and "…" in label for label in labels)
    assert all(len(label) <= MAX_LABEL for label in labels)


def test_two_long_titles_that_differ_in_their_middle_read_apart() -> None:
    """Explorer N: cut in their middle, « … session d'hiver du groupe … » and « … session
    d'été du groupe … » read the same."""
    start = "Agent de restauration collective et commerciale – session d'"
    end = " du groupe de Caen centre-ville nord"
    winter, summer = (formation_option(listed(start + s + end)).label for s in ("hiver", "été"))
    assert winter != summer
    assert "session d'hiver" in winter and "session d'été" in summer
    assert winter.endswith("(lundi 2 novembre 2026)")


async def test_a_part_of_a_long_title_the_cut_hides_finds_it(db: Database, trainer: Person) -> None:
    """Explorer O: « Caen Nord », in both titles but cut from their labels, answered « rien
    dans la liste ne correspond », after « tapez … une partie de son nom »."""
    base = "Titre professionnel Agent de propreté et d'hygiène groupe du {} session Caen Nord"
    for part in ("matin", "soir"):
        await add_formation(db, title=base.format(part) + " 2026-2027")
    await trainer.says("/formations")
    assert not any("Caen Nord" in label for label in trainer.buttons)  # cut away
    await trainer.says("Caen Nord")
    assert "rien dans la liste ne correspond" not in trainer.last
    assert [b for b in trainer.buttons if b.startswith("Titre")] == [
        b for b in trainer.buttons if "groupe du" in b
    ] and len([b for b in trainer.buttons if b.startswith("Titre")]) == 2
    await trainer.says("2026-2027 soir")
    assert "Que voulez-vous faire de « " + base.format("soir") in trainer.last
