"""The README's generated tables equal what the code says, so they cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from bot.app import FEATURES
from bot.deadlines import org_settings
from bot.rules.table import markdown_table

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
