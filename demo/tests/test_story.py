"""The demo's story (`manage.py seed_demo`): each demo person has something to do, made once."""

import re

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from conftest import client_as, user_named
from donations.dashboard import donations_this_month
from donations.models import Donation, Status
from media_library.models import MediaPage
from media_library.selectors import media_page_status, review_list
from notifications.models import Kind, Notification
from notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(greenwood, capsys):
    call_command("seed_demo")
    yield capsys.readouterr().out


def _kinds(login):
    unread = Notification.objects.filter(recipient=user_named(login), read_at__isnull=True)
    return sorted(set(unread.values_list("kind", flat=True)))


def test_each_person_has_something_to_do(story):
    assert "greenwood submission 'Mangoes in motion'" in story
    with schema_context("greenwood"):
        grace = [item.page.title for item in review_list(user=user_named("grace"))]
        assert sorted(grace) == ["Mangoes in motion", "Our class song"]
        peter = [item.page.title for item in review_list(user=user_named("peter"))]
        assert peter == ["Interview with the head teacher"]
        kinds = dict(MediaPage.objects.filter(title__in=[*grace, "Colour wheel notes"])
                     .values_list("title", "kind"))  # fmt: skip
        assert kinds == {
            "Mangoes in motion": "video",
            "Our class song": "audio",
            "Colour wheel notes": "document",
        }
        notes = MediaPage.objects.get(title="Colour wheel notes")
        status = media_page_status(notes)
        assert status.code == "changes_requested" and "Add your name" in status.comment
        assert _kinds("grace") == [Kind.SUBMITTED]
        assert _kinds("amina") == sorted([Kind.APPROVED, Kind.CHANGES_REQUESTED])
        assert _kinds("mama.amina@greenwood.test") == [Kind.CHILD_PUBLISHED]
        statuses = sorted(Donation.objects.values_list("status", flat=True))
        assert Status.PAID in statuses and Status.CANCELLED in statuses
        month = donations_this_month(user=user_named("admin@greenwood.test"))
        assert month["paid_total"] == 1750 and month["paid_count"] == 3
    with schema_context("riverside"):
        assert [i.page.title for i in review_list(user=user_named("mary"))] == ["Drum rhythm"]
        assert _kinds("baba.gloria@riverside.test") == [Kind.CHILD_PUBLISHED]
        assert Donation.objects.filter(status=Status.PAID).count() == 1


def test_the_guardian_sees_her_notification_waiting(story, greenwood):
    guardian = client_as(greenwood, "mama.amina@greenwood.test")
    html = guardian.get("/dashboard/").content.decode()
    assert 'aria-label="Notifications, 1 unread"' in html
    page = guardian.get("/notifications/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())  # names and titles are in spans
    assert "Amina’s work “Sunset over the lake” is published." in text


def test_the_story_is_made_once(story, capsys):
    with schema_context("greenwood"):
        before = (
            MediaPage.objects.count(),
            Donation.objects.count(),
            Notification.objects.count(),
            unread_count(user=user_named("grace")),
        )
    call_command("seed_demo")
    assert "Nothing new: the demo is loaded." in capsys.readouterr().out
    with schema_context("greenwood"):
        after = (
            MediaPage.objects.count(),
            Donation.objects.count(),
            Notification.objects.count(),
            unread_count(user=user_named("grace")),
        )
    assert after == before
