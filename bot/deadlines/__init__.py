"""Bilans and deadlines: the rules of :mod:`bot.rules` wired to the database.

- :mod:`bot.deadlines.facts` maps SQL rows onto the rules' facts;
- :mod:`bot.deadlines.service` recomputes and stores a formation's deadlines
  (:func:`~bot.deadlines.service.refresh_deadlines`), marks them done or
  postponed;
- :mod:`bot.deadlines.org_settings` reads and writes the organisation settings
  the rules leave open;
- :mod:`bot.deadlines.documents` builds a bilan's invitation, agenda and
  e-mail draft, and the deadlines calendar;
- :mod:`bot.deadlines.exports` registers ``formabot export echeances``.
"""
