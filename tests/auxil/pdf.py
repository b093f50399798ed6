"""Read back the PDFs the bot produces, to assert what a reader would see.

pypdf is a test dependency only: the bot writes PDFs, it never reads them.
"""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_reader(data: bytes) -> PdfReader:
    """A pypdf reader over ``data`` (fails if the bytes are not a PDF)."""
    assert data.startswith(b"%PDF-"), data[:16]
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All the extractable text, page after page, as pypdf gets it."""
    return "\n".join(page.extract_text() for page in pdf_reader(data).pages)


def pdf_title(data: bytes) -> str | None:
    """The metadata title viewers show in their title bar."""
    metadata = pdf_reader(data).metadata
    return None if metadata is None else metadata.title


def pdf_words(data: bytes) -> str:
    """The text with all whitespace collapsed, for assertions across line breaks."""
    return " ".join(pdf_text(data).split())
