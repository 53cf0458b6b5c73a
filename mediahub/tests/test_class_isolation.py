"""Class isolation in the Wagtail admin, probed from the URL configuration: every admin URL
is requested by a teacher of another class (Peter, Media Studies) with the ids of the Art
class's private work (a draft awaiting review: its page, image, document, video and
collection), and with searches for its title. A guardian of another class's child is probed
the same way, on every URL of the site, once the work is approved (live, still private). No
answer may be a server error, and none may carry the work's title, its files' titles or its
files' names.

New admin views are probed as soon as their URL exists: nothing here lists them by hand.
"""

import pytest
from django.apps import apps
from django_tenants.utils import schema_context
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, TaskState, WorkflowState

from accounts.tests.factories import PASSWORD
from classrooms.models import Classroom
from conftest import client_as, user_named
from families import services as family_services
from media_library import services
from media_library.models import MediaPage, SchoolDocument, SchoolMedia
from media_library.tests import av_samples, samples
from mediahub.tests.test_cross_school import _CONVERTER, DELIBERATE_ERRORS, _school_routes

pytestmark = pytest.mark.django_db

SECRET = "Zebra QX7"  # in every title of the Art class's private work
OBJECT_KINDS = {
    "page": lambda: Page,
    "image": get_image_model,
    "document": get_document_model,
    "media": lambda: SchoolMedia,
}
ADMIN_ROUTES = [route for route in _school_routes() if route.startswith("admin/")]


@pytest.fixture
def art_secret(greenwood) -> dict:
    """Private work of the Art class: Amina's draft awaiting review (an image), and a PDF and
    a video in Art's collection."""
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
        amina = user_named("amina")
        page = services.media_upload(
            classroom=art,
            uploaded_by=amina,
            file=samples.uploaded(samples.png(), "zebra-qx7.png"),
            title=f"{SECRET} drawing",
            visibility="private",
        )
        document = services.media_upload(
            classroom=art,
            uploaded_by=amina,
            file=samples.uploaded(samples.pdf(), "zebra-qx7.pdf"),
            title=f"{SECRET} essay",
            visibility="private",
        ).document
        media = services.media_upload(
            classroom=art,
            uploaded_by=amina,
            file=samples.uploaded(av_samples.recording("mp4"), "zebra-qx7.mp4"),
            title=f"{SECRET} film",
            visibility="private",
        ).media
        state = WorkflowState.objects.get(object_id=str(page.pk))
        return {
            "page": page.pk,
            "image": page.image_id,
            "document": document.pk,
            "media": media.pk,
            "collection": art.collection_id,
            "class": art.pk,
            "user": amina.pk,
            "revision": Revision.objects.for_instance(page).latest("pk").pk,
            "task_state": TaskState.objects.filter(workflow_state=state).latest("pk").pk,
            "workflow_state": state.pk,
            "markers": [
                SECRET,
                "zebra-qx7",
                page.image.file.name,
                SchoolDocument.objects.get(pk=document.pk).file.name,
                SchoolMedia.objects.get(pk=media.pk).file.name,
            ],
        }


def _fill(route: str, ids: dict) -> str:
    def value(match):
        converter, name = match.group(1) or "str", match.group(2)
        for key in ("image", "document", "media", "collection", "revision", "user"):
            if key in name:
                return str(ids[key])
        if "task_state" in name:
            return str(ids["task_state"])
        if "workflow_state" in name:
            return str(ids["workflow_state"])
        if converter == "int" or name.endswith(("id", "pk")):
            for key, where in (
                ("image", "images/"),
                ("document", "documents/"),
                ("media", "media/"),
                ("collection", "collections/"),
                ("user", "users/"),
                ("class", "classes/"),
            ):
                if where in route:
                    return str(ids[key])
            return str(ids["page"])
        if name in ("app_label",):
            return "media_library"
        if name in ("model_name",):
            return "mediapage"
        return "x"

    return "/" + _CONVERTER.sub(value, route)


def _queries(ids: dict) -> list[str]:
    """What a listing, search or chooser is asked besides its path: a search for the title,
    and the objects' ids in the parameters Wagtail's views read."""
    every_id = "&".join(f"id={ids[key]}" for key in ("page", "image", "document", "media"))
    return [
        "",
        "?q=QX7",  # not a marker itself: a search that echoes its query shows nothing
        f"?{every_id}",
        f"?collection_id={ids['collection']}&q=QX7",
        f"?page={ids['page']}&parent_page_id={ids['page']}",
    ]


def test_the_probe_covers_the_admin():
    assert len(ADMIN_ROUTES) > 100
    for ours in ("admin/all-media/", "admin/galleries/choose-media/"):
        assert ours in ADMIN_ROUTES


def _leaks(client, routes, secret) -> list[str]:
    """Every route filled with `secret`'s ids, with each query: what answers 500, or shows one
    of its markers in the page or a redirect's Location."""
    problems = []
    for route in routes:
        if route in DELIBERATE_ERRORS:
            continue
        path = _fill(route, secret)
        for query in _queries(secret):
            response = client.get(path + query)
            if response.status_code >= 500:
                problems.append(f"{path + query}: {response.status_code}")
                continue
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            location = response.get("Location", "")
            found = [m for m in secret["markers"] if m in text or m in location]
            if found:
                problems.append(f"{path + query}: {response.status_code} shows {found}")
    return problems


def test_a_teacher_of_another_class_sees_nothing_of_its_private_work(greenwood, art_secret):
    client = client_as(greenwood, "peter")
    client.raise_request_exception = False  # a 500 is a finding, listed with the others
    problems = _leaks(client, ADMIN_ROUTES, art_secret)
    assert not problems, "\n".join(sorted(set(problems)))


def _bulk_urls(ids: dict) -> list[str]:
    """Every bulk action Wagtail has registered (pages, images, documents, ours), asked for
    the Art class's private objects of its model."""
    bulk_action_registry._scan_for_bulk_actions()
    urls = []
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            model = apps.get_model(app_label, model_name)
            key = next((k for k, kind in OBJECT_KINDS.items() if issubclass(model, kind())), None)
            if key is None:
                continue
            for action in actions:
                urls.append(f"/admin/bulk/{app_label}/{model_name}/{action}/?id={ids[key]}")
    return urls


def test_the_bulk_probe_covers_pages_and_files(art_secret):
    urls = _bulk_urls(art_secret)
    for action in ("wagtailcore/page/delete", "wagtailcore/page/publish", "schoolimage/delete"):
        assert any(action in url for url in urls)


def test_bulk_actions_neither_show_nor_touch_another_classs_work(greenwood, art_secret):
    client = client_as(greenwood, "peter")
    client.raise_request_exception = False
    problems = []
    for url in _bulk_urls(art_secret):
        for method in (client.get, client.post):
            response = method(url)
            text = response.content.decode("utf-8", "replace")
            found = [m for m in art_secret["markers"] if m in text]
            if response.status_code != 404 or found:
                problems.append(f"{method.__name__} {url}: {response.status_code} {found}")
    assert not problems, "\n".join(problems)
    with schema_context(greenwood.schema_name):
        page = MediaPage.objects.get(pk=art_secret["page"])
        assert page.title.startswith(SECRET) and page.image_id == art_secret["image"]


# --- Guardians (10/13): another school member who must see only what is theirs ---------------
@pytest.fixture
def art_secret_live(greenwood, art_secret) -> dict:
    """The Art class's private work approved (live, still private), and a guardian of a child
    of another class (David, Media Studies)."""
    with schema_context(greenwood.schema_name):
        page = MediaPage.objects.get(pk=art_secret["page"])
        services.media_review(page=page, user=user_named("grace"), decision="approve")
        assert MediaPage.objects.get(pk=page.pk).live
        code = family_services.family_code_create(
            student=user_named("david"), created_by=user_named("peter")
        )
        family_services.guardian_signup_with_code(
            code=code.code,
            first_name="Wanjiku",
            last_name="Mwangi",
            email="wanjiku@example.test",
            password=PASSWORD,
            address="203.0.113.7",
        )
    return art_secret


def test_a_guardian_of_another_child_sees_nothing_of_its_private_work(greenwood, art_secret_live):
    ids = art_secret_live
    # The probe can fail: Amina's own guardian sees her live private work.
    assert (
        client_as(greenwood, "mama.amina@greenwood.test").get(f"/work/{ids['page']}/").status_code
        == 200
    )
    client = client_as(greenwood, "wanjiku@example.test")
    client.raise_request_exception = False
    with schema_context(greenwood.schema_name):
        files = [
            SchoolDocument.objects.get(pk=ids["document"]).file.url,
            SchoolDocument.objects.get(pk=ids["document"]).url,
            MediaPage.objects.select_related("image").get(pk=ids["page"]).image.file.url,
            SchoolMedia.objects.get(pk=ids["media"]).file.url,
        ]
    problems = _leaks(client, _school_routes(), ids)
    for url in [f"/work/{ids['page']}/", *files]:
        if client.get(url).status_code != 404:
            problems.append(f"{url}: not a 404")
    assert not problems, "\n".join(sorted(set(problems)))
