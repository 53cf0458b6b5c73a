"""School-admin oversight of the school's media: the listing's reads (every MediaPage, with
its class and status in the query) and the bulk actions' writes (unpublish, move to another
class; delete is media_library.services.media_delete).

Its own module, apart from services.py and selectors.py, because only the Wagtail admin's
"All media" uses it. Who may call these is decided by the caller (school admins, checked in
media_library.oversight_admin).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from wagtail.actions.move_page import MovePageAction
from wagtail.log_actions import LogContext
from wagtail.models import Page, WorkflowState

from core.pages import unique_child_slug

from .models import MediaPage
from .selectors import media_page_assets, media_status, parent_title
from .services import media_submit

ERROR_SAME_CLASS = "“{title}” is already in {classroom}."


def _active_state_status():
    """The status of the page's active workflow state (in progress or needs changes), if any:
    what media_page_status reads from current_workflow_state, as a subquery."""
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), CharField()),
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
    )
    return Subquery(states.values("status")[:1])


def media_oversight_list() -> QuerySet[MediaPage]:
    """Every media page of the school, drafts included, with `class_title` and
    `workflow_status` annotated and assets, owners and image renditions fetched, so that a
    listing costs a fixed number of queries."""
    return (
        MediaPage.objects.annotate(
            workflow_status=_active_state_status(), class_title=parent_title()
        )
        .select_related("owner", "image", "document", "media")
        .prefetch_related("image__renditions")
    )


def media_status_filter(pages: QuerySet[MediaPage], code: str) -> QuerySet[MediaPage]:
    """Pages of media_oversight_list() whose media_page_status code is `code`."""
    if code == "changes_requested":
        return pages.filter(workflow_status=WorkflowState.STATUS_NEEDS_CHANGES)
    if code == "awaiting_approval":
        return pages.filter(workflow_status=WorkflowState.STATUS_IN_PROGRESS)
    if code == "published":
        return pages.filter(workflow_status__isnull=True, live=True)
    if code == "draft":
        return pages.filter(workflow_status__isnull=True, live=False)
    return pages


def media_status_code(page: MediaPage) -> str:
    """media_page_status's code, from the annotations of media_oversight_list()."""
    return media_status(workflow_status=page.workflow_status, live=page.live).code


@transaction.atomic
def media_unpublish(*, page: MediaPage, user) -> bool:
    """Take a published submission off the site (it stays, as a draft, in its owner's My
    media); logged as "wagtail.unpublish" by `user`. False if it was not published."""
    if not page.live:
        return False
    page.unpublish(user=user)
    return True


@transaction.atomic
def media_move(*, page: MediaPage, classroom, user) -> MediaPage:
    """Move a submission to another class: its page goes under the class's page (logged as
    "wagtail.move" by `user`) and its files into the class's collection, so the new class's
    teachers manage it and the old class's no longer can.

    Moderation follows the class. A submission awaiting approval is taken out of the old
    class's workflow (cancelled, logged by `user`) and submitted to the new class's, as its
    owner's submission, so the new class's teachers review it (in a trusted class it is
    published, as its owner's upload would be). One with changes requested is taken out of
    the old workflow too and becomes a draft: its owner's next edit goes to the new class's
    teachers. A published or draft submission keeps its state."""
    target = classroom.page
    parent = page.get_parent()
    if parent.pk == target.pk:
        raise ValidationError(ERROR_SAME_CLASS.format(title=page.title, classroom=classroom))
    state = page.current_workflow_state
    was_awaiting = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    if state is not None:
        with LogContext(user=user):
            state.cancel(user=user)
    if target.get_children().filter(slug=page.slug).exists():
        # Slugs are unique among a page's siblings (the URL people use is /work/<pk>/). The
        # revisions get the new slug too: publishing one with the old slug would clash.
        page.slug = unique_child_slug(target, page.title, fallback="media", max_length=50)
        page.save(update_fields=["slug"], clean=False)
        for revision in page.revisions.all():
            revision.content["slug"] = page.slug
            revision.save(update_fields=["content"])
    # Who may move was decided by the caller; Wagtail's check wants a delete permission
    # that school admins' page permissions do not include.
    # Its files go first: a work's files are those of its class (MediaPage.clean).
    for asset in media_page_assets(page=page):
        if asset.collection_id != classroom.collection_id:
            asset.collection = classroom.collection
            asset.save(update_fields=["collection"])
    MovePageAction(page, target, pos="last-child", user=user).execute(skip_permission_checks=True)
    page = MediaPage.objects.get(pk=page.pk)
    if was_awaiting:
        media_submit(page=page, classroom=classroom, user=page.owner)
        page = MediaPage.objects.get(pk=page.pk)
    return page
