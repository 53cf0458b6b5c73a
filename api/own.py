"""A person's own work through the API: listed with its moderation status and the teacher's
comment, uploaded, edited and deleted, through the site's forms (the same fields and
constant messages) and services (the same checks of the file, the class, consent and
moderation), with the upload's rate limits."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from core.ratelimit import MESSAGE_RATE_LIMITED, rate_limited
from media_library import selectors, services
from media_library.cards import for_cards
from media_library.consent_rules import visibilities_allowed
from media_library.forms import MediaEditForm, MediaUploadForm
from media_library.models import Visibility
from media_library.permissions import work_change_refusal
from media_library.views import (
    MESSAGE_PUBLISHED,
    MESSAGE_SAVED,
    MESSAGE_SAVED_PUBLISHED,
    MESSAGE_STORAGE_FAILED,
    MESSAGE_UPLOADED,
)

from .auth import requires
from .data import paginated, work_data
from .errors import ApiError, form_errors, service_errors
from .models import Scope
from .schemas import Errors, Uploaded, WorkPage

logger = logging.getLogger(__name__)
router = Router(tags=["Your work"])
ERRORS = {400: Errors, 403: Errors, 404: Errors, 429: Errors, 503: Errors}


@router.get("/me/works/", response=WorkPage, summary="Your works, with their status")
def own_list(request, page: int = 1, limit: int = 24):
    """Everything you uploaded, drafts included, newest first, each with its moderation
    status and, when changes are requested, the teacher's comment."""
    return paginated(request, selectors.media_page_list_own(user=request.user), own=True)


def _own_page_or_404(request, pk):
    page = selectors.media_page_get(user=request.user, pk=pk, request=request)
    if page.owner_id != request.user.pk:
        raise Http404("No such media")
    return page


def _stored(request, page, message: str, status: int):
    [page] = for_cards([selectors.media_page_get(user=request.user, pk=page.pk)], request=request)
    body = {"message": message.format(title=page.title), "work": work_data(request, page, own=True)}
    return Status(status, body)


@router.post("/me/works/", response={201: Uploaded, **ERRORS}, summary="Upload a work (multipart)")
@requires(Scope.UPLOAD)
def upload(
    request,
    file: File[UploadedFile] = None,
    title: Form[str] = "",
    classroom: Form[str] = "",
    description: Form[str] = "",
    tags: Form[str] = "",
    visibility: Form[str] = "class",
):
    """The upload form's fields, as multipart/form-data: `file`, `title`, `classroom` (an id
    from /classes/), `description`, `tags` (comma-separated) and `visibility` (public,
    school, class or private, as your family's consent allows). The same checks as the site:
    a refused file is a 400 with the form's message, and nothing is kept."""
    wait = rate_limited(request, "media_upload")
    if wait:
        message = MESSAGE_RATE_LIMITED.format(what=_("uploads"), minutes=max(1, wait // 60))
        raise ApiError(429, {NON_FIELD_ERRORS: [message]}, headers={"Retry-After": str(wait)})
    data = request.POST.copy()
    data.setdefault("visibility", Visibility.CLASS)  # the form's initial choice
    form = MediaUploadForm(
        data,
        request.FILES,
        user=request.user,
        allow_public=selectors.public_sharing_allowed(request),
        consented=visibilities_allowed(request.user),
    )
    if form.is_valid():
        try:
            page = form.upload(uploaded_by=request.user)
        except OSError:  # storage down or refusing: nothing was kept
            logger.exception("Storing an upload failed")
            raise ApiError(503, {NON_FIELD_ERRORS: [MESSAGE_STORAGE_FAILED]}) from None
        if page is not None:
            message = MESSAGE_PUBLISHED if page.live else MESSAGE_UPLOADED
            return _stored(request, page, message, 201)
    raise ApiError(400, form_errors(form))


@router.post("/me/works/{int:work_id}/", response={200: Uploaded, **ERRORS}, summary="Edit")
@requires(Scope.UPLOAD)
def edit(
    request,
    work_id: int,
    file: File[UploadedFile] = None,
    title: Form[str] = "",
    description: Form[str] = "",
    tags: Form[str] = "",
    visibility: Form[str] = "",
):
    """The edit form's fields (multipart/form-data or urlencoded); a field left out keeps
    its value, and a `file` replaces the work's file by one of the same kind. Like the site,
    the change goes to the teacher for approval."""
    page = _own_page_or_404(request, work_id)
    refusal = work_change_refusal(request.user, selectors.media_page_classroom(page))
    if refusal is not None:  # their own work: its existence is no secret to them
        raise ApiError(403, {NON_FIELD_ERRORS: [refusal]})
    draft = page.get_latest_revision_as_object()
    data = MediaEditForm.initial_for(draft)
    data.update({key: request.POST[key] for key in data if key in request.POST})
    form = MediaEditForm(
        data,
        request.FILES,
        allow_public=selectors.public_sharing_allowed(request),
        current_visibility=draft.visibility,
        consented=visibilities_allowed(page.owner),
    )
    if form.is_valid():
        try:
            page = services.media_update(page=page, user=request.user, **form.update_data())
        except ValidationError as error:
            raise ApiError(400, service_errors(error)) from None
        except PermissionDenied as error:
            raise ApiError(403, {NON_FIELD_ERRORS: [str(error)]}) from None
        except OSError:
            logger.exception("Storing a replaced file failed")
            raise ApiError(503, {NON_FIELD_ERRORS: [MESSAGE_STORAGE_FAILED]}) from None
        message = MESSAGE_SAVED if page.has_unpublished_changes else MESSAGE_SAVED_PUBLISHED
        return _stored(request, page, message, 200)
    raise ApiError(400, form_errors(form))


@router.delete("/me/works/{int:work_id}/", response={204: None, 404: Errors}, summary="Delete")
@requires(Scope.UPLOAD)
def delete(request, work_id: int):
    page = _own_page_or_404(request, work_id)
    services.media_delete(page=page, user=request.user)
    return HttpResponse(status=204)
