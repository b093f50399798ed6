"""Which failures of a turn start it over from the database, which kept nothing of it.

A concurrent writer got there first (:class:`StaleState`, an ``IntegrityError`` on the
event recorded twice at once, an ``OperationalError`` such as SQLite's « database is
locked »), the server ended the connection (:func:`bot.storage.ping.connection_lost`), or
PostgreSQL undid the turn for a deadlock or a serialization failure (:func:`conflicted`).
Everything else is a failure of the bot, said so to the person.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bot.storage.ping import connection_lost


class StaleState(Exception):
    """Another process moved this conversation on first; handle the message again."""


CONFLICTS = ("40P01", "40001")
"""PostgreSQL's deadlock and serialization failure: the turn it undid may simply run again."""

CONFLICT_RETRIES = 2
"""How many times a turn undone by a conflict is run again before « renvoyez votre message »:
the same two people at it again would deadlock again."""


def conflicted(exc: BaseException) -> bool:
    """Whether PostgreSQL undid the turn for a deadlock (``40P01``: two people holding a
    trainee and its formation in the opposite order) or a serialization failure (``40001``).
    They reach the engine as a plain ``DBAPIError`` (explorer XA9: « Désolé, quelque chose
    s'est mal passé », the turn never tried again)."""
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and code in CONFLICTS


def worth_again(exc: BaseException) -> bool:
    """Whether the turn that failed with ``exc`` is run again."""
    if isinstance(exc, StaleState | IntegrityError | OperationalError):
        return True
    return conflicted(exc) or connection_lost(exc)
