"""``formabot import stagiaires --formation ID FICHIER [--oui]``, through ``bot.cli.main``.

The demo's formations receive real files; what the export then lists is
what was stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.auxil.command import Done
from tests.auxil.spreadsheets import PDF, csv_file, many, xlsx
from tests.test_imports_columns import OLD_TRAINEE_HEADERS

Formabot = Callable[[list[str]], Done]

LIST = [
    ("Nom", "Prénom", "Entreprise", "Courriel", "Délégué"),
    ("Roy", "Nadia", "Garage Roy", "nadia.roy@example.org", "oui"),
    ("Lemoine", "Hugo", "", "", ""),
]


def demo_formation(formabot: Formabot, title: str = "Agent de restauration") -> str:
    if title == "Agent de restauration":
        assert formabot(["demo"]).returncode == 0
    rows = csv.DictReader(io.StringIO(formabot(["export", "formations"]).stdout))
    return next(r["identifiant"] for r in rows if r["intitulé"].startswith(title))


def trainees(formabot: Formabot, formation: str) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(formabot(["export", "stagiaires"]).stdout))
    return {r["nom"]: r for r in rows if r["identifiant de la formation"] == formation}


def answering(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))


def test_a_list_is_previewed_confirmed_and_stored(
    formabot: Formabot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    formation = demo_formation(formabot)
    before = trainees(formabot, formation)
    path = tmp_path / "stagiaires.xlsx"
    path.write_bytes(xlsx(LIST))
    answering(monkeypatch, "o\n")
    done = formabot(["import", "stagiaires", "--formation", formation, str(path)])
    assert done.returncode == 0, done.stderr
    assert "Fichier « stagiaires.xlsx » : 2 lignes lues." in done.stdout
    assert "2 stagiaires à ajouter, dont 1 pour représenter les stagiaires" in done.stdout
    assert "Importer ces stagiaires ? [o/N]" in done.stdout
    assert "2 stagiaires importés dans « Agent de restauration (démo) »" in done.stdout
    after = trainees(formabot, formation)
    assert set(after) - set(before) == {"Nadia Roy", "Hugo Lemoine"}
    assert (after["Nadia Roy"]["entreprise"], after["Nadia Roy"]["représente les stagiaires"]) == (
        "Garage Roy",
        "oui",
    )
    # Again, with --oui: nobody twice, and nothing to ask.
    again = formabot(["import", "stagiaires", "--formation", formation, "--oui", str(path)])
    assert again.returncode == 0
    assert "Déjà dans la formation" in again.stdout and "Aucun stagiaire à ajouter" in again.stdout
    assert "[o/N]" not in again.stdout
    assert len(trainees(formabot, formation)) == len(after)


def test_an_abandon_in_the_file_is_said_as_a_rupture_to_follow_up(
    formabot: Formabot, tmp_path: Path
) -> None:
    """Explorer T T3: an exit for abandon that came by a file was a rupture nobody was told
    of: no offer, no deadline, « suivi de décrochage : non » in the Qualiopi bundle."""
    formation = demo_formation(formabot)
    path = tmp_path / "sorties.csv"
    path.write_bytes(
        csv_file(
            [
                ("Nom", "Prénom", "Date d'entrée", "Date de sortie", "Motif de sortie"),
                ("Roux", "Sarah", "02/11/2026", "01/12/2026", "abandon"),
                ("Blanc", "Yanis", "02/11/2026", "", ""),
                ("Vidal", "Léo", "02/11/2026", "02/12/2026", "emploi"),
            ]
        )
    )
    done = formabot(["import", "stagiaires", "--formation", formation, "--oui", str(path)])
    assert done.returncode == 0, done.stderr
    assert (
        "Sarah Roux a abandonné la formation le mardi 1er décembre 2026 : c'est une rupture de "
        "parcours, que la procédure de l'organisme demande de suivre. Ouvrez son suivi avec "
        "/decrochage Sarah Roux." in done.stdout
    )
    assert "Léo Vidal a abandonné" not in done.stdout and "Yanis Blanc a" not in done.stdout


def test_an_entry_on_a_day_off_is_pointed_out_above_the_question(
    formabot: Formabot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer CD2: the chat asks about an entry on a Saturday or a public holiday
    (« Attention, … entrerait le 5 février 2028, un samedi … »), the command imported it
    without a word but its day's name."""
    formation = demo_formation(formabot)
    path = tmp_path / "entrees.csv"
    path.write_bytes(
        csv_file(
            [
                ("Nom", "Prénom", "Date d'entrée"),
                ("Roux", "Sarah", "07/11/2026"),
                ("Blanc", "Yanis", "11/11/2026"),
                ("Vidal", "Léo", "02/11/2026"),
            ]
        )
    )
    answering(monkeypatch, "o\n")
    done = formabot(["import", "stagiaires", "--formation", formation, str(path)])
    assert done.returncode == 0, done.stderr
    said = (
        "Attention, Sarah Roux entrerait le 7 novembre 2026, un samedi, et Yanis Blanc le "
        "11 novembre 2026, un jour férié (Armistice)."
    )
    assert said in done.stdout, done.stdout
    assert done.stdout.index(said) < done.stdout.index("Importer ces stagiaires ? [o/N]")
    assert "Léo Vidal entrerait" not in done.stdout and "C'est bien ça" not in done.stdout


def test_declining_or_no_answer_imports_nothing(
    formabot: Formabot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    formation = demo_formation(formabot)
    before = trainees(formabot, formation)
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_file(LIST, encoding="cp1252"))
    for answer in ("n\n", ""):
        answering(monkeypatch, answer)
        done = formabot(["import", "stagiaires", "--formation", formation, str(path)])
        assert done.returncode == 1
        assert "Rien n'est importé." in done.stdout
    assert trainees(formabot, formation) == before


def test_line_errors_are_printed_and_the_exit_code_says_so(
    formabot: Formabot, tmp_path: Path
) -> None:
    formation = demo_formation(formabot)
    path = tmp_path / "liste.csv"
    rows = [*LIST, ("Faure", "Inès", "", "pas un mail", ""), ("Roy", "Nadia", "", "", "")]
    path.write_bytes(csv_file(rows, delimiter=",", bom=True))
    done = formabot(["import", "stagiaires", "--formation", formation, "--oui", str(path)])
    assert done.returncode == 1
    assert "· ligne 4 : e-mail « pas un mail » invalide" in done.stdout
    assert "· ligne 5 : « Nadia Roy » figure déjà à la ligne 2" in done.stdout
    assert "2 stagiaires importés" in done.stdout  # the good lines, as confirmed
    assert {"Nadia Roy", "Hugo Lemoine"} <= set(trainees(formabot, formation))
    assert "Inès Faure" not in trainees(formabot, formation)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("liste.pdf", PDF, "C'est un PDF"),
        ("liste.xlsx", b"not a workbook at all", "abîmé"),
        ("vide.csv", b"", "le fichier est vide."),  # nothing of a chat's limits here
        ("gros.csv", None, "10 000 lignes"),
        # Its real size, said the French way (explorer J: « 2.0 Mo … plus que les 2 Mo »).
        ("lourd.csv", b"Nom\n" + b"x" * 3_000_000, "Ce fichier pèse 2,9 Mo : c'est plus que"),
    ],
)
def test_a_wrong_file_is_refused_in_french_and_nothing_changes(
    formabot: Formabot, tmp_path: Path, name: str, content: bytes | None, says: str
) -> None:
    formation = demo_formation(formabot)
    before = trainees(formabot, formation)
    path = tmp_path / name
    path.write_bytes(content if content is not None else csv_file(many(10_000)))
    done = formabot(["import", "stagiaires", "--formation", formation, "--oui", str(path)])
    assert done.returncode == 1
    assert says in done.stderr and "CSV" in done.stderr
    assert "collez" not in done.stderr  # a terminal's words, not the chat's
    assert trainees(formabot, formation) == before


def test_an_unknown_formation_or_a_missing_file_is_said(formabot: Formabot, tmp_path: Path) -> None:
    formation = demo_formation(formabot)
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_file(LIST))
    unknown = formabot(["import", "stagiaires", "--formation", "999", "--oui", str(path)])
    assert unknown.returncode == 1 and "Formation 999 introuvable." in unknown.stderr
    missing = formabot(["import", "stagiaires", "--formation", formation, str(tmp_path / "x.csv")])
    assert missing.returncode == 1
    assert "Impossible de lire" in missing.stderr and "ce fichier n'existe pas" in missing.stderr
    usage = formabot(["import", "formations", "--formation", formation, str(path)])
    assert usage.returncode == 2


def test_a_trainees_export_goes_back_in_with_its_old_or_new_headers(
    formabot: Formabot, tmp_path: Path
) -> None:
    """A file of ``formabot export stagiaires`` moves trainees to another formation,
    whether it was written before the headers became French words or after."""
    source = demo_formation(formabot)
    target = demo_formation(formabot, "Projet professionnel")
    header, *lines = formabot(["export", "stagiaires"]).stdout.splitlines()
    assert header.split(",")[4] == "représente les stagiaires"
    mine = [line for line in lines if line.startswith(f"{source},")]
    files = {
        "nouvelle.csv": [header, *(x for x in mine if "Martin" in x or "Benali" in x)],
        "ancienne.csv": [",".join(OLD_TRAINEE_HEADERS), *(x for x in mine if "Moreau" in x)],
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_text("\n".join(content) + "\n", encoding="utf-8")
        done = formabot(["import", "stagiaires", "--formation", target, "--oui", str(path)])
        assert done.returncode == 0, done.stdout + done.stderr
        assert "pour représenter les stagiaires" in done.stdout, done.stdout
    moved = trainees(formabot, target)
    before = trainees(formabot, source)
    for who in ("Léa Martin", "Karim Benali", "Hugo Moreau"):
        kept = ("entreprise", "représente les stagiaires", "entrée")
        assert [moved[who][k] for k in kept] == [before[who][k] for k in kept], who
    assert moved["Hugo Moreau"]["représente les stagiaires"] == "oui"
    assert moved["Léa Martin"]["entreprise"] == "Brasserie du Port"


def test_the_journal_says_the_command_added_the_list_not_the_formation_s_trainer(
    formabot: Formabot, tmp_path: Path
) -> None:
    """Explorer CF3: the journal an auditor opens named the formation's trainer (n° 1,
    Camille Durand) as the person who added the trainees a server's command imported."""
    formation = demo_formation(formabot)
    path = tmp_path / "stagiaires.xlsx"
    path.write_bytes(xlsx(LIST))
    done = formabot(["import", "stagiaires", "--formation", formation, "--oui", str(path)])
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(formabot(["export", "audit"]).stdout)))
    (added,) = [r for r in rows if r["action"] == "ajout de stagiaires"]
    assert added["identifiant de la personne qui a agi"] == ""
    assert added["détails"] == (
        '{"nombre": 2, "par": "la commande « formabot import » sur le serveur"}'
    )
