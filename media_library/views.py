"""The student front end: the dashboard of the school's work, one's own work, uploading,
editing and deleting it, and one work's page.

Views stay thin: the selectors decide what a person may see (anything else is a 404, never a
403 that confirms it exists), the services write. Uploading answers JSON to the page's own
script (static/js/upload.js, which shows a real progress bar) and works as a plain form post
without JavaScript too.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import is_guardian
from classrooms.selectors import classroom_list
from core.http import wants_json
from core.pagecache import page_cacheable
from core.ratelimit import ratelimit

from . import selectors, services, serving
from .cards import body_blocks, for_cards, paginate_cards
from .consent_rules import visibilities_allowed
from .direct_uploads import direct_uploads_enabled
from .forms import CAMERA_ACCEPT, MediaEditForm, MediaFilterForm, MediaUploadForm, ReviewForm
from .guardians import children_work_list
from .models import MediaPage
from .permissions import work_change_refusal

logger = logging.getLogger(__name__)

MESSAGE_UPLOADED = _("“{title}” is uploaded. Others see it once your teacher approves it.")
MESSAGE_PUBLISHED = _("“{title}” is uploaded and published.")
MESSAGE_APPROVED = _("“{title}” is approved and published. {student} gets an email.")
MESSAGE_CHANGES_REQUESTED = _(
    "Changes requested on “{title}”. {student} gets an email with your comment."
)
NO_REVIEWS = _("Nothing is waiting for your review.")
MESSAGE_SAVED = _("Your changes are saved. They go to your teacher for approval.")
MESSAGE_SAVED_PUBLISHED = _("Your changes are saved and published.")
MESSAGE_DELETED = _("“{title}” is deleted.")
MESSAGE_UPLOAD_FAILED = _("The upload did not finish. Check your connection and try again.")
MESSAGE_STORAGE_FAILED = _(
    "Your file could not be stored just now, so nothing was saved. Try again in a few minutes."
)
EDIT_NOTE = _("Changes you make go to your teacher for approval before others see them.")
NO_MEDIA = _("Nothing to show here yet.")
NO_OWN_MEDIA = _("You have not uploaded any work yet.")
NO_CHILD_WORK = _("Nothing of {child}'s is published yet: you will see it here once it is.")
NO_CHILDREN = _(
    "No child is linked to your account yet: join with the family code from the school."
)
NO_UPLOAD_CLASS = _("Join a class first: you upload your work to one of your classes.")


def _allow_public(request) -> bool:
    return selectors.public_sharing_allowed(request)


def _own_page_or_404(request, pk):
    page = selectors.media_page_get(user=request.user, pk=pk, request=request)
    if page.owner_id != request.user.pk:
        raise Http404("No such media")
    return page


@page_cacheable(query=("page",))  # visitors' copy: core.pagecache
def dashboard(request):
    form = MediaFilterForm(request.GET or None, user=request.user)
    pages = selectors.media_page_list(user=request.user, request=request, **form.filters())
    page_obj, query = paginate_cards(request, pages)
    context = {"form": form, "page_obj": page_obj, "query": query, "empty_message": NO_MEDIA}
    return render(request, "media_library/dashboard.html", context)


@login_required
def children(request):
    """A guardian's children, each with their live work (families links them); a 404 for
    anyone else, who has no children here."""
    if not is_guardian(request.user):
        raise Http404("Not a family account")
    entries = children_work_list(user=request.user, request=request)
    for entry in entries:
        entry.empty_message = NO_CHILD_WORK.format(child=entry.child.get_short_name())
    context = {"children": entries, "no_children": NO_CHILDREN}
    return render(request, "media_library/children.html", context)


@login_required
def my_media(request):
    page_obj, query = paginate_cards(request, selectors.media_page_list_own(user=request.user))
    for page in page_obj:
        page.status = selectors.media_page_status(page)
    context = {"page_obj": page_obj, "query": query, "empty_message": NO_OWN_MEDIA}
    return render(request, "media_library/my_media.html", context)


@login_required
@ratelimit("media_upload", what=_("uploads"))
def upload(request):
    form = MediaUploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        allow_public=_allow_public(request),
        consented=visibilities_allowed(request.user),
        initial={"classroom": request.GET.get("class")},
    )
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            page = form.upload(uploaded_by=request.user)
        except OSError:  # storage down or refusing (Cloudinary, a full disk): nothing was kept
            logger.exception("Storing an upload failed")
            form.add_error(None, MESSAGE_STORAGE_FAILED)
            status = 503
        else:
            if page is not None:
                return _uploaded(request, page)
    if request.method == "POST" and wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=status)
    context = {"form": form, "no_class_message": NO_UPLOAD_CLASS, "camera_accept": CAMERA_ACCEPT}
    context["upload_failed_message"] = MESSAGE_UPLOAD_FAILED
    context["direct_uploads"] = direct_uploads_enabled()  # videos and audio to Cloudinary
    return render(
        request, "media_library/upload.html", context, status=503 if status == 503 else 200
    )


def _uploaded(request, page):
    message = (MESSAGE_PUBLISHED if page.live else MESSAGE_UPLOADED).format(title=page.title)
    if not wants_json(request):
        messages.success(request, message)
        return redirect("media_library:media-list-own")
    [page] = for_cards([page], request=request)
    page.status = selectors.media_page_status(page)
    card = render_to_string("includes/media_card.html", {"item": page}, request=request)
    urls = {
        "detail_url": reverse("media_library:media-detail", args=[page.pk]),
        "edit_url": reverse("media_library:media-edit", args=[page.pk]),
        "my_media_url": reverse("media_library:media-list-own"),
    }
    data = {"id": page.pk, "title": page.title, "message": message, "card_html": card}
    return JsonResponse({**data, **urls}, status=201)


@login_required
def edit(request, pk):
    page = _own_page_or_404(request, pk)
    refusal = work_change_refusal(request.user, selectors.media_page_classroom(page))
    if refusal is not None:  # the service refuses too: this only says why, without a form
        return _edit_refused(request, page, refusal)
    draft = page.get_latest_revision_as_object()
    form = MediaEditForm(
        request.POST or None,
        request.FILES or None,
        initial=MediaEditForm.initial_for(draft),
        allow_public=_allow_public(request),
        current_visibility=draft.visibility,
        consented=visibilities_allowed(page.owner),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.media_update(page=page, user=request.user, **form.update_data())
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:  # left the class since the form was shown
            return _edit_refused(request, page, str(error))
        except OSError:  # storage down or refusing: the change was not kept
            logger.exception("Storing a replaced file failed")
            form.add_error(None, MESSAGE_STORAGE_FAILED)
        else:
            page.refresh_from_db()
            saved = MESSAGE_SAVED if page.has_unpublished_changes else MESSAGE_SAVED_PUBLISHED
            messages.success(request, saved)
            return redirect("media_library:media-list-own")
    context = {"form": form, "item": draft, "edit_note": EDIT_NOTE}
    return render(request, "media_library/edit.html", context)


def _edit_refused(request, page, refusal: str):
    """The edit page with the reason the work cannot be changed, and no form; a post is
    answered 403 (the work is the person's own: its existence is no secret to them)."""
    context = {"item": page, "refusal": refusal}
    status = 403 if request.method == "POST" else 200
    return render(request, "media_library/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    page = _own_page_or_404(request, pk)
    if request.method == "POST":
        services.media_delete(page=page, user=request.user)
        messages.success(request, MESSAGE_DELETED.format(title=page.title))
        return redirect("media_library:media-list-own")
    return render(request, "media_library/delete.html", {"item": page})


@page_cacheable(query=())  # visitors' copy: core.pagecache
def detail(request, pk):
    page = selectors.media_page_get(user=request.user, pk=pk, request=request)
    [page] = for_cards([page], request=request)
    is_owner = request.user.is_authenticated and page.owner_id == request.user.pk
    context = {
        "item": page,
        "body_blocks": body_blocks(page),
        "is_owner": is_owner,
        "status": selectors.media_page_status(page) if is_owner else None,
        # Users are per school: anyone signed in here is a member and sees the full name.
        "show_full_name": request.user.is_authenticated,
    }
    return render(request, "media_library/detail.html", context)


def stored_file(request, schema, name):
    """A stored file, to those who may see it (selectors.stored_file_asset), else 404: the
    visibility rules hold for the files too, not only for the pages that show them. Sent by
    nginx (X-Accel-Redirect) in production, else here, with Range (media_library.serving)."""
    if schema != connection.schema_name:
        raise Http404("Not this school's file")
    if selectors.stored_file_asset(user=request.user, name=name, request=request) is None:
        raise Http404("No such file")
    response = serving.file_response(request, storage=default_storage, schema=schema, name=name)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def review_list(request):
    """The submissions awaiting the teacher's review (all classes' for a school admin)."""
    classes = classroom_list(user=request.user)
    classroom = (
        classes.filter(pk=request.GET.get("class")).first()
        if request.GET.get("class", "").isdigit()
        else None
    )
    items = selectors.review_list(user=request.user, classroom=classroom)
    for_cards([item.page for item in items], request=request)
    context = {
        "items": items,
        "classes": classes,
        "classroom": classroom,
        "empty_message": NO_REVIEWS,
    }
    return render(request, "media_library/review_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    """One submission, as submitted, with Approve and Request changes."""
    item = selectors.review_get(user=request.user, pk=pk)  # 404 unless theirs to review
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        page = MediaPage.objects.get(pk=item.page.pk)
        try:
            notice = services.media_review(page=page, user=request.user, **form.review_data())
        except ValidationError as error:
            if getattr(error, "code", None) != services.REVIEW_DONE:
                form.add_service_errors(error)
            else:
                messages.info(request, error.message)
                return redirect("media_library:review-list")
        else:
            done = (
                MESSAGE_APPROVED
                if form.cleaned_data["decision"] == services.APPROVE
                else MESSAGE_CHANGES_REQUESTED
            )
            student = item.submitted_by.get_full_name() if item.submitted_by else _("The student")
            messages.success(request, done.format(title=item.page.title, student=student))
            if notice:
                messages.warning(request, notice)
            return redirect("media_library:review-list")
    [page] = for_cards([item.page], request=request)
    return render(
        request, "media_library/review_detail.html", {"item": item, "page": page, "form": form}
    )
