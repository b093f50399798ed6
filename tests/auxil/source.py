"""formabot's own source read as syntax trees, for the tests that check its shape."""

from __future__ import annotations

import ast
import gc
from pathlib import Path


def syntax_tree(source: str | Path) -> ast.Module:
    """``ast.parse`` with the garbage collector paused.

    CPython 3.11 keeps one recursion counter for every ``ast.parse``: a
    collection during the parse that runs a finalizer which formats a
    traceback (an asyncio task's "exception was never retrieved") parses
    too, and the outer parse fails with "AST constructor recursion depth
    mismatch".  Pausing the collector keeps the two apart.
    """
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(text)
    finally:
        if was_enabled:
            gc.enable()
