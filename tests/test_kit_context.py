"""What a number typed means: the choice shown with it, whatever the step reads besides.

A toy count: pieces or lots, then "Combien ?", which takes a number or
« Passer » (shown as "1. Passer"), then a menu of its own that reads a
number typed as a new count before its choices (as /appel's recap reads
corrections) and lists its values in another order than it shows them (as
/suivi's timeline once did).
"""

from __future__ import annotations

import pytest

from bot.answers import Invalid
from bot.app import build_engine
from bot.config import Settings
from bot.conversations.kit.context import Context
from bot.conversations.kit.flow import Flow, Leave, Next, Outcome, Retry, Stay, Step
from bot.conversations.kit.matching import matching
from bot.conversations.kit.steps import Option, Pick, Text
from bot.engine import Engine
from bot.manifest import Feature, Features
from bot.messages import Choice, Reply, numbering, numbers
from bot.storage.db import Database
from tests.auxil.dialogue import Clock, Person
from tests.auxil.hostile import step_of

pytestmark = pytest.mark.usefixtures("toy_templates")


async def parse_count(ctx: Context, text: str) -> int | Invalid:
    return int(text) if text.strip().isdecimal() else Invalid(ctx.render("toy.not_a_count"))


class Again(Step):
    """Reads numbers as counts first, lists its values in one order and shows them in another."""

    LABELS = {"done": "Terminé", "again": "Recompter"}  # noqa: RUF012

    async def question(self, ctx: Context) -> Reply:
        choices = (ctx.choice("Recompter", "again"), ctx.choice("Terminé", "done"))
        return Reply(text=ctx.render("toy.count_menu"), choices=choices)

    async def answer(self, ctx: Context) -> Outcome:
        text = ctx.incoming.text.strip()
        if ctx.incoming.choice is None and text.isdecimal() and len(text) < 5:
            ctx.data["count"] = int(text)
            return Stay()
        picked = ctx.chosen(list(self.LABELS), labels=self.LABELS)
        if isinstance(picked, Invalid):
            return Retry(picked.message)
        if picked is None:
            return Retry(ctx.render("common.pick_again"))
        if picked == "again":
            return Next("count")
        ctx.say("toy.bye")
        return Leave()


UNITS = [Option("Pièces", "p"), Option("Lots", "l")]

COMPTE = Flow(
    "compte",
    command="compte",
    summary="compter",
    steps=[
        Pick("unit", ask="toy.ask_size", options=UNITS),
        Text("count", ask="toy.ask_count", parse=parse_count, skip_label="Passer"),
        Again("again"),
    ],
)


@pytest.fixture
def lea(db: Database, settings: Settings, clock: Clock) -> Person:
    features = Features([Feature(name="toy", flows=(COMPTE,))])
    engine: Engine = build_engine(db, settings, features=features, clock=clock)
    return Person(engine, "lea")


async def test_a_number_shown_is_that_choice_before_the_step_reads_the_text(
    lea: Person, db: Database
) -> None:
    await lea.says("/compte")
    await lea.says("Pièces")
    assert lea.numbered == ["1. Passer"]
    await lea.says("1")  # the number shown, not a count of one
    assert lea.last == "Compté : rien."
    assert lea.numbered == ["1. Recompter", "2. Terminé"]
    await lea.says("3")  # no choice 3 is shown: the step reads it, a count
    assert lea.last == "Compté : 3."
    await lea.says("1")  # shown: "Recompter", not a count of one
    assert lea.last == "Combien ?"
    await lea.says("5")
    await lea.says("2")  # shown: "Terminé", whatever order the step lists its values in
    assert lea.last == "À bientôt."
    assert await step_of(db, lea) == (None, None)


async def test_a_number_not_shown_says_which_are(lea: Person) -> None:
    await lea.says("/compte")
    for typed in ("3", "0", "9" * 40):
        await lea.says(typed)
        # Past twelve digits, no other number than the one typed (explorer GD2).
        number = f"numéro {typed}" if len(typed) <= 12 else "portant ce numéro"
        assert lea.last.startswith(
            f"Il n'y a pas de choix {number} : tapez un numéro entre 1 et 2."
        )
    await lea.says("9" * 5000)  # beyond any message: its length said (explorer AD25)
    assert lea.last.startswith("Votre message est trop long (5\u202f000 caractères")
    await lea.says("٢")  # another script's two
    assert lea.last == "Combien ?"


async def test_a_file_at_a_choice_points_someone_outside_the_team_to_no_member_s_step(
    lea: Person,
) -> None:
    """Coverage BC2: a bilan's participant (no member of the organisation) sending a photo at
    « Transmettre votre message tel quel ? » was told « L'étape qui attend un document le
    demande (« Déposer la feuille d'émargement », un justificatif d'absence…) », steps only
    the trainers have."""
    await lea.says("/compte")
    await lea.sends_file("photo.jpg", "image/jpeg", b"\xff\xd8\xff fake")
    assert lea.all_text.startswith(
        "Je ne prends pas de fichier ni de photo à cette question : choisissez l'une des "
        "réponses proposées.\n"
    ), lea.all_text
    assert "émargement" not in lea.all_text and "justificatif" not in lea.all_text


def test_what_is_numbered_is_what_a_number_stands_for() -> None:
    plain = (Choice("Oui", "1|yes"), Choice("Non", "1|no"))
    assert numbering(plain) == ["1.", "2."]
    assert numbers(plain) == {"1": "1|yes", "2": "1|no"}
    # A page of a long list keeps the list's numbers; the arrows are typed by name.
    page = (Choice("Chloé", "1|c", number=21), Choice("Suivants", "1|_next"))
    assert numbering(page) == ["21.", "–"]
    assert numbers(page) == {"21": "1|c"}
    # Where a number typed is an answer in itself, no choice carries one.
    setting = (Choice("Valeur par défaut", "1|default", numbered=False),)
    assert numbering(setting) == ["–"]
    assert numbers(setting) == {}
    mixed = (Choice("Passer", "1|skip", numbered=False), Choice("Oui", "1|yes"))
    assert numbering(mixed) == ["–", "1."]


def test_a_number_typed_fits_a_number_of_its_own_not_a_year() -> None:
    """Explorer H H11: « Accueil groupe 20 » offered groupe 40, 30, 20 and 10, by « 2026 »."""
    labels = {
        f"g{n}": f"Accueil groupe {n} (lundi 16 novembre 2026)" for n in ("10", "20", "30", "40")
    }
    labels["s"] = "Soudure groupe 02 (lundi 2 novembre 2026)"
    values = list(labels)
    assert matching("Accueil groupe 20", values, labels=labels) == ["g20"]
    assert matching("groupe 02", values, labels=labels) == ["s"]
    assert matching("2026", values, labels=labels) == values  # a whole number: all of them
    assert matching("accueil", values, labels=labels) == ["g10", "g20", "g30", "g40"]
    assert matching("16 novembre", values, labels=labels) == ["g10", "g20", "g30", "g40"]
    assert matching("2 novembre", values, labels=labels) == ["s"]


def test_a_number_typed_is_not_the_day_of_a_date_unless_a_month_is_typed() -> None:
    """Explorer M: « Formation 23 » offered « Formation 22 Le Havre (lundi 23 novembre) »."""
    labels = {
        "22": "Formation 22 Le Havre (lundi 23 novembre 2026)",
        "23": "Formation 23 Évreux (mardi 1er décembre 2026)",
    }
    values = list(labels)
    assert matching("Formation 23", values, labels=labels) == ["23"]
    assert matching("23 novembre", values, labels=labels) == ["22"]


def test_a_number_sign_typed_in_any_spelling_fits_the_labels_n_degree() -> None:
    """Explorer P P9: « numéro 2 », « no 2 » and « nº 2 » (the ordinal sign, folded « no »)
    were « rien dans la liste ne correspond », where « n° 2 » works."""
    labels = {str(n): f"Invitation n° {n} – créée le 4 décembre à 17 h 2{n}" for n in (1, 2, 3)}
    values = list(labels)
    for typed in ("n° 2", "N°2", "numéro 2", "no 2", "nº 2", "No. 2", "num 2"):
        assert matching(typed, values, labels=labels) == ["2"], typed
    assert matching("n° 4", values, labels=labels) == []
    assert matching("no", values, labels=labels) == []


def test_a_plus_sign_is_a_word_of_the_label() -> None:
    """Explorer AD18: « Visa+ » was folded to « visa », the other programme's whole label."""
    labels = {"visa": "Visa", "visa_plus": "Visa+ Parcours vers l'Emploi"}
    values = list(labels)
    assert matching("Visa+", values, labels=labels) == ["visa_plus"]
    assert matching("visa plus", values, labels=labels) == ["visa_plus"]
    assert matching("Visa", values, labels=labels) == ["visa"]


def test_a_word_typed_fits_where_it_starts_a_word_before_where_it_is_inside_one() -> None:
    """Explorer AD16: « activé », the word the setting shows, was « Plusieurs choix
    correspondent »: it is inside « Désactiver » too."""
    labels = {"on": "Activer", "off": "Désactiver", "default": "Valeur par défaut"}
    values = list(labels)
    assert matching("ACTIVÉ", values, labels=labels) == ["on"]
    assert matching("désactivé", values, labels=labels) == ["off"]
    assert matching("activ", values, labels=labels) == ["on"]
    assert matching("tiv", values, labels=labels) == ["on", "off"]  # inside both: both
    assert (
        matching("s", ["none", "file"], labels={"none": "Pas de justificatif", "file": "x"}) == []
    )
    assert matching("a", ["a", "b"], labels={"a": "A", "b": "B"}) == ["a"]  # a label itself


def test_a_verb_typed_is_its_yes_not_the_choice_that_denies_it() -> None:
    """Explorer DG8: « ouvrir » at « Ouvrir ce suivi ? » was « Plusieurs choix correspondent »
    because « Ne rien ouvrir » holds the word too."""
    labels = {"open": "Ouvrir le suivi", "no": "Ne rien ouvrir"}
    assert matching("ouvrir", ["open", "no"], labels=labels) == ["open"]
    assert matching("ne rien ouvrir", ["open", "no"], labels=labels) == ["no"]
    assert matching("rien", ["open", "no"], labels=labels) == ["no"]
