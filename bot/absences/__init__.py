"""Absences and décrochages: detection, follow-up steps, timeline, exports, reminders.

The conversations live in ``bot/conversations/absence.py``,
``decrochage.py``, ``suivi.py`` and ``vacations.py``; the tables in
``bot/storage/absences.py``.  Nothing here logs a name, a reason or a note.
"""
