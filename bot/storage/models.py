"""Import every table module so ``Base.metadata`` is complete (Alembic, tests)."""

from bot.storage import absences, audit, formations, outbox, people, state
from bot.storage.base import Base

__all__ = ["Base", "absences", "audit", "formations", "outbox", "people", "state"]
