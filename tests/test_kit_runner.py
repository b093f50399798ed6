"""The flow kit on a toy dialogue: calling a sub-dialogue and coming back with its value.

A notebook: the menu shows how many notes it holds; "Ajouter une note" calls
a small dialogue that returns the note (or nothing when the person says
no); "Couleur" calls one that returns a choice; "Secret" calls a flow this
person may not use.  Everything a product flow relies on is shown here first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import texts
from bot.answers import Invalid, clean_line, fold
from bot.app import build_engine
from bot.config import Settings
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import (
    Call,
    Flow,
    Leave,
    Next,
    Outcome,
    Return,
    Switch,
    leave_saying,
)
from bot.conversations.kit.steps import Confirm, Entry, Menu, Option, Pick, Text
from bot.engine import Engine
from bot.manifest import Feature, Features
from bot.storage.db import Database
from bot.storage.people import Role
from bot.storage.state import ConversationState
from tests.auxil.dialogue import Clock, Person
from tests.auxil.organisations import add_organisations

pytestmark = pytest.mark.usefixtures("toy_templates")


async def parse_line(ctx: Context, text: str) -> str | Invalid:
    return clean_line(text, limit=80)


async def prefill_owner(ctx: Context) -> Outcome | None:
    if ctx.incoming.argument:
        ctx.data["owner"] = ctx.incoming.argument
    return None


async def file_the_last_note(ctx: Context) -> Outcome | None:
    """The menu's ``before`` hook: a note handed back by the sub-dialogue joins the list."""
    note = ctx.data.pop("last_note", None)
    if note:
        ctx.data["notes"] = [*ctx.data.get("notes", []), note]
    return None


async def menu_values(ctx: Context) -> dict[str, Any]:
    return {"count": len(ctx.data.get("notes", []))}


async def keep_note(ctx: Context) -> Outcome:
    return Return(ctx.data["note"])


async def say_chosen(ctx: Context) -> None:
    ctx.say("toy.chosen", colour=ctx.data["colour"], size=ctx.data["size"])
    ctx.data["_result"] = f"{ctx.data['colour']}/{ctx.data['size']}"


COLOURS = [Option("Rouge", "rouge", words=("carmin",)), Option("Vert", "vert")]
SIZES = [Option("Petite", "S"), Option("Grande", "L")]

CARNET = Flow(
    "carnet",
    command="carnet",
    summary="tenir un carnet",
    start=prefill_owner,
    steps=[
        Text("owner", ask="toy.ask_owner", parse=parse_line, unless_known=True),
        Menu(
            "menu",
            ask="toy.menu",
            before=file_the_last_note,
            values=menu_values,
            entries=[
                Entry("Ajouter une note", "add", call="note", store="last_note"),
                Entry(
                    "Couleur",
                    "colour",
                    call="choix",
                    data=lambda ctx: {"size": ctx.data.get("size_hint")},
                    store="choice",
                ),
                Entry("Secret", "secret", call="secret"),
                Entry("Terminé", "done", then=leave_saying("toy.bye")),
            ],
        ),
    ],
)
NOTE = Flow(
    "note",
    summary="ajouter une note",
    steps=[
        Text("note", ask="toy.ask_note", parse=parse_line),
        Confirm("confirm", ask="toy.ask_confirm", yes=keep_note, no=leave_saying("toy.skipped")),
    ],
)
CHOIX = Flow(
    "choix",
    summary="choisir",
    steps=[
        Pick("colour", ask="toy.ask_colour", options=COLOURS),
        Pick("size", ask="toy.ask_size", options=SIZES, unless_known=True),
    ],
    finish=say_chosen,
)
SECRET = Flow(
    "secret",
    role=Role.ADMIN,
    summary="le secret",
    steps=[Text("secret", ask="toy.ask_secret", parse=parse_line)],
)


async def the_only_size(ctx: Context) -> Outcome | None:
    """Its answer filled by the flow itself, as a product flow presets the only formation."""
    ctx.data["size"] = "L"
    return None


TAILLE = Flow(
    "taille",
    command="taille",
    summary="choisir une taille",
    start=the_only_size,
    steps=[CHOIX.step("size"), CHOIX.step("colour")],  # the size asked first, unless known
)


async def end_here(ctx: Context, value: object) -> Outcome:
    return Leave()


async def to_branch(ctx: Context, picked: str) -> Outcome:
    return Next("hidden") if picked == "vert" else Next()


DETOUR = Flow(
    "detour",
    command="detour",
    summary="un détour",
    steps=[
        Pick("colour", ask="toy.ask_colour", options=COLOURS, then=to_branch),
        Pick("size", ask="toy.ask_size", options=SIZES),
    ],
    branches=[Text("hidden", ask="toy.ask_secret", parse=parse_line, then=end_here)],
)


async def read_sentence(ctx: Context) -> Outcome | None:
    """A toy reader of text outside any conversation: "grande, s'il vous plaît"."""
    said = fold(ctx.incoming.text)
    if said.startswith("grande"):
        return Switch("choix", {"size": "L"})
    if said == "bonjour":
        ctx.say("toy.bye")
        return Leave()
    if said == "secret":
        return Switch("secret")
    return None


TOY = Features(
    [
        Feature(
            name="toy",
            flows=(CARNET, NOTE, CHOIX, SECRET, DETOUR, TAILLE),
            free_text=(read_sentence,),
        )
    ]
)


@pytest.fixture
def toy_engine(db: Database, settings: Settings, clock: Clock) -> Engine:
    return build_engine(db, settings, features=TOY, clock=clock)


@pytest.fixture
def lea(toy_engine: Engine) -> Person:
    return Person(toy_engine, "lea")


async def state_of(db: Database, user: str) -> ConversationState:
    async with db.sessions() as session:
        found = await session.scalar(
            select(ConversationState).where(ConversationState.user_id == user)
        )
    assert found is not None
    return found


async def open_notebook(lea: Person) -> None:
    await lea.says("/carnet")
    assert lea.last == "À qui est ce carnet ?"
    await lea.says("Léa")
    assert lea.last == "Carnet de Léa : 0 note(s)."


async def test_a_called_dialogue_hands_its_value_back_to_the_menu(
    lea: Person, db: Database
) -> None:
    await open_notebook(lea)
    await lea.presses("Ajouter une note")
    assert lea.last == "Quelle note ajouter ?"
    state = await state_of(db, "lea")
    assert (state.flow, state.step) == ("note", "note")
    assert [f["flow"] for f in state.data["_stack"]] == ["carnet"]
    await lea.says("acheter du pain")
    assert lea.last == "Ajouter « acheter du pain » ?"
    await lea.presses("Oui")
    assert lea.last == "Carnet de Léa : 1 note(s)."
    state = await state_of(db, "lea")
    assert (state.flow, state.step) == ("carnet", "menu")
    assert state.data["notes"] == ["acheter du pain"]
    assert "_stack" not in state.data
    await lea.presses("Terminé")
    assert lea.last == "À bientôt."
    assert (await state_of(db, "lea")).flow is None


async def test_leaving_a_called_dialogue_comes_back_with_nothing(lea: Person) -> None:
    await open_notebook(lea)
    await lea.presses("Ajouter une note")
    await lea.says("rien")
    await lea.presses("Non")
    assert lea.all_text.splitlines() == ["Rien à demander.", "Carnet de Léa : 0 note(s)."]


async def test_a_finished_dialogue_returns_its_result_and_skips_what_it_was_given(
    lea: Person, db: Database
) -> None:
    await lea.says("/carnet Paul")
    assert lea.last == "Carnet de Paul : 0 note(s)."  # the owner was given: not asked
    await lea.presses("Couleur")
    assert lea.last == "Quelle couleur ?"
    await lea.presses("Vert")
    assert lea.last == "Quelle taille ?"
    await lea.presses("Grande")
    assert lea.all_text.splitlines() == ["Couleur vert, taille L.", "Carnet de Paul : 0 note(s)."]
    assert (await state_of(db, "lea")).data["choice"] == "vert/L"


async def test_the_stack_survives_a_restart(
    lea: Person, db: Database, settings: Settings, clock: Clock
) -> None:
    await open_notebook(lea)
    await lea.presses("Ajouter une note")
    await lea.says("appeler Karim")
    lea.engine = build_engine(db, settings, features=TOY, clock=clock)  # a new process
    await lea.presses("Oui")
    assert lea.last == "Carnet de Léa : 1 note(s)."


async def test_a_refused_call_says_why_and_shows_the_menu_again(lea: Person) -> None:
    await open_notebook(lea)
    await lea.presses("Secret")
    said = lea.all_text
    assert "Je ne vous connais pas encore" in said
    assert lea.last == "Carnet de Léa : 0 note(s)."


async def test_buttons_from_before_a_call_are_stale_after_it(lea: Person) -> None:
    await open_notebook(lea)
    menu = lea.replies
    await lea.presses("Ajouter une note")
    await lea.says("une note")
    await lea.presses("Oui")
    lea.replies = menu
    await lea.presses("Ajouter une note")
    assert lea.all_text.startswith("Ce bouton vient d'un message plus ancien")
    assert lea.last.endswith("Carnet de Léa : 1 note(s).")


async def test_cancelling_inside_a_call_cancels_what_the_person_started(
    lea: Person, db: Database
) -> None:
    await open_notebook(lea)
    await lea.presses("Ajouter une note")
    await lea.says("/annuler")
    assert "C'est annulé : tenir un carnet." in lea.last
    state = await state_of(db, "lea")
    assert state.flow is None
    assert "_stack" not in state.data


async def test_a_branch_is_reached_by_name_only(lea: Person) -> None:
    await lea.says("/detour")
    await lea.presses("Rouge")
    assert lea.last == "Quelle taille ?"  # the branch is not next in the sequence
    await lea.presses("Petite")
    assert lea.replies == []  # the flow ended after its last step, not in the branch
    await lea.says("/detour")
    await lea.presses("Vert")
    assert lea.last == "Le mot secret ?"
    await lea.says("sésame")
    assert lea.replies == []


def test_two_steps_of_one_flow_cannot_share_a_name() -> None:
    with pytest.raises(ValueError, match="names two steps alike"):
        Flow(
            "twice",
            steps=[Text("a", ask="toy.ask_note", parse=parse_line)],
            branches=[Text("a", ask="toy.ask_note", parse=parse_line)],
        )


async def test_calls_nested_without_end_are_stopped(
    db: Database, settings: Settings, clock: Clock
) -> None:
    async def again(ctx: Context) -> Outcome:
        return Call("loop")

    loop = Flow("loop", command="loop", summary="boucle", steps=[], start=again)
    engine = build_engine(db, settings, features=Features([Feature("loop", flows=(loop,))]))
    bob = Person(engine, "bob")
    await bob.says("/loop")
    assert "quelque chose s'est mal passé" in bob.last


async def test_text_outside_any_conversation_goes_to_the_features_readers(
    lea: Person, db: Database
) -> None:
    await lea.says("Grande, s'il vous plaît")
    assert lea.last == "Quelle couleur ?"  # the size understood is not asked again
    await lea.presses("Rouge")
    assert lea.last == "Couleur rouge, taille L."
    await lea.says("bonjour")
    assert lea.all_text == "À bientôt."
    assert (await state_of(db, "lea")).flow is None


async def test_a_reader_cannot_open_a_flow_its_person_may_not_use(lea: Person) -> None:
    await lea.says("secret")
    assert "Je ne vous connais pas encore" in lea.all_text


async def test_text_no_reader_knows_gets_help_or_the_closest_command(lea: Person) -> None:
    await lea.says("quoi de neuf")
    assert "/start" in lea.last  # the idle answer, for someone who is not a member
    await lea.says("aide")
    assert lea.last == texts.plain((await lea.says("/aide"))[-1].text)
    await lea.says("detoru")
    assert lea.last.startswith("Vouliez-vous dire /detour ?")
    await lea.says("/carnett")
    assert lea.last == "Je ne connais pas la commande /carnett. Vouliez-vous dire /carnet ?"


async def test_retour_goes_back_one_question_then_to_the_caller(lea: Person, db: Database) -> None:
    await lea.says("/carnet")
    await lea.says("Retour")  # the very first question: nothing before it
    assert lea.all_text.startswith("C'est la première question")
    assert lea.last.endswith("À qui est ce carnet ?")
    await lea.says("Léa")
    await lea.presses("Couleur")
    await lea.presses("Vert")
    assert lea.last == "Quelle taille ?"
    await lea.says("retour")
    assert lea.last == "Quelle couleur ?"
    assert (await state_of(db, "lea")).step == "colour"
    await lea.says("Retour")  # the called flow's first question: back to the menu
    assert lea.last == "Carnet de Léa : 0 note(s)."
    await lea.presses("Ajouter une note")
    await lea.says("revenir en arrière")  # a free-text question accepts it too
    assert lea.last == "Carnet de Léa : 0 note(s)."
    await lea.says("Retour")  # the menu was reached from "À qui est ce carnet ?"
    assert lea.last == "À qui est ce carnet ?"
    await lea.says("Paul")
    assert lea.last == "Carnet de Paul : 0 note(s)."


async def test_termine_typed_ends_a_menu_by_its_ending_entry(lea: Person, db: Database) -> None:
    await open_notebook(lea)
    await lea.presses("Ajouter une note")
    await lea.says("pain")
    await lea.presses("Oui")
    await lea.says("c'est tout")  # no entry says so, the one that ends the menu is meant
    assert lea.last == "À bientôt."
    assert (await state_of(db, "lea")).flow is None


async def test_a_choice_is_typed_with_a_typo_or_another_word(lea: Person) -> None:
    await open_notebook(lea)
    await lea.says("couleur")
    await lea.says("rouje")  # one letter wrong, as names tolerate
    assert lea.last == "Quelle taille ?"
    await lea.says("grnde")
    assert lea.last == "Carnet de Léa : 0 note(s)."
    assert "Couleur rouge, taille L." in lea.all_text
    await lea.says("Couleur")
    await lea.says("Carmin")  # a word the option accepts besides its label
    assert lea.last == "Quelle taille ?"
    await lea.says("moyenne")
    assert lea.all_text.startswith("Je n'ai pas reconnu ce choix")


async def test_what_was_set_aside_survives_a_called_dialogue(db: Database, trainer: Person) -> None:
    """Explorer EC3: a conversation set aside by /decrochage was lost once a step of its menu
    (a contact noted) came back to it: the caller's frame was rebuilt without it."""
    await trainer.says("/absence julie")
    await trainer.says("hier matin")
    await trainer.says("/formations")
    assert "Je mets de côté « noter une absence ou un retard »" in trainer.all_text
    await trainer.presses("Agent de restauration")
    await trainer.presses("Modifier la formation")
    await trainer.says("Retour")
    assert trainer.last.startswith("Que voulez-vous faire d'« Agent de restauration")
    await trainer.presses("Terminé")
    await trainer.says("/reprendre")
    assert "Je reprends « noter une absence ou un retard » là où vous en étiez." in trainer.all_text


async def test_a_double_tap_on_the_press_that_ends_a_called_dialogue_says_nothing(
    lea: Person,
) -> None:
    """Explorer EC4: the second tap of « Enregistrer » in a follow-up's step answered « Ce
    bouton vient d'un message plus ancien » and showed the menu again."""
    await open_notebook(lea)
    await lea.presses("Ajouter une note")
    await lea.says("acheter du pain")
    confirm = next(c for r in lea.replies for c in r.choices if c.label == "Oui")
    await lea.presses_data(confirm.data)
    assert lea.last == "Carnet de Léa : 1 note(s)."
    assert await lea.presses_data(confirm.data) == []


@pytest.mark.usefixtures("demo")
async def test_a_command_again_over_what_its_flow_filled_itself_starts_it_over(
    toy_engine: Engine,
) -> None:
    """Explorer BE4: an answer the flow fills itself (the only formation, « nouvelle
    invitation » with none pending) counted as typed: the command typed again set the flow
    aside against itself, and the conversation set aside before was dropped."""
    lea = Person(toy_engine, "formateur")  # a member: what is under way is set aside
    await lea.says("/carnet")
    await lea.says("Léa")
    await typed_twice_keeps_aside(lea, "/taille", "tenir un carnet")
    assert lea.last == "Carnet de Léa : 0 note(s)."
    assert "Je reprends « choisir une taille » depuis le début" in "\n".join(lea.transcript)


async def typed_twice_keeps_aside(who: Person, command: str, aside: str) -> None:
    """``command`` typed twice while ``aside`` waits: that one set aside, then ``command``
    started over, ``aside`` kept for /reprendre (its transcript left in ``who.all_text``)."""
    for typed, said in ((command, f"Je mets de côté « {aside} »"), (command, "depuis le début")):
        await who.says(typed)
        assert said in who.all_text and "Je n'en garde qu'une" not in who.all_text
    await who.says("/annuler")
    await who.says("/reprendre")
    assert f"Je reprends « {aside} » là où vous en étiez." in who.all_text


@pytest.mark.parametrize("command", ["/absence", "/appel", "/decrochage", "/inviter"])
async def test_a_bare_command_again_keeps_what_was_set_aside_before(
    db: Database, clock: Clock, person: Callable[..., Person], command: str
) -> None:
    """Explorer BE4: with one formation (no invitation pending), « /absence » then « /absence »
    set the empty /absence aside against itself and dropped the half-typed /formation."""
    await add_organisations(db, 1, clock.now.date())
    admin = person("admin-1")
    await admin.says("/formation")
    await admin.says("Cariste session 2")
    await admin.says("1")
    await typed_twice_keeps_aside(admin, command, "créer une formation")
