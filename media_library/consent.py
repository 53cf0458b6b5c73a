"""Consent, enforced on students' work (families.consent holds the ledger).

A student's work may be seen by the whole school only with SCHOOL consent, and be public
only with PUBLIC consent as well (public work is seen by the school too). The services
refuse more (media_upload, media_update, MediaPage.clean for every save in the Wagtail
admin); a teacher's approval goes through but publishes the work at most as visible as
consent allows (workflow_publish_within_consent, Wagtail's WAGTAIL_FINISH_WORKFLOW_ACTION),
because the teacher's decision is about the work, not about the family's consent, and
refusing would leave the student's work stuck in the queue for a reason neither can fix;
the teacher is told. When consent is withdrawn, the student's live work is lowered at once
(works_lower_to_consent, a receiver of families.signals.consent_withdrawn). Work of anyone
who is not a student (a teacher's own upload) needs no consent."""

from __future__ import annotations

from django.db import transaction
from wagtail.log_actions import log
from wagtail.workflows import publish_workflow_state

from families.models import Purpose
from families.signals import consent_pages_changed

from .consent_rules import RANK, visibility_cap, widest_visibility
from .models import MediaPage

LOWERED_ACTION = "mediahub.consent_lowered"


def workflow_publish_within_consent(workflow_state, user=None) -> None:
    """Wagtail's end of an approved workflow (publish the latest revision), with a media
    page's visibility first lowered to what its owner's consents allow."""
    page = workflow_state.content_object.specific
    if isinstance(page, MediaPage):
        draft = page.get_latest_revision_as_object()
        widest = widest_visibility(draft.owner)
        if visibility_cap(draft.visibility, widest) != draft.visibility:
            asked = draft.visibility
            draft.visibility = widest
            revision = draft.save_revision(user=user, log_action=False)
            log(
                instance=page,
                action=LOWERED_ACTION,
                user=user,
                data={"from": asked, "to": widest, "reason": "approval"},
            )
            # What Wagtail's publish_workflow_state does, with the revision just saved (its
            # content_object still knows the one before).
            revision.publish(user=user)
            return
    publish_workflow_state(workflow_state, user=user)


def works_lower_to_consent(*, student, user) -> list[int]:
    """Lower each of `student`'s pages wider than their consents now allow: live work gets a
    new revision, published (so the live page changes at once), and a pending draft is
    lowered too. Each change is in the audit log. Returns the ids of the pages changed."""
    widest = widest_visibility(student)
    changed = []
    pages = MediaPage.objects.filter(owner=student).exclude(
        visibility__in=[v for v in RANK if RANK.index(v) >= RANK.index(widest)]
    )
    for page in pages:
        before = page.visibility
        pending = (
            page.get_latest_revision_as_object()
            if page.latest_revision_id != page.live_revision_id
            else None
        )
        page.visibility = widest
        if page.live:
            revision = page.save_revision(user=user, log_action=False)
            revision.publish(user=user, skip_permission_checks=True, log_action=False)
        else:
            page.save(update_fields=["visibility"], clean=False)
        if pending is not None:
            pending.visibility = visibility_cap(pending.visibility, widest)
            pending.save_revision(user=user, log_action=False)
        log(
            instance=page,
            action=LOWERED_ACTION,
            user=user,
            data={"from": before, "to": widest, "reason": "withdrawal"},
        )
        changed.append(page.pk)
    return changed


def on_consent_withdrawn(sender, student, purpose, record, user=None, **kwargs) -> None:
    """Lower the student's work, then (once committed) tell the page cache which pages of
    theirs changed: all of them for a donate block or a name, the lowered ones otherwise."""
    changed = works_lower_to_consent(student=student, user=user)
    if purpose in (Purpose.DONATIONS, Purpose.FULL_NAME):
        changed = list(MediaPage.objects.filter(owner=student).values_list("pk", flat=True))

    def announce():
        consent_pages_changed.send(
            sender=MediaPage, student=student, purpose=purpose, page_ids=changed
        )

    transaction.on_commit(announce)
