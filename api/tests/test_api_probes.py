"""Cross-class probes of the API, generated from its URL configuration: every API route that
names an object is requested, with every method, by a student and a teacher of another class
(David and Peter, Media Studies) with the ids of the Art class's private work (Amina's
submission awaiting review) and of the Art class. Each answer is a 404 (or a 405 for a method
the route does not have; a 403 for a token without the scope, which names nothing), never a
server error, and none carries the work's title. New API routes are probed as soon as they
exist."""

import re

import pytest
from django_tenants.utils import schema_context

from api.tests.helpers import api_client, token_for
from classrooms.models import Classroom
from conftest import user_named
from media_library import services
from media_library.tests import samples
from mediahub.tests.test_cross_school import _CONVERTER, _school_routes

pytestmark = pytest.mark.django_db

SECRET = "Zebra QX7"
API_OBJECT_ROUTES = [r for r in _school_routes() if r.startswith("api/v1/") and "<" in r]


@pytest.fixture
def art_private(greenwood) -> dict:
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
        page = services.media_upload(
            classroom=art,
            uploaded_by=user_named("amina"),
            file=samples.uploaded(samples.png(), "secret.png"),
            title=f"{SECRET} drawing",
            visibility="private",
        )
        return {"work": page.pk, "class": art.pk}


def test_the_probe_covers_the_api():
    assert "api/v1/works/<int:work_id>/" in API_OBJECT_ROUTES
    assert len(API_OBJECT_ROUTES) >= 7


@pytest.mark.parametrize(("login", "scope"), [("david", "upload"), ("peter", "review")])
def test_another_class_finds_nothing_of_arts_private_work(greenwood, art_private, login, scope):
    client = api_client(greenwood, token_for(greenwood, login, scope))
    client.raise_request_exception = False
    problems = []
    for route in API_OBJECT_ROUTES:
        if route.endswith(("docs/", "openapi.json")):
            continue

        def value(match, route=route):
            return str(art_private["class" if "class" in match.group(2) else "work"])

        url = "/" + _CONVERTER.sub(value, route)
        for method in ("GET", "POST", "DELETE"):
            response = client.generic(method, url)
            allowed = {404, 405}
            if route.startswith("api/v1/review/") and scope != "review":
                allowed = {403, 405}
            if response.status_code not in allowed or SECRET.encode() in response.content:
                problems.append(f"{method} {url}: {response.status_code} {response.content[:80]}")
    assert not problems, "\n".join(problems)
    with schema_context(greenwood.schema_name):  # and nothing was changed or deleted
        from media_library.models import MediaPage

        page = MediaPage.objects.get(pk=art_private["work"])
        assert page.title == f"{SECRET} drawing" and not page.live


def test_the_routes_have_ids_the_probe_can_fill():
    for route in API_OBJECT_ROUTES:
        for match in _CONVERTER.finditer(route):
            assert match.group(1) == "int", route
            assert re.fullmatch(r"(work|class|gallery)_id", match.group(2)), route
