"""The demo's story (`manage.py seed_demo`, after demo.seed): something for each demo person
to do on a fresh `make run`. Submissions wait for their teacher's review (a video, a
recording, a PDF), one in each school was sent back with the teacher's comment, the
donations report has paid and cancelled rows, and each guardian has a notification waiting.

Idempotent, as the seed is: each piece is made once (a work by its title, the donations
while a school has none, a notification once per event), so later runs only look.
The test session's seed (conftest) leaves the story out: the tests start from the plain demo.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from classrooms.models import Classroom
from donations.models import Donation
from families.models import Guardianship
from media_library.inbox import decision_inbox, guardians_inbox, submission_inbox
from media_library.models import MediaPage, Visibility
from media_library.services import media_upload

from .data import DemoSchool, DemoSubmission
from .files import demo_file

DEMO_PHONE = "254708374149"  # Daraja's sandbox test number
DEMO_SHORTCODE = "174379"


def story_ensure(spec: DemoSchool, users) -> list[str]:
    """The school's story (in its schema): what was made, for the seed's report."""
    done = [f"submission {s.title!r}" for s in spec.submissions if _submission_ensure(s, users)]
    done += _donations_ensure(spec)
    done += _guardian_notifications_ensure()
    return done


def _submission_ensure(submission: DemoSubmission, users) -> bool:
    if MediaPage.objects.filter(title=submission.title).exists():
        return False
    classroom = Classroom.objects.get(name=submission.classroom)
    student = users[submission.owner]
    page = media_upload(
        classroom=classroom,
        uploaded_by=student,
        file=demo_file(submission.kind, title=submission.title),
        title=submission.title,
        description=f"Made in {submission.classroom}.",
        visibility=Visibility.CLASS,
    )
    task_state = page.current_workflow_state.current_task_state
    # The app's notifications at once (the worker makes them too, and the emails; each is
    # made once): the demo shows them before any worker has run.
    submission_inbox(task_state=task_state, page=page, classroom=classroom, student=student)
    if submission.state == "changes":
        teacher = classroom.teachers.first()
        task_state.reject(user=teacher, comment=submission.comment)
        task_state.refresh_from_db()
        decision_inbox(
            task_state=task_state, page=page, student=student, reviewer=teacher, approved=False
        )
    return True


def _donations_ensure(spec: DemoSchool) -> list[str]:
    """Donations on the school's first public work with a donate block, once: the report
    (Reports > Donations) and the dashboard have rows to show."""
    if not spec.donations or Donation.objects.exists():
        return []
    page = MediaPage.objects.live().filter(visibility=Visibility.PUBLIC).order_by("pk").first()
    if page is None:
        return []
    classroom = Classroom.objects.filter(page__path=page.path[: -Page.steplen]).first()
    for number, donation in enumerate(spec.donations, start=1):
        paid = donation.status == "paid"
        Donation.objects.create(
            page=page,
            page_title=page.title,
            classroom=classroom,
            amount=donation.amount,
            phone=DEMO_PHONE,
            donor_name=donation.donor_name,
            message=donation.message,
            status=donation.status,
            result_code=0 if paid else 1032,
            result_description="The service request is processed successfully."
            if paid
            else "Request cancelled by user",
            shortcode=DEMO_SHORTCODE,
            checkout_request_id=f"ws_CO_DEMO_{spec.slug}_{number}",
            pushed_at=timezone.now(),
            callback_received_at=timezone.now(),
            mpesa_receipt=f"DEMO{spec.slug[:3].upper()}{number:04d}" if paid else None,
        )
    return [f"{len(spec.donations)} donations"]


def _guardian_notifications_ensure() -> list[str]:
    """Each guardian is told of their children's published work (made once per work)."""
    children = Guardianship.objects.values("student_id")
    pages = MediaPage.objects.live().filter(Q(owner__in=children)).select_related("owner")
    made = sum(guardians_inbox(page=page) for page in pages)
    return [f"{made} guardian notifications"] if made else []
