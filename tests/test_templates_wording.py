"""Every sentence a user or an auditor reads, rendered with sample values, reads as careful French.

Each block of ``templates/chat/*.j2`` and each document and e-mail template
is rendered twice, once with every value present (truthy, lists of two)
and once with every value absent, so both sides of each ``{% if %}`` are
read.  The rendered text must hold no double full stop, no sentence glued to the next, no "(e)" nor
"il/elle" (agreements are made for the actual person, or the sentence
needs none), no "Pôle emploi" (France Travail since 2024) and none of a
small list of English words.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from bot.answers import fold
from bot.texts import (
    TEMPLATES_DIR,
    _tidy,
    de,
    de_la_formation,
    de_titre,
    et,
    number,
    organisme,
    rule_source,
    salutation,
    upper_first,
)
from tests.auxil.dialogue import Person
from tests.auxil.source import syntax_tree

BOT = TEMPLATES_DIR.parent / "bot"


class Sample(jinja2.Undefined):
    """Any value a template asks for: a name when printed, present or absent as the run wants."""

    present = True
    printed = "Léa Martin"

    def __str__(self) -> str:
        return Sample.printed if Sample.present else ""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return Sample()

    def __getitem__(self, key: object) -> Any:
        return Sample()

    def __call__(self, *args: object, **kwargs: object) -> Any:
        return Sample()

    def __iter__(self) -> Iterator[Any]:
        return iter([Sample(), Sample()] if Sample.present else [])

    def __len__(self) -> int:
        return 2 if Sample.present else 0

    def __bool__(self) -> bool:
        return Sample.present

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return Sample.present

    __le__ = __lt__
    __ge__ = __gt__

    def __hash__(self) -> int:
        return 0

    def __int__(self) -> int:
        return 2 if Sample.present else 0

    __index__ = __int__

    def __add__(self, other: object) -> Any:
        return Sample()

    def __floordiv__(self, other: object) -> int:
        return 2

    __radd__ = __sub__ = __rsub__ = __mul__ = __add__
    __mod__ = __rmod__ = __truediv__ = __rfloordiv__ = __floordiv__


def sample_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=Sample,
    )
    env.filters["jour"] = lambda v: "lundi 23 novembre 2026"
    env.filters["jour_heure"] = lambda v: "lundi 23 novembre 2026 à 14 h 00"
    env.filters["jour_mois"] = lambda v: "23 novembre"
    env.filters["duree"] = lambda v: "2 h"
    env.filters["heure"] = lambda v: "14 h 00"
    env.filters["de"] = de
    env.filters["de_titre"] = de_titre
    env.filters["nombre"] = lambda v: number(12979)
    env.filters["salutation"] = salutation
    env.filters["majuscule"] = upper_first
    env.filters["et"] = et
    env.filters["organisme"] = organisme
    env.filters["de_la_formation"] = de_la_formation
    env.filters["chome"] = lambda v: "un samedi"
    env.filters["periode"] = lambda v, end, capital=False: (
        "Du lundi 23 novembre 2026 au jeudi 26 novembre 2026"
        if capital
        else "du lundi 23 novembre 2026 au jeudi 26 novembre 2026"
    )
    env.filters["regle"] = lambda v: "procédure Elycoop de prévention des ruptures – absence"
    env.filters["contact_region"] = lambda v: "personne référente territoriale"
    env.filters["source"] = rule_source
    return env


SHAPED = {"agenda": [("14 h 00", "14 h 15", "Accueil"), ("14 h 15", "15 h 00", "Bilan")]}
"""Values a template unpacks, which a :class:`Sample` cannot stand for."""


def rendered() -> Iterator[tuple[str, str]]:
    """(where, text) for every chat block and every document, values present then absent.

    Chat blocks go through what :func:`bot.texts.say` does to every message;
    a third pass gives values that end a sentence ("arrêt maladie."), as
    a reason typed by a user may.
    """
    env = sample_environment()
    for present, printed in ((True, "Léa Martin"), (False, ""), (True, "arrêt maladie.")):
        Sample.present, Sample.printed = present, printed
        for path in sorted(TEMPLATES_DIR.rglob("*.j2")):
            name = path.relative_to(TEMPLATES_DIR).as_posix()
            if Path(name).name.startswith("_") and name.startswith("documents/"):
                continue  # the base layout, rendered through every document
            template = env.get_template(name)
            if name.startswith("chat/"):
                for block, render in template.blocks.items():
                    text = _tidy("".join(render(template.new_context(dict(SHAPED)))))
                    yield f"{name}:{block}:{printed}", text
            elif not printed.endswith("."):
                yield f"{name}:{printed}", template.render(**SHAPED)
    Sample.present, Sample.printed = True, "Léa Martin"


ENGLISH = (
    "deadline",
    "meeting",
    "feedback",
    "bundle",
    "draft",
    "none",
    "true",
    "false",
    "null",
    "undefined",
    "todo",
    "summary",
    "attendee",
    "expired",
    "sent",
    "done",
)


INLINE = re.compile(r"</?(?:b|i|u|code|em|strong|span|a)\b[^>]*>")
"""Tags inside a line of text; any other (a table cell, a paragraph) separates what it holds."""

GLUED = re.compile(r"[a-zà-ÿ)»][.!?…][A-ZÀ-Ý]|[a-zà-ÿ][A-ZÀ-Ý][a-zà-ÿ]")
"""A sentence, or a value such as a link, stuck to the next sentence: what a block tag at the
end of a line (``{% endif %}``, ``{% include %}``) does when trim_blocks eats the line break."""


GENDERED = re.compile(
    r"\((?:e|le|la|ne|rice|euse|es)\)"
    r"|\b(?:le|la|il|elle|un|une)/(?:le|la|il|elle|un|une)\b"
    r"|\b(?:la ou le|le ou la|il ou elle|elle ou il|quel ou quelle|un ou (?:d')?une"
    # « ce ou cette stagiaire » (explorer DE15), « celui ou celle », « son ou sa »
    r"|ce ou cette|cette ou ce|celui ou celle|celle ou celui|son ou sa|sa ou son)\b"
    # « Délégué ou déléguée des stagiaires » on the button a delegate presses (explorer AI14)
    r"|\b(\w+) ou \1e\b"
    r"|·e\b",
    re.IGNORECASE,
)
"""Both genders written at once, which the rules forbid: "quel(le)", "le/la", "la ou le"…
Agree with the person the bot knows, or rephrase ("la personne", "Le suivi de qui ?")."""

UNELIDED = re.compile(
    r"\b(?:de|que) (?:<b>)?{{(?![^}]*\|(?:de\b|organisme\(false\)))[^}]*"
    r"(?:name|who|organisation|\bby\b)[^}]*}}",
    re.IGNORECASE,
)
"""A name after a plain "de" or "que" in a template's source: "de Inès", "Noter que Inès"
where ``|de`` and ``|de("que")`` write "d'Inès", "qu'Inès" (explorer GF5;
``|organisme(false)`` writes « l'organisme … », elided already)."""

NAMES = re.compile(r"name|who|organisation")
"""What a value printed after "de" in Python is, when it is a name (for :func:`unelided`)."""


def gendered(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0) for m in GENDERED.finditer(text)))


def problems(text: str) -> list[str]:
    found = []
    plain = re.sub(r"<[^>]+>", "", text)
    if re.search(r"(?<!\.)\.\.(?!\.)", plain) or re.search(r"[.…] *\.(?!\.)", plain):
        found.append("double full stop")
    found.extend(gendered(plain))
    if "(s)" in plain:
        found.append("(s)")
    if GLUED.search(re.sub(r"<[^>]+>", " ", re.sub(INLINE, "", text))):
        found.append("sentences glued")
    folded = fold(plain)
    if "pole emploi" in folded:
        found.append("Pôle emploi")
    words = set(folded.split())
    found.extend(f"English: {w}" for w in ENGLISH if w in words)
    return found


RAW_SIGN = re.compile(r"<(?!/?(?:b|i|u|code|pre|a)\b)|&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)")
"""A « < » that opens no tag, a « & » that starts no entity: Telegram refuses such HTML."""


def test_chat_messages_hold_no_raw_markup_sign() -> None:
    """« sans balises (« < > ») » and « ( ) / + & » written as is in a block: fine in the
    console, a refused message on Telegram (« can't parse entities »)."""
    raw = [
        where for where, text in rendered() if where.startswith("chat/") and RAW_SIGN.search(text)
    ]
    assert raw == []


def test_every_template_reads_as_careful_french() -> None:
    failures = [f"{where}: {', '.join(p)}" for where, text in rendered() if (p := problems(text))]
    assert failures == []


def test_no_branch_left_unread() -> None:
    """The source itself, comments aside: what the two renderings may not have reached."""
    failures = []
    for path in sorted(TEMPLATES_DIR.rglob("*.j2")):
        source = re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S)
        where = path.relative_to(TEMPLATES_DIR)
        for bad in ("Pôle emploi", "Pole emploi"):
            if bad in source:
                failures.append(f"{where}: {bad}")
        failures.extend(f"{where}: {bad}" for bad in gendered(source))
        failures.extend(f"{where}: {bad}" for bad in UNELIDED.findall(source))
    assert failures == []


def said_by_python() -> Iterator[tuple[str, ast.Constant | ast.JoinedStr]]:
    """(where, node) for each string of ``bot/`` that may reach someone: docstrings and
    comments aside, the rules' catalogue, labels, buttons and the f-strings the bot sends."""
    for path in sorted(BOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = syntax_tree(path)
        documented = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) or (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in documented
            ):
                yield f"{path.relative_to(BOT.parent)}:{node.lineno}", node


def unelided(node: ast.JoinedStr) -> bool:
    """``f"… de {name}"``, ``f"… que {name}"``: the f-string prints a name after "de" or
    "que", whatever its first letter (explorer GF5)."""
    pairs = zip(node.values, node.values[1:], strict=False)
    return any(
        isinstance(text, ast.Constant)
        and str(text.value).endswith((" de ", " que "))
        and isinstance(value, ast.FormattedValue)
        and NAMES.search(ast.unparse(value.value)) is not None
        for text, value in pairs
    )


def test_python_strings_hold_no_double_gender_and_elide_before_a_name() -> None:
    """Outside test: "Le/la stagiaire", "le ou la stagiaire n° 8", "attestation de Inès"."""
    failures = []
    for where, node in said_by_python():
        if isinstance(node, ast.Constant):
            failures.extend(f"{where}: {bad}" for bad in gendered(str(node.value)))
        elif unelided(node):
            failures.append(f"{where}: de {{…}}")
    assert failures == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C'est noté.. Merci", ["double full stop"]),
        ("Karim était-il/elle absent(e) ?", ["il/elle", "(e)"]),
        ("Le suivi de quel(le) stagiaire ?", ["(le)"]),
        ("1. Le/la stagiaire", ["Le/la"]),
        ("les échéances qui la ou le concernent", ["la ou le"]),
        ("Le ou la chargée de mission, France Travail.", ["Le ou la"]),
        ("Les données de quel ou quelle stagiaire ?", ["quel ou quelle"]),
        ("Les données d'un ou d'une stagiaire", ["un ou d'une"]),
        ("1. Délégué ou déléguée des stagiaires", ["Délégué ou déléguée"]),
        ("Formateur ou formatrice", []),
        ("La personne chargée de mission, France Travail.", []),
        ("Se former au(x) métier(s), un(e) stagiaire", ["(e)", "(s)"]),
        ("Rendez-vous Pôle emploi", ["Pôle emploi"]),
        ("La deadline est passée", ["English: deadline"]),
        ("Trois points de suspension… puis la suite.", []),
        ("Le bilan a lieu à distance.Après le bilan, envoyez /attestation.", ["sentences glued"]),
        ("Lien de connexion : https://visio.example.org/bilanUn mot de passe", ["sentences glued"]),
        ("<td>Nom</td><td>Qualité</td>", []),
    ],
)
def test_the_checks_themselves(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


async def test_leaving_names_what_was_left_without_nested_parentheses(trainer: Person) -> None:
    """Issue 11 item 24: « C'est annulé (noter une absence ou un retard (ex. : …)) » no more."""
    await trainer.says("/absence")
    await trainer.says("/annuler")
    assert trainer.last.startswith("C'est annulé : noter une absence ou un retard.")
    await trainer.says("/decrochage")
    await trainer.presses("Agent de restauration")  # an answer: set aside, not replaced
    await trainer.says("/absence")
    assert "Je mets de côté « suivre un décrochage »," in trainer.all_text
    for line in trainer.transcript:
        depth = 0
        for char in line:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, line


async def test_names_and_people_are_written_as_a_careful_person_would(trainer: Person) -> None:
    """Outside test: « de Inès Garnier », « Réglages de Organisme… », « la ou le concernent »,
    « quel(le) stagiaire », « Administrateur » beside « Formateur ou formatrice »."""
    await trainer.says("/absence")
    await trainer.presses("Projet professionnel")
    await trainer.says("Inès")
    assert "Quel jour a eu lieu l'absence ou le retard d'Inès Garnier ?" in trainer.last
    await trainer.says("/reglages")
    # Explorer AI13: « Réglages d'Organisme de démonstration », the name needing an article.
    assert trainer.all_text.count("Réglages de l'organisme : Organisme de démonstration.") == 1
    await trainer.says("/effacer")
    await trainer.presses("Projet professionnel")
    assert "Les données de quelle personne effacer ?" in trainer.last
    await trainer.says("Inès")
    assert "Effacer les données d'Inès Garnier, stagiaire de « Projet professionnel (démo) » ?" in (
        trainer.last
    )  # no nested parentheses (explorer DE16)
    assert "les échéances qui concernent cette personne" in trainer.last
    await trainer.says("/suivi")
    await trainer.presses("Projet professionnel")
    assert trainer.last.startswith("Le suivi de qui ?")
    await trainer.says("/inviter")
    assert {
        "Formateur ou formatrice",
        "Administrateur ou administratrice (qualité, coordination)",
    } <= set(trainer.buttons)
    for line in trainer.transcript:
        assert not gendered(line), line


def test_one_year_and_the_server_person_are_said_one_way() -> None:
    """Explorer AI24: « depuis plus de 1 an »; AI25: « l'administrateur de formabot » beside
    « la personne qui installe formabot » and « la personne qui fait tourner formabot »."""
    from bot.texts import say

    purged = say("privacy.digest_purged", formations=1, years=1, trainees=3)
    assert "1 formation terminée depuis plus d'un an a été effacée" in purged
    assert "depuis plus de 2 ans" in say("privacy.digest_purged", formations=2, years=2, trainees=3)
    assert say("progress.failed").endswith("prévenez la personne qui installe formabot.")
