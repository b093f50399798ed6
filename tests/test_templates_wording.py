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

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from bot.answers import fold
from bot.texts import TEMPLATES_DIR, _tidy
from tests.auxil.dialogue import Person


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
    env.filters["heure"] = lambda v: "14 h 00"
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


def problems(text: str) -> list[str]:
    found = []
    plain = re.sub(r"<[^>]+>", "", text)
    if re.search(r"(?<!\.)\.\.(?!\.)", plain) or re.search(r"[.…] *\.(?!\.)", plain):
        found.append("double full stop")
    for bad in ("(e)", "(E)", "il/elle", "elle/il", "(s)"):
        if bad in plain:
            found.append(bad)
    if GLUED.search(re.sub(r"<[^>]+>", " ", re.sub(INLINE, "", text))):
        found.append("sentences glued")
    folded = fold(plain)
    if "pole emploi" in folded:
        found.append("Pôle emploi")
    words = set(folded.split())
    found.extend(f"English: {w}" for w in ENGLISH if w in words)
    return found


def test_every_template_reads_as_careful_french() -> None:
    failures = [f"{where}: {', '.join(p)}" for where, text in rendered() if (p := problems(text))]
    assert failures == []


def test_no_branch_left_unread() -> None:
    """The source itself, comments aside: what the two renderings may not have reached."""
    failures = []
    for path in sorted(TEMPLATES_DIR.rglob("*.j2")):
        source = re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for bad in ("(e)", "il/elle", "Pôle emploi", "Pole emploi"):
            if bad in source:
                failures.append(f"{path.relative_to(TEMPLATES_DIR)}: {bad}")
    assert failures == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C'est noté.. Merci", ["double full stop"]),
        ("Karim était-il/elle absent(e) ?", ["(e)", "il/elle"]),
        ("Rendez-vous Pôle emploi", ["Pôle emploi"]),
        ("La deadline est passée", ["English: deadline"]),
        ("Trois points de suspension… puis la suite.", []),
        ("Le ou la chargée de mission, France Travail.", []),
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
    await trainer.says("/suivi")
    await trainer.says("/absence")
    assert "J'abandonne la saisie en cours, « voir le suivi individuel" in trainer.all_text
    for line in trainer.transcript:
        depth = 0
        for char in line:
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth <= 1, line
