"""Reviewing through the API (tokens with the review scope): the queue of submissions
awaiting the teacher, one submission as submitted, approving, and requesting changes (a
comment required), through the review selectors, ReviewForm and services.media_review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Form, Router

from classrooms.selectors import classroom_get
from media_library import selectors, services
from media_library.cards import for_cards
from media_library.forms import ReviewForm
from media_library.models import MediaPage
from media_library.views import MESSAGE_APPROVED, MESSAGE_CHANGES_REQUESTED

from .auth import requires
from .data import work_data
from .errors import ApiError, form_errors, service_errors
from .models import Scope
from .schemas import Decided, Errors, ReviewItem

router = Router(tags=["Review (teachers)"])


def _item_data(request, item) -> dict:
    by = item.submitted_by.get_full_name() if item.submitted_by else ""
    return {
        "id": item.page.pk,
        "submitted_by": by,
        "changes_published_work": item.changes_published_work,
        "work": work_data(request, item.page, detail=True),
    }


@router.get("/review/", response=list[ReviewItem], summary="Awaiting your review")
@requires(Scope.REVIEW)
def review_list(request, class_id: int | None = None):
    """Submissions awaiting your review, oldest first: of the classes you teach (every class
    for a school admin); `class_id` keeps one class."""
    classroom = classroom_get(user=request.user, pk=class_id) if class_id else None
    items = selectors.review_list(user=request.user, classroom=classroom)
    for_cards([item.page for item in items], request=request)
    return [_item_data(request, item) for item in items]


@router.get("/review/{int:work_id}/", response=ReviewItem, summary="One submission")
@requires(Scope.REVIEW)
def review_detail(request, work_id: int):
    item = selectors.review_get(user=request.user, pk=work_id)  # 404 unless theirs to review
    for_cards([item.page], request=request)
    return _item_data(request, item)


def _decide(request, work_id: int, decision: str, comment: str):
    item = selectors.review_get(user=request.user, pk=work_id)
    form = ReviewForm({"decision": decision, "comment": comment})
    if not form.is_valid():
        raise ApiError(400, form_errors(form))
    page = MediaPage.objects.get(pk=item.page.pk)
    try:
        notice = services.media_review(page=page, user=request.user, **form.review_data())
    except ValidationError as error:
        status = 409 if getattr(error, "code", None) == services.REVIEW_DONE else 400
        raise ApiError(status, service_errors(error)) from None
    except PermissionDenied:
        raise Http404("Nothing of yours to review here") from None
    done = MESSAGE_APPROVED if decision == services.APPROVE else MESSAGE_CHANGES_REQUESTED
    student = item.submitted_by.get_full_name() if item.submitted_by else "The student"
    return {"message": done.format(title=item.page.title, student=student), "notice": notice}


DECIDE_ERRORS = {400: Errors, 403: Errors, 404: Errors, 409: Errors}


@router.post("/review/{int:work_id}/approve/", response={200: Decided, **DECIDE_ERRORS})
@requires(Scope.REVIEW)
def approve(request, work_id: int, comment: Form[str] = ""):
    """Approve and publish the submission (the student is emailed)."""
    return _decide(request, work_id, services.APPROVE, comment)


@router.post("/review/{int:work_id}/request-changes/", response={200: Decided, **DECIDE_ERRORS})
@requires(Scope.REVIEW)
def request_changes(request, work_id: int, comment: Form[str] = ""):
    """Send it back to the student with `comment` (required): what to change."""
    return _decide(request, work_id, services.REQUEST_CHANGES, comment)
