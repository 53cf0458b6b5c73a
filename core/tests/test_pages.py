"""Page slugs: unique among siblings, and never one the site's own URLs take first."""

import pytest
from django_tenants.utils import schema_context
from wagtail.models import Site

from classrooms.models import Classroom
from classrooms.services import classroom_create
from core.pages import reserved_page_slugs, unique_child_slug

pytestmark = pytest.mark.django_db


def test_reserved_slugs_are_read_from_the_url_configuration():
    reserved = reserved_page_slugs()
    # Every first segment of mediahub/urls.py and the apps it includes, with static files;
    # "donate" and "donations" were missing from the hand-kept list this replaces.
    for segment in (
        "accounts",
        "admin",
        "documents",
        "donate",
        "donations",
        "media",
        "static",
        "dashboard",
        "my-media",
        "upload",
        "work",
        "review",
    ):
        assert segment in reserved
    # Wagtail's page catch-all is a pattern, not a segment.
    assert not any(segment.startswith("(") or "\\" in segment for segment in reserved)


def test_a_class_named_like_a_site_url_gets_a_slug_of_its_own(greenwood):
    with schema_context(greenwood.schema_name):
        classroom = classroom_create(name="Donate")
        assert classroom.page.slug == "donate-class"
        again = classroom_create(name="Donate")
        assert again.page.slug == "donate-class-2"


def test_slugs_below_a_class_page_are_only_unique(greenwood):
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.select_related("page").get(name="Art")
        assert unique_child_slug(art.page, "Donate", fallback="media") == "donate"
        home = Site.objects.get(is_default_site=True).root_page
        assert unique_child_slug(home, "!!!", fallback="class") == "class"
