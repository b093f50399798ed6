"""Long lists turn their pages the same way everywhere, and a long text is read a page at a time.

An outside tester with forty formations typed « 9 » three times on /formations:
page 1 showed « 9. Suivants ▶ », page 2 « 9. ◀ Précédents », so the list went
to page 2, back to 1, to 2 again, and pages 3 to 5 were never reached.  Each
option now keeps its number on every page, the page turns carry none, and
« suivant », « précédents », « page 3 » are read as words.  « Voir le détail »
of a formation of 300 trainees was one message of 24,000 characters.
"""

from __future__ import annotations

from sqlalchemy import select

from bot import texts
from bot.conversations.kit.pages import LINES, typed_page
from bot.formations.queries import Member
from bot.formations.service import NewTrainee, add_trainees
from bot.storage.db import Database
from bot.storage.formations import Formation
from tests.auxil.dialogue import Clock, Person
from tests.auxil.formations import a_crowd
from tests.auxil.hostile import FOR_CHOICES, survives


def test_the_words_that_turn_pages() -> None:
    for typed in ("suivants", "Suivant", "page suivante", "Suivants ▶ (3/5)", "suivantes"):
        assert typed_page(typed, 1, 5) == 2, typed
    for typed in ("précédents", "Précédent", "page précédente", "◀ Précédents"):
        assert typed_page(typed, 1, 5) == 0, typed
    assert typed_page("page 4", 0, 5) == 3
    assert typed_page("page 40", 0, 5) == 4  # the last one
    assert typed_page("suivant", 4, 5) == 4  # already on the last page
    assert typed_page("précédents", 0, 5) == 0
    for typed in ("", "9", "cariste", "page", "page x", "x" * 10_000):
        assert typed_page(typed, 0, 5) is None, typed[:20]


async def test_the_same_word_typed_again_goes_forward(
    db: Database, trainer: Person, clock: Clock
) -> None:
    await a_crowd(db, clock.now.date())
    await trainer.says("/formations")
    assert trainer.numbered[:1] == ["1. " + trainer.buttons[0]]
    assert trainer.numbered[-1].startswith("– Suivants ▶ (2/")  # no number of its own
    pages = int(trainer.numbered[-1].split("/")[1].rstrip(")"))
    seen = [trainer.numbered[0]]
    for page in range(2, pages + 1):
        await trainer.says("suivant")
        assert trainer.numbered[0].startswith(f"{(page - 1) * 8 + 1}. "), trainer.numbered
        seen.append(trainer.numbered[0])
    assert len(set(seen)) == pages  # every page reached, none twice
    assert "Suivants ▶" not in trainer.all_text  # the last page has no « Suivants »
    await trainer.says("page 2")
    assert trainer.numbered[0].startswith("9. ")
    await trainer.says("précédents")
    assert trainer.numbered[0].startswith("1. ")
    assert not any(line[0].isdigit() for line in trainer.numbered if "Suivants" in line)


async def test_a_number_from_another_page_shows_that_page_then_takes_it(
    db: Database, trainer: Person, clock: Clock
) -> None:
    await a_crowd(db, clock.now.date())
    await trainer.says("/formations")
    await trainer.says("9")
    assert trainer.last.startswith("Le numéro 9 est en page 2 : la voici.")
    ninth = trainer.numbered[0]
    assert ninth.startswith("9. ")
    await trainer.says("9")
    title = ninth.removeprefix("9. ").rsplit(" (", 1)[0]
    assert f"Que voulez-vous faire {texts.of(f'« {title} »')} ?" in trainer.last


async def test_the_page_turn_buttons_still_work(
    db: Database, trainer: Person, clock: Clock
) -> None:
    await a_crowd(db, clock.now.date())
    await trainer.says("/formations")
    await trainer.presses("Suivants")
    assert trainer.replies[-1].edit_previous and trainer.numbered[0].startswith("9. ")
    await trainer.presses("Précédents")
    assert trainer.numbered[0].startswith("1. ")
    await survives(db, trainer, FOR_CHOICES)


async def a_big_group(db: Database, clock: Clock, count: int) -> str:
    async with db.sessions() as session, session.begin():
        formation = await session.scalar(
            select(Formation).where(Formation.title == "Agent de restauration (démo)")
        )
        assert formation is not None
        owner = Member(formation.organisation_id, formation.owner_id, admin=True)
        people = [NewTrainee(f"Personne{n:03d} Durand") for n in range(count)]
        await add_trainees(session, owner, formation.id, people, now=clock.now)
        return formation.title


async def test_a_big_formation_is_read_a_page_at_a_time(
    db: Database, trainer: Person, clock: Clock
) -> None:
    title = await a_big_group(db, clock, 60)  # 300 read alike; each turn loads them all
    await trainer.says("/formations")
    await trainer.says(title)
    await trainer.presses("Voir le détail")
    detail, first = trainer.replies[-2].text, trainer.replies[-1].text
    assert "la liste suit, page par page" in detail and "Personne000" not in detail
    assert f"Stagiaires d'« {title} » (" in first and ", page 1 sur 3 :" in first
    assert first.count("· ") == LINES
    assert all(len(r.text) < 4096 for r in trainer.replies)
    assert trainer.numbered[-2:] == ["– Suivants ▶ (2/3)", "– Terminé"]
    await trainer.says("page 3")
    assert "page 3 sur 3" in trainer.last and "Suivants" not in trainer.all_text
    await survives(db, trainer, FOR_CHOICES)
    await trainer.says("Terminé")
    assert f"Que voulez-vous faire {texts.of(f'« {title} »')} ?" in trainer.last


async def test_a_small_formation_says_an_entry_only_when_it_is_not_the_start(
    trainer: Person,
) -> None:
    await trainer.says("/formations")
    await trainer.says("Agent de restauration (démo)")
    await trainer.presses("Voir le détail")
    detail = trainer.replies[-2].text if len(trainer.replies) > 1 else trainer.last
    assert "Stagiaires (" in detail and "page par page" not in detail
    start = detail.split("Du ", 1)[1].split(" au ", 1)[0]
    assert f"entrée le {start}" not in detail
