"""Who sees what: visibility × person, the school's public switch, drafts, and a dashboard
whose query count does not grow with the number of items."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from classrooms.models import Classroom
from conftest import user_named
from families.tests.factories import consent_for
from media_library import selectors, services
from media_library.models import SchoolMediaSettings
from media_library.tests import samples

pytestmark = pytest.mark.django_db


def _publish(page):
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


def _item(visibility, *, owner="amina", classroom="Art", publish=True, kind_data=None):
    page = services.media_upload(
        classroom=Classroom.objects.get(name=classroom),
        uploaded_by=user_named(owner),
        file=samples.uploaded(kind_data or samples.png(), "x.png"),
        title=f"{visibility} by {owner}",
        visibility=visibility,
    )
    return _publish(page) if publish else page


VIEWERS = ["anonymous", "amina", "brian", "david", "grace", "peter", "admin@greenwood.test"]
# amina and brian are in Art, david is not; grace teaches Art, peter does not.
EXPECTED = {
    "public": {"anonymous", "amina", "brian", "david", "grace", "peter", "admin@greenwood.test"},
    "school": {"amina", "brian", "david", "grace", "peter", "admin@greenwood.test"},
    "class": {"amina", "brian", "grace", "admin@greenwood.test"},
    "private": {"amina", "grace", "admin@greenwood.test"},
}


@pytest.mark.parametrize("visibility", list(EXPECTED))
def test_visibility(school, visibility):
    page = _item(visibility)
    for viewer in VIEWERS:
        user = AnonymousUser() if viewer == "anonymous" else user_named(viewer)
        listed = page in selectors.media_page_list(user=user)
        assert listed == (viewer in EXPECTED[visibility]), (visibility, viewer)
        if viewer not in EXPECTED[visibility]:
            with pytest.raises(Http404):
                selectors.media_page_get(user=user, pk=page.pk)


def test_drafts_are_seen_by_their_owner_only_in_my_media(school):
    draft = _item("public", publish=False)
    assert draft not in selectors.media_page_list(user=user_named("brian"))
    assert draft not in selectors.media_page_list(user=AnonymousUser())
    assert draft in selectors.media_page_list_own(user=user_named("amina"))
    assert selectors.media_page_get(user=user_named("amina"), pk=draft.pk) == draft
    assert selectors.media_page_status(draft).code == "awaiting_approval"  # sent to its teachers
    assert selectors.media_page_status(_item("public")).code == "published"


def test_the_public_switch_hides_everything_from_visitors(school):
    page = _item("public")
    settings = SchoolMediaSettings.for_site(Site.objects.get(is_default_site=True))
    settings.allow_public = False
    settings.save()
    assert page not in selectors.media_page_list(user=AnonymousUser())
    assert page in selectors.media_page_list(user=user_named("david"))  # still school-wide


def test_filters(school):
    image = _item("school")
    pdf = _item("school", kind_data=samples.pdf())
    consent_for(user_named("david"))
    media = _item("school", owner="david", classroom="Media Studies")
    user = user_named("admin@greenwood.test")
    mine = {image, pdf, media}  # the demo has published work too
    assert set(selectors.media_page_list(user=user, kind="document")) & mine == {pdf}
    art = Classroom.objects.get(name="Art")
    in_art = set(selectors.media_page_list(user=user, classroom=art))
    assert in_art & mine == {image, pdf}
    assert all(p.get_parent().pk == art.page_id for p in in_art)
    assert set(selectors.media_page_list(user=user, query="by david")) == {media}
    assert set(selectors.media_page_list(user=user, tag="art")) & mine == set()


def test_dashboard_queries_do_not_grow_with_items(school):
    user = user_named("admin@greenwood.test")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            cards = [  # what a card shows
                (page.asset.title, page.owner.first_name, page.class_title)
                for page in selectors.media_page_list(user=user)[:50]
            ]
        assert cards and all(class_title for *_, class_title in cards)
        return len(ctx)

    count()  # the first look creates the school's media settings row
    for _ in range(5):
        _item("school")
    five = count()
    for _ in range(45):
        _item("school")
    fifty = count()
    assert fifty == five
