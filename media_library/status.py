"""Where a submission stands (draft, awaiting approval, changes requested, published), from
Wagtail's workflow state: the one place that decides it. media_library.selectors re-exports it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from .models import MediaPage


@dataclass(frozen=True)
class MediaStatus:
    code: str  # draft, awaiting_approval, published, changes_requested
    label: str
    comment: str = ""


# Every status, by code, with its label (the order of All media's status filter).
STATUS_LABELS = {
    "draft": _("Draft"),
    "awaiting_approval": _("Awaiting approval"),
    "changes_requested": _("Changes requested"),
    "published": _("Published"),
}


def media_status(*, workflow_status: str | None, live: bool, comment: str = "") -> MediaStatus:
    """Where a submission stands, from the status of its active workflow state (in progress
    or needs changes; None without one) and whether it is live. The one place that decides
    it: for a page (media_page_status) and for a listing's annotation (media_library.oversight)."""
    if workflow_status == WorkflowState.STATUS_NEEDS_CHANGES:
        code = "changes_requested"
    elif workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        code = "awaiting_approval"
    else:
        code = "published" if live else "draft"
    return MediaStatus(code, STATUS_LABELS[code], comment if code == "changes_requested" else "")


def media_page_status(page: MediaPage) -> MediaStatus:
    """Where a submission stands, for its owner, from Wagtail's workflow state."""
    state = page.current_workflow_state
    if state is None:
        return media_status(workflow_status=None, live=page.live)
    task_state = state.current_task_state
    comment = task_state.comment if task_state is not None else ""
    return media_status(workflow_status=state.status, live=page.live, comment=comment)
