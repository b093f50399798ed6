"""The audit trail's codes in French (bot/privacy/audit_words.py): every code the source records.

The codes are read from ``bot/`` itself: every function with a parameter
named ``action`` or ``entity`` (``audit.record`` and the helpers in front of
it) is found, and the string constants handed to those parameters, by
position or by name, anywhere in the source, are the codes that can reach
the database.  The keyword arguments beyond the signature (``**details``)
are the detail keys.  A new code without its French word fails here.
"""

from __future__ import annotations

import ast
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl

from bot.documents import sheets
from bot.documents.sheets import Record
from bot.privacy.audit_words import (
    ACTIONS,
    DETAIL_KEYS,
    ENTITIES,
    action_words,
    details_words,
    entity_words,
)
from tests.auxil.source import syntax_tree

BOT = Path(__file__).resolve().parents[1] / "bot"
CODED = ("action", "entity")


@dataclass(frozen=True)
class Signature:
    positional: tuple[str, ...]
    named: frozenset[str]
    open_ended: bool
    """``**details``: other keywords are detail keys."""


def _trees() -> list[ast.Module]:
    return [
        syntax_tree(path) for path in sorted(BOT.rglob("*.py")) if "migrations" not in path.parts
    ]


def _signatures(trees: list[ast.Module]) -> dict[str, list[Signature]]:
    found: dict[str, list[Signature]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            positional = tuple(a.arg for a in (*node.args.posonlyargs, *node.args.args))
            named = frozenset((*positional, *(a.arg for a in node.args.kwonlyargs)))
            if named & set(CODED):
                found.setdefault(node.name, []).append(
                    Signature(positional, named, node.args.kwarg is not None)
                )
    found["AuditEntry"] = [Signature((), frozenset((*CODED, "details")), False)]
    return found


def _strings(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _dict_keys(node: ast.expr, assigned: dict[str, ast.Dict]) -> Iterator[str]:
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, ast.BoolOp):  # details or {}
        for value in node.values:
            yield from _dict_keys(value, assigned)
    if isinstance(node, ast.Dict):
        for key in node.keys:
            if key is not None:
                yield from _strings(key)


@cache
def recorded() -> dict[str, frozenset[str]]:
    """The codes handed to the audit anywhere in ``bot/``, and the detail keys."""
    trees = _trees()
    signatures = _signatures(trees)
    codes: dict[str, set[str]] = {"action": set(), "entity": set(), "details": set()}
    for tree in trees:
        assigned = {
            target.id: node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            function = call.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            name = function.id if isinstance(function, ast.Name) else name
            for signature in signatures.get(name or "", []):
                for parameter, argument in zip(signature.positional, call.args, strict=False):
                    if parameter in CODED:
                        codes[parameter] |= set(_strings(argument))
                for keyword in call.keywords:
                    if keyword.arg in CODED:
                        codes[keyword.arg] |= set(_strings(keyword.value))
                    elif keyword.arg == "details":
                        codes["details"] |= set(_dict_keys(keyword.value, assigned))
                    elif keyword.arg is None:
                        codes["details"] |= set(_dict_keys(keyword.value, assigned)) - {
                            *CODED,
                            "organisation_id",
                            "actor_id",
                            "entity_id",
                        }
                    elif signature.open_ended and keyword.arg not in signature.named:
                        codes["details"].add(keyword.arg)
    return {kind: frozenset(found) for kind, found in codes.items()}


def test_the_reading_of_the_source_finds_the_codes_it_should() -> None:
    """The collector itself: codes passed in each of the ways the source passes them."""
    found = recorded()
    assert {"erase", "schedule", "edit", "done", "redeem", "no_show"} <= found["action"]
    assert {"trainee", "deadline", "attestation_invitation", "formation"} <= found["entity"]
    assert {"fields", "by", "kept", "trainees", "sequence"} <= found["details"]


def test_every_recorded_code_has_its_french_word() -> None:
    found = recorded()
    assert sorted(found["action"] - ACTIONS.keys()) == []
    assert sorted(found["entity"] - ENTITIES.keys()) == []
    assert sorted(found["details"] - DETAIL_KEYS.keys()) == []


def test_the_words_are_french_and_the_unknown_stays_as_stored() -> None:
    assert (action_words("edit"), action_words("schedule"), action_words("erase")) == (
        "modification",
        "planification",
        "effacement",
    )
    assert (entity_words("deadline"), entity_words("trainee")) == ("échéance", "stagiaire")
    assert action_words("a_code_from_an_older_version") == "a_code_from_an_older_version"
    shown = said(
        details_words(
            {
                "by": "reponse",
                "rule_id": "NOR-VISIO",
                "kind": "delegate",
                "role": "admin",
                "undone": "postponed",
            }
        )
    )
    assert shown == {
        "par": "les réponses données en programmant le bilan",
        "identifiant de la règle": "NOR-VISIO",
        "nature": "représente les stagiaires",
        "rôle": "administrateur ou administratrice",
        "statut précédent": "reportée",
    }
    # A dossier sent, gone stale, reopens its deadline (explorer AL7): said so.
    assert said(details_words({"by": "reponse_apres_envoi"}))["par"] == (
        "une réponse reçue après l'envoi du dossier de preuves"
    )
    # A held bilan moved after its proofs were sent reopens them too (explorer KB7).
    assert said(details_words({"by": "bilan_deplace"}))["par"] == (
        "le bilan déplacé après l'envoi de ses justificatifs de participation"
    )


def test_why_an_attestation_was_examined_is_in_words() -> None:
    """Explorer AU4: « réserves : ["identity"] » in the journal an auditor opens."""
    shown = said(details_words({"concerns": ["identity", "role"], "concern": "name"}))
    assert shown == {
        "réserves": [
            "réponse depuis un autre compte de messagerie que le précédent",
            "rôle choisi différent de celui de l'invitation",
        ],
        "réserve examinée": "nom tapé différent de celui de l'invitation",
    }


def test_a_follow_up_s_and_an_absence_s_codes_are_words_too() -> None:
    """Explorer AH5: « parcours : short », « signes : [absences_repetees] », « période :
    journee », « moyen : telephone », « s'applique : true » in the journal an auditor opens."""
    shown = said(
        details_words(
            {
                "path": "short",
                "signs": ["absences_repetees", "difficultes_personnelles"],
                "period": "journee",
                "channel": "telephone",
                "with_whom": "entreprise",
                "source": "phrase",
                "applies": True,
                "cause": "sick_leave",
            }
        )
    )
    assert shown["parcours"] == "formation courte"
    assert shown["signes"] == ["Absences répétées", "Difficultés personnelles ou de santé"]
    assert (shown["période"], shown["moyen"], shown["avec qui"]) == (
        "journée",
        "téléphone",
        "l'entreprise",
    )
    assert (shown["source"], shown["s'applique"]) == ("phrase tapée", "oui")
    assert "short" not in json.dumps(shown) and "true" not in json.dumps(shown)


def test_a_correction_s_fields_and_former_values_and_the_vacations_are_in_words() -> None:
    """Explorer DE12: « congés » for the Rectorat's vacations, « arrondi : down »,
    « late_minutes », « justified », « false » in the journal an auditor opens."""
    assert action_words("vacations") == "calcul des vacations"
    assert action_words("ticket") == "ticket qualité"
    vacations = said(details_words({"rounding": "down", "vacations": 4}))
    assert vacations == {"arrondi": "à l'inférieur", "vacations": 4}
    corrected = details_words(
        {
            "fields": ["late_minutes", "justified", "reason"],
            "previous": {"day": "2026-12-06", "justified": False, "period": "retard"},
        }
    )
    assert said(corrected) == {
        "champs": ["minutes de retard", "justifiée", "motif"],
        "valeurs précédentes": {"jour": "2026-12-06", "justifiée": "non", "période": "retard"},
    }


def test_a_day_in_the_details_is_written_as_the_export_writes_its_dates() -> None:
    """Explorer CF2: « jour : 2026-11-16 » inside the French of the workbook an auditor
    opens, whose dates read 16/11/2026; the plain CSV keeps ISO, as its « date » column."""
    details = details_words({"day": "2026-11-16", "previous": {"day": "2026-11-13"}})
    rows = [{"détails": details}]
    plain = sheets.csv_text(rows, ["détails"])
    excel = sheets.csv_text(rows, ["détails"], excel=True)
    book = openpyxl.load_workbook(io.BytesIO(sheets.workbook(rows, ["détails"])))
    cell = book.active.cell(row=2, column=1).value  # type: ignore[union-attr]
    french = '{"jour": "16/11/2026", "valeurs précédentes": {"jour": "13/11/2026"}}'
    assert cell == french
    assert french.replace('"', '""') in excel
    assert '"jour"": ""2026-11-16""' in plain
    # Text that only looks like a day stays as typed.
    assert said(details_words({"reference": "2026-13-45"})) == {"référence": "2026-13-45"}


def said(details: Record) -> Any:
    """The details as the plain CSV and the JSON export write them."""
    return json.loads(str(details))


def test_how_a_participant_was_reminded_is_in_words() -> None:
    """Explorer HB9: « comment : link » (and « comment : chat ») in /mesdonnees and /journal
    for each attestation reminder; BE15: « avec le bot », where users never read « bot »."""
    hows = ("link", "chat", "matrix")
    words = [said(details_words({"how": how}))["comment"] for how in hows]
    assert words == [
        "le même lien redonné à transférer",
        "message dans sa conversation avec l'assistant",
        "lien envoyé par l'assistant sur Matrix",
    ]


def test_no_english_export_in_the_journal_s_actions() -> None:
    """Explorer AI22: the journal's « action » column read « export » (the Qualiopi ZIP,
    the proofs' ZIP, the absences) and « export de la chronologie »: French writes
    « exportation »."""
    assert action_words("export") == "exportation"
    assert action_words("export_timeline") == "exportation de la chronologie"
    assert not [w for w in ACTIONS.values() if "export " in f"{w} " or w.startswith("export ")]


def test_a_ticket_qualite_s_entry_names_the_ticket_not_a_signalement() -> None:
    """Explorer CF1: the ticket qualité's entry read « identifiant du signalement » in the
    journal an auditor opens, a « signalement » that exists nowhere else."""
    shown = said(details_words({"ticket_id": 3, "reference": "TQ-2026-0003"}))
    assert shown == {"identifiant du ticket qualité": 3, "référence": "TQ-2026-0003"}
    assert not [w for w in DETAIL_KEYS.values() if "signalement" in w]
