"""Who may open what, in one table: every front-end URL (accounts, the media front end)
and the key Wagtail admin URLs,
for each kind of person, against the demo class "Art" at Greenwood.

Columns: anonymous, a student of Art, a student of another class, Art's teacher, a teacher
of another class, the school admin. 302 means sent elsewhere (to sign in, or Wagtail's
"no permission" redirect); 404 means the object is not there for that person.
"""

import pytest
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, client_for
from media_library.models import MediaPage

pytestmark = pytest.mark.django_db

PERSONAS = {
    "anonymous": None,
    "student": "amina",  # enrolled in Art
    "other_student": "david",  # Media Studies only
    "teacher": "grace",  # teaches Art
    "other_teacher": "peter",  # teaches Media Studies only
    "school_admin": "admin@greenwood.test",
}

#                                        anon student other  teacher other_t admin
MATRIX = {
    # Front end
    "/": (200, 200, 200, 200, 200, 200),
    "{class_page}": (200, 200, 200, 200, 200, 200),
    "/accounts/login/": (200, 302, 302, 302, 302, 302),  # signed in: sent on
    "/accounts/signup/": (200, 302, 302, 302, 302, 302),  # signed in: join instead
    "/accounts/join/": (302, 200, 200, 200, 200, 200),
    "/accounts/password-reset/": (200, 200, 200, 200, 200, 200),
    "/accounts/profile/": (302, 200, 200, 200, 200, 200),
    "/accounts/password/": (302, 200, 200, 200, 200, 200),
    # The media front end (3/6). {school_work}: Brian's (Art) work for the whole school;
    # {class_work}: David's work for Media Studies only (David is "other_student", taught
    # by Peter, "other_teacher"); {class_file}: its stored file.
    "/dashboard/": (200, 200, 200, 200, 200, 200),
    "/my-media/": (302, 200, 200, 200, 200, 200),
    "/upload/": (302, 200, 200, 200, 200, 200),
    "/work/{school_work}/": (404, 200, 200, 200, 200, 200),
    "/work/{school_work}/edit/": (302, 404, 404, 404, 404, 404),
    "/work/{school_work}/delete/": (302, 404, 404, 404, 404, 404),
    "/work/{class_work}/": (404, 404, 200, 404, 200, 200),
    "/work/{class_work}/edit/": (302, 404, 200, 404, 404, 404),
    "/work/{class_work}/delete/": (302, 404, 200, 404, 404, 404),
    "/media/greenwood/{class_file}": (404, 404, 200, 404, 200, 200),
    "/admin/media/": (302, 302, 302, 200, 200, 200),
    # Wagtail admin
    "/admin/": (302, 302, 302, 200, 200, 200),
    "/admin/pages/{page}/": (302, 302, 302, 200, 404, 200),
    "/admin/pages/{page}/edit/": (302, 302, 302, 200, 404, 200),
    "/admin/images/?collection_id={collection}": (302, 302, 302, 200, 404, 200),
    "/admin/documents/?collection_id={collection}": (302, 302, 302, 200, 404, 200),
    "/admin/collections/": (302, 302, 302, 302, 302, 200),
    "/admin/collections/{collection}/": (302, 302, 302, 302, 302, 200),
    "/admin/users/": (302, 302, 302, 302, 302, 200),
    "/admin/groups/": (302, 302, 302, 302, 302, 200),
    "/admin/classes/": (302, 302, 302, 200, 200, 200),
    "/admin/classes/new/": (302, 302, 302, 302, 302, 200),
    "/admin/invitations/": (302, 302, 302, 302, 302, 200),
    "/admin/classes/{classroom}/people/": (302, 302, 302, 200, 404, 200),
    "/admin/classes/edit/{classroom}/": (302, 302, 302, 200, 404, 200),
    # Wagtail lists, to each admin user, the history of what they can see.
    "/admin/reports/site-history/": (302, 302, 302, 200, 200, 200),
}

CASES = [
    (url, persona, expected[i])
    for url, expected in MATRIX.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.fixture
def art(greenwood) -> dict:
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.select_related("page").get(name="Art")
        school_work = MediaPage.objects.get(title="Still life with mangoes")
        class_work = MediaPage.objects.select_related("image").get(title="Our school garden")
        return {
            "school_work": school_work.pk,
            "class_work": class_work.pk,
            "class_file": class_work.image.file.name,
            "page": art.page_id,
            "class_page": art.page.url,
            "collection": art.collection_id,
            "classroom": art.pk,
        }


@pytest.mark.parametrize(("url", "persona", "expected"), CASES)
def test_role_matrix(greenwood, art, url, persona, expected):
    login = PERSONAS[persona]
    client = client_as(greenwood, login) if login else client_for(greenwood)
    path = url.format(**art)

    response = client.get(path)

    assert response.status_code == expected, f"{persona} GET {path}"
