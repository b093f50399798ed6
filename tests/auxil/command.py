"""What ``formabot ARGS`` did when run in process (the ``formabot`` fixture of conftest)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str
