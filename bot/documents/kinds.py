"""What a file's first bytes say it is: one sent as a PDF or a photo must be one.

A file's type comes from its sender (its name, the platform's guess): an HTML page
renamed ``arret.pdf``, a truncated download, a script in an SVG « photo » would be kept
as evidence and handed to an auditor in the Qualiopi bundle, unreadable or running in
her browser (explorer EC4).  The types formabot keeps whose bytes announce them are
checked here; a type with no such mark (a text, an e-mail) is taken as sent.
"""

from __future__ import annotations

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/pdf": (b"%PDF-",),
    "application/msword": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
}
"""The first bytes of every file of a type (a Word or OpenDocument text is a ZIP)."""

SCRIPTED = frozenset({"image/svg+xml"})
"""Types that are pictures to a platform and pages to a browser: a script inside runs when
the file is opened from the bundle."""


def is_what_it_says(mime_type: str, content: bytes) -> bool:
    """``content`` starts as a file of ``mime_type`` does (a type without known first bytes
    passes; a PDF's mark may follow a few bytes of junk, as PDF readers allow)."""
    mime = mime_type.lower().strip()
    signatures = SIGNATURES.get(mime)
    if signatures is None:
        return True
    if mime == "application/pdf":
        return b"%PDF-" in content[:1024]
    return content.startswith(signatures)
