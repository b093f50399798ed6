"""Bilans and deadlines: the rules of :mod:`bot.rules` wired to the database.

- :mod:`bot.deadlines.facts` maps SQL rows onto the rules' facts;
- :mod:`bot.deadlines.service` recomputes and stores a formation's deadlines
  (:func:`~bot.deadlines.service.refresh_deadlines`), marks them done or
  postponed;
- :mod:`bot.deadlines.actions` is what a person does with one deadline in
  ``/echeances`` (done, postponed, undone, each audited);
- :mod:`bot.deadlines.org_settings` reads and writes the organisation settings
  the rules leave open; :mod:`bot.deadlines.settings_change` is what an admin
  changes with ``/reglages`` (a setting and the recomputation, the digest's chat);
- :mod:`bot.deadlines.digest` sends the daily digest and the formateurs' reminders;
- :mod:`bot.deadlines.documents` builds a bilan's invitation, agenda and
  e-mail draft, and the deadlines calendar;
- :mod:`bot.deadlines.exports` registers ``formabot export echeances``.
"""
