"""Cutting a message by what its platform measures (explorers ME1, ME3)."""

from __future__ import annotations

from bot import texts
from bot.transports.sizes import split_within


def bytes_of(text: str) -> int:
    return len(text.encode())


def test_a_text_that_fits_by_characters_is_cut_as_before() -> None:
    text = "\n".join(f"ligne {n}" for n in range(2000))
    assert split_within(text, 4096, bytes_of, 4096, floor=1024) == texts.split_text(text, 4096)


def test_a_text_too_heavy_is_cut_between_lines_in_parts_that_fit_as_large_as_they_may() -> None:
    text = "\n".join("Hélène Éloïse " * 5 for _ in range(200))  # 70 characters, 85 bytes a line
    parts = split_within(text, 4096, bytes_of, 4096, floor=1024)
    assert all(bytes_of(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text  # between lines, nothing lost
    assert len(parts) == len(texts.split_text(text, 4096 * 70 // 85))  # not the floor's 14
