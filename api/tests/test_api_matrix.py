"""The role matrix of the API: every endpoint, for each kind of person, with a token of the
scope they would make (upload for students and guardians, review for teachers and admins),
against the demo class "Art" at Greenwood, as classrooms/tests/test_role_matrix.py does for
the site. Anything a person may not see is a 404, as on the site; a token without the
scope an endpoint needs is a 403 that names nothing; no token is a 401."""

import re

import pytest
from django_tenants.utils import schema_context

from api.tests.helpers import api_client, token_for
from api.urls import ENDPOINTS
from classrooms.models import Classroom
from classrooms.tests.test_role_matrix import PERSONAS
from conftest import user_named
from galleries.models import GalleryPage
from media_library import services
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

SCOPES = {
    "student": "upload",
    "other_student": "upload",
    "teacher": "review",
    "other_teacher": "review",
    "school_admin": "review",
    "guardian": "upload",
}

# {school_work}: Brian's (Art) work for the whole school; {class_work}: David's work for
# Media Studies only (David is "other_student", taught by Peter, "other_teacher");
# {review}: Amina's submission to Art, awaiting Grace's review.
#                                               anon student other teacher other_t admin guardian
MATRIX = {
    ("GET", "/api/v1/"): (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/docs/"): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/openapi.json"): (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/works/"): (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/works/{school_work}/"): (401, 200, 200, 200, 200, 200, 404),
    ("GET", "/api/v1/works/{class_work}/"): (401, 404, 200, 404, 200, 200, 404),
    ("GET", "/api/v1/works/{review}/"): (401, 200, 404, 404, 404, 404, 404),
    ("GET", "/api/v1/classes/"): (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/classes/{classroom}/works/"): (401, 200, 404, 200, 404, 200, 404),
    ("GET", "/api/v1/galleries/"): (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/galleries/{gallery}/"): (401, 200, 200, 200, 200, 200, 200),
    ("GET", "/api/v1/children/"): (401, 404, 404, 404, 404, 404, 200),
    ("GET", "/api/v1/me/works/"): (401, 200, 200, 200, 200, 200, 200),
    ("POST", "/api/v1/me/works/"): (401, 400, 400, 400, 400, 400, 400),  # no file, no class
    ("POST", "/api/v1/me/works/{class_work}/"): (401, 404, 200, 404, 404, 404, 404),
    ("POST", "/api/v1/me/works/{school_work}/"): (401, 404, 404, 404, 404, 404, 404),
    ("DELETE", "/api/v1/me/works/{class_work}/"): (401, 404, 204, 404, 404, 404, 404),
    ("GET", "/api/v1/review/"): (401, 403, 403, 200, 200, 200, 403),
    ("GET", "/api/v1/review/{review}/"): (401, 403, 403, 200, 404, 200, 403),
    ("POST", "/api/v1/review/{review}/approve/"): (401, 403, 403, 200, 404, 200, 403),
    # Without the comment it requires: the form's message, to those who may decide.
    ("POST", "/api/v1/review/{review}/request-changes/"): (401, 403, 403, 400, 404, 400, 403),
}
CASES = [
    (method, url, persona, expected[i])
    for (method, url), expected in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.fixture
def art(greenwood) -> dict:
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
        review = services.media_upload(
            classroom=art,
            uploaded_by=user_named("amina"),
            file=samples.uploaded(samples.png(), "lake.png"),
            title="Lake at noon",
        )
        return {
            "school_work": MediaPage.objects.get(title="Still life with mangoes").pk,
            "class_work": MediaPage.objects.get(title="Our school garden").pk,
            "review": review.pk,
            "classroom": art.pk,
            "gallery": GalleryPage.objects.get(title="Art: best of term").pk,
        }


@pytest.mark.parametrize(("method", "url", "persona", "expected"), CASES)
def test_api_role_matrix(greenwood, art, method, url, persona, expected):
    login = PERSONAS[persona]
    token = token_for(greenwood, login, SCOPES[persona]) if login else None
    client = api_client(greenwood, token)
    path = url.format(**art)

    response = client.generic(method, path)

    assert response.status_code == expected, f"{persona} {method} {path}: {response.content}"
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    if expected in (400, 401, 403, 404) and "docs" not in url:
        assert set(response.json()) == {"errors"}
    if expected == 404:  # nothing of the work: its title is not in the answer
        assert b"Lake at noon" not in response.content


def test_the_matrix_covers_every_endpoint():
    def shape(path: str) -> str:
        return re.sub(r"\{\w+\}", "{}", path.split("/api/v1/")[-1])

    covered = {(method, shape(url)) for method, url in MATRIX}
    for method, path, _scope, _what in ENDPOINTS:
        assert (method, shape(path)) in covered, (method, path)
