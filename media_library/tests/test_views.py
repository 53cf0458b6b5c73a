"""The student front end through real requests: who gets what (owner, classmate, a student
of another class, a visitor), uploading each kind as a form and through the page's script
(JSON), editing, deleting with the stored file removed, the dashboard's filters and a query
count that does not grow with the number of items, and the school's public switch."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django_tenants.utils import schema_context
from wagtail.models import Site, WorkflowState

from classrooms.models import Classroom
from classrooms.services import classroom_archive, classroom_student_remove
from conftest import client_as, client_for, user_named
from media_library import cards, forms, permissions, services, sharing, validation, views
from media_library.models import MediaPage, SchoolImage, SchoolMedia, SchoolMediaSettings
from media_library.storage import CloudinaryStorage
from media_library.testing.fake_cloudinary import unsigned_url
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


def _item(visibility="class", *, owner="amina", classroom="Art", publish=True, **kwargs):
    """A submission, made in the school's schema whatever schema a request left behind."""
    with schema_context("greenwood"):
        page = services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(kwargs.pop("data", samples.png()), kwargs.pop("name", "x.png")),
            title=kwargs.pop("title", f"{visibility} by {owner}"),
            visibility=visibility,
            **kwargs,
        )
        if publish:
            page.get_latest_revision().publish()
        related = ("image", "document", "media", "owner")
        return MediaPage.objects.select_related(*related).get(pk=page.pk)


def _client(school, who):

    return client_for(school) if who == "anonymous" else client_as(school, who)


def _stored(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "greenwood" / name


def _public_switch(on: bool) -> None:
    with schema_context("greenwood"):
        media_settings = SchoolMediaSettings.for_site(Site.objects.get(is_default_site=True))
        media_settings.allow_public = on
        media_settings.save()


# --- Who gets what -----------------------------------------------------------------------------
# amina owns it; brian is in her class (Art); david is not.
DETAIL = {
    "class": {"amina": 200, "brian": 200, "david": 404, "anonymous": 404},
    "private": {"amina": 200, "brian": 404, "david": 404, "anonymous": 404},
    "public": {"amina": 200, "brian": 200, "david": 200, "anonymous": 200},
}


@pytest.mark.parametrize("visibility", list(DETAIL))
def test_detail_per_person(school, visibility):
    item = _item(visibility)
    for who, status in DETAIL[visibility].items():
        response = _client(school, who).get(f"/work/{item.pk}/")
        assert response.status_code == status, (visibility, who)


def test_a_draft_is_seen_by_its_owner_only(school):
    item = _item("public", publish=False)
    assert _client(school, "amina").get(f"/work/{item.pk}/").status_code == 200
    for who in ("brian", "anonymous"):
        assert _client(school, who).get(f"/work/{item.pk}/").status_code == 404


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_only_the_owner_edits_or_deletes(school, action):
    item = _item("public")
    url = f"/work/{item.pk}/{action}/"
    assert _client(school, "amina").get(url).status_code == 200
    for who in ("brian", "david"):  # brian and david may see it, but it is not theirs
        assert _client(school, who).get(url).status_code == 404
        assert _client(school, who).post(url).status_code == 404
    assert _client(school, "anonymous").get(url)["Location"].startswith("/accounts/login/")
    assert MediaPage.objects.filter(pk=item.pk).exists()
    assert _client(school, "amina").get("/work/999999/edit/").status_code == 404


def test_pages_that_need_signing_in(school):
    visitor = _client(school, "anonymous")
    for url in ("/my-media/", "/upload/"):
        assert visitor.get(url)["Location"] == f"/accounts/login/?next={url}"
    assert visitor.get("/dashboard/").status_code == 200


def test_detail_names_the_owner_in_full_to_members_only(school):
    item = _item("public")
    member = _client(school, "david").get(f"/work/{item.pk}/").content.decode()
    visitor = _client(school, "anonymous").get(f"/work/{item.pk}/").content.decode()
    amina = user_named("amina")
    assert amina.last_name and amina.get_full_name() in member
    assert item.owner_public_name in visitor
    assert amina.get_full_name() not in visitor
    assert "Art (Form 2)" in visitor


def test_detail_shows_each_kind_in_its_player(school):
    image = _item("public")
    video = _item("public", data=av_samples.recording("mp4"), name="clip.mp4")
    audio = _item("public", data=av_samples.recording("mp3"), name="song.mp3")
    pdf = _item("public", data=samples.pdf(), name="essay.pdf")
    client = _client(school, "anonymous")
    html = client.get(f"/work/{image.pk}/").content.decode()
    assert "srcset=" in html and 'sizes="(max-width: 800px) 100vw, 800px"' in html
    assert "<video" in client.get(f"/work/{video.pk}/").content.decode()
    assert "<audio" in client.get(f"/work/{audio.pk}/").content.decode()
    assert f"/documents/{pdf.document_id}/" in client.get(f"/work/{pdf.pk}/").content.decode()


# --- Uploading ---------------------------------------------------------------------------------
def _form(data: bytes, name: str, **fields) -> dict:
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art").pk
    return {
        "title": "My work",
        "description": "Made in class",
        "tags": "trees, Nairobi, trees",
        "classroom": art,
        "visibility": "class",
        "file": samples.uploaded(data, name),
        **fields,
    }


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (samples.png(), "drawing.png", "image"),
        (av_samples.recording("mp4"), "clip.mp4", "video"),
        (av_samples.recording("m4a"), "song.m4a", "audio"),
        (samples.pdf(), "essay.pdf", "document"),
    ],
)
def test_upload_each_kind_as_a_form(school, data, name, kind):
    amina = client_as(school, "amina")
    response = amina.post("/upload/", _form(data, name))
    assert response.status_code == 302
    assert response["Location"] == "/my-media/"
    with schema_context("greenwood"):
        page = MediaPage.objects.get(title="My work")
        assert (page.kind, page.live, page.owner.username) == (kind, False, "amina")
        assert sorted(tag.name for tag in page.tags.all()) == ["Nairobi", "trees"]
        assert _stored(page.asset.file.name).is_file()
    follow = amina.get("/my-media/").content.decode()
    assert views.MESSAGE_UPLOADED.format(title="My work") in follow
    # Submitted to the class's teachers on upload (issue 4/6's workflow).
    assert "My work" in follow and "status-awaiting_approval" in follow


def test_upload_by_script_answers_json(school):
    response = client_as(school, "amina").post(
        "/upload/", _form(samples.png(), "drawing.png"), **XHR
    )
    assert response.status_code == 201
    data = response.json()
    with schema_context("greenwood"):
        page = MediaPage.objects.get(title="My work")
    assert data["id"] == page.pk
    assert data["detail_url"] == f"/work/{page.pk}/"
    assert data["my_media_url"] == "/my-media/"
    assert data["message"] == views.MESSAGE_UPLOADED.format(title="My work")
    assert f'data-media-id="{page.pk}"' in data["card_html"]


def test_a_refused_file_answers_400_with_the_message_and_creates_nothing(school):
    before = (MediaPage.objects.count(), SchoolImage.objects.count())
    response = client_as(school, "amina").post("/upload/", _form(samples.svg(), "a.svg"), **XHR)
    assert response.status_code == 400
    assert [e["message"] for e in response.json()["errors"]["file"]] == [str(validation.ERROR_SVG)]
    with schema_context("greenwood"):
        assert (MediaPage.objects.count(), SchoolImage.objects.count()) == before


def test_a_refused_file_without_script_shows_the_message_next_to_the_field(school):
    response = client_as(school, "amina").post("/upload/", _form(samples.svg(), "a.svg"))
    assert response.status_code == 200
    html = response.content.decode()
    errors = html.split('id="id_file_errors"', 1)[1].split("</div></div>", 1)[0]
    assert str(validation.ERROR_SVG).replace("'", "&#x27;") in errors


def test_upload_form_errors(school):
    amina = client_as(school, "amina")
    response = amina.post("/upload/", {**_form(samples.png(), "a.png", title=""), "file": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": [str(forms.ERROR_TITLE_REQUIRED)],
        "file": [str(forms.ERROR_FILE_REQUIRED)],
    }
    with schema_context("greenwood"):
        media_studies = Classroom.objects.get(name="Media Studies").pk
    response = amina.post("/upload/", _form(samples.png(), "a.png", classroom=media_studies))
    assert response.context["form"].errors == {"classroom": [str(forms.ERROR_CLASS_INVALID)]}


def test_upload_offers_the_persons_classes_and_the_chosen_one(school):
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art")
    response = client_as(school, "cynthia").get(f"/upload/?class={art.pk}")
    form = response.context["form"]
    assert {c.name for c in form.fields["classroom"].queryset} == {"Art", "Media Studies"}
    assert f'<option value="{art.pk}" selected>' in response.content.decode()
    html = response.content.decode()
    assert 'accept="image/*,video/*,audio/*,application/pdf"' in html
    assert 'capture="environment"' in html


def test_public_is_offered_only_when_the_school_allows_it(school):
    def offered():
        form = client_as(school, "amina").get("/upload/").context["form"]
        return [value for value, _ in form.fields["visibility"].choices]

    assert "public" in offered()
    _public_switch(False)
    assert offered() == ["school", "class", "private"]
    response = client_as(school, "amina").post(
        "/upload/", _form(samples.png(), "a.png", visibility="public")
    )
    assert response.context["form"].errors == {"visibility": [str(forms.ERROR_VISIBILITY_INVALID)]}


# --- Editing and deleting ----------------------------------------------------------------------
def test_edit_changes_the_words(school):
    item = _item("class", publish=False)
    amina = client_as(school, "amina")
    page = amina.get(f"/work/{item.pk}/edit/")
    assert str(views.EDIT_NOTE) in page.content.decode()
    assert page.context["form"]["title"].value() == item.title
    response = amina.post(
        f"/work/{item.pk}/edit/",
        {"title": "New title", "description": "Longer", "tags": "sky", "visibility": "private"},
    )
    assert response["Location"] == "/my-media/"
    with schema_context("greenwood"):
        item.refresh_from_db()
        assert (item.title, item.description, item.visibility) == ("New title", "Longer", "private")
        assert [t.name for t in item.tags.all()] == ["sky"]


def test_edit_replaces_the_file(school, django_capture_on_commit_callbacks):
    item = _item("class", publish=False)
    old = _stored(item.image.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(school, "amina").post(
            f"/work/{item.pk}/edit/",
            {
                "title": "Redrawn",
                "visibility": "class",
                "file": samples.uploaded(samples.jpeg(), "b.jpg"),
            },
        )
    assert response.status_code == 302
    with schema_context("greenwood"):
        item.refresh_from_db()
        assert _stored(item.image.file.name).is_file()
    assert not old.exists()


def test_edit_refuses_another_kind(school):
    item = _item("class", publish=False)
    response = client_as(school, "amina").post(
        f"/work/{item.pk}/edit/",
        {"title": "X", "visibility": "class", "file": samples.uploaded(samples.pdf(), "a.pdf")},
    )
    assert response.context["form"].errors == {
        "file": [services.ERROR_KIND_CHANGED.format(old="image")]
    }


def _left_art(who: str = "amina") -> None:
    with schema_context("greenwood"):
        classroom_student_remove(
            classroom=Classroom.objects.get(name="Art"), student=user_named(who)
        )


@pytest.mark.parametrize("archived", [False, True])
def test_edit_shows_why_work_can_no_longer_be_changed(school, archived):
    item = _item("class")
    if archived:
        with schema_context("greenwood"):
            classroom_archive(classroom=Classroom.objects.get(name="Art"))
        message = permissions.ERROR_CLASS_ARCHIVED.format(classroom="Art")
    else:
        _left_art()
        message = permissions.ERROR_LEFT_CLASS.format(classroom="Art")
    amina = client_as(school, "amina")

    page = amina.get(f"/work/{item.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(message) in html and f'action="/work/{item.pk}/edit/"' not in html
    assert "form" not in page.context

    response = amina.post(
        f"/work/{item.pk}/edit/",
        {
            "title": "Swapped",
            "visibility": "public",
            "file": samples.uploaded(samples.jpeg(), "b.jpg"),
        },
    )
    assert response.status_code == 403 and escape(message) in response.content.decode()
    with schema_context("greenwood"):
        page = MediaPage.objects.get(pk=item.pk)
        assert page.live and page.title == item.title and page.image_id == item.image_id
        assert not page.has_unpublished_changes and page.revisions.count() == 1


def test_a_student_who_left_may_still_take_their_work_down(school):
    item = _item("class")
    _left_art()
    amina = client_as(school, "amina")
    assert amina.get(f"/work/{item.pk}/delete/").status_code == 200
    assert amina.post(f"/work/{item.pk}/delete/").status_code == 302
    assert not MediaPage.objects.filter(pk=item.pk).exists()


def test_delete_confirms_then_deletes_page_and_file(school, django_capture_on_commit_callbacks):
    item = _item("class")
    stored = _stored(item.image.file.name)
    amina = client_as(school, "amina")
    confirm = amina.get(f"/work/{item.pk}/delete/")
    assert confirm.status_code == 200 and "Delete it" in confirm.content.decode()
    assert stored.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        response = amina.post(f"/work/{item.pk}/delete/")
    assert response["Location"] == "/my-media/"
    with schema_context("greenwood"):
        assert not MediaPage.objects.filter(pk=item.pk).exists()
        assert not SchoolImage.objects.filter(pk=item.image_id).exists()
    assert not stored.exists()
    after = amina.get("/my-media/").content.decode()
    assert views.MESSAGE_DELETED.format(title=item.title) in after
    assert f"/work/{item.pk}/" not in after


# --- My media ----------------------------------------------------------------------------------
def test_my_media_lists_own_work_with_status_and_links(school):
    draft = _item("class", publish=False, title="Awaiting its teacher")
    published = _item("class", title="Out there")
    _item("class", owner="brian", title="Brian's")
    html = client_as(school, "amina").get("/my-media/").content.decode()
    for page in (draft, published):
        assert f"/work/{page.pk}/edit/" in html and f"/work/{page.pk}/delete/" in html
    assert "status-awaiting_approval" in html and "status-published" in html
    assert "Brian&#x27;s" not in html


def test_my_media_shows_the_teachers_comment(school):
    rejected = _item("class", publish=False, title="Needs work")
    with schema_context("greenwood"):
        # The upload went to the Art teachers' workflow; Grace requests changes.
        state = rejected.current_workflow_state
        state.current_task_state.reject(user=user_named("grace"), comment="Add your name, please.")
        assert WorkflowState.objects.get(pk=state.pk).status == WorkflowState.STATUS_NEEDS_CHANGES
    html = client_as(school, "amina").get("/my-media/").content.decode()
    assert "status-changes_requested" in html and "Add your name, please." in html


# --- The dashboard -----------------------------------------------------------------------------
def _titles(response) -> set[str]:
    return {page.title for page in response.context["page_obj"]}


def test_dashboard_filters(school):
    # The demo may hold work of its own: each filter is checked on these three.
    _item("school", title="Tree photo", tags=["trees-xyz"])
    _item("school", title="Essay", data=samples.pdf(), name="e.pdf", description="About qwzrivers")
    _item("school", owner="cynthia", classroom="Media Studies", title="Film")
    mine = {"Tree photo", "Essay", "Film"}
    admin = client_as(school, "admin@greenwood.test")
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art").pk

    def shown(query):
        return _titles(admin.get(f"/dashboard/{query}")) & mine

    assert shown("") == mine
    assert shown("?kind=document") == {"Essay"}
    assert shown(f"?class={art}") == {"Tree photo", "Essay"}
    assert _titles(admin.get("/dashboard/?tag=trees-xyz")) == {"Tree photo"}
    assert _titles(admin.get("/dashboard/?q=qwzrivers")) == {"Essay"}
    # A value that does not fit is ignored, not an error.
    assert shown("?kind=nope&class=abc") == mine


def test_dashboard_class_filter_offers_the_viewers_classes(school):
    form = client_as(school, "amina").get("/dashboard/").context["form"]
    assert [c.name for c in form.fields["class"].queryset] == ["Art"]
    form = client_as(school, "admin@greenwood.test").get("/dashboard/").context["form"]
    assert {c.name for c in form.fields["class"].queryset} == {"Art", "Media Studies"}


def test_dashboard_cards(school):
    _item("public", title="A picture")
    _item("public", title="A song", data=av_samples.recording("mp3"), name="s.mp3")
    html = _client(school, "anonymous").get("/dashboard/").content.decode()
    assert "A picture" in html and "A song" in html
    assert html.count('class="media-icon"') >= 1  # the song's icon
    assert "Art (Form 2)" in html
    assert _item("public").owner_public_name in html


def test_dashboard_queries_do_not_grow_with_items(school):
    client = client_as(school, "amina")

    def count():
        client.get("/dashboard/")  # renditions of new images are made on the first look
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/dashboard/")
        assert response.status_code == 200
        return len(queries), len(response.context["page_obj"])

    for n in range(5):
        _item("class", title=f"Work {n}", tags=["a", "b"])
    five, shown = count()
    assert shown >= 5  # and the demo's own work
    for n in range(45):
        _item("class", title=f"More {n}", tags=["a", "b"])
    fifty, shown = count()
    assert shown == cards.PER_PAGE
    assert fifty == five


def test_the_public_switch_hides_public_work_from_visitors(school):
    item = _item("public", title="For everyone")
    visitor = _client(school, "anonymous")
    assert "For everyone" in _titles(visitor.get("/dashboard/"))
    _public_switch(False)
    assert "For everyone" not in _titles(visitor.get("/dashboard/"))
    assert visitor.get(f"/work/{item.pk}/").status_code == 404
    assert "For everyone" in _titles(client_as(school, "david").get("/dashboard/"))


def test_the_public_switch_is_cached_and_dropped_when_saved(school, settings):
    """The switch costs no query once cached, and a change shows on the next request."""
    settings.MEDIA_SHARING_CACHE_SECONDS = 3600
    with schema_context("greenwood"):
        key = sharing._key(Site.objects.get(is_default_site=True).pk)
        cache.delete(key)
    try:
        _item("public", title="For everyone")
        visitor = _client(school, "anonymous")
        assert "For everyone" in _titles(visitor.get("/dashboard/"))
        with CaptureQueriesContext(connection) as queries:
            assert "For everyone" in _titles(visitor.get("/dashboard/"))
        assert not [q for q in queries.captured_queries if "schoolmediasettings" in q["sql"]]
        _public_switch(False)
        assert "For everyone" not in _titles(visitor.get("/dashboard/"))
        _public_switch(True)
        assert "For everyone" in _titles(visitor.get("/dashboard/"))
    finally:
        with schema_context("greenwood"):
            cache.delete(key)


# --- Video posters -----------------------------------------------------------------------------
def test_video_poster_only_on_cloudinary(school, settings):
    settings.CLOUDINARY_AUTH_TOKEN_KEY = ""
    storage = CloudinaryStorage(cloudinary_url="cloudinary://key:secret@demo")

    def media(kind, name, *, public=True):
        item = SchoolMedia(type=kind, file=name)
        item.file.storage = storage
        item.publicly_shown = public
        return item

    video = media("video", "video/greenwood/media/c_1.mp4")
    assert unsigned_url(video.poster_url) == (
        "https://res.cloudinary.com/demo/video/authenticated/so_auto/v1/greenwood/media/c_1.jpg"
    )
    # Not public: its links expire, and without token authentication none carries a poster.
    assert media("video", "video/greenwood/media/c_1.mp4", public=False).poster_url is None
    assert media("audio", "video/greenwood/media/s_1.mp3").poster_url is None
    assert SchoolMedia(type="video", file="greenwood/media/x.mp4").poster_url is None  # local


def test_tags_parse():
    assert forms.tags_parse(" Trees, Nairobi ,, trees ") == ["Trees", "Nairobi"]
    assert json.dumps(forms.tags_parse("")) == "[]"


def _body_queries(school, item, blocks):
    with schema_context("greenwood"):
        page = MediaPage.objects.get(pk=item.pk)
        home = page.get_parent().get_parent()
        text = f'<p>Block with <a linktype="page" id="{home.pk}">a link home</a>.</p>'
        page.body = [("text", text) for _ in range(blocks)] + [("text", "<p>Last</p>")]
        page.save_revision().publish()
    client = _client(school, "anonymous")
    client.get(f"/work/{item.pk}/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/work/{item.pk}/").content.decode()
    return len(queries), html


def test_the_body_is_shown_with_its_links_in_queries_that_do_not_grow(school):
    item = _item("public")

    few, html = _body_queries(school, item, 1)
    many, html = _body_queries(school, item, 30)

    assert many == few  # Wagtail alone expands each rich text's links with 2 queries
    assert html.count('<p>Block with <a href="/">a link home</a>.</p>') == 30
    assert html.index("a link home") < html.index("<p>Last</p>")
