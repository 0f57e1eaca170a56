"""Spreadsheet cells out: text that a spreadsheet would run as a formula stays text.

Every CSV graphapp writes (the Kumu export, the overdue list) passes its text cells here, so the
rule is written once (OWASP's CSV injection advice: a leading apostrophe)."""

from __future__ import annotations

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str) -> str:
    """``value``, with a leading apostrophe when it starts like a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value
