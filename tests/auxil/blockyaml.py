"""A reader for the block-style YAML subset ``compose.yaml`` is written in.

PyYAML is not a dependency of formabot (nor of its tests), and the deploy
kit's files must still be checked.  ``compose.yaml`` keeps to a subset:
nested mappings by indentation, lists of plain or quoted scalars, comments
on their own lines or after a value.  Anything else (flow style, anchors,
multi-line strings) is refused here rather than misread; when PyYAML is at
hand (the Synapse peer's virtualenv has it), ``tests/test_deploy.py`` checks
this reader gives what it gives.
"""

from __future__ import annotations

import re
from typing import Any

_COMMENT = re.compile(r"\s+#.*$")
_TYPED_WORDS = frozenset(["yes", "no", "true", "false", "on", "off", "null", "~"])
"""Plain words YAML reads as booleans or null: the subset wants them quoted."""


def _scalar(raw: str) -> str | int:
    """A quoted string, a whole number (as YAML reads ``20``), or a plain string."""
    raw = _COMMENT.sub("", raw).strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    if raw[:1] in "[{&*|>!" or raw.startswith("- ") or raw.lower() in _TYPED_WORDS:
        raise ValueError(f"outside the subset (quote it): {raw!r}")
    return int(raw) if re.fullmatch(r"[1-9][0-9]*|0", raw) else raw


def load(text: str) -> Any:
    lines = [
        (len(line) - len(line.lstrip(" ")), line.strip())
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    value, end = _block(lines, 0, 0)
    if end != len(lines):
        raise ValueError(f"unexpected indentation at {lines[end][1]!r}")
    return value


def _block(lines: list[tuple[int, str]], start: int, indent: int) -> tuple[Any, int]:
    if lines[start][1].startswith("- "):
        items: list[Any] = []
        i = start
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            items.append(_scalar(lines[i][1][2:]))
            i += 1
        return items, i
    mapping: dict[str, Any] = {}
    i = start
    while i < len(lines) and lines[i][0] == indent:
        key, sep, rest = lines[i][1].partition(":")
        if not sep or key in mapping:
            raise ValueError(f"not a new key: {lines[i][1]!r}")
        rest = _COMMENT.sub("", rest).strip() if rest.strip().startswith("#") else rest
        if rest.strip():
            mapping[key] = _scalar(rest)
            i += 1
        elif i + 1 < len(lines) and lines[i + 1][0] > indent:
            mapping[key], i = _block(lines, i + 1, lines[i + 1][0])
        elif i + 1 < len(lines) and lines[i + 1][0] == indent and lines[i + 1][1][:2] == "- ":
            mapping[key], i = _block(lines, i + 1, indent)  # a list at the key's indentation
        else:
            mapping[key] = None
            i += 1
    return mapping, i
