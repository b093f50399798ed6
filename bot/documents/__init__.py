"""Documents people file, forward or import: PDFs, calendar invitations, bundles, sheets.

Every feature goes through these producers rather than calling fpdf2,
icalendar or zipfile itself, so that fonts, escaping, time zones and safe
file names are handled once, in one place, with one set of tests:

* :mod:`bot.documents.pdf` - ``render_pdf(template, **context)`` and
  ``html_to_pdf(markup, title=...)``;
* :mod:`bot.documents.ics` - ``invitation(...)``, an RFC 5545 ``.ics``;
* :mod:`bot.documents.bundle` - ``build_bundle(files, manifest=...)``, a ZIP
  with a ``manifest.json`` of SHA-256 hashes;
* :mod:`bot.documents.sheets` - ``write(rows, columns, fmt)``, a table as
  CSV, CSV for French Excel (``;``, BOM) or XLSX.

The submodules are not re-exported here so that sending an invitation does
not pay for importing fpdf2 (nor a CSV export for openpyxl).
"""
