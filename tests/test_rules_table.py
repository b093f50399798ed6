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


def row_of(rule_id: str) -> str:
    return next(r for r in markdown_table().splitlines() if r.startswith(f"| {rule_id} | "))


def test_a_rule_off_by_default_says_so_and_why() -> None:
    """Explorer IC4: CVL-TABLE read as a live deadline; 001 withdrew it for the Parcours
    Métiers, and DOMAIN.md asks the bot to say why a rule is off."""
    assert (
        "désactivée par défaut (réglage `cvl_table_parcours_metiers`) : le texte plus récent "
        "(001, PRF 2021-2024) ne la demande plus pour les Parcours Métiers"
    ) in row_of("CVL-TABLE")
    assert "désactivée par défaut" not in row_of("ELY-LONG")  # on out of the box


@pytest.mark.parametrize("rule_id", ["ELY-SHORT", "ELY-LONG", "ELY-BILAN-DIFF", "ELY-VAE"])
def test_the_elycoop_rows_say_the_procedure_stops_at_subcontracting(rule_id: str) -> None:
    """Explorer IC4: 003 « Objet » excludes a formateur working as a subcontractor."""
    assert (
        "ne s'applique pas quand le formateur intervient en sous-traitance d'un autre "
        "organisme de formation (003, Objet)"
    ) in row_of(rule_id)


def test_a_bilan_de_competences_difficulty_is_not_called_an_absence() -> None:
    """Explorer IC4: the regard croisé counted « après le premier signe (absence ou
    décrochage) », a difficulty with a beneficiary being neither."""
    row = row_of("ELY-BILAN-DIFF")
    assert "14 j après la difficulté constatée (réglage `ely_regard_croise_days`)" in row
    assert "absence ou décrochage" not in row
    assert "7 j après le premier signe (absence ou décrochage)" in row_of("ELY-LONG")


def test_the_visio_link_s_delay_is_said_to_be_the_organisation_s() -> None:
    """Explorer IC4 (and IC2): NOR-VISIO-LINK is not in the fiche's list; its 7 days are the
    organisation's own reminder, the fiche asking only a secured tool."""
    assert "rappel de l'organisme : la fiche ne fixe pas de délai pour le lien" in row_of(
        "NOR-VISIO-LINK"
    )
