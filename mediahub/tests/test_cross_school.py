"""Cross-school probe, generated from the URL configuration: every named URL of a school's
site (the front end, the Wagtail admin, documents, stored files) is requested on school B
(Riverside) with the ids of school A's (Greenwood's) objects, with a session made at A (its
school admin's, its guardian's) and signed in at B (its school admin, its guardian). No
answer may be a server error, and no answer may carry anything of A: its name, its people,
its classes, its work or its files.

New views are probed as soon as their URL exists: nothing here lists them by hand.
"""

import re

import pytest
from django.conf import settings
from django.urls import URLResolver, get_resolver
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, client_for
from media_library.models import MediaPage

pytestmark = pytest.mark.django_db

# What of Greenwood must never show at Riverside.
MARKERS = (
    "Greenwood",
    "greenwood.test",
    "Sunset over the lake",
    "Still life with mangoes",
    "Our school garden",
    "Art (Form 2)",
    "Media Studies",
    "Amina",
    "Grace",
)
# Wagtail's page that raises on purpose (to test error reporting), for admins.
DELIBERATE_ERRORS = {"admin/failwhale/"}
# Parameters of Django's path converters; regex groups are turned into the same.
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif pattern.name:
            yield route


def _school_routes() -> list[str]:
    routes = []
    for route in _routes(get_resolver(settings.ROOT_URLCONF).url_patterns):
        route = route.replace("^", "").replace("$", "").replace("\\Z", "")
        route = _GROUP.sub(lambda m: f"<{m.group(1)}>", route)
        if re.search(r"[()\[\]*+?|\\]", route):
            continue  # a regex we can't fill in (none of ours; Wagtail's catch-all serve)
        if route not in routes:
            routes.append(route)
    return routes


ROUTES = _school_routes()


@pytest.fixture
def greenwood_ids(greenwood) -> dict:
    """Ids and names of Greenwood's objects, to ask Riverside for."""
    with schema_context(greenwood.schema_name):
        work = MediaPage.objects.select_related("image").get(title="Sunset over the lake")
        art = Classroom.objects.get(name="Art")
        from accounts.models import User

        return {
            "page": work.pk,
            "image": work.image_id,
            "collection": art.collection_id,
            "class": art.pk,
            "user": User.objects.get(username="amina").pk,
            "file": work.image.file.name,
        }


def _fill(route: str, ids: dict) -> str:
    def value(match):
        converter, name = match.group(1) or "str", match.group(2)
        if converter == "path" or name == "name":
            return ids["file"]
        if name == "schema":
            return "greenwood"
        if converter == "uuid":
            return "00000000-0000-0000-0000-000000000001"
        if converter != "int" and not name.endswith(("id", "pk")):
            return "greenwood"
        for key in ("image", "collection", "class", "user"):
            if key in route or key in name:
                return str(ids[key])
        return str(ids["page"])

    return "/" + _CONVERTER.sub(value, route)


def test_the_probe_covers_the_site():
    assert len(ROUTES) > 100  # the Wagtail admin's URLs and ours
    for ours in ("upload/", "work/<int:pk>/", "media/<str:schema>/<path:name>"):
        assert ours in ROUTES


@pytest.mark.parametrize(
    "who",
    ["greenwood session", "greenwood guardian session", "riverside admin", "riverside guardian"],
)
def test_no_url_of_school_b_gives_anything_of_school_a(greenwood, riverside, greenwood_ids, who):
    if who == "greenwood session":
        client = client_for(riverside)
        # A session made at Greenwood, carried over to Riverside's host.
        client.cookies = client_as(greenwood, "admin@greenwood.test").cookies
    elif who == "greenwood guardian session":
        client = client_for(riverside)
        client.cookies = client_as(greenwood, "mama.amina@greenwood.test").cookies
    elif who == "riverside guardian":
        client = client_as(riverside, "baba.gloria@riverside.test")
    else:
        client = client_as(riverside, "admin@riverside.test")
    client.raise_request_exception = False  # a 500 is a finding, listed with the others
    problems = []
    for route in ROUTES:
        if route in DELIBERATE_ERRORS:
            continue
        url = _fill(route, greenwood_ids)
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        found = [marker for marker in MARKERS if marker in text]
        if found:
            problems.append(f"{url}: {response.status_code} shows {found}")
    assert not problems, "\n".join(problems)
