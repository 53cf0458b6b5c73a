"""Guardians on the school's site: joining with a family code, My children (their own
children's live work, whatever its visibility, and nothing more of anyone else's than a
visitor sees: 404 on the page, its file and its document), their email preference and the
publication email, no Wagtail admin; and the school's Families pages in the admin, where a
teacher reaches only their own classes' students."""

import re

import pytest
from django.utils.html import escape
from django_tenants.utils import schema_context

from accounts.tests.factories import PASSWORD
from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from families import services, views
from families.admin_views import MESSAGE_INVITED
from families.models import FamilyCode, Guardianship
from media_library import services as media_services
from media_library import views as media_views
from media_library.models import MediaPage
from media_library.tests import samples

pytestmark = pytest.mark.django_db

GUARDIAN = "mama.amina@greenwood.test"  # the demo's guardian of Amina (Art)


@pytest.fixture(autouse=True)
def _school_links(settings):
    settings.PLATFORM_SCHEME, settings.PLATFORM_DOMAIN, settings.PLATFORM_PORT = (
        "http",
        "localhost",
        8000,
    )


def _live(owner, visibility, data=None, name="work.png", title=None, classroom="Art"):
    """Work of `owner`, approved by its class's teacher: live, with its visibility."""
    with schema_context("greenwood"):
        classroom = Classroom.objects.get(name=classroom)
        page = media_services.media_upload(
            classroom=classroom,
            uploaded_by=user_named(owner),
            file=samples.uploaded(data or samples.png(), name),
            title=title or f"{owner}'s {visibility} {name}",
            visibility=visibility,
        )
        media_services.media_review(page=page, user=classroom.teachers.first(), decision="approve")
        return MediaPage.objects.select_related("image", "document").get(pk=page.pk)


def test_a_guardian_sees_their_childs_private_and_class_work(greenwood):
    private = _live("amina", "private")
    essay = _live("amina", "class", samples.pdf(), "essay.pdf")
    client = client_as(greenwood, GUARDIAN)
    assert client.get(f"/work/{private.pk}/").status_code == 200
    assert client.get(private.image.file.url).status_code == 200
    assert client.get(essay.document.url).status_code == 302  # on to the file
    page = client.get("/my-children/")
    assert page.status_code == 200
    [entry] = page.context["children"]
    assert entry.child.username == "amina"
    titles = {work.title for work in entry.works}
    assert {private.title, essay.title, "Sunset over the lake"} <= titles
    assert b"Still life with mangoes" not in page.content  # Brian's, not hers


def test_a_guardian_sees_nothing_of_other_children_beyond_a_visitor(greenwood):
    brian_private = _live("brian", "private")
    brian_class = _live("brian", "class", samples.pdf(), "essay.pdf")
    david_class = MediaPage.objects.none()
    with schema_context("greenwood"):
        david_class = MediaPage.objects.select_related("image").get(title="Our school garden")
        brian_school = MediaPage.objects.get(title="Still life with mangoes")
    client = client_as(greenwood, GUARDIAN)
    visitor = client_for(greenwood)
    for url in (
        f"/work/{brian_private.pk}/",
        brian_private.image.file.url,
        f"/work/{brian_class.pk}/",
        brian_class.document.url,
        f"/work/{david_class.pk}/",
        david_class.image.file.url,
        f"/work/{brian_school.pk}/",  # for the school's members: a guardian sees as a visitor
    ):
        assert client.get(url).status_code == 404, url
        assert visitor.get(url).status_code == 404, url
    dashboard = client.get("/dashboard/").content.decode()
    assert brian_private.title not in dashboard and "Our school garden" not in dashboard


def test_a_guardian_has_no_wagtail_admin(greenwood):
    client = client_as(greenwood, GUARDIAN)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/families/").status_code == 302
    assert client.get("/admin/pages/").status_code == 302


def test_my_children_is_for_guardians_only(greenwood):
    assert client_as(greenwood, "amina").get("/my-children/").status_code == 404
    assert client_for(greenwood).get("/my-children/").status_code == 302  # to sign in
    menu = client_as(greenwood, GUARDIAN).get("/dashboard/").content.decode()
    assert "/my-children/" in menu and "/upload/" not in menu


def _code(student="amina", by="grace", **kwargs):
    with schema_context("greenwood"):
        return services.family_code_create(
            student=user_named(student), created_by=user_named(by), **kwargs
        )


def _signup_data(code, email="zawadi@example.test"):
    return {
        "code": code,
        "first_name": "Zawadi",
        "last_name": "Hassan",
        "email": email,
        "password": PASSWORD,
        "password_again": PASSWORD,
    }


def test_signing_up_with_a_code_on_the_join_page(greenwood):
    code = _code()
    client = client_for(greenwood)
    page = client.get(f"/families/join/?code={code.code}")
    assert page.status_code == 200 and f'value="{code.code}"' in page.content.decode()
    response = client.post("/families/join/", _signup_data(code.code))
    assert response.status_code == 302 and response["Location"] == "/my-children/"
    children = client.get("/my-children/")
    assert views.MESSAGE_WELCOME.format(name="Zawadi", child="Amina") in children.content.decode()
    with schema_context("greenwood"):
        assert Guardianship.objects.filter(
            guardian__email="zawadi@example.test", student__username="amina"
        ).exists()


def test_a_code_that_does_not_work_gets_the_constant_message(greenwood):
    response = client_for(greenwood).post("/families/join/", _signup_data("ZZZZZ-ZZZZZ"))
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [str(services.ERROR_FAMILY_CODE_INVALID)]


def test_a_signed_in_guardian_adds_a_child(greenwood):
    code = _code("david", by="peter")
    client = client_as(greenwood, GUARDIAN)
    assert client.get(f"/families/join/?code={code.code}").status_code == 200
    response = client.post("/families/join/", {"code": code.code})
    assert response.status_code == 302 and response["Location"] == "/my-children/"
    names = [e.child.username for e in client.get("/my-children/").context["children"]]
    assert names == ["amina", "david"]
    # David's class work is now hers to see; nothing else changed for Brian's.
    with schema_context("greenwood"):
        garden = MediaPage.objects.get(title="Our school garden")
    assert client.get(f"/work/{garden.pk}/").status_code == 200


def test_the_email_on_publish_and_its_opt_out(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = _live("amina", "private", title="Baobab at dusk")
    to_guardian = [m for m in mailoutbox if m.to == [GUARDIAN]]
    [mail] = to_guardian
    assert "Amina" in mail.subject and "Baobab at dusk" in mail.subject
    assert f"http://greenwood.localhost:8000/work/{page.pk}/" in mail.body
    assert "http://greenwood.localhost:8000/families/account/" in mail.body
    assert [m.to for m in mailoutbox if m.to != [GUARDIAN]] == [["amina@greenwood.test"]]

    client = client_as(greenwood, GUARDIAN)
    assert client.get("/families/account/").context["form"].initial["notify_on_publish"]
    response = client.post("/families/account/", {})  # the box unticked
    assert response.status_code == 302
    assert (
        escape(str(views.MESSAGE_PREFERENCE_OFF))
        in client.get("/families/account/").content.decode()
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _live("amina", "class", title="Second drawing")
    assert [m.to for m in mailoutbox] == [["amina@greenwood.test"]]


def test_a_trusted_classs_direct_publication_emails_the_guardian(
    greenwood, mailoutbox, django_capture_on_commit_callbacks
):
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art")
        art.is_trusted = True
        art.save(update_fields=["is_trusted"])
        with django_capture_on_commit_callbacks(execute=True):
            page = media_services.media_upload(
                classroom=art,
                uploaded_by=user_named("amina"),
                file=samples.uploaded(samples.png(), "kite.png"),
                title="Kite day",
            )
        assert MediaPage.objects.get(pk=page.pk).live
    assert [m.to for m in mailoutbox] == [[GUARDIAN]]


def test_the_account_page_is_for_guardians(greenwood):
    assert client_as(greenwood, "amina").get("/families/account/").status_code == 404
    page = client_as(greenwood, GUARDIAN).get("/families/account/")
    assert page.status_code == 200 and b"Amina" in page.content


# --- The school's Families pages in the Wagtail admin -------------------------------------------
def _art():
    with schema_context("greenwood"):
        art = Classroom.objects.get(name="Art")
        return art.pk, user_named("amina").pk


def test_a_teacher_manages_codes_and_prints_slips_of_their_class(greenwood):
    art, amina = _art()
    client = client_as(greenwood, "grace")
    assert client.get("/admin/families/").status_code == 200
    page = client.get(f"/admin/families/{art}/")
    assert page.status_code == 200 and b"Amina Hassan" in page.content
    assert b"Halima Hassan" in page.content  # the demo's guardian, linked
    response = client.post(f"/admin/families/{art}/students/{amina}/codes/new/", {"max_uses": 2})
    assert response.status_code == 302
    with schema_context("greenwood"):
        code = FamilyCode.objects.get(student_id=amina)
    assert code.max_uses == 2 and code.created_by.username == "grace"
    slip = client.get(f"/admin/families/{art}/slips/?student={amina}").content.decode()
    display = f"{code.code[:5]}-{code.code[5:]}"
    assert "Greenwood Academy" in slip and '<strong translate="no">Amina</strong>' in slip
    assert display in slip and f"/families/join/?code={display}" in slip
    assert slip.count("<svg") == 1 and 'class="family-qr"' in slip and "Hassan" not in slip
    url = re.search(r'class="url" translate="no">([^<]+)', slip).group(1)
    assert "<script" not in slip and "http" in url

    response = client.post(f"/admin/families/{art}/codes/{code.pk}/withdraw/")
    assert response.status_code == 302
    with schema_context("greenwood"):
        code.refresh_from_db()
    assert code.withdrawn_at is not None


def test_the_whole_classs_slips_make_codes_then_print_one_each(greenwood):
    art, _ = _art()
    client = client_as(greenwood, "grace")
    response = client.post(f"/admin/families/{art}/slips/")
    assert response.status_code == 302
    slips = client.get(response["Location"]).content.decode()
    assert slips.count('class="slip"') == 3  # Amina, Brian, Cynthia
    assert "page-break-after: always" in slips and "@media print" in slips


def test_inviting_a_family_by_email(greenwood, mailoutbox, django_capture_on_commit_callbacks):
    art, amina = _art()
    client = client_as(greenwood, "grace")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/families/{art}/students/{amina}/invite/", {"email": "Family@Example.test"}
        )
    assert response.status_code == 302
    with schema_context("greenwood"):
        code = FamilyCode.objects.get(student_id=amina, email="family@example.test")
    [mail] = mailoutbox
    assert mail.to == ["family@example.test"] and "Amina" in mail.subject
    display = f"{code.code[:5]}-{code.code[5:]}"
    assert f"http://greenwood.localhost:8000/families/join/?code={display}" in mail.body
    messages = [str(m) for m in response.wsgi_request._messages]
    assert MESSAGE_INVITED.format(student="Amina", email="family@example.test") in messages


def test_a_teacher_of_another_class_gets_404_for_its_families(greenwood):
    art, amina = _art()
    client = client_as(greenwood, "peter")  # teaches Media Studies
    assert client.get(f"/admin/families/{art}/").status_code == 404
    assert client.get(f"/admin/families/{art}/slips/").status_code == 404
    assert client.post(f"/admin/families/{art}/slips/").status_code == 404
    new = f"/admin/families/{art}/students/{amina}/codes/new/"
    assert client.post(new, {"max_uses": 2}).status_code == 404
    invite = f"/admin/families/{art}/students/{amina}/invite/"
    assert client.post(invite, {"email": "x@example.test"}).status_code == 404
    with schema_context("greenwood"):
        media = Classroom.objects.get(name="Media Studies").pk
    # Through his own class's URL, a student who is not in it: still 404.
    new_via_own = f"/admin/families/{media}/students/{amina}/codes/new/"
    assert client.post(new_via_own, {"max_uses": 2}).status_code == 404
    code = _code()
    withdraw = f"/admin/families/{media}/codes/{code.pk}/withdraw/"
    assert client.post(withdraw).status_code == 404
    with schema_context("greenwood"):
        assert FamilyCode.objects.filter(student_id=amina).count() == 1
        assert FamilyCode.objects.get(pk=code.pk).withdrawn_at is None
    assert client.get(f"/admin/families/{media}/").status_code == 200


def test_a_code_of_one_school_is_unknown_at_another(greenwood, riverside):
    code = _code()
    response = client_for(riverside).post("/families/join/", _signup_data(code.code))
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [str(services.ERROR_FAMILY_CODE_INVALID)]
    with schema_context(riverside.schema_name):
        assert (
            not Guardianship.objects.exists()
            or not Guardianship.objects.filter(guardian__email="zawadi@example.test").exists()
        )


def test_the_children_page_uses_the_media_cards(greenwood):
    page = client_as(greenwood, GUARDIAN).get("/my-children/")
    assert b'class="card h-100 media-card"' in page.content
    assert str(media_views.NO_CHILDREN).encode() not in page.content
