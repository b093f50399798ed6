"""Import every table module so ``Base.metadata`` is complete (Alembic, tests)."""

from bot.storage import (
    absences,
    attestations,
    audit,
    bilans,
    formations,
    inbox,
    matrix,
    outbox,
    people,
    privacy,
    progress,
    state,
    sweeps,
)
from bot.storage.base import Base

__all__ = [
    "Base",
    "absences",
    "attestations",
    "audit",
    "bilans",
    "formations",
    "inbox",
    "matrix",
    "outbox",
    "people",
    "privacy",
    "progress",
    "state",
    "sweeps",
]
