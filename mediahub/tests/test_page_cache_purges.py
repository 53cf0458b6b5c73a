"""Every event of 11/13 makes the next anonymous view fresh (core.pagecache_purges): a visitor
warms a page (a hit on the second request), the event happens and commits, and the next
anonymous request is rendered again and shows the change. On the real Redis (`redis_caches`).

And the general defence holds: every installed model either purges its school's pages when
written, or is excluded with a reason (core.pagecache_purges.EXCLUDED)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django_tenants.utils import schema_context
from wagtail.models import Page, PageViewRestriction, Site

from classrooms.models import Classroom, ClassroomPage
from conftest import client_for, user_named
from core import pagecache
from core.pagecache_purges import EXCLUDED
from donations.models import DonationSettings
from families import consent
from families.models import Purpose
from galleries.models import GalleryPage
from home.models import HomePage
from media_library import services
from media_library.models import MediaPage, SchoolMediaSettings
from media_library.tests import samples

pytestmark = pytest.mark.django_db

# Models of the public schema (the platform's): no school page shows them, except the school's
# own row and its domains, whose saves purge that school (tenants/signals).
PUBLIC_ONLY_APPS = {"tenants", "django_tasks_db", "django_tasks"}  # app names


@pytest.fixture
def cached(redis_caches, settings, school, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_ENABLED = True
    return school


def _path(page) -> str:
    return urlsplit(page.get_url()).path


def _visit(school, path: str):
    """A new visitor (no cookies): what they get, and whether it came from the cache."""
    response = client_for(school).get(path)
    return response, response.get(pagecache.HEADER)


def _warm(school, path: str, capture) -> None:
    """Two or three visits: the first render may make renditions, whose saves purge (and so
    drop that first render's entry); the next render is stored, and the one after is a hit.
    Inside the capture, so those purges run as they would once the request committed."""
    with capture(execute=True):
        first, _state = _visit(school, path)
    assert first.status_code == 200, path
    for _attempt in range(2):
        with capture(execute=True):
            second, state = _visit(school, path)
        if state == pagecache.HIT:
            break
    assert state == pagecache.HIT, f"{path} was not served from the cache"
    assert second.content.count(b"<") == first.content.count(b"<")


def _committed(django_capture_on_commit_callbacks, event) -> None:
    """Runs the event, then its transaction's on-commit work (the purge among it)."""
    with django_capture_on_commit_callbacks(execute=True):
        event()


def _fresh(school, path: str):
    response, state = _visit(school, path)
    assert state != pagecache.HIT, f"{path} still served from the cache after the event"
    return response


def _work(visibility="public", *, title, owner="amina", classroom="Art", capture=None):
    """A published work; with `capture`, committed (its purge done) before the test goes on."""
    if capture is not None:
        with capture(execute=True):
            return _work(visibility, title=title, owner=owner, classroom=classroom)
    with schema_context("greenwood"):
        page = services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(samples.png(), "x.png"),
            title=title,
            visibility=visibility,
        )
        page.get_latest_revision().publish()
        return MediaPage.objects.get(pk=page.pk)


def _class_page(name="Art") -> ClassroomPage:
    return ClassroomPage.objects.get(classroom__name=name)


# --- The events --------------------------------------------------------------------------------
def test_publish(cached, django_capture_on_commit_callbacks):
    _warm(cached, "/dashboard/", django_capture_on_commit_callbacks)
    _committed(django_capture_on_commit_callbacks, lambda: _work(title="Freshly published"))
    assert b"Freshly published" in _fresh(cached, "/dashboard/").content


def test_unpublish(cached, django_capture_on_commit_callbacks):
    work = _work(title="Soon withdrawn", capture=django_capture_on_commit_callbacks)
    _warm(cached, f"/work/{work.pk}/", django_capture_on_commit_callbacks)
    _committed(django_capture_on_commit_callbacks, lambda: work.unpublish())
    assert _fresh(cached, f"/work/{work.pk}/").status_code == 404


def test_delete(cached, django_capture_on_commit_callbacks):
    work = _work(title="Soon deleted", capture=django_capture_on_commit_callbacks)
    _warm(cached, "/dashboard/", django_capture_on_commit_callbacks)
    assert b"Soon deleted" in _visit(cached, "/dashboard/")[0].content
    _committed(
        django_capture_on_commit_callbacks,
        lambda: services.media_delete(page=work, user=user_named("amina")),
    )
    assert b"Soon deleted" not in _fresh(cached, "/dashboard/").content
    assert _fresh(cached, f"/work/{work.pk}/").status_code == 404


def test_move(cached, django_capture_on_commit_callbacks):
    work = _work(title="Moving work", capture=django_capture_on_commit_callbacks)
    art, other = _class_page("Art"), ClassroomPage.objects.exclude(classroom__name="Art")[0]
    _warm(cached, _path(art), django_capture_on_commit_callbacks)
    assert b"Moving work" in _visit(cached, _path(art))[0].content
    _committed(django_capture_on_commit_callbacks, lambda: work.move(other, pos="last-child"))
    assert b"Moving work" not in _fresh(cached, _path(art)).content


def test_visibility_field(cached, django_capture_on_commit_callbacks):
    work = _work(title="Public for now", capture=django_capture_on_commit_callbacks)
    _warm(cached, f"/work/{work.pk}/", django_capture_on_commit_callbacks)

    def narrow():
        work.visibility = "school"
        work.save_revision().publish()

    _committed(django_capture_on_commit_callbacks, narrow)
    assert _fresh(cached, f"/work/{work.pk}/").status_code == 404


def test_view_restriction(cached, django_capture_on_commit_callbacks):
    art = _class_page("Art")
    _warm(cached, _path(art), django_capture_on_commit_callbacks)
    _committed(
        django_capture_on_commit_callbacks,
        lambda: PageViewRestriction.objects.create(
            page=art, restriction_type=PageViewRestriction.LOGIN
        ),
    )
    assert _fresh(cached, _path(art)).status_code == 302  # to sign in


def test_consent_withdrawal(cached, django_capture_on_commit_callbacks):
    sunset = MediaPage.objects.get(title="Sunset over the lake")  # the demo's, public
    _warm(cached, f"/work/{sunset.pk}/", django_capture_on_commit_callbacks)
    amina, guardian = user_named("amina"), user_named("mama.amina@greenwood.test")
    _committed(
        django_capture_on_commit_callbacks,
        lambda: consent.consent_withdraw(student=amina, purpose=Purpose.PUBLIC, by=guardian),
    )
    assert _fresh(cached, f"/work/{sunset.pk}/").status_code == 404


def test_consent_pages_changed_alone_purges(cached, django_capture_on_commit_callbacks):
    """A bulk path that saves nothing still purges through families' signal."""
    from families.signals import consent_pages_changed

    _warm(cached, "/dashboard/", django_capture_on_commit_callbacks)
    _committed(
        django_capture_on_commit_callbacks,
        lambda: consent_pages_changed.send(
            sender=MediaPage, student=user_named("amina"), purpose=Purpose.DONATIONS, page_ids=[]
        ),
    )
    _fresh(cached, "/dashboard/")


def test_gallery_edit(cached, django_capture_on_commit_callbacks):
    gallery = GalleryPage.objects.live().first()
    if gallery is None:
        pytest.skip("the demo has no live gallery")
    _warm(cached, _path(gallery), django_capture_on_commit_callbacks)

    def edit():
        gallery.title = "Renamed gallery xyz"
        gallery.save_revision().publish()

    _committed(django_capture_on_commit_callbacks, edit)
    assert b"Renamed gallery xyz" in _fresh(cached, _path(gallery)).content


def test_public_switch(cached, django_capture_on_commit_callbacks):
    work = _work(title="For everyone", capture=django_capture_on_commit_callbacks)
    _warm(cached, f"/work/{work.pk}/", django_capture_on_commit_callbacks)

    def switch_off():
        media_settings = SchoolMediaSettings.for_site(Site.objects.get(is_default_site=True))
        media_settings.allow_public = False
        media_settings.save()

    _committed(django_capture_on_commit_callbacks, switch_off)
    assert _fresh(cached, f"/work/{work.pk}/").status_code == 404


def test_donation_settings(cached, django_capture_on_commit_callbacks):
    home = HomePage.objects.live().first()
    _warm(cached, _path(home), django_capture_on_commit_callbacks)

    def toggle():
        donation_settings = DonationSettings.for_site(Site.objects.get(is_default_site=True))
        donation_settings.enabled = not donation_settings.enabled
        donation_settings.save()

    _committed(django_capture_on_commit_callbacks, toggle)
    assert _fresh(cached, _path(home)).status_code == 200


def test_rendition_or_poster_save(cached, django_capture_on_commit_callbacks):
    """A rendition made, or a poster set on the media row, purges: the next view shows it."""
    work = _work(title="With a rendition", capture=django_capture_on_commit_callbacks)
    _warm(cached, f"/work/{work.pk}/", django_capture_on_commit_callbacks)
    image = work.image
    _committed(
        django_capture_on_commit_callbacks, lambda: image.get_rendition("fill-77x77").file.name
    )
    _fresh(cached, f"/work/{work.pk}/")


def test_home_page_edit(cached, django_capture_on_commit_callbacks):
    home = HomePage.objects.live().first()
    _warm(cached, _path(home), django_capture_on_commit_callbacks)

    def edit():
        home.title = "Welcome xyz"
        home.save_revision().publish()

    _committed(django_capture_on_commit_callbacks, edit)
    assert _fresh(cached, _path(home)).status_code == 200


def test_one_purge_per_transaction(cached, django_capture_on_commit_callbacks):
    _warm(cached, "/dashboard/", django_capture_on_commit_callbacks)
    before = pagecache.page_cache_generation("greenwood")
    with django_capture_on_commit_callbacks(execute=True):
        _work(title="One")
        _work(title="Two")
    assert pagecache.page_cache_generation("greenwood") == before + 1


def test_sign_in_purges_nothing(cached, django_capture_on_commit_callbacks):
    """Signing in writes last_login (and a session): no purge, or every sign-in would empty
    the visitors' cache."""
    _warm(cached, "/dashboard/", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cached).force_login(user_named("amina"))
    assert _visit(cached, "/dashboard/")[1] == pagecache.HIT


def test_excluded_models_purge_nothing(cached, django_capture_on_commit_callbacks):
    from django.contrib.sessions.backends.db import SessionStore

    _warm(cached, "/dashboard/", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        SessionStore().create()
    assert _visit(cached, "/dashboard/")[1] == pagecache.HIT


# --- The general defence -------------------------------------------------------------------------
def test_every_model_purges_or_is_excluded_with_a_reason():
    tenant_apps = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    unaccounted = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in EXCLUDED:
            assert EXCLUDED[label].strip(), f"{label} is excluded without a reason"
            continue
        app_config = model._meta.app_config
        in_school = app_config.name in settings.TENANT_APPS or app_config.label in tenant_apps
        if not in_school and app_config.name not in PUBLIC_ONLY_APPS:
            unaccounted.append(label)
    assert not unaccounted, (
        "Models neither purging (a school's) nor excluded with a reason "
        f"(core.pagecache_purges.EXCLUDED): {unaccounted}"
    )
    for label in EXCLUDED:
        assert apps.get_model(label), label


def test_every_school_model_write_purges(cached, django_capture_on_commit_callbacks):
    """The defence is general: a write of a model no event names (a Wagtail Site) purges."""
    _warm(cached, "/dashboard/", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        site = Site.objects.get(is_default_site=True)
        site.save()
    _fresh(cached, "/dashboard/")
    assert Page.objects.exists()
