"""A list checked against its formation, then imported: what is stored, audited, recomputed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.formations.service import NewTrainee, add_trainees
from bot.imports.reading import Refused
from bot.imports.service import Known, import_rows, preview, preview_for
from bot.storage.audit import AuditEntry
from bot.storage.bilans import StoredDeadline
from bot.storage.db import Database
from bot.storage.formations import Trainee
from tests.auxil.formations import a_formation, cast
from tests.auxil.spreadsheets import GROUP, csv_file, letters, xlsx

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
BOUNDS = (date(2026, 12, 1), date(2027, 6, 15))


def shown(found: object) -> str:
    return texts.plain(texts.say("formation_import.preview", **found.shown()))  # type: ignore[attr-defined]


async def due(session: AsyncSession, formation_id: int) -> dict[str, date]:
    rows = await session.scalars(
        select(StoredDeadline).where(StoredDeadline.formation_id == formation_id)
    )
    return {r.key: r.due_on for r in rows}


def test_a_new_formations_list_is_previewed_with_every_line_accounted_for() -> None:
    rows = [
        *GROUP,
        ("Martin", "Léa", "", "lea@example.org", "", "31/02/2027", ""),
        ("Dupont", "MARIE", "", "", "", "", ""),  # the same as line 2
        ("Henry", "Paul", "", "J.Petit@example.org", "", "", ""),  # Jérôme's e-mail
    ]
    found = preview("stagiaires.xlsx", xlsx(rows), now=NOW, bounds=BOUNDS)
    assert [(r.line, r.name) for r in found.rows] == [
        (2, "Marie Dupont"),
        (3, "Karim Benali"),
        (4, "Jérôme Petit"),
    ]
    assert found.rows[0].entered_on == date(2026, 12, 1)  # no date: the start
    assert found.rows[2].entered_on == date(2026, 12, 15)
    assert (found.lines, found.delegates, found.refused_lines) == (6, 1, 3)
    said = shown(found)
    assert "Fichier « stagiaires.xlsx » : 6 lignes lues." in said
    assert "3 stagiaires à ajouter, dont 1 pour représenter les stagiaires :" in said
    assert "· Marie Dupont (Boulangerie Martin) – représente les stagiaires" in said
    assert "· Jérôme Petit (Hôtel de la Gare) – entrée le mardi 15 décembre 2026" in said
    assert "3 lignes à corriger (pas ajoutées) :" in said
    assert "· ligne 5 : date d'entrée « 31/02/2027 » impossible" in said
    assert "· ligne 6 : « MARIE Dupont » figure déjà à la ligne 2" in said
    assert "· ligne 7 : « Paul Henry » figure déjà à la ligne 4" in said


def test_long_previews_show_the_first_lines_and_count_the_rest() -> None:
    rows = [("Nom", "Date d'entrée")] + [(f"Stagiaire {letters(n)}", "") for n in range(40)]
    rows += [(f"Erreur {letters(n)}", "32/01/2027") for n in range(30)]
    said = shown(preview("l.csv", csv_file(rows), now=NOW, bounds=BOUNDS))
    assert "40 stagiaires à ajouter" in said and "… et 35 autres." in said
    assert "30 lignes à corriger" in said and "… et 15 autres erreurs." in said
    assert len(said) < 3500  # one chat message


def test_a_bilan_de_competences_takes_one_person_and_no_delegate() -> None:
    one = [("Nom et prénom", "Délégué"), ("Nora Ali", "oui")]
    found = preview("l.csv", csv_file(one), now=NOW, bounds=BOUNDS, single=True)
    assert [(r.name, r.delegate) for r in found.rows] == [("Nora Ali", False)]
    with pytest.raises(Refused) as caught:
        preview("l.csv", csv_file(GROUP), now=NOW, bounds=BOUNDS, single=True)
    assert caught.value.reason == "single_person"
    # A VAE that follows someone already: said so, not « the file must name only one »
    # (explorer J: the file named exactly one).
    with pytest.raises(Refused) as taken:
        known = Known({"jean dupont": "Jean Dupont"})
        preview("l.csv", csv_file(one), now=NOW, bounds=BOUNDS, single=True, known=known)
    said = texts.plain(
        texts.say("formation_import.refused", reason=taken.value.reason, **taken.value.values)
    )
    assert "celui-ci suit déjà Jean Dupont, il ne prend personne d'autre." in said


def test_no_header_says_what_the_first_line_holds() -> None:
    with pytest.raises(Refused) as caught:
        preview("l.csv", b"Dupont;Marie\r\nBenali;Karim\r\n", now=NOW, bounds=BOUNDS)
    said = texts.plain(
        texts.say("formation_import.refused", reason=caught.value.reason, **caught.value.values)
    )
    assert "il me faut au moins une colonne « Nom »" in said
    assert "La première ligne du fichier contient : « Dupont », « Marie »." in said
    with pytest.raises(Refused) as only_header:
        preview("l.csv", b"Nom;Prenom\r\n", now=NOW, bounds=BOUNDS)
    assert only_header.value.reason == "no_rows"


async def test_the_formations_trainees_are_caught_by_name_or_e_mail(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(session, people.formateur)  # Marie Dupont, Karim Benali
        await add_trainees(
            session,
            people.formateur,
            formation.id,
            [NewTrainee("Jérôme Petit", email="j.petit@example.org")],
            now=NOW,
        )
        rows = [
            ("Nom et prénom", "E-mail"),
            ("marie dupont", ""),
            ("Jerome PETIT-BIS", "J.Petit@example.org"),
            ("Léa Martin", ""),
        ]
        found = await preview_for(
            session, people.formateur, formation.id, "l.csv", csv_file(rows), now=NOW
        )
        assert found is not None
        assert [r.name for r in found.rows] == ["Léa Martin"]
        assert [(a.line, a.name, a.by_email) for a in found.already] == [
            (2, "Marie Dupont", False),
            (3, "Jérôme Petit", True),
        ]
        said = shown(found)
        assert (
            "Déjà dans la formation (lignes non reprises) : Marie Dupont (ligne 2), "
            "Jérôme Petit (ligne 3, même e-mail)." in said
        )
        # Not theirs: as if it did not exist.
        assert (
            await preview_for(session, people.outsider, formation.id, "l.csv", b"Nom\nX", now=NOW)
            is None
        )


async def test_an_import_stores_every_column_and_recomputes_the_deadlines(store: Database) -> None:
    async with store.sessions() as session, session.begin():
        people = await cast(session)
        formation = await a_formation(
            session, people.formateur, funder="cvl", programme="visa", mode="esp", trainees=()
        )
        rows = [
            ("Nom", "Prénom", "Courriel", "Portable", "Entrée", "Sortie", "Motif", "Délégué"),
            ("Dupont", "Marie", "Marie@Example.org", 612345678, "", "", "", "x"),
            ("Benali", "Karim", "", "", "04/01/2027", "12/02/2027", "CDI", "non"),
        ]
        found = await preview_for(
            session, people.formateur, formation.id, "l.xlsx", xlsx(rows), now=NOW
        )
        assert found is not None and not found.problems
        added = await import_rows(
            session, people.formateur, formation.id, [r.as_data() for r in found.rows], now=NOW
        )
        assert added is not None and added.count == 2
        stored = {
            t.full_name: t
            for t in await session.scalars(
                select(Trainee).where(Trainee.formation_id == formation.id)
            )
        }
        marie, karim = stored["Marie Dupont"], stored["Karim Benali"]
        assert (marie.email, marie.phone, marie.is_delegate) == (
            "marie@example.org",
            "06 12 34 56 78",
            True,
        )
        assert marie.entered_on == date(2026, 12, 1)
        assert (karim.entered_on, karim.left_on, karim.exit_reason, karim.is_delegate) == (
            date(2027, 1, 4),
            date(2027, 2, 12),
            "emploi",
            False,
        )
        deadlines = await due(session, formation.id)
        assert deadlines[f"CVL-EOS-ENTRY:trainee:{karim.id}"] == date(2027, 1, 4)
        assert deadlines[f"CVL-EOS-EXIT:trainee:{karim.id}"] == date(2027, 2, 12)
        audit = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id == formation.id)
                .order_by(AuditEntry.id.desc())
            )
        ).first()
        assert audit is not None and (audit.action, audit.details) == (
            "add_trainees",
            {"count": 2},
        )
        # The same list again: nobody twice.
        again = await import_rows(
            session, people.formateur, formation.id, [r.as_data() for r in found.rows], now=NOW
        )
        assert again is not None and again.count == 0


def test_a_title_line_with_a_comma_does_not_hide_the_separator() -> None:
    content = "Liste des stagiaires, session de mars\r\nNom;Prénom;Délégué\r\nDupont;Marie;-\r\n"
    found = preview("l.csv", content.encode("cp1252"), now=NOW, bounds=BOUNDS)
    assert [(r.name, r.delegate) for r in found.rows] == [("Marie Dupont", False)]


def test_a_list_of_an_earlier_session_is_said_once() -> None:
    """Explorer J: moving a group to its next session, every line refused on its own."""
    rows = [("Nom", "Date d'entrée"), ("Jean Dupont", "01/10/2026"), ("Léa Martin", "02/10/2026")]
    found = preview("l.csv", csv_file(rows), now=NOW, bounds=BOUNDS)
    said = texts.plain(texts.say("formation_import.preview", **found.shown()))
    assert "Toutes ces dates d'entrée viennent avant le début de cette formation" in said
    mixed = [*rows, ("Zoé Vert", "32/01/2027")]
    said = texts.plain(
        texts.say(
            "formation_import.preview",
            **preview("l.csv", csv_file(mixed), now=NOW, bounds=BOUNDS).shown(),
        )
    )
    assert "Toutes ces dates" not in said


def test_entry_days_of_the_file_are_not_said_missing() -> None:
    """Explorer T, T9: « Sans date d'entrée dans le fichier, l'entrée est le début de la
    formation » under a file that gave every entry day."""
    start = BOUNDS[0]
    dated = [("Nom", "Date d'entrée")] + [
        (name, f"{start.day + 7:02d}/{start.month:02d}/{start.year}")
        for name in ("Jean Dupont", "Léa Martin")
    ]
    said = texts.plain(
        texts.say(
            "formation_import.preview",
            **preview("l.csv", csv_file(dated), now=NOW, bounds=BOUNDS).shown(),
        )
    )
    assert "date d'entrée dans le fichier" not in said
    one_without = [*dated, ("Zoé Vert", "")]
    said = texts.plain(
        texts.say(
            "formation_import.preview",
            **preview("l.csv", csv_file(one_without), now=NOW, bounds=BOUNDS).shown(),
        )
    )
    assert "Pour qui n'a pas de date d'entrée dans le fichier, l'entrée est le début" in said


def test_a_total_footer_is_no_line_and_a_serial_date_in_a_csv_is_read() -> None:
    """Explorer AM9: « Total : 5 stagiaires » was a line to correct (the import always ended
    in 1), and « 46330 » in a CSV's date column was « illisible », read in an .xlsx."""
    rows = [
        ("Nom", "Prénom", "Date d'entrée"),
        ("Dupont", "Marie", "46358"),
        ("Benali", "Karim", ""),
        ("Total : 2 stagiaires", "", ""),
    ]
    found = preview("stagiaires.csv", csv_file(rows), now=NOW, bounds=BOUNDS)
    assert [(r.name, r.entered_on) for r in found.rows] == [
        ("Marie Dupont", date(2026, 12, 2)),
        ("Karim Benali", date(2026, 12, 1)),
    ]
    assert found.problems == [] and found.lines == 2
