"""PDF documents (attestations, comptes rendus, bilans) from a small HTML subset.

Documents are Jinja2 templates under ``templates/documents/`` so that an
organisation can reword them; they are written in the HTML subset fpdf2's
``write_html`` understands (h1-h3, p, b, i, ul/li, table, br, hr) and turned
into an A4 PDF here.

Two things make this more than a call to ``write_html``:

* **Fonts.** The PDF core fonts only know Latin-1, which has no "œ", "’" or
  "€".  We embed DejaVu Sans (four styles) from the system, so French text
  renders and pypdf (or a screen reader) gets the words back.
* **Hostile text.** Whatever a user typed reaches us already escaped by the
  template, but it can still hold characters DejaVu lacks (emoji), control
  characters, bidi overrides or a 10,000-character "word" that fpdf2 cannot
  fit in a table cell.  :func:`html_to_pdf` re-parses the markup, keeps only
  the supported tags and attributes, and cleans every text node *after*
  entity decoding, so ``&#128512;`` is caught as surely as a literal emoji,
  while ``&lt;b&gt;`` stays the three visible characters ``<b>``.

fpdf2 takes 0.3-0.4 s to import: it is imported when the first PDF is
built (:func:`_layout`), never at start, so the bot answers sooner.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.documents.fonts import FONT_FILES, font_dirs, found_fonts
from bot.texts import environment

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import TextStyle

FONT_FAMILY = "DejaVu"

BODY_SIZE_PT = 10.5
MARGIN_MM = 20.0
REPLACEMENT = "?"
# A "word" longer than this is cut: nobody types one, and fpdf2 would spread
# it over pages (or fail to fit it in a table cell).
MAX_WORD = 120
# Text beyond this in one table cell is cut, so that a row always fits a page.
MAX_CELL = 600
ELLIPSIS = "…"


class FontMissingError(RuntimeError):
    """The DejaVu fonts are not installed: PDFs cannot be produced at all."""


class DocumentError(ValueError):
    """The markup of a document template cannot be rendered."""


# --------------------------------------------------------------------------- fonts


def font_paths() -> dict[str, Path]:
    """The four DejaVu Sans files (:mod:`bot.documents.fonts`), or a FontMissingError
    naming the package."""
    paths, missing = found_fonts()
    if missing:
        packages = sorted({p for n, p in FONT_FILES.values() if n in missing})
        raise FontMissingError(
            "PDF documents need the DejaVu fonts, not found: "
            + ", ".join(missing)
            + f" in {', '.join(str(d) for d in font_dirs())}"
            + f"; install them with `apt-get install {' '.join(packages)}`"
        )
    return paths


@lru_cache(maxsize=4)
def _covered(paths: tuple[Path, ...]) -> frozenset[int]:
    """Code points every style has a glyph for (parsed once per process)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # via fpdf2

    covered: frozenset[int] | None = None
    for path in paths:
        with TTFont(str(path), lazy=True) as font:
            cmap = frozenset(font.getBestCmap())
        covered = cmap if covered is None else covered & cmap
    return covered or frozenset()


def supported_codepoints() -> frozenset[int]:
    """What can be drawn in any of the four styles."""
    return _covered(tuple(font_paths().values()))


# ------------------------------------------------------------------------ cleaning

_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_SYMBOLS = frozenset({"So", "Sk"})
"""Pictures rather than writing (emoji, their skin tones): dropped when the font has none."""
_PRESENTATION = re.compile("[\ufe00-\ufe0f]")
"""Variation selectors: how to draw the character before (as an emoji), nothing of their own."""
_KEPT_CONTROLS = frozenset("\t\n\r")
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def clean_text(text: str, covered: frozenset[int] | None = None) -> str:
    """Text that the embedded font can draw and that fpdf2 can lay out.

    Control and format characters (NUL, bidi overrides, zero-width joiners)
    are dropped: they are invisible anyway and some reorder what is read.
    So are symbols the font cannot draw (emoji, their skin tones and
    presentation selectors): « Agent de restauration 🍳 » is printed
    without it, where a "?" in a document read by an auditor looked like
    damage.  Other characters without a glyph (a script the font lacks)
    become one "?" per run: something was written there.
    """
    covered = supported_codepoints() if covered is None else covered
    out: list[str] = []
    replaced = False
    after_symbol = False  # "Bravo 🎉 à tous": one space left, not two
    for char in unicodedata.normalize("NFC", text):
        if char in _KEPT_CONTROLS:
            out.append(char)
            replaced = after_symbol = False
            continue
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES or _PRESENTATION.match(char):
            continue
        if ord(char) not in covered and category in _SYMBOLS:
            after_symbol = bool(out) and out[-1] == " "
            continue
        if char == " " and after_symbol:
            after_symbol = False
            continue
        after_symbol = False
        if category in ("Zl", "Zp"):
            out.append(" ")
            replaced = False
        elif ord(char) in covered:
            out.append(char)
            replaced = False
        elif not replaced:
            out.append(REPLACEMENT)
            replaced = True
    return _LONG_WORD.sub(lambda m: m.group()[:MAX_WORD] + ELLIPSIS, "".join(out))


_ALIGN = re.compile(r"(?i)left|center|right|justify")
_ATTRIBUTES: dict[str, re.Pattern[str]] = {
    "align": _ALIGN,
    "width": re.compile(r"\d{1,3}(\.\d{1,2})?%?"),
    "border": re.compile(r"[01]"),
    "colspan": re.compile(r"[1-9]"),
    "rowspan": re.compile(r"[1-9]"),
    "bgcolor": re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?"),
}
_TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "h1": frozenset({"align"}),
    "h2": frozenset({"align"}),
    "h3": frozenset({"align"}),
    "p": frozenset({"align"}),
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ul": frozenset(),
    "ol": frozenset(),
    "li": frozenset(),
    "table": frozenset({"width", "border", "align"}),
    "tr": frozenset({"bgcolor"}),
    "th": frozenset({"width", "colspan", "rowspan", "bgcolor", "align"}),
    "td": frozenset({"width", "colspan", "rowspan", "bgcolor", "align"}),
    "br": frozenset(),
    "hr": frozenset(),
}
_VOID = frozenset({"br", "hr"})
# Whose content is not document text at all.
_SKIPPED = frozenset({"script", "style", "head", "title"})


class _Cleaner(HTMLParser):
    """Re-serialise markup keeping only the supported subset, text cleaned.

    Unknown tags disappear but keep their text; attributes are kept only when
    fpdf2 understands them and their value is well-formed (fpdf2 crashes on
    ``colspan="x"``).  With ``flatten_tables``, table rows become paragraphs:
    the fallback when fpdf2 still cannot fit a row on a page.
    """

    def __init__(self, covered: frozenset[int], *, flatten_tables: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.covered = covered
        self.flatten_tables = flatten_tables
        self.parts: list[str] = []
        self.skipping = 0
        self.in_cell = False
        self.cell_length = 0
        self.cells_in_row = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag not in _TAG_ATTRIBUTES or self.skipping:
            return
        if tag in ("th", "td"):
            self.in_cell, self.cell_length = True, 0
        if self.flatten_tables and tag in ("table", "tr", "th", "td"):
            self._flat_start(tag)
            return
        kept = []
        for name, value in attrs:
            value = (value or "").strip()
            if name in _TAG_ATTRIBUTES[tag] and _ATTRIBUTES[name].fullmatch(value):
                kept.append(f' {name}="{html.escape(value)}"')
        if tag in ("th", "td") and not any(k.startswith(" align=") for k in kept):
            # fpdf2 centres headings and justifies cells, which spreads a short
            # name over the column: a table reads best aligned on the left.
            kept.append(' align="left"')
        self.parts.append(f"<{tag}{''.join(kept)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag not in _TAG_ATTRIBUTES or tag in _VOID or self.skipping:
            return
        if tag in ("th", "td"):
            self.in_cell = False
        if self.flatten_tables and tag in ("table", "tr", "th", "td"):
            self._flat_end(tag)
            return
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        text = keep_together(clean_text(data, self.covered))
        if self.in_cell:
            room = MAX_CELL - self.cell_length
            if room <= 0:
                return
            if len(text) > room:
                text = text[:room] + ELLIPSIS
            self.cell_length += len(text)
        self.parts.append(html.escape(text, quote=False))

    def _flat_start(self, tag: str) -> None:
        if tag == "tr":
            self.parts.append("<p>")
            self.cells_in_row = 0
        elif tag in ("th", "td"):
            if self.cells_in_row:
                self.parts.append(" – ")
            self.cells_in_row += 1
            if tag == "th":
                self.parts.append("<b>")

    def _flat_end(self, tag: str) -> None:
        if tag == "tr":
            self.parts.append("</p>")
        elif tag == "th":
            self.parts.append("</b>")

    def result(self) -> str:
        self.close()
        return "".join(self.parts)


_TOGETHER = re.compile(r"(?<=\d) (?=h\b)|(?<=\d h) (?=\d)|(?<=«) | (?=[»:;?!])")
NBSP = "\u00a0"


def keep_together(text: str) -> str:
    """« 16 h 00 » never broken as « 16 / h 00 », nor a guillemet or a colon left alone at a
    line's start or end: the spaces French typography makes non-breaking (fpdf2 draws them as
    plain spaces, so the text read back from the PDF is unchanged)."""
    return _TOGETHER.sub(NBSP, text)


def clean_markup(markup: str, *, flatten_tables: bool = False) -> str:
    """The supported subset of ``markup``, every text node made drawable."""
    cleaner = _Cleaner(supported_codepoints(), flatten_tables=flatten_tables)
    cleaner.feed(markup)
    return cleaner.result()


# ------------------------------------------------------------------------ rendering


@lru_cache(maxsize=1)
def _layout() -> tuple[type[FPDF], dict[str, TextStyle]]:
    """fpdf2's page class with our footer, and the heading styles (imported on first use)."""
    from fpdf import FPDF
    from fpdf.fonts import TextStyle

    class Document(FPDF):
        """A4 page with the "page N / M" footer every document carries."""

        def footer(self) -> None:
            self.set_y(-MARGIN_MM * 0.75)
            self.set_font(FONT_FAMILY, "", 8)
            self.set_text_color(90)
            # "{nb}" is fpdf2's alias for the page count, substituted at output.
            self.cell(0, 6, f"page {self.page_no()} / {{nb}}", align="C")

    blue = "#1f3a5f"
    styles = {
        "h1": TextStyle(font_style="B", color=blue, font_size_pt=18, t_margin=4, b_margin=2),
        "h2": TextStyle(font_style="B", color=blue, font_size_pt=14, t_margin=4, b_margin=1),
        "h3": TextStyle(font_style="B", color=blue, font_size_pt=12, t_margin=3, b_margin=1),
        "li": TextStyle(l_margin=5, t_margin=1),
    }
    return Document, styles


def _no_images(src: str) -> str:
    """Images are outside the subset: never let a template fetch a URL or a file."""
    raise DocumentError(f"images are not supported in documents: {src[:80]!r}")


def html_to_pdf(markup: str, *, title: str) -> bytes:
    """An A4 PDF of ``markup`` (the small HTML subset), DejaVu fonts embedded.

    ``markup`` must already be escaped where it holds user input (templates
    do that); it is cleaned again here so that no character can crash fpdf2.
    ``title`` goes to the PDF metadata, which viewers show in the title bar.
    """
    paths = font_paths()
    try:
        return _render(clean_markup(markup), title, paths)
    except ValueError as exc:
        # fpdf2 refuses a table row taller than a page; lay tables out as
        # paragraphs rather than losing the document.
        if isinstance(exc, DocumentError) or "<table" not in markup:
            raise
        return _render(clean_markup(markup, flatten_tables=True), title, paths)


_NEEDS_BOLD = re.compile(r"<(b|strong|th|table|h[1-3])[\s>]")
_NEEDS_ITALIC = re.compile(r"<(i|em)[\s>]")


def _styles_used(markup: str) -> list[str]:
    """Font styles the cleaned markup can ask for (table headings are bold).

    Parsing a TrueType font is most of the time a PDF takes, so a document
    without italics does not load (nor embed) the italic fonts.
    """
    bold, italic = bool(_NEEDS_BOLD.search(markup)), bool(_NEEDS_ITALIC.search(markup))
    return [
        "",
        *(["B"] if bold else []),
        *(["I"] if italic else []),
        *(["BI"] if bold and italic else []),
    ]


def _render(markup: str, title: str, paths: dict[str, Path]) -> bytes:
    document, tag_styles = _layout()
    pdf = document(orientation="portrait", unit="mm", format="A4")
    for style in _styles_used(markup):
        pdf.add_font(FONT_FAMILY, style, str(paths[style]))
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.set_title(" ".join(clean_text(title).split()))
    pdf.set_lang("fr-FR")
    pdf.set_creator("formabot")
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "", BODY_SIZE_PT)
    image_map: Callable[[str], str] = _no_images
    pdf.write_html(
        markup,
        font_family=FONT_FAMILY,
        tag_styles=tag_styles,
        table_line_separators=True,
        image_map=image_map,
        warn_on_tags_not_matching=False,
    )
    return bytes(pdf.output())


# ------------------------------------------------------------------------ templates

_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")


def _plain(markup: str) -> str:
    return " ".join(html.unescape(_ANY_TAG.sub(" ", markup)).split())


def render_pdf(template: str, /, **context: Any) -> bytes:
    """Render ``templates/documents/<template>`` and turn it into a PDF.

    The template goes through the shared environment (autoescape on, so
    values a user typed are escaped).  The metadata title is the template's
    ``{% block title %}`` when it has one, else its first ``<h1>``.
    """
    tpl = environment().get_template(f"documents/{template}")
    markup = tpl.render(**context)
    title = ""
    if "title" in tpl.blocks:
        title = _plain("".join(tpl.blocks["title"](tpl.new_context(dict(context)))))
    if not title and (match := _H1.search(markup)):
        title = _plain(match.group(1))
    return html_to_pdf(markup, title=title or Path(template).name.split(".")[0])
