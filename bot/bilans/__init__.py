"""Bilans: scheduling the bilan a formation owes its funder, moving and cancelling it.

- :mod:`bot.bilans.queries`: what the dialogues read (the formations that
  owe a bilan, :func:`~bot.bilans.queries.visible_bilans`, what a formation
  owes, a bilan's deadlines and documents);
- :mod:`bot.bilans.checks`: what a duration, a visio link, a contact must
  look like;
- :mod:`bot.bilans.schedule`: :func:`~bot.bilans.schedule.schedule_bilan`;
- :mod:`bot.bilans.changes`: :func:`~bot.bilans.changes.move_bilan` and
  :func:`~bot.bilans.changes.cancel_bilan`;
- :mod:`bot.bilans.notify`: telling the participants what changed.

The dialogues are in :mod:`bot.conversations.bilans`.
"""
