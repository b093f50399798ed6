"""Absences and décrochages: detection, follow-ups and what they record, their deadlines,
timeline, exports, reminders.

The conversations live in ``bot/conversations/absences/`` (``absence.py``,
the ``decrochage/`` package, ``suivi.py``, ``vacations.py``); the tables in
``bot/storage/absences.py``.  Nothing here logs a name, a reason or a note.
"""
