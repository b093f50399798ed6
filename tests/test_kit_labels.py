"""A label too long is shortened where lines repeat each other, never where they differ.

An outside tester's /echeances, with forty formations, showed « 🔴 01/12 Envoyer
les modes d'emploi du bilan à distance – bilan de fin du 08/12 · Agent de… »
twice: once for Caen, once for Rouen, cut before what told them apart.
"""

from __future__ import annotations

from bot.conversations.kit.flow import Option
from bot.conversations.kit.labels import Piece, fit, listed_where_cut
from bot.messages import MAX_LABEL, shorten

GUIDES = "Envoyer les modes d'emploi du bilan à distance"


def deadline(formation: str, title: str = GUIDES, who: str = "bilan de fin du 08/12") -> str:
    return fit(
        [
            Piece("🔴 01/12"),
            Piece(title, shrink=1, keep=16),
            Piece(who, " – ", shrink=3, keep=14),
            Piece(formation, " · ", shrink=2, keep=24, middle=True),
        ]
    )


def test_what_tells_two_lines_apart_survives() -> None:
    caen, rouen = (
        deadline("Agent de restauration – Caen"),
        deadline("Agent de restauration – Rouen"),
    )
    assert caen != rouen
    assert caen.endswith("– bilan de fin du 08/12 · Agent de restauration – Caen")
    assert rouen.endswith("– bilan de fin du 08/12 · Agent de restauration – Rouen")
    assert caen.startswith("🔴 01/12 Envoyer les modes d'emploi…")
    assert len(caen) <= MAX_LABEL and len(rouen) <= MAX_LABEL


def test_a_label_that_fits_reads_as_before() -> None:
    assert deadline("Cariste", "Envoyer le bilan", "bilan de fin du 08/12") == (
        "🔴 01/12 Envoyer le bilan – bilan de fin du 08/12 · Cariste"
    )


def test_a_long_formation_name_keeps_both_ends() -> None:
    label = deadline("Assistant de vie aux familles – Cherbourg-en-Cotentin")
    assert len(label) <= MAX_LABEL
    assert label.endswith("Cotentin") and "· Assistant de" in label and "…" in label
    assert "bilan de fin du 08/12" in label  # the bilan's date outlives the formation's middle


def test_pieces_longer_than_everything_still_fit() -> None:
    huge = "x" * 10_000
    label = fit([Piece(huge), Piece(huge, shrink=1), Piece("", " · ", shrink=2)])
    assert len(label) <= MAX_LABEL and "…" in label
    assert fit([]) == ""
    assert fit([Piece("")]) == ""


def test_shorten() -> None:
    assert shorten("court") == "court"
    assert shorten("a" * 100) == "a" * (MAX_LABEL - 1) + "…"
    assert shorten("Agent de restauration – Caen", 16, middle=True) == "Agent de… – Caen"
    assert len(shorten("é" * 300, 64, middle=True)) == 64


def test_what_is_still_too_long_is_cut_in_the_pieces_order_not_in_the_label_s_middle() -> None:
    """Explorer KB, KB2: the whole label cut in its middle fell inside the trainee's name
    (« Tenir l'entreti… – Youss…ure… · Aide à domicile – Évreux »)."""
    label = fit(
        [
            Piece("🟠 08/12"),
            Piece("Tenir l'entretien individuel", shrink=1, keep=16),
            Piece("Youssef Laurent", " – ", shrink=3, keep=15),
            Piece("Aide à domicile – Évreux", " · ", shrink=2, keep=24, middle=True),
        ],
        64,
    )
    assert len(label) == 64 and label.startswith("🟠 08/12 Tenir l'")
    assert " – Youssef Laurent · Aide à " in label and label.endswith(" – Évreux")


def test_a_piece_at_its_floor_waits_for_the_others() -> None:
    """Explorer MA2: past their ``keep``, the title and the formation went down to two
    letters before the name gave one (« S… – Marie-Christine Dupont-Dela… · A… »): a floor
    holds a piece until the others are at theirs."""
    label = fit(
        [
            Piece("🔴 03/11/2025"),
            Piece("Saisir l'entrée dans EOS", shrink=1, keep=10, floor=10),
            Piece("Marie-Christine Dupont-Delacroix", " – ", shrink=3, keep=32, floor=12),
            Piece("Agent de restauration", " · ", shrink=2, keep=20, floor=8),
            Piece("(03/11/2025)"),
        ],
        64,
    )
    assert label == "🔴 03/11/2025 Saisir l'… – Marie-Christi… · Agent d… (03/11/2025)"


def test_whole_lines_are_kept_only_when_one_is_cut() -> None:
    """Explorer GE7: only the cut lines listed read « 1. 3. 5. », as if lines were gone;
    when every line fits, none is listed twice."""
    cut = Option("Cari…ste", "1", detail="Cariste")
    whole = Option("Soudure", "2", detail="Soudure")
    assert [o.detail for o in listed_where_cut([cut, whole])] == ["Cariste", "Soudure"]
    assert [o.detail for o in listed_where_cut([whole])] == [""]
