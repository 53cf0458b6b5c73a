"""The media library's panels of the Wagtail dashboard, for teachers (their classes only)
and school admins (every class): the latest uploads, and each class's figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import TaskState, WorkflowState

from accounts.permissions import is_school_admin, is_teacher
from classrooms.models import Classroom, Enrolment
from classrooms.selectors import classroom_list

from .models import MediaPage
from .selectors import media_status, pages_under, parent_title

RECENT_UPLOADS = 8


def _count(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of a correlated subquery, as an annotation (no join, no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def _classes(user) -> QuerySet[Classroom]:
    if not (is_school_admin(user) or is_teacher(user)):
        return Classroom.objects.none()
    return classroom_list(user=user).filter(is_archived=False)


def recent_uploads(*, user, limit: int = RECENT_UPLOADS) -> list[MediaPage]:
    """The latest works uploaded to `user`'s classes (every class for a school admin),
    published or not, newest first, each with its status: two queries."""
    paths = list(_classes(user).values_list("page__path", flat=True))
    if not paths:
        return []
    pages = list(
        MediaPage.objects.filter(pages_under(paths))
        .select_related("owner")
        .annotate(class_title=parent_title())
        .order_by("-pk")[:limit]
    )
    states = dict(
        WorkflowState.objects.active()
        .filter(object_id__in=[str(p.pk) for p in pages])
        .values_list("object_id", "status")
    )
    for page in pages:
        page.status = media_status(workflow_status=states.get(str(page.pk)), live=page.live)
    return pages


@dataclass(frozen=True)
class ClassFigures:
    classroom: Classroom
    students: int
    live: int
    in_review: int


def class_figures(*, user) -> list[ClassFigures]:
    """Per class of `user` (every class for a school admin): its students, its works live,
    and its works awaiting review. One query, whatever the number of classes."""
    in_review = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        task__classteacherstask__classroom=OuterRef("pk"),
    )
    classes = (
        _classes(user)
        .annotate(
            n_students=_count(Enrolment.objects.filter(classroom=OuterRef("pk"))),
            n_live=_count(
                MediaPage.objects.filter(live=True, path__startswith=OuterRef("page__path"))
            ),
            n_in_review=_count(in_review),
        )
        .order_by("name")
    )
    return [ClassFigures(c, c.n_students, c.n_live, c.n_in_review) for c in classes]
