"""PDF documents: French text survives, hostile text is shown and harmless.

Every assertion reads the produced bytes back with pypdf, as a reader (or an
auditor's tool) would: the words, the metadata title, the fonts a page uses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest

from bot.documents import fonts, pdf
from bot.documents.pdf import (
    MAX_WORD,
    FontMissingError,
    clean_markup,
    clean_text,
    html_to_pdf,
    render_pdf,
)
from tests.auxil.pdf import pdf_reader, pdf_text, pdf_title, pdf_words

FRENCH = "Élodie Lefèvre-d’Aubigné a suivi « Cœur de métier » : 12 € ; ça, c’est œuvré."


def fonts_used(data: bytes) -> set[str]:
    """Base font names (subset prefix dropped) referenced by every page."""
    names: set[str] = set()
    for page in pdf_reader(data).pages:
        resources: Any = page["/Resources"]  # pypdf types it as any PDF object
        for font in resources["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


# ----------------------------------------------------------------- html_to_pdf


def test_french_text_comes_back_with_its_accents() -> None:
    data = html_to_pdf(f"<h1>Attestation d’assiduité</h1><p>{FRENCH}</p>", title="Attestation")

    words = pdf_words(data)
    assert "Attestation d’assiduité" in words
    assert FRENCH in words
    assert pdf_title(data) == "Attestation"


def test_page_is_a4_with_a_page_n_of_m_footer() -> None:
    body = "".join(f"<p>Paragraphe numéro {n}, assez long pour remplir.</p>" for n in range(150))
    data = html_to_pdf(f"<h1>Long</h1>{body}", title="Long")

    reader = pdf_reader(data)
    count = len(reader.pages)
    assert count >= 3
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        assert f"page {number} / {count}" in page.extract_text()
    assert "Paragraphe numéro 149," in pdf_words(data)


def test_every_tag_of_the_subset_renders_its_text() -> None:
    markup = """
    <h1>Titre un</h1><h2>Titre deux</h2><h3>Titre trois</h3>
    <p>Un <b>gras</b>, un <i>italique</i>,<br>après un saut.</p>
    <ul><li>premier point</li><li>second point</li></ul>
    <hr>
    <table><tr><th>Nom</th><th>Heures</th></tr>
    <tr><td>Zoé</td><td>7 h 30</td></tr></table>
    """
    data = html_to_pdf(markup, title="Sous-ensemble")

    text = pdf_text(data)
    for expected in (
        "Titre un",
        "Titre deux",
        "Titre trois",
        "premier point",
        "second point",
        "Zoé",
        "7 h 30",
        "Heures",
    ):
        assert expected in text
    lines = text.splitlines()
    assert "après un saut." in lines  # <br> starts a new line
    assert {"DejaVuSansBook", "DejaVuSansBold", "DejaVuSansOblique"} <= fonts_used(data)


def test_escaped_markup_is_shown_literally_and_not_bold() -> None:
    hostile = "&lt;b&gt;Pirate&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;"
    data = html_to_pdf(f"<p>{hostile}</p>", title="Hostile")

    assert "<b>Pirate</b> <script>alert(1)</script> &amp;" in pdf_words(data)
    assert fonts_used(data) == {"DejaVuSansBook"}  # nothing turned bold


def test_characters_the_font_lacks_do_not_crash() -> None:
    markup = "<p>Bravo 😀 fête 🦄🎉 fin&#x1F984; nul\x00 inversé\u202edroite zéro\u200blargeur</p>"
    data = html_to_pdf(markup, title="Emoji 🦄\x00")

    text = pdf_text(data)
    assert "Bravo 😀 fête fin nul inverséd" in text  # DejaVu has 😀, not 🦄🎉: left out
    assert "\x00" not in text
    assert "\u202e" not in text
    assert "zérolargeur" in text
    assert pdf_title(data) == "Emoji"


def test_a_ten_thousand_character_word_is_cut_not_fatal() -> None:
    word = "a" * 10_000
    data = html_to_pdf(
        f"<p>avant {word} après</p><table><tr><th>Col</th></tr><tr><td>{word}</td></tr></table>",
        title="Long mot",
    )

    text = pdf_text(data)
    assert len(pdf_reader(data).pages) == 1
    assert "avant" in text
    assert "après" in text
    runs = re.findall(r"a{10,}…", "".join(text.split()))
    assert len(runs) == 2
    assert all(len(run) == MAX_WORD + 1 for run in runs)


def test_a_table_row_taller_than_a_page_falls_back_to_paragraphs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf, "MAX_CELL", 1_000_000)  # let the cell through uncut
    prose = " ".join(f"mot{n}" for n in range(3_000))
    markup = (
        f"<table><tr><th>Nom</th><th>Texte</th></tr><tr><td>Zoé</td><td>{prose}</td></tr></table>"
    )

    data = html_to_pdf(markup, title="Ligne haute")

    words = pdf_words(data)
    assert "Nom – Texte" in words
    assert "Zoé – mot0 mot1" in words
    assert "mot2999" in words


def test_unsupported_tags_and_attributes_are_dropped() -> None:
    markup = (
        '<p>avant<img src="http://127.0.0.1:9/x.png"><script>alert("x")</script>'
        '<style>p{color:red}</style><a href="http://x">lien</a> après</p>'
        '<table><tr><td colspan="x" width="abc" onclick="evil()">cellule</td></tr></table>'
    )

    cleaned = clean_markup(markup)
    assert "img" not in cleaned
    assert "alert" not in cleaned
    assert "color" not in cleaned
    assert "colspan" not in cleaned
    assert "onclick" not in cleaned
    words = pdf_words(html_to_pdf(markup, title="Balises"))
    assert "avantlien après" in words
    assert "cellule" in words


def test_clean_text_rules() -> None:
    assert clean_text("a\x00b\u202ec\x1b[31md") == "abc[31md"
    # Emoji the font lacks leave nothing (the outside test saw « Agent de restauration ?️ »
    # in a compte rendu); writing the font lacks leaves one "?" per run.
    assert clean_text("famille 👨\u200d👩\u200d👧 !") == "famille !"
    assert clean_text("Agent de restauration 🍳\ufe0f") == "Agent de restauration "
    assert clean_text("Bravo 🎉 à tous 👍🏽") == "Bravo à tous "
    assert clean_text("Wang 王小明 Li") == "Wang ? Li"
    assert clean_text("Café ☕ ou thé") in ("Café ☕ ou thé", "Café ou thé")  # ☕: if drawn, kept
    assert clean_text("e\u0301té") == "été"  # decomposed accents are composed
    assert clean_text("x" * 500) == "x" * MAX_WORD + "…"


def test_missing_fonts_say_which_package_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))

    with pytest.raises(FontMissingError) as caught:
        html_to_pdf("<p>x</p>", title="x")
    message = str(caught.value)
    assert "apt-get install fonts-dejavu-core fonts-dejavu-extra" in message
    assert "DejaVuSans.ttf, DejaVuSans-Bold.ttf, DejaVuSans-Oblique.ttf" in message
    assert str(tmp_path) in message


# ------------------------------------------------------------------ render_pdf


def test_render_pdf_escapes_user_values_in_the_example_document() -> None:
    data = render_pdf(
        "exemple.html.j2",
        stagiaire="<b>Zoé</b> & Cie",
        formation="Cœur de métier 😀",
        debut="lundi 2 novembre 2026",
        fin="jeudi 26 novembre 2026",
        seances=[
            {"date": "2 nov.", "contenu": "Accueil & présentation"},
            {"date": "26 nov.", "contenu": "</td></tr></table><h1>Injecté</h1>"},
        ],
        observations=["Très assidue", "&lt;i&gt; déjà échappé"],
        lieu="Saint-Étienne",
    )

    words = pdf_words(data)
    assert pdf_title(data) == "Attestation de formation – <b>Zoé</b> & Cie"
    assert "Nous attestons que <b>Zoé</b> & Cie a suivi la formation Cœur de métier 😀" in words
    assert "</td></tr></table><h1>Injecté</h1>" in words
    assert "&lt;i&gt; déjà échappé" in words  # typed that way, shown that way
    assert "Fait à Saint-Étienne, le jeudi 26 novembre 2026." in words
    assert "page 1 / 1" in words


def test_render_pdf_takes_the_title_from_the_first_h1(monkeypatch: pytest.MonkeyPatch) -> None:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {"documents/cr.html.j2": "<p>x</p><h1>Compte rendu de {{ nom }}</h1><h1>Autre</h1>"}
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    monkeypatch.setattr(pdf, "environment", lambda: env)

    assert pdf_title(render_pdf("cr.html.j2", nom="Lé & <Zoé>")) == "Compte rendu de Lé & <Zoé>"


def test_render_pdf_refuses_templates_outside_documents() -> None:
    with pytest.raises(jinja2.TemplateNotFound):
        render_pdf("../chat/formation.j2")
    with pytest.raises(jinja2.UndefinedError):
        render_pdf("exemple.html.j2")  # a forgotten value is an error, not a blank


def test_table_cells_and_headings_are_aligned_on_the_left() -> None:
    """Issue 11 item 24: fpdf2 centres <th> and justifies <td>; every cell starts at its left."""
    from tests.auxil.pdf import pdf_reader

    markup = (
        '<table width="100%"><tr><th width="50%">Nom</th><th width="50%">Statut</th></tr>'
        "<tr><td>Léa</td><td>présente</td></tr>"
        "<tr><td>Karim Benali, un nom plus long</td><td>absent</td></tr></table>"
    )
    x: dict[str, float] = {}

    def visit(text: str, cm: object, tm: list[float], font: object, size: object) -> None:
        if text.strip():
            x.setdefault(text.strip(), tm[4])

    pdf_reader(html_to_pdf(markup, title="Tableau")).pages[0].extract_text(visitor_text=visit)
    assert abs(x["Nom"] - x["Léa"]) < 1 and abs(x["Léa"] - x["Karim Benali, un nom plus long"]) < 1
    assert abs(x["Statut"] - x["présente"]) < 1 and abs(x["présente"] - x["absent"]) < 1
    assert clean_markup('<table><tr><td align="right">1</td></tr></table>').count("align") == 1


def test_an_hour_and_guillemets_are_never_split_at_a_line_end() -> None:
    assert pdf.keep_together("de 16 h 00 à 18 h") == "de 16\u00a0h\u00a000 à 18\u00a0h"
    assert pdf.keep_together("« Cuisine » : oui ?") == "«\u00a0Cuisine\u00a0»\u00a0: oui\u00a0?"
    assert pdf.keep_together("h 12 hh, 1 hour") == "h 12 hh, 1 hour"  # only « 16 h »


def test_no_line_of_a_paragraph_ends_on_the_hour_s_number() -> None:
    """The recap's « 16 h 00 » came out as « 16 / h 00 »: wherever a line ends, the hour stays."""
    paragraphs = "".join(f"<p>{'abcd ' * words}à 16 h 00</p>" for words in range(10, 30))
    text = pdf_text(html_to_pdf(f"<h1>Essai</h1>{paragraphs}", title="Essai"))
    lines = [line.strip() for line in text.splitlines()]
    assert not any(
        line.startswith(("h 00", "00")) or line.endswith(("16", "16 h")) for line in lines
    )
    assert text.count("16 h 00") == 20  # read back with plain spaces
