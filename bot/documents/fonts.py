"""Where the DejaVu fonts every PDF embeds are found, and what to say when they are not.

Debian keeps them in ``/usr/share/fonts/truetype/dejavu``, Fedora in
``/usr/share/fonts/dejavu-sans-fonts``, Arch in ``/usr/share/fonts/TTF``;
``FORMABOT_FONT_DIR`` names another folder.  Without them no bilan's agenda,
compte rendu or attestation can be made, and the turn that needs one fails:
:func:`missing_fonts` lets ``formabot run`` and ``console`` say so at start, in
French, instead of a « quelque chose s'est mal passé » at the first bilan
(explorer BC20).  Nothing heavy is imported here: the start reads it.
"""

from __future__ import annotations

import os
from pathlib import Path

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
FONT_FILES: dict[str, tuple[str, str]] = {
    "": ("DejaVuSans.ttf", "fonts-dejavu-core"),
    "B": ("DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    "I": ("DejaVuSans-Oblique.ttf", "fonts-dejavu-extra"),
    "BI": ("DejaVuSans-BoldOblique.ttf", "fonts-dejavu-extra"),
}
"""fpdf2 style -> (file, Debian package that ships it)."""


def font_dirs() -> tuple[Path, ...]:
    """The folders looked in, ``FORMABOT_FONT_DIR`` first when set."""
    given = os.environ.get("FORMABOT_FONT_DIR", "").strip()
    return ((Path(given),) if given else ()) + FONT_DIRS


def found_fonts(dirs: tuple[Path, ...] | None = None) -> tuple[dict[str, Path], list[str]]:
    """Each style's file, from the first folder holding it; and the files found nowhere."""
    paths: dict[str, Path] = {}
    missing: list[str] = []
    for style, (name, _package) in FONT_FILES.items():
        path = next((d / name for d in dirs or font_dirs() if (d / name).is_file()), None)
        if path is None:
            missing.append(name)
        else:
            paths[style] = path
    return paths, missing


def missing_fonts() -> str | None:
    """The French sentence for fonts not found, ``None`` when all four are there."""
    _paths, missing = found_fonts()
    if not missing:
        return None
    packages = sorted({p for n, p in FONT_FILES.values() if n in missing})
    return (
        f"Polices DejaVu introuvables ({', '.join(missing)}) : les documents PDF (ordre du jour "
        "d'un bilan, compte rendu, attestations) ne pourront pas être produits. Installez "
        f"{' et '.join(packages)} (Debian, Ubuntu), ou donnez leur dossier dans "
        "FORMABOT_FONT_DIR."
    )
