"""'All media' in the Wagtail admin, for school admins: the listing and its filters, the bulk
actions (unpublish, delete, move to another class) through their confirmation pages, with
rows, stored files, workflows and log entries checked; nobody else reaches any of it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import PageLogEntry, WorkflowState

from classrooms.models import Classroom
from conftest import client_as, user_named
from media_library import oversight, selectors, services
from media_library.models import MediaPage, SchoolDocument, SchoolImage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

INDEX = "/admin/all-media/"
BULK = "/admin/bulk/media_library/mediapage/{action}/"
ADMIN = "admin@greenwood.test"


def _item(title, *, owner="amina", classroom="Art", status="published", data=None, name=None):
    """A submission in the state asked for, made in the school's schema."""
    with schema_context("greenwood"):
        page = services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(data or samples.png(), name or "x.png"),
            title=title,
        )
        task_state = page.current_workflow_state.current_task_state
        if status == "published":
            task_state.approve(user=user_named("grace" if classroom == "Art" else "peter"))
        elif status == "changes_requested":
            task_state.reject(user=user_named("grace"), comment="Crop it, please.")
        return MediaPage.objects.select_related("image", "document", "owner").get(pk=page.pk)


def _stored(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "greenwood" / name


def _ids(*pages) -> str:
    return "&".join(f"id={page.pk}" for page in pages)


MINE = {"Sunset", "Portrait", "Sketch", "Essay"}


def _titles(response) -> set[str]:
    return {page.title for page in response.context["object_list"]}


def _mine(response) -> set[str]:
    """The listed items of this test (the demo's own published pictures are there too)."""
    return _titles(response) & MINE


@pytest.fixture
def admin_client(greenwood):
    return client_as(greenwood, ADMIN)


@pytest.fixture
def items(greenwood):
    return {
        "published": _item("Sunset"),
        "awaiting": _item("Portrait", owner="brian", status="awaiting"),
        "changes": _item("Sketch", owner="cynthia", status="changes_requested"),
        "media_studies": _item(
            "Essay", owner="david", classroom="Media Studies", data=samples.pdf(), name="e.pdf"
        ),
    }


def test_lists_every_item_of_the_school_with_its_status(admin_client, items):
    response = admin_client.get(INDEX)

    assert response.status_code == 200
    assert _mine(response) == MINE
    html = response.content.decode()
    for label in ("Published", "Awaiting approval", "Changes requested"):
        assert label in html
    assert "Media Studies" in html and "Brian" in html
    assert "data-bulk-action-checkbox" in html and "/admin/bulk/media_library/mediapage/" in html
    with schema_context("greenwood"):
        thumbnail = items["published"].image.renditions.get(filter_spec="fill-80x60")
    assert f'src="{thumbnail.url}"' in html
    assert admin_client.get(thumbnail.url).status_code == 200  # served to the admin


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=published", {"Sunset", "Essay"}),
        ("status=awaiting_approval", {"Portrait"}),
        ("status=changes_requested", {"Sketch"}),
        ("kind=document", {"Essay"}),
        ("kind=image&status=published", {"Sunset"}),
    ],
)
def test_filters(admin_client, items, query, expected):
    assert _mine(admin_client.get(f"{INDEX}?{query}")) == expected


def test_the_results_fragment_filters_too(admin_client, items):
    """What Wagtail's filter panel fetches as the admin changes a filter."""
    response = admin_client.get(f"{INDEX}results/?status=changes_requested")
    assert response.status_code == 200 and _mine(response) == {"Sketch"}
    assert "<html" not in response.content.decode()


def test_filter_by_class_student_and_date(admin_client, items):
    with schema_context("greenwood"):
        media_studies = Classroom.objects.get(name="Media Studies")
        brian = user_named("brian")
        MediaPage.objects.filter(pk=items["changes"].pk).update(
            latest_revision_created_at=timezone.now() - timedelta(days=30)
        )
    assert _mine(admin_client.get(f"{INDEX}?classroom={media_studies.pk}")) == {"Essay"}
    assert _titles(admin_client.get(f"{INDEX}?owner={brian.pk}")) >= {"Portrait"}
    assert _mine(admin_client.get(f"{INDEX}?owner={brian.pk}")) == {"Portrait"}
    old = (timezone.now() - timedelta(days=31)).date()
    recent = (timezone.now() - timedelta(days=29)).date()
    assert _titles(admin_client.get(f"{INDEX}?updated_from={old}&updated_to={recent}")) == {
        "Sketch"
    }
    assert not _mine(admin_client.get(f"{INDEX}?status=draft"))


def test_status_column_agrees_with_media_page_status(items):
    with schema_context("greenwood"):
        for page in oversight.media_oversight_list().filter(
            pk__in=[page.pk for page in items.values()]
        ):
            assert oversight.media_status_code(page) == selectors.media_page_status(page).code


def test_listing_queries_do_not_grow_with_items(admin_client, items):
    admin_client.get(INDEX)  # makes the thumbnails' renditions, once
    with CaptureQueriesContext(connection) as few:
        admin_client.get(INDEX)
    for n in range(4):
        _item(f"More {n}", owner="brian")
    admin_client.get(INDEX)
    with CaptureQueriesContext(connection) as more:
        response = admin_client.get(INDEX)
    assert len(_titles(response)) >= 8
    assert len(more) == len(few)


@pytest.mark.parametrize("who", ["grace", "peter", "amina"])
def test_only_school_admins_reach_it(greenwood, items, who):
    client = client_as(greenwood, who)
    # Wagtail's "no permission" answer (a redirect), as for 'Invite teachers'.
    assert client.get(INDEX).status_code == 302
    assert client.get(f"{INDEX}results/").status_code == 302
    # Another class's work is not there at all for its teachers (classrooms.middleware).
    refused = 404 if who == "peter" else 302
    for action in ("unpublish", "delete", "move"):
        url = BULK.format(action=action) + "?" + _ids(items["published"])
        assert client.get(url).status_code == refused
        assert client.post(url).status_code == refused
    with schema_context("greenwood"):
        page = MediaPage.objects.get(pk=items["published"].pk)
        assert page.live and page.get_parent().specific.classroom.name == "Art"
    response = client_as(greenwood, who).get("/admin/")
    assert INDEX not in response.content.decode()


def test_the_menu_item_is_the_admins(admin_client):
    assert INDEX in admin_client.get("/admin/").content.decode()


def test_unpublish_asks_first_then_unpublishes_and_logs(admin_client, items):
    url = BULK.format(action="unpublish") + "?" + _ids(items["published"], items["awaiting"])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "Sunset" in confirm.content.decode() and "Yes, unpublish" in confirm.content.decode()
    with schema_context("greenwood"):
        assert MediaPage.objects.get(pk=items["published"].pk).live  # only asked so far

    response = admin_client.post(url + f"&next={INDEX}")

    assert response.status_code == 302 and response["Location"] == INDEX
    with schema_context("greenwood"):
        page = MediaPage.objects.get(pk=items["published"].pk)
        assert not page.live
        entry = PageLogEntry.objects.get(page_id=page.pk, action="wagtail.unpublish")
        assert entry.user == user_named(ADMIN)
        # The one awaiting approval was not published: it is left as it was.
        awaiting = MediaPage.objects.get(pk=items["awaiting"].pk)
        assert selectors.media_page_status(awaiting).code == "awaiting_approval"


def test_delete_removes_pages_assets_and_stored_files(
    admin_client, items, django_capture_on_commit_callbacks
):
    picture, essay = items["published"], items["media_studies"]
    files = [_stored(picture.image.file.name), _stored(essay.document.file.name)]
    assert all(path.exists() for path in files)
    url = BULK.format(action="delete") + "?" + _ids(picture, essay)
    assert "Yes, delete" in admin_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)

    assert response.status_code == 302
    with schema_context("greenwood"):
        assert not MediaPage.objects.filter(pk__in=[picture.pk, essay.pk]).exists()
        assert not SchoolImage.objects.filter(pk=picture.image_id).exists()
        assert not SchoolDocument.objects.filter(pk=essay.document_id).exists()
        entries = PageLogEntry.objects.filter(
            page_id__in=[picture.pk, essay.pk], action="wagtail.delete"
        )
        assert {(e.page_id, e.user_id) for e in entries} == {
            (picture.pk, user_named(ADMIN).pk),
            (essay.pk, user_named(ADMIN).pk),
        }
    assert not any(path.exists() for path in files)


def test_move_to_another_class(admin_client, items):
    picture, awaiting = items["published"], items["awaiting"]
    with schema_context("greenwood"):
        media_studies = Classroom.objects.select_related("page", "collection").get(
            name="Media Studies"
        )
    url = BULK.format(action="move") + "?" + _ids(picture, awaiting)
    form = admin_client.get(url)
    assert form.status_code == 200 and "Move to class" in form.content.decode()

    response = admin_client.post(url, {"classroom": media_studies.pk})

    assert response.status_code == 302
    with schema_context("greenwood"):
        admin = user_named(ADMIN)
        moved = MediaPage.objects.get(pk=picture.pk)
        assert moved.get_parent().pk == media_studies.page_id and moved.live
        assert moved.image.collection_id == media_studies.collection_id
        assert PageLogEntry.objects.get(page_id=picture.pk, action="wagtail.move").user == admin
        # Awaiting approval: now in the new class's workflow, for its teachers.
        pending = MediaPage.objects.get(pk=awaiting.pk)
        assert pending.get_parent().pk == media_studies.page_id
        state = pending.current_workflow_state
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.workflow == media_studies.page.get_workflow()
        task = state.current_task_state.task.specific
        assert task.get_actions(pending, user_named("peter"))
        assert not task.get_actions(pending, user_named("grace"))
        cancelled = PageLogEntry.objects.get(page_id=awaiting.pk, action="wagtail.workflow.cancel")
        assert cancelled.user == admin
        restarted = PageLogEntry.objects.filter(
            page_id=awaiting.pk, action="wagtail.workflow.start"
        )
        assert restarted.count() == 2 and restarted.first().user == user_named("brian")


def test_move_with_changes_requested_becomes_a_draft_for_the_new_class(items):
    with schema_context("greenwood"):
        media_studies = Classroom.objects.get(name="Media Studies")
        page = oversight.media_move(
            page=items["changes"], classroom=media_studies, user=user_named(ADMIN)
        )
        assert page.current_workflow_state is None and not page.live
        services.media_update(
            page=page,
            user=user_named("cynthia"),
            title="Sketch",
            description="Cropped",
            tags=[],
            visibility="class",
        )
        state = MediaPage.objects.get(pk=page.pk).current_workflow_state
        assert state.workflow == media_studies.page.get_workflow()


def test_move_keeps_slugs_unique_and_refuses_the_same_class(items):
    with schema_context("greenwood"):
        media_studies = Classroom.objects.get(name="Media Studies")
        twin = _item("Sunset", owner="david", classroom="Media Studies")
        page = oversight.media_move(
            page=items["published"], classroom=media_studies, user=user_named(ADMIN)
        )
        assert page.slug != twin.slug
        with pytest.raises(Exception, match="already in"):
            oversight.media_move(page=page, classroom=media_studies, user=user_named(ADMIN))


def test_move_to_a_trusted_class_publishes_what_awaited_approval(items):
    with schema_context("greenwood"):
        media_studies = Classroom.objects.get(name="Media Studies")
        media_studies.is_trusted = True
        media_studies.save()
        page = oversight.media_move(
            page=items["awaiting"], classroom=media_studies, user=user_named(ADMIN)
        )
        assert page.live and page.current_workflow_state is None


@pytest.mark.parametrize("query", ["kind=document", "q=essay", "q=essay&status=published"])
def test_select_all_keeps_the_listings_filters_and_search(admin_client, items, query):
    url = BULK.format(action="delete") + f"?{query}&id=all"
    response = admin_client.get(url)
    assert [entry["item"].title for entry in response.context["items"]] == ["Essay"]


def test_a_moved_item_with_a_renamed_slug_can_still_be_approved(items):
    with schema_context("greenwood"):
        media_studies = Classroom.objects.get(name="Media Studies")
        twin = _item("Portrait", owner="david", classroom="Media Studies")
        page = oversight.media_move(
            page=items["awaiting"], classroom=media_studies, user=user_named(ADMIN)
        )
        assert page.slug != twin.slug
        page.current_workflow_state.current_task_state.approve(user=user_named("peter"))
        page = MediaPage.objects.get(pk=page.pk)
        assert page.live and page.slug != twin.slug
        assert page.get_parent().pk == media_studies.page_id


@pytest.mark.parametrize(
    "ordering", ["title", "-class_title", "kind", "latest_revision_created_at"]
)
def test_columns_sort(admin_client, items, ordering):
    response = admin_client.get(f"{INDEX}?ordering={ordering}")
    assert response.status_code == 200
    listed = [page for page in response.context["object_list"] if page.title in MINE]
    key = ordering.lstrip("-")
    values = [getattr(page, key) for page in listed]
    assert values == sorted(values, reverse=ordering.startswith("-"))
