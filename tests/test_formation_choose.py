"""How a formation is offered to choose: its title and its start day, both readable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

from bot.conversations.formations.choose import formation_option
from bot.formations.twins import told
from bot.messages import MAX_LABEL, TELEGRAM_BUTTON, Platform
from bot.storage.db import Database
from tests.auxil.absences import add_formation
from tests.auxil.dialogue import Person
from tests.auxil.telegram_bot import link_to_telegram


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


async def twins(db: Database) -> None:
    """Two « Agent de restauration », started on 3 November 2025 and 2026 (explorer MB5)."""
    for today in (date(2026, 11, 23), date(2025, 11, 23)):
        await add_formation(
            db, title="Agent de restauration", trainees=("Paul Henry",), today=today
        )


async def test_the_export_question_names_the_twin_chosen(db: Database, trainer: Person) -> None:
    """Explorer MB5's leftover: after « /exporter agent … 2026 » the second question read
    « Quel export d'« Agent de restauration » ? », either twin."""
    await twins(db)
    await trainer.says("/exporter Agent de restauration 3 novembre 2026")
    assert trainer.last.startswith(
        "Que voulez-vous exporter d'« Agent de restauration (mardi 3 novembre 2026) » ?"
    ), trainer.last


async def test_a_start_day_no_twin_has_is_said_so(db: Database, trainer: Person) -> None:
    """Explorer MB5's leftover: « /formations Agent de restauration 2024 », neither twin
    starting then, answered « 2 choix sur 4 correspondent », counting the title's formations as
    if the day fitted them: now said so, the title's formations shown."""
    await twins(db)
    await trainer.says("/formations Agent de restauration 2024")
    assert trainer.last.startswith(
        "Quelle formation ?\nAucune formation « Agent de restauration » ne commence en 2024 :"
        " voici les 2 de ce titre : choisissez la bonne"
    ), trainer.last
    assert [b for b in trainer.buttons if "Agent" in b] == [
        "Agent de restauration (mardi 3 novembre 2026)",
        "Agent de restauration (lundi 3 novembre 2025)",
    ]
    await trainer.says("/annuler")
    await trainer.says("/exporter agent 3 novembre 2024")  # two titles, the demo's too
    assert (
        "Aucune formation correspondant à « agent » ne commence le 3 novembre 2024 :"
        " voici les 3 qui y correspondent" in trainer.last
    ), trainer.last
    await trainer.says("/annuler")
    await add_formation(db, title="Cariste", today=date(2026, 11, 23))
    await trainer.says("/formations cariste 2024")  # its only one: opened, said
    assert "Aucune formation « Cariste » ne commence en 2024 : voici la seule de ce titre." in (
        trainer.all_text
    )
    assert trainer.last.startswith("Que voulez-vous faire de « Cariste »"), trainer.last


def test_twins_of_one_day_are_told_apart_by_what_differs() -> None:
    """Explorer MA3: two formations of one title starting the same day had identical
    buttons; the trainer in charge if each has another, else the first names the other
    lacks, else the count, else a number."""
    owners = {1: "Camille Durand", 2: "Paul Henry"}
    trainees = {1: ["Zoé", "Karim"], 2: ["Zoé", "Inès"]}
    assert told([1, 2], owners, trainees) == {1: "Camille Durand", 2: "Paul Henry"}
    same = {1: "Camille Durand", 2: "Camille Durand"}
    assert told([1, 2], same, trainees) == {1: "avec Karim", 2: "avec Inès"}
    many = {1: ["Zoé", "Karim", "Inès", "Léa", "Paul"], 2: ["Zoé", "Nadia"]}
    assert told([1, 2], same, many)[1] == "avec Karim, Inès et 2 autres"
    assert told([1, 2], same, {1: ["Zoé"], 2: ["Zoé", "Zoé"]}) == {
        1: "1 stagiaire",
        2: "2 stagiaires",
    }
    assert told([1, 2], same, {1: ["Zoé"], 2: ["Zoé"]}) == {1: "n° 1", 2: "n° 2"}


def test_a_twin_s_mark_keeps_the_label_within_its_limit() -> None:
    """Explorer MA3: the mark is cut last, in its middle, the day and the brackets kept."""
    title = "Agent polyvalent de restauration collective et de cuisine centrale – session"
    marks = ["avec Marie-Christine, Jean-Baptiste et 3 autres", "avec Marie-Christine, Inès"]
    labels = [formation_option(listed(title), mark).label for mark in marks]
    assert all(len(label) <= MAX_LABEL for label in labels), labels
    assert labels[0] != labels[1]
    assert all("(lundi 2 novembre 2026, avec" in label for label in labels), labels
    assert all(label.endswith(")") for label in labels)


async def test_on_telegram_a_long_title_is_fitted_to_its_button_and_listed_whole(
    db: Database, demo: None, person: Callable[..., Person]
) -> None:
    """Explorer BF7: fitted to 90 characters, then cut in its middle by Telegram at 64,
    « Titre professionnel Agent de pro…hygiène (lundi 26 octobre 2026) » lost its start day
    on some buttons, and no whole line was listed."""
    title = "Titre professionnel Agent de propreté et d'hygiène – groupe du matin"
    await add_formation(db, title=title, today=date(2026, 11, 23))
    async with db.sessions() as session, session.begin():
        await link_to_telegram(session, 555)
    phone = person("555", Platform.TELEGRAM)
    await phone.says("/formations")
    choices = [c for r in phone.replies for c in r.choices if c.detail]
    mine = [c for c in choices if c.detail.startswith(title)]
    assert mine and mine[0].detail == f"{title} (mardi 3 novembre 2026)"
    assert len(mine[0].label) <= TELEGRAM_BUTTON
    assert mine[0].label.endswith("(mardi 3 novembre 2026)"), mine[0].label
    assert all(c.detail for r in phone.replies for c in r.choices if c.numbered)


async def test_on_the_console_no_line_is_listed_twice(trainer: Person, db: Database) -> None:
    """The whole lines are for narrow buttons only: the console's numbered lines are whole."""
    await add_formation(db, title="Cariste", today=date(2026, 11, 23))
    await trainer.says("/formations")
    assert not any(c.detail for r in trainer.replies for c in r.choices)
