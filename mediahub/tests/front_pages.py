"""Every front-end page of a school's site, once: who opens it (a demo person of Greenwood, or
a visitor) and how its address is made from the data it needs. The browser tests of layout
and accessibility walk this list (mediahub/tests/test_browser_front_pages.py); any test that
wants "every page a person sees" can import it.

The data (`FrontData`) is Greenwood's demo as seeded, plus what the demo alone does not
have: a submission awaiting Grace's review and a donation with a waiting page.
`front_data_make()` commits them (the live server sees only what is committed) and
`front_data_remove()` takes them away again, so the tests after these see the demo as seeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from donations.models import Donation, Status
from galleries.models import GalleryPage
from media_library.models import MediaPage, SchoolImage, Visibility
from media_library.services import media_upload
from media_library.tests import samples

HOST = "greenwood.localhost"
SCHEMA = "greenwood"

# The roles, as the demo person who holds each (None: a visitor, not signed in).
VISITOR = None
STUDENT = "amina"
TEACHER = "grace"
GUARDIAN = "mama.amina"
ROLES = (VISITOR, STUDENT, TEACHER, GUARDIAN)

PUBLIC_WORK = "Sunset over the lake"  # Amina's, public, in Art (Grace's class)
SUBMISSION = "Front pages: a submission"  # made by front_data_make, awaiting Grace's review


@dataclass(frozen=True)
class FrontData:
    public_work: int  # a published public work, the student's own
    class_url: str  # the class page of that work (Art)
    gallery_url: str  # a live gallery of that class
    submission: int  # a work awaiting the teacher's review
    child: int  # the guardian's child (the student)
    donation: str  # a donation's reference (its waiting page)


@dataclass(frozen=True)
class FrontPage:
    name: str
    role: str | None  # a demo person's username; None: a visitor
    path: Callable[[FrontData], str]
    status: int = 200

    @property
    def id(self) -> str:
        return f"{self.role or 'visitor'}-{self.name}"


def _url(name: str, *args) -> Callable[[FrontData], str]:
    return lambda data: reverse(name, args=[getattr(data, arg) for arg in args])


FRONT_PAGES: tuple[FrontPage, ...] = (
    # A visitor
    FrontPage("home", VISITOR, lambda data: "/"),
    FrontPage("dashboard", VISITOR, _url("media_library:media-list")),
    FrontPage("work", VISITOR, _url("media_library:media-detail", "public_work")),
    FrontPage("class", VISITOR, lambda data: data.class_url),
    FrontPage("gallery", VISITOR, lambda data: data.gallery_url),
    FrontPage("donate", VISITOR, _url("donations:donation-create", "public_work")),
    FrontPage("donation-waiting", VISITOR, _url("donations:donation-detail", "donation")),
    FrontPage("sign-in", VISITOR, _url("accounts:login")),
    FrontPage("sign-up", VISITOR, _url("classrooms:signup")),
    FrontPage("password-reset", VISITOR, _url("accounts:password-reset")),
    FrontPage("family-join", VISITOR, _url("families:join")),
    FrontPage("not-found", VISITOR, lambda data: "/no-such-page/", status=404),
    # A student
    FrontPage("home", STUDENT, lambda data: "/"),
    FrontPage("dashboard", STUDENT, _url("media_library:media-list")),
    FrontPage("work", STUDENT, _url("media_library:media-detail", "public_work")),
    FrontPage("upload", STUDENT, _url("media_library:media-upload")),
    FrontPage("edit", STUDENT, _url("media_library:media-edit", "public_work")),
    FrontPage("delete", STUDENT, _url("media_library:media-delete", "public_work")),
    FrontPage("my-work", STUDENT, _url("media_library:media-list-own")),
    FrontPage("class", STUDENT, lambda data: data.class_url),
    FrontPage("class-join", STUDENT, _url("classrooms:class-join")),
    FrontPage("notifications", STUDENT, _url("notifications:notification-list")),
    FrontPage("profile", STUDENT, _url("accounts:profile")),
    FrontPage("password-change", STUDENT, _url("accounts:password-change")),
    # A teacher
    FrontPage("home", TEACHER, lambda data: "/"),
    FrontPage("review-queue", TEACHER, _url("media_library:review-list")),
    FrontPage("review", TEACHER, _url("media_library:review-detail", "submission")),
    FrontPage("class", TEACHER, lambda data: data.class_url),
    FrontPage("notifications", TEACHER, _url("notifications:notification-list")),
    # A guardian
    FrontPage("home", GUARDIAN, lambda data: "/"),
    FrontPage("my-children", GUARDIAN, _url("media_library:children")),
    FrontPage("consent", GUARDIAN, _url("consent:consent-child", "child")),
    FrontPage("family-account", GUARDIAN, _url("families:account")),
    FrontPage("notifications", GUARDIAN, _url("notifications:notification-list")),
)


def front_data_make() -> FrontData:
    """Greenwood's data for the list, with a submission and a donation added (committed when
    called outside a test's transaction: conftest.run_committed)."""
    with schema_context(SCHEMA):
        users = get_user_model().objects
        work = MediaPage.objects.get(title=PUBLIC_WORK)
        class_page = work.get_parent()
        gallery = GalleryPage.objects.live().child_of(class_page).first()
        art = Classroom.objects.get(page=class_page)
        submission = MediaPage.objects.filter(title=SUBMISSION).first() or media_upload(
            classroom=art,
            uploaded_by=users.get(username=STUDENT),
            file=samples.uploaded(samples.png(), "front-pages.png", "image/png"),
            title=SUBMISSION,
            visibility=Visibility.CLASS,
        )
        donation = Donation.objects.create(
            page=work,
            page_title=work.title,
            classroom=art,
            amount=100,
            phone="254712345670",
            status=Status.PAID,
            shortcode="174379",
            checkout_request_id="ws_CO_FRONT_PAGES",
            mpesa_receipt="FRONTPAGES1",
        )
        return FrontData(
            public_work=work.pk,
            class_url=class_page.url,
            gallery_url=gallery.url,
            submission=submission.pk,
            child=users.get(username=STUDENT).pk,
            donation=str(donation.reference),
        )


def front_data_remove() -> None:
    with schema_context(SCHEMA):
        Donation.objects.filter(checkout_request_id="ws_CO_FRONT_PAGES").delete()
        for page in MediaPage.objects.filter(title=SUBMISSION):
            page.delete()
        SchoolImage.objects.filter(title=SUBMISSION).delete()
