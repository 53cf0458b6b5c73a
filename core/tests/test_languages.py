"""The language rule (core.languages) and the menu's switch (core.language_switch), through
real requests: the person's choice, the cookie, the school's default, Accept-Language ignored,
and the page cache keeping one page per language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from conftest import client_as, client_for, school_user, user_named
from core import pagecache
from core.languages import language_for_user, school_default_language

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
PAGE = "/dashboard/"  # the school's work, a page cached for visitors
SAME_ORIGIN = {"HTTP_ORIGIN": "http://greenwood.localhost"}


def _language(response) -> str:
    """The language a page was rendered in: its <html lang>, and the header to match."""
    assert response.status_code == 200
    html = response.content.decode()
    lang = html.split('<html lang="', 1)[1].split('"', 1)[0]
    assert response["Content-Language"] == lang
    return lang


def test_a_visitor_gets_the_platform_language_by_default(greenwood):
    assert _language(client_for(greenwood).get(PAGE)) == "en"


def test_accept_language_is_ignored(greenwood):
    """A shared phone's browser language is not the child's choice."""
    response = client_for(greenwood).get(PAGE, HTTP_ACCEPT_LANGUAGE="sw")
    assert _language(response) == "en"


def test_the_cookie_chooses_the_language(greenwood):
    client = client_for(greenwood)
    client.cookies[COOKIE] = "sw"
    response = client.get(PAGE)
    assert _language(response) == "sw"
    assert "Ingia" in response.content.decode()  # "Sign in", in the menu
    client.cookies[COOKIE] = "xx"  # not one of LANGUAGES: ignored
    assert _language(client.get(PAGE)) == "en"


def test_the_school_default_applies_to_visitors_and_to_members_who_chose_none(greenwood):
    greenwood.default_language = "sw"
    greenwood.save()
    assert _language(client_for(greenwood).get(PAGE)) == "sw"
    assert _language(client_as(greenwood, "amina").get(PAGE)) == "sw"
    assert school_default_language(greenwood) == "sw"
    with schema_context(greenwood.schema_name):  # a task's connection: the row is read
        assert language_for_user(user_named("amina")) == "sw"
    english = client_for(greenwood)
    english.cookies[COOKIE] = "en"  # the visitor's own choice wins over the school's
    assert _language(english.get(PAGE)) == "en"


def test_a_persons_choice_wins_over_the_cookie_and_the_school(greenwood):
    amina = school_user(greenwood, "amina")
    amina.language = "sw"
    with schema_context(greenwood.schema_name):
        amina.save(update_fields=["language"])
    client = client_as(greenwood, "amina")
    client.cookies[COOKIE] = "en"
    assert _language(client.get(PAGE)) == "sw"


def test_the_switch_sets_the_cookie_and_goes_back(greenwood):
    client = client_for(greenwood)
    response = client.post("/language/", {"language": "sw", "next": PAGE}, **SAME_ORIGIN)
    assert response.status_code == 302 and response["Location"] == PAGE
    assert response.cookies[COOKIE].value == "sw"
    assert _language(client.get(PAGE)) == "sw"
    back = client.post("/language/", {"language": "en", "next": PAGE}, **SAME_ORIGIN)
    assert back.cookies[COOKIE].value == "en"
    assert _language(client.get(PAGE)) == "en"


def test_the_switch_saves_a_signed_in_persons_choice(greenwood):
    client = client_as(greenwood, "grace")
    response = client.post("/language/", {"language": "sw", "next": PAGE}, **SAME_ORIGIN)
    assert response.status_code == 302
    assert school_user(greenwood, "grace").language == "sw"
    # Another device, no cookie: the saved choice follows the person.
    assert _language(client_as(greenwood, "grace").get(PAGE)) == "sw"


def test_the_switch_refuses_a_cross_site_post_and_a_foreign_next(greenwood):
    client = client_as(greenwood, "grace")
    forged = client.post("/language/", {"language": "sw"}, HTTP_ORIGIN="http://evil.example")
    assert forged.status_code == 403
    assert COOKIE not in forged.cookies
    assert school_user(greenwood, "grace").language == ""
    response = client.post(
        "/language/", {"language": "sw", "next": "http://evil.example/"}, **SAME_ORIGIN
    )
    assert response["Location"] == "/"
    assert client.get("/language/").status_code == 405


def test_the_switch_works_on_the_platform_site(platform_client):
    response = platform_client.post(
        "/language/", {"language": "sw", "next": "/"}, HTTP_ORIGIN="http://localhost"
    )
    assert response.cookies[COOKIE].value == "sw"
    assert _language(platform_client.get("/")) == "sw"


@pytest.fixture
def cached(redis_caches, settings, greenwood):
    settings.PAGE_CACHE_ENABLED = True
    return greenwood


def _warm(client, path: str):
    for _attempt in range(3):
        response = client.get(path)
        if response.get(pagecache.HEADER) == pagecache.HIT:
            return response
    pytest.fail(f"{path} never came from the cache")


def test_the_page_cache_serves_each_language_its_own_page(cached):
    english = _warm(client_for(cached), PAGE)
    swahili_client = client_for(cached)
    swahili_client.post("/language/", {"language": "sw", "next": PAGE}, **SAME_ORIGIN)
    swahili = swahili_client.get(PAGE)
    assert swahili.get(pagecache.HEADER) != pagecache.HIT  # not the English entry
    assert _language(swahili) == "sw"
    assert _language(_warm(swahili_client, PAGE)) == "sw"
    assert _language(english) == "en"
    assert _language(_warm(client_for(cached), PAGE)) == "en"
    # A visitor's browser asking for Kiswahili still gets the English entry.
    browser = client_for(cached).get(PAGE, HTTP_ACCEPT_LANGUAGE="sw")
    assert browser.get(pagecache.HEADER) == pagecache.HIT and _language(browser) == "en"


def test_the_profile_saves_the_language(greenwood):
    client = client_as(greenwood, "brian")
    page = client.get("/accounts/profile/").content.decode()
    assert '<select name="language"' in page and '<option value="" selected>' in page
    data = {"display_name": "", "first_name": "Brian", "last_name": "Kamau", "language": "sw"}
    response = client.post("/accounts/profile/", data)
    assert response.status_code == 302
    assert school_user(greenwood, "brian").language == "sw"
    page = client.get("/accounts/profile/")
    assert _language(page) == "sw"
    assert '<option value="sw" selected lang="sw"' in page.content.decode()


def test_a_school_admin_sets_the_schools_language_in_the_admin(greenwood):
    teacher = client_as(greenwood, "grace")
    assert teacher.get("/admin/school/language/").status_code in (302, 403)
    admin = client_as(greenwood, "admin@greenwood.test")
    page = admin.get("/admin/school/language/")
    assert page.status_code == 200 and 'name="default_language"' in page.content.decode()
    response = admin.post("/admin/school/language/", {"default_language": "sw"})
    assert response.status_code == 302
    greenwood.refresh_from_db()
    assert greenwood.default_language == "sw"
    assert _language(client_for(greenwood).get(PAGE)) == "sw"  # the host's cache was dropped
    assert teacher.post("/admin/school/language/", {"default_language": ""}).status_code in (
        302,
        403,
    )
    greenwood.refresh_from_db()
    assert greenwood.default_language == "sw"


def test_the_wagtail_admin_keeps_wagtails_languages(greenwood):
    """A Kiswahili cookie or choice does not half-translate the Wagtail admin (Wagtail ships
    no Kiswahili): it stays in the admin's own language."""
    client = client_as(greenwood, "admin@greenwood.test")
    client.cookies[COOKIE] = "sw"
    response = client.get("/admin/")
    assert _language(client.get(PAGE)) == "sw"  # the front end follows the cookie
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kurasa" not in html and "Pages" in html  # Django's Kiswahili "Pages"
