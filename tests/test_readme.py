"""The README's generated tables equal what the code says, so they cannot drift."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bot.app import FEATURES
from bot.deadlines import org_settings
from bot.rules.table import markdown_table
from tests.auxil.dialogue import Person

README = Path(__file__).resolve().parents[1] / "README.md"


def block(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.findall(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL)
    assert len(found) == 1, f"README must hold exactly one {name} block"
    return str(found[0])


def test_the_rules_table_is_the_one_the_rules_generate() -> None:
    assert block("rules") == markdown_table(), (
        "README rules table is stale: paste `python -m bot.rules.table` between the markers"
    )


def test_the_settings_table_is_the_one_the_catalogue_generates() -> None:
    assert block("settings") == org_settings.markdown_table(FEATURES.settings), (
        "README settings table is stale: paste `org_settings.markdown_table(FEATURES.settings)`"
    )


def test_the_bilans_section_and_the_export_are_documented() -> None:
    text = README.read_text(encoding="utf-8")
    assert "### Bilans and deadlines" in text
    assert "formabot export echeances" in text
    for command in ("/bilan", "/bilans", "/echeances", "/reglages"):
        assert command in text


def test_the_verifier_and_the_signing_key_are_documented() -> None:
    text = README.read_text(encoding="utf-8")
    assert "formabot verifier" in text and "--empreinte" in text and "--cle" in text
    assert "attestations-ed25519.pem" in text and "manifest.json.signature" in text


async def test_the_piped_session_example_creates_the_organisation(
    person: Callable[..., Person],
) -> None:
    """The README's first example, line by line: each answer lands on its question."""
    found = re.findall(
        r"printf '(/start[^']*)' \| FORMABOT_DATA_DIR=[\w-]+ \.venv/bin/formabot console --as (\w+)",
        README.read_text(),
    )
    assert len(found) == 1, "README must hold the piped session example once"
    lines, name = found[0]
    who = person(name)
    said = []
    for line in lines.split("\\n")[:-1]:
        await who.says(line)
        assert "Je n'ai pas reconnu" not in who.all_text, line
        said.append(who.all_text)
    assert "vous en êtes l'administratrice" in said[-2]
    assert "/formation" in who.last and "/inviter" in who.last  # the help, for an admin


def test_the_local_matrix_recipe_is_a_make_target() -> None:
    """Explorer AJ1: « Essayer Matrix en local » names `make matrix-local`, which starts the
    helper that tests/test_synapse_local.py runs."""
    text = README.read_text(encoding="utf-8")
    makefile = (README.parent / "Makefile").read_text(encoding="utf-8")
    assert "**Essayer Matrix en local**" in text and "`make matrix-local`" in text
    assert re.search(r"^matrix-local:.*\n\t.*-m tests\.auxil\.synapse --env", makefile, re.M)
