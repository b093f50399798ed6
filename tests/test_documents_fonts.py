"""Where the PDF fonts are found, and the sentence when they are not (explorer BC20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.documents import fonts


def test_the_fonts_of_this_machine_are_found() -> None:
    paths, missing = fonts.found_fonts()
    assert missing == [] and set(paths) == {"", "B", "I", "BI"}
    assert fonts.missing_fonts() is None


def test_a_folder_given_comes_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    installed, _ = fonts.found_fonts()
    for path in installed.values():
        (tmp_path / path.name).symlink_to(path)
    monkeypatch.setenv("FORMABOT_FONT_DIR", str(tmp_path))
    paths, missing = fonts.found_fonts()
    assert missing == [] and all(p.parent == tmp_path for p in paths.values())


def test_fonts_found_nowhere_are_said_in_french(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))
    monkeypatch.delenv("FORMABOT_FONT_DIR", raising=False)
    said = fonts.missing_fonts()
    assert said is not None and said.startswith("Polices DejaVu introuvables (DejaVuSans.ttf,")
    assert "Installez fonts-dejavu-core et fonts-dejavu-extra" in said
    assert "FORMABOT_FONT_DIR" in said
