"""Who may open what, in one table: every front-end URL (accounts, the media front end,
reviewing, galleries, donations)
and the key Wagtail admin URLs,
for each kind of person, against the demo class "Art" at Greenwood.

Columns: anonymous, a student of Art, a student of another class, Art's teacher, a teacher
of another class, the school admin, and a guardian of a student of Art (Amina): a guardian
sees their own children's work and, of anyone else's, what a visitor sees. 302 means sent
elsewhere (to sign in, or Wagtail's "no permission" redirect); 404 means the object is not
there for that person.
"""

import pytest
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from donations.tests.factories import donation_row
from galleries.models import GalleryPage
from media_library import services
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

PERSONAS = {
    "anonymous": None,
    "student": "amina",  # enrolled in Art
    "other_student": "david",  # Media Studies only
    "teacher": "grace",  # teaches Art
    "other_teacher": "peter",  # teaches Media Studies only
    "school_admin": "admin@greenwood.test",
    "guardian": "mama.amina@greenwood.test",  # Amina's guardian: her work, no admin
}

#                                        anon student other  teacher other_t admin guardian
MATRIX = {
    # Front end
    "/": (200, 200, 200, 200, 200, 200, 200),
    "{class_page}": (200, 200, 200, 200, 200, 200, 200),
    "/accounts/login/": (200, 302, 302, 302, 302, 302, 302),  # signed in: sent on
    "/accounts/signup/": (200, 302, 302, 302, 302, 302, 302),  # signed in: join instead
    "/accounts/join/": (302, 200, 200, 200, 200, 200, 200),
    "/accounts/password-reset/": (200, 200, 200, 200, 200, 200, 200),
    "/accounts/profile/": (302, 200, 200, 200, 200, 200, 200),
    "/accounts/password/": (302, 200, 200, 200, 200, 200, 200),
    # The media front end (3/6). {school_work}: Brian's (Art) work for the whole school;
    # {class_work}: David's work for Media Studies only (David is "other_student", taught
    # by Peter, "other_teacher"); {class_file}: its stored file.
    "/dashboard/": (200, 200, 200, 200, 200, 200, 200),
    "/my-media/": (302, 200, 200, 200, 200, 200, 200),
    "/upload/": (302, 200, 200, 200, 200, 200, 200),
    "/work/{school_work}/": (404, 200, 200, 200, 200, 200, 404),
    "/work/{school_work}/edit/": (302, 404, 404, 404, 404, 404, 404),
    "/work/{school_work}/delete/": (302, 404, 404, 404, 404, 404, 404),
    "/work/{class_work}/": (404, 404, 200, 404, 200, 200, 404),
    "/work/{class_work}/edit/": (302, 404, 200, 404, 404, 404, 404),
    "/work/{class_work}/delete/": (302, 404, 200, 404, 404, 404, 404),
    "/media/greenwood/{class_file}": (404, 404, 200, 404, 200, 200, 404),
    "/admin/media/": (302, 302, 302, 200, 200, 200, 302),
    # Wagtail admin
    "/admin/": (302, 302, 302, 200, 200, 200, 302),
    "/admin/pages/{page}/": (302, 302, 302, 200, 404, 200, 302),
    "/admin/pages/{page}/edit/": (302, 302, 302, 200, 404, 200, 302),
    "/admin/images/?collection_id={collection}": (302, 302, 302, 200, 404, 200, 302),
    "/admin/documents/?collection_id={collection}": (302, 302, 302, 200, 404, 200, 302),
    "/admin/collections/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/collections/{collection}/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/users/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/groups/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/classes/": (302, 302, 302, 200, 200, 200, 302),
    "/admin/classes/new/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/invitations/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/classes/{classroom}/people/": (302, 302, 302, 200, 404, 200, 302),
    "/admin/classes/edit/{classroom}/": (302, 302, 302, 200, 404, 200, 302),
    # Wagtail lists, to each admin user, the history of what they can see.
    "/admin/reports/site-history/": (302, 302, 302, 200, 200, 200, 302),
    # Reviewing (4/6). The queue is everyone's page (a student's is empty); {review}: Amina's
    # submission to Art, awaiting Grace's review.
    "/review/": (302, 200, 200, 200, 200, 200, 200),
    "/review/{review}/": (302, 404, 404, 200, 404, 200, 404),
    # Galleries (4/6): the chooser offers approved work of one's own classes only.
    "{gallery_page}": (200, 200, 200, 200, 200, 200, 200),
    "/admin/galleries/choose-media/": (302, 302, 302, 200, 200, 200, 302),
    "/admin/galleries/choose-media/chosen/{school_work}/": (302, 302, 302, 200, 404, 200, 302),
    # Oversight and privacy (4/6), school admins only; {student}: Amina.
    "/admin/all-media/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/privacy/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/privacy/{student}/export/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/privacy/{student}/erase/": (302, 302, 302, 302, 302, 200, 302),
    "/admin/privacy/{teacher}/export/": (302, 302, 302, 302, 302, 404, 302),  # not a student
    # Donations (5/6): the form on the public demo work, a paid donation's waiting page and
    # its status (the reference is the key), Daraja's callback (POST only), the report.
    "/donate/{donate_page}/": (200, 200, 200, 200, 200, 200, 200),
    "/donations/{donation}/": (200, 200, 200, 200, 200, 200, 200),
    "/donations/{donation}/status/": (200, 200, 200, 200, 200, 200, 200),
    "/donations/callback/{callback_token}/": (405, 405, 405, 405, 405, 405, 405),
    "/admin/reports/donations/": (302, 302, 302, 200, 200, 200, 302),
    # Families (10/13): joining with a family code (signed in: another child), a guardian's
    # pages, and the school's Families pages (a teacher: their own classes).
    "/families/join/": (200, 200, 200, 200, 200, 200, 200),
    "/families/account/": (302, 404, 404, 404, 404, 404, 200),
    "/my-children/": (302, 404, 404, 404, 404, 404, 200),
    "/admin/families/": (302, 302, 302, 200, 200, 200, 302),
    "/admin/families/{classroom}/": (302, 302, 302, 200, 404, 200, 302),
    "/admin/families/{classroom}/slips/": (302, 302, 302, 200, 404, 200, 302),
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
        gallery = GalleryPage.objects.get(title="Art: best of term")
        donation = donation_row(classroom="Art")
        return {
            "gallery_page": gallery.url,
            "student": user_named("amina").pk,
            "teacher": user_named("grace").pk,
            "donate_page": MediaPage.objects.get(title="Sunset over the lake").pk,
            "donation": donation.reference,
            "callback_token": donation.callback_token,
            "school_work": school_work.pk,
            "class_work": class_work.pk,
            "class_file": class_work.image.file.name,
            "page": art.page_id,
            "class_page": art.page.url,
            "collection": art.collection_id,
            "classroom": art.pk,
        }


@pytest.fixture
def art_submission(greenwood) -> int:
    with schema_context(greenwood.schema_name):
        page = services.media_upload(
            classroom=Classroom.objects.get(name="Art"),
            uploaded_by=user_named("amina"),
            file=samples.uploaded(samples.png(), "lake.png"),
            title="Lake at noon",
        )
        return page.pk


@pytest.mark.parametrize(("url", "persona", "expected"), CASES)
def test_role_matrix(request, greenwood, art, url, persona, expected):
    login = PERSONAS[persona]
    client = client_as(greenwood, login) if login else client_for(greenwood)
    values = dict(art)
    if "{review}" in url:  # an upload, only where it is needed
        values["review"] = request.getfixturevalue("art_submission")
    path = url.format(**values)

    response = client.get(path)

    assert response.status_code == expected, f"{persona} GET {path}"
