"""What a school's home page shows, read with the media library's own rules (its selectors
and media_page_visible_q), so the home page never shows what the rest of the site would hide.

Each read is a fixed number of queries, however many works, galleries or classes there are:
a visitor's home page costs the same with 3 public works as with 30 (home/tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from wagtail.models import Page

from accounts.permissions import is_guardian, is_school_admin, is_teacher
from classrooms.models import Classroom
from families.selectors import guardian_children_ids
from media_library.cards import for_cards
from media_library.models import MediaPage
from media_library.selectors import (
    media_page_list,
    media_page_list_own,
    media_page_status,
    media_page_visible_q,
    pages_under,
    parent_title,
    public_sharing_allowed,
    review_count,
)

LATEST = 6  # works in a "latest" grid: two rows on a laptop, three on a phone
OWN_LATEST = 3  # a student's own latest work, with its status: one row on a laptop


@dataclass
class HomeShowcase:
    """What everyone sees, visitors included (the page a visitor gets is cached)."""

    works: list = field(default_factory=list)  # the latest public work, ready for cards
    galleries: list = field(default_factory=list)  # live galleries a visitor may open
    classes: list = field(default_factory=list)  # class pages with public work


def home_showcase(*, home: Page, request=None) -> HomeShowcase:
    visitor = AnonymousUser()
    works = for_cards(media_page_list(user=visitor, request=request)[:LATEST], request=request)
    gallery_type = ContentType.objects.get_by_natural_key("galleries", "gallerypage")
    galleries = (
        Page.objects.live()
        .public()
        .descendant_of(home)
        .filter(content_type=gallery_type)
        .annotate(class_title=parent_title())
        .order_by("-first_published_at", "-pk")
    )
    visible = media_page_visible_q(visitor, allow_public=public_sharing_allowed(request))
    public_work = MediaPage.objects.filter(visible, path__startswith=OuterRef("path"))
    classes = (
        Page.objects.live()
        .public()
        .child_of(home)
        .filter(pk__in=Classroom.objects.values("page_id"))
        .filter(Exists(public_work))
        .order_by("title")
    )
    return HomeShowcase(works=works, galleries=list(galleries), classes=list(classes))


@dataclass
class HomeForMember:
    """What a signed-in person sees besides the showcase: their classes' latest work, and
    what waits for them (a student's own work, a teacher's reviews, a guardian's children)."""

    role: str  # "staff" (teachers, school admins), "guardian" or "student"
    class_works: list = field(default_factory=list)
    own_works: list = field(default_factory=list)  # a student's, each with .status
    children_works: list = field(default_factory=list)  # a guardian's children's
    review_count: int | None = None  # a teacher's (or school admin's) submissions to review

    @property
    def shows_school_latest(self) -> bool:
        """The school's latest public work too, when nothing of their own circle is there."""
        return not (self.class_works or self.children_works)


def home_for_member(*, user, classes, request=None) -> HomeForMember:
    staff = is_teacher(user) or is_school_admin(user)
    found = HomeForMember(role="staff" if staff else "guardian" if is_guardian(user) else "student")
    paths = [classroom.page.path for classroom in classes]
    if paths:
        pages = media_page_list(user=user, request=request).filter(pages_under(paths))
        found.class_works = for_cards(pages[:LATEST], request=request)
    if found.role == "staff":
        found.review_count = review_count(user=user)
    elif found.role == "guardian":
        pages = media_page_list(user=user, request=request).filter(
            owner__in=guardian_children_ids(user)
        )
        found.children_works = for_cards(pages[:LATEST], request=request)
    else:
        own = for_cards(media_page_list_own(user=user)[:OWN_LATEST], request=request)
        for page in own:
            page.status = media_page_status(page)
        found.own_works = own
    return found
