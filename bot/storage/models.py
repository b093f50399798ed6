"""Import every table module so ``Base.metadata`` is complete (Alembic, tests)."""

from bot.storage import audit, formations, outbox, people, state
from bot.storage.base import Base

__all__ = ["Base", "audit", "formations", "outbox", "people", "state"]
