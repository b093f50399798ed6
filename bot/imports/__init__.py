"""Trainee lists from a spreadsheet: a CSV or XLSX file read, checked, previewed, imported.

:mod:`.reading` turns the bytes into a table (or a French refusal),
:mod:`.columns` recognises the French headers, :mod:`.rows` checks each
line, :mod:`.service` compares with the formation and imports through the
formations' own services.
"""
