"""The README's rules table is generated from RULES."""

from __future__ import annotations

import runpy

import pytest

from bot.rules import RULES
from bot.rules.table import HEADER, markdown_table


def test_one_row_per_rule_with_its_source() -> None:
    lines = markdown_table().splitlines()
    assert lines[0] == "| " + " | ".join(HEADER) + " |"
    assert lines[1].startswith("| --- |")
    rows = lines[2:]
    assert len(rows) == len(RULES)
    for rule, row in zip(RULES, rows, strict=True):
        assert row.startswith(f"| {rule.id} | ")
        assert row.count(" | ") == len(HEADER) - 1  # no stray pipe splits a cell
        for source in rule.sources:
            assert source.file in row


def test_table_shows_offsets_and_their_settings() -> None:
    table = markdown_table()
    assert "48 h avant le début du bilan (réglage `nor_docs_hours_before`)" in table
    assert "1 mois après la fin de la formation, de la session ou de la composante" in table
    assert (
        "10 j après l'entrée en formation de la session (réglage `cvl_table_days_after_entry`)"
        in table
    )
    assert "Région Centre-Val de Loire — Parcours Métiers" in table
    assert "données d'entrée dans EOS : à l'entrée en formation" in table


@pytest.mark.filterwarnings("ignore:'bot.rules.table' found in sys.modules:RuntimeWarning")
def test_module_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m bot.rules.table``, run as ``__main__`` in this process."""
    runpy.run_module("bot.rules.table", run_name="__main__")
    assert capsys.readouterr().out == markdown_table()
