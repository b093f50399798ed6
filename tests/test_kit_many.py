"""Multi-choice questions: typed selections, pages that keep the ticks, global numbers.

A toy question over 150 people (more than Telegram's 100 buttons) and one
over five, through the real engine; what the console shows is rendered by
the console transport itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import Invalid
from bot.app import build_engine
from bot.config import Settings
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Option
from bot.conversations.kit.many import PAGE, Selection, read_selection
from bot.conversations.kit.steps import PickMany
from bot.engine import Engine
from bot.manifest import Feature, Features
from bot.storage.db import Database
from bot.texts import plain
from bot.transports.console import render
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import FOR_CHOICES, step_of, survives

FIVE = [
    Option(name, str(n))
    for n, name in enumerate(
        ["Anne Roy", "Bruno Colin", "Chloé Faure", "Damien Petit", "Élise Marchand"], start=1
    )
]
MANY = [Option(f"Stagiaire {n:03d}", str(n)) for n in range(1, 151)]


pytestmark = pytest.mark.usefixtures("toy_templates")


async def keep(ctx: Context) -> None:
    ctx.say("toy.kept", count=len(ctx.data["who"]))
    ctx.data["_result"] = ctx.data["who"]


async def all_ticked(ctx: Context) -> None:
    ctx.data["who"] = [o.value for o in (MANY if ctx.data.get("many") else FIVE)]


async def everyone(ctx: Context) -> list[Option]:
    return MANY if ctx.data.get("many") else FIVE


async def start(ctx: Context) -> None:
    ctx.data["many"] = ctx.incoming.argument == "150"
    await all_ticked(ctx)


FLOW = Flow(
    "cocher",
    command="cocher",
    summary="cocher des gens",
    start=start,
    steps=[PickMany("who", ask="toy.ask_who", options=everyone, minimum=1)],
    finish=keep,
)


@pytest.fixture
def lea(db: Database, settings: Settings, clock: Clock) -> Person:
    engine: Engine = build_engine(
        db, settings, features=Features([Feature("toy", flows=(FLOW,))]), clock=clock
    )
    return Person(engine, "lea")


def console(person: Person) -> str:
    return "\n".join(render(r, Path("/nonexistent")) for r in person.replies)


@pytest.mark.parametrize(
    "typed", ["'; DROP TABLE formations; --", "<i>gras</i>", "*x* [a](http://x)"]
)
def test_a_message_no_piece_of_which_is_in_the_list_is_quoted_whole(typed: str) -> None:
    """Explorer UC3: « Je ne trouve pas « ' » dans la liste », « « <b>gras< » »: a piece cut
    at « / » or « ; » the person does not recognise. When nothing in it names anyone, the
    message is quoted whole; a piece among names found is still quoted alone."""
    refused = read_selection(typed, FIVE)
    assert isinstance(refused, Invalid)
    assert plain(refused.message).startswith(f"Je ne trouve pas « {typed} » dans la liste")
    refused = read_selection("Anne Roy, Zorro", FIVE)
    assert isinstance(refused, Invalid)
    assert refused.message.startswith("Je ne trouve pas « Zorro » dans la liste"), refused


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("<b>karim</b>", "absents : <b>Karim</b>"),  # a part of the roll call's message
        ("Anne Roy, <b>Karim</b>", ""),
        ("Anne Roy, <i>Karim</i><br/>", ""),
    ],
)
def test_a_tag_typed_in_a_list_to_tick_is_quoted_as_typed(typed: str, said: str) -> None:
    """Explorer DF2: « absents : <b>Karim</b> » at /appel's list answered « Je ne trouve pas
    « <b>karim< » dans la liste »: cut at the tag's « / », folded. A « / » between names
    still separates them."""
    refused = read_selection(typed, FIVE, said=said)
    assert isinstance(refused, Invalid)
    tag = typed.rpartition(", ")[2] if not said else said.partition(" : ")[2]
    assert plain(refused.message).startswith(f"Je ne trouve pas « {tag} » dans la liste")
    assert read_selection("Anne/Bruno", FIVE) == Selection(toggle=("1", "2"))
    assert read_selection("Anne / Bruno", FIVE) == Selection(toggle=("1", "2"))


def test_a_name_several_bear_among_others_says_the_list_is_unchanged() -> None:
    """Explorer BF4: the roll call of a group with two Karim, « absents : Sarah Benali, Karim »
    answered « Plusieurs choix correspondent à « Karim » : précisez », nothing else said; « Karim
    Benali » then noted him alone, and Sarah Benali, named with him, was counted present."""
    people = [
        Option("Karim Benali", "1"),
        Option("Sarah Benali", "2"),
        Option("Sarah Bennani", "3"),
        Option("Karim Thomas", "4"),
    ]
    refused = read_selection("Sarah Benali, Karim", people)
    assert isinstance(refused, Invalid)
    assert plain(refused.message) == (
        "Plusieurs choix correspondent à « Karim » (Karim Benali ou Karim Thomas) : je n'ai "
        "rien changé. Renvoyez tout votre message en précisant ce nom, ou avec les numéros."
    )
    refused = read_selection("sarah ; Karim", people)
    assert isinstance(refused, Invalid)
    assert plain(refused.message).startswith(
        "Plusieurs choix correspondent à « sarah » (Sarah Benali ou Sarah Bennani) et à "
        "« Karim » (Karim Benali ou Karim Thomas) : je n'ai rien changé. Renvoyez tout votre "
        "message en précisant ces noms"
    )
    refused = read_selection("Karim", people)  # alone: nothing else to lose
    assert isinstance(refused, Invalid)
    assert refused.message.startswith("Plusieurs choix correspondent à « Karim » : précisez")
    # A part of the roll call's « absents : Sarah Benali ; retard : Karim »: its other part too.
    refused = read_selection("karim", people, said="absents : Sarah Benali ; retard : Karim")
    assert isinstance(refused, Invalid) and "je n'ai rien changé" in refused.message


def test_what_a_typed_selection_names() -> None:
    assert read_selection("3, 4, 5", FIVE) == Selection(toggle=("3", "4", "5"))
    assert read_selection("3 4 5", FIVE) == Selection(toggle=("3", "4", "5"))
    assert read_selection("3-5", FIVE) == Selection(toggle=("3", "4", "5"))
    assert read_selection("2 à 4", FIVE) == Selection(toggle=("2", "3", "4"))
    assert read_selection("1 et 3", FIVE) == Selection(toggle=("1", "3"))
    assert read_selection("chloe, Bruno", FIVE) == Selection(toggle=("3", "2"))
    exactly = read_selection("chloe, Bruno", FIVE, names_exactly=True)  # names: these
    assert exactly == Selection(only=("2", "3"))
    assert read_selection("chloe", FIVE, names_exactly=True) == Selection(toggle=("3",))
    assert read_selection("3, 2", FIVE, names_exactly=True) == Selection(toggle=("3", "2"))
    assert read_selection("Chloé Faute", FIVE) == Selection(toggle=("3",))  # one letter wrong
    assert read_selection("Tous", FIVE) == Selection(only=("1", "2", "3", "4", "5"))
    assert read_selection("aucun", FIVE) == Selection(only=())
    for none in (
        "Aucun délégué",
        "pas de délégués",
        "aucune",
        "Pas encore de délégués",  # explorer O
        "aucun délégué pour le moment",
        "personne pour l'instant",
        "Pas encore",  # explorer P
        "Rien pour le moment",
        "On verra plus tard",
        "plus tard",
    ):  # the question's words
        assert read_selection(none, FIVE) == Selection(only=()), none
    assert read_selection("tous sauf 3", FIVE) == Selection(only=("1", "2", "4", "5"))
    assert read_selection("sauf Élise et 1", FIVE) == Selection(only=("2", "3", "4"))
    wrong = read_selection("3, 9", FIVE)
    assert isinstance(wrong, Invalid) and "numéro 9" in wrong.message
    kept = read_selection("pas de changement", FIVE)  # no « none » (explorer P: all unticked)
    assert isinstance(kept, Invalid)
    unknown = read_selection("Chloé, Zorro Élan", FIVE)  # quoted as typed (explorer O)
    assert isinstance(unknown, Invalid) and "« Zorro Élan »" in unknown.message


async def test_typed_numbers_untick_and_say_what_changed(lea: Person, db: Database) -> None:
    await lea.says("/cocher")
    assert lea.buttons[:5] == [f"☑ {o.label}" for o in FIVE]
    await lea.says("3, 4, 5")
    assert lea.all_text.startswith(
        "Décoché : 3. Chloé Faure ; 4. Damien Petit ; 5. Élise Marchand.\n2 cochés sur 5."
    )
    ticks = [b[0] for b in lea.buttons[:5]]
    assert ticks == ["☑", "☑", "☐", "☐", "☐"]
    await lea.says("4")
    assert lea.all_text.startswith("Coché : 4. Damien Petit.\n3 cochés sur 5.")
    await lea.says("terminé")
    assert lea.last == "3 gardé(s)."


async def test_all_none_and_all_but(lea: Person, db: Database) -> None:
    await lea.says("/cocher")
    await lea.says("aucun")
    assert "Aucun coché sur 5" in lea.all_text  # at least one is needed: not finished
    assert await step_of(db, lea) == ("cocher", "who")
    await lea.presses("Terminé")
    assert "au moins un" in lea.last
    await lea.says("tous sauf chloé")
    assert "Décoché" not in lea.all_text and "4 cochés sur 5" in lea.all_text
    await lea.says("Tous")
    assert "Coché : 3. Chloé Faure." in lea.all_text
    await lea.says("Fini")
    assert lea.last == "5 gardé(s)."


async def test_wrong_and_hostile_answers_are_refused_in_french(lea: Person, db: Database) -> None:
    await lea.says("/cocher")
    await lea.says("3, 9")
    assert "Il n'y a pas de choix numéro 9" in lea.all_text
    await lea.says("Zorro")
    assert "Je ne trouve pas « Zorro »" in lea.all_text
    await lea.says("x" * 10_000)
    assert "trop long" in lea.all_text
    await survives(db, lea, FOR_CHOICES)
    await lea.presses("Terminé")
    assert lea.last == "5 gardé(s)."


async def test_an_empty_answer_is_said_to_be_nothing_received(lea: Person, db: Database) -> None:
    """Explorer EC2: an empty message at a list to tick read « Je n'ai pas reconnu ce choix »,
    where every other list says it received nothing; signs alone are not reconnus."""
    await lea.says("/cocher")
    await lea.says("   ")
    assert lea.all_text.startswith("Je n'ai rien reçu : choisissez une ligne (ou tapez son numéro)")
    await lea.says("?!")
    assert lea.all_text.startswith("Je n'ai pas reconnu ce choix. Choisissez une ligne")
    assert await step_of(db, lea) == ("cocher", "who")
    await lea.presses("Terminé")
    assert lea.last == "5 gardé(s)."


async def test_control_characters_are_refused_never_echoed(lea: Person, db: Database) -> None:
    """Explorer GD3: a bell and the terminal's « clear screen » (or a NUL) went back as typed
    in « Je ne trouve pas « … » dans la liste » (the console's screen cleared); refused as
    at every other question, the ticks kept."""
    await lea.says("/cocher")
    for hostile in ("\x07\x1b[2J", "Chloé\x00", "\u202eAnne Roy"):
        await lea.says(hostile)
        assert lea.all_text.startswith(
            "Votre message contient des caractères de contrôle invisibles : retapez-le"
        ), hostile
        assert "\x1b" not in lea.all_text and "\x00" not in lea.all_text
        assert await step_of(db, lea) == ("cocher", "who")
    await lea.presses("Terminé")
    assert lea.last == "5 gardé(s)."


async def test_150_people_are_paged_with_the_ticks_and_numbers_kept(lea: Person) -> None:
    await lea.says("/cocher 150")
    assert len(lea.buttons) == PAGE + 2  # a page, "Suivants", "Terminé"
    assert lea.buttons[-2:] == ["Suivants ▶ (2/8)", "✅ Terminé"]
    assert "Page 1 sur 8 · 150 cochés sur 150." in lea.last
    shown = console(lea)
    assert "  1. ☑ Stagiaire 001" in shown and "  20. ☑ Stagiaire 020" in shown
    assert "  – ✅ Terminé" in shown and "21." not in shown
    await lea.presses("Stagiaire 002")  # untick on page 1
    await lea.presses("Suivants")
    assert lea.replies[-1].edit_previous
    assert lea.buttons[0] == "☑ Stagiaire 021" and "◀ Précédents" in lea.buttons
    shown = console(lea)
    assert "  21. ☑ Stagiaire 021" in shown  # numbers are the whole list's
    await lea.says("21, 140-142")  # typed numbers reach any page
    assert "145 cochés sur 150" in lea.all_text
    assert lea.buttons[0] == "☐ Stagiaire 021"  # still on page 2
    await lea.says("précédents")
    assert lea.buttons[:2] == ["☑ Stagiaire 001", "☐ Stagiaire 002"]  # the tick kept
    for _ in range(7):
        await lea.says("suivants")
    assert "Page 8 sur 8" in lea.last and "Suivants ▶" not in " ".join(lea.buttons)
    assert lea.buttons[:3] == ["☐ Stagiaire 141", "☐ Stagiaire 142", "☑ Stagiaire 143"]
    await lea.says("Terminé")
    assert lea.last == "145 gardé(s)."


async def test_names_listed_are_the_ones_kept_ticked(lea: Person, db: Database) -> None:
    """Explorer Q Q8: « Léa Martin et Julie Petit » at « Choisir les délégués » unticked Léa,
    who was ticked already; names listed are the ones wanted, a single one is a press."""
    await lea.says("/cocher")  # all five ticked
    await lea.says("Chloé Faure et Damien Petit")
    assert "2 cochés sur 5" in lea.all_text
    assert [b[0] for b in lea.buttons[:5]] == ["☐", "☐", "☑", "☑", "☐"]
    await lea.says("Chloé")  # one name: ticked or unticked, as a press
    assert [b[0] for b in lea.buttons[:5]] == ["☐", "☐", "☐", "☑", "☐"]


async def test_a_double_tap_leaves_the_box_as_the_first_tap_set_it(lea: Person) -> None:
    """Explorer EC2: two presses of « ☐ Retards » sent back to back (a double tap, a slow
    network's retry) ticked then unticked the sign."""
    await lea.says("/cocher")
    chloe = next(c for r in lea.replies for c in r.choices if c.label.endswith("Chloé Faure"))
    await lea.presses_data(chloe.data)
    assert lea.buttons[2] == "☐ Chloé Faure"
    await lea.presses_data(chloe.data)  # the same button, as shown before the first press
    assert lea.buttons[2] == "☐ Chloé Faure"
    await lea.presses("Chloé Faure")  # the button as shown now: ticked again
    assert lea.buttons[2] == "☑ Chloé Faure"


async def test_a_file_at_a_checklist_is_said_to_come_after_the_names(lea: Person) -> None:
    """Explorer EF14: the photo of the signed sheet sent at « Qui figure sur la feuille ? »
    got « J'attends une réponse écrite ici », at a question where names are ticked."""
    await lea.says("/cocher")
    await lea.sends_file("feuille.png", "image/png", b"\x89PNG fake")
    assert lea.last.startswith(  # no member: no member's step named (coverage BC2)
        "Je ne prends pas de fichier ni de photo à cette question : choisissez l'une des "
        "réponses proposées."
    )
