"""The Wagtail dashboard's own panels (media_library, donations, families): real figures
from their selectors, a few queries each, and for each role only what it may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from classrooms.services import classroom_create
from conftest import client_as, user_named
from donations.dashboard import donations_this_month
from donations.models import Status
from donations.tests.factories import donation_row
from families.dashboard import students_without_consent
from media_library import services
from media_library.dashboard import class_figures, recent_uploads
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _submit(title, owner, classroom):
    return services.media_upload(
        classroom=Classroom.objects.get(name=classroom),
        uploaded_by=user_named(owner),
        file=samples.uploaded(samples.png(), "work.png"),
        title=title,
    )


def _queries(work) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        result = work()
    return result, len(queries)


def test_a_teacher_sees_only_her_classes_uploads_and_figures(school):
    art = _submit("Clay pot", "amina", "Art")
    media = _submit("Short film", "david", "Media Studies")
    grace = user_named("grace")
    uploads, n = _queries(lambda: recent_uploads(user=grace))
    titles = [page.title for page in uploads]
    assert titles[0] == art.title and media.title not in titles
    assert {page.class_title for page in uploads} == {Classroom.objects.get(name="Art").page.title}
    assert uploads[0].status.code == "awaiting_approval"
    # The role checks (a few), the class paths, the pages, their workflow states.
    assert n <= 7
    _submit("Another pot", "brian", "Art")
    _submit("Third pot", "cynthia", "Art")
    assert _queries(lambda: recent_uploads(user=grace))[1] == n
    figures, n = _queries(lambda: class_figures(user=grace))
    [art_row] = figures
    assert art_row.classroom.name == "Art" and art_row.students == 3
    assert art_row.in_review >= 1 and art_row.live >= 1
    assert n <= 5
    admin = user_named("admin@greenwood.test")
    assert {row.classroom.name for row in class_figures(user=admin)} == {"Art", "Media Studies"}
    assert media.title in [page.title for page in recent_uploads(user=admin)]
    assert recent_uploads(user=user_named("amina")) == []
    assert class_figures(user=user_named("amina")) == []


def test_the_figures_cost_the_same_queries_for_more_classes(school):
    admin = user_named("admin@greenwood.test")
    _, before = _queries(lambda: class_figures(user=admin))
    for n in range(3):
        classroom_create(name=f"Extra {n}", grade="Form 1", subject="Art", teachers=[])
    _, after = _queries(lambda: class_figures(user=admin))
    assert after == before


def test_donations_this_month_per_role(school):
    donation_row(classroom="Art", amount=500)
    donation_row(classroom="Art", amount=250, status=Status.CANCELLED)
    donation_row(classroom="Media Studies", amount=1000)
    admin, n = _queries(lambda: donations_this_month(user=user_named("admin@greenwood.test")))
    assert n <= 5
    assert admin["paid_total"] >= 1500 and admin["paid_count"] >= 2
    grace = donations_this_month(user=user_named("grace"))
    peter = donations_this_month(user=user_named("peter"))
    assert grace["paid_total"] + peter["paid_total"] == admin["paid_total"]
    assert grace["count"] - grace["paid_count"] >= 1  # the cancelled one, tried
    assert "status=paid" in grace["report_url"]
    assert grace["report_url"].startswith(reverse("donations_report"))
    assert donations_this_month(user=user_named("amina"))["count"] == 0


def test_students_without_consent_per_role(school):
    # The demo: David's family (Media Studies) has given no consent.
    admin, n = _queries(lambda: students_without_consent(user=user_named("admin@greenwood.test")))
    assert n <= 7  # the role checks, the enrolments, the consents
    assert [s.username for s in admin["students"]] == ["david"]
    assert admin["url"] == reverse("privacy_admin:overview")
    peter = students_without_consent(user=user_named("peter"))
    assert [s.username for s in peter["students"]] == ["david"]
    assert peter["url"] == reverse("families_admin:index")
    assert students_without_consent(user=user_named("grace"))["count"] == 0  # Art's have it
    assert students_without_consent(user=user_named("amina"))["count"] == 0


def test_the_dashboard_shows_each_role_its_own(greenwood):
    with schema_context("greenwood"):
        _submit("Clay pot", "amina", "Art")
        _submit("Short film", "david", "Media Studies")
        donation_row(classroom="Media Studies", amount=1000)
    grace = client_as(greenwood, "grace").get("/admin/").content.decode()
    assert "Recent uploads in your classes" in grace and "Clay pot" in grace
    assert "Short film" not in grace and "Media Studies" not in grace
    assert "Donations this month" in grace and "KES 0" in grace
    assert "Students without family consent" in grace and "David" not in grace
    admin = client_as(greenwood, "admin@greenwood.test").get("/admin/").content.decode()
    assert "Clay pot" in admin and "Short film" in admin and "Media Studies" in admin
    assert "KES 1,000" in admin and "David Mwangi" in admin
    assert reverse("privacy_admin:overview") in admin
    peter = client_as(greenwood, "peter").get("/admin/").content.decode()
    assert "Short film" in peter and "Clay pot" not in peter and "KES 1,000" in peter
