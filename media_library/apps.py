from django.apps import AppConfig
from django.conf import settings
from PIL import Image
from pillow_heif import register_heif_opener
from wagtail.signals import (
    task_approved,
    task_rejected,
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)


class MediaLibraryConfig(AppConfig):
    name = "media_library"
    verbose_name = "Media library"

    def ready(self):
        # Phones take HEIC photos; and Pillow's decompression-bomb guard, which Wagtail's
        # local renditions rely on too, follows the school's pixel limit.
        register_heif_opener()
        # Registers the system checks (ffmpeg installed): imported once the apps are ready,
        # as Django advises for checks.
        from . import checks  # noqa: F401

        Image.MAX_IMAGE_PIXELS = settings.MEDIA_MAX_IMAGE_PIXELS
        _wagtail_workflow_emails_off()
        _moderation_emails_on()
        _media_page_form()
        _consent_withdrawal_on()
        _sharing_cache_purged()


def _wagtail_workflow_emails_off():
    """Wagtail emails the submitter on approval or rejection with a link into its admin,
    which students cannot open, and superusers on every submission; the school's own
    emails (media_library.notifications) take their place. Wagtail connects these in
    wagtail.admin's ready(), which runs before ours (INSTALLED_APPS order)."""
    # Wagtail's models, which the app registry has only once ready() runs.
    from wagtail.models import WorkflowState

    for signal, uid in (
        (workflow_submitted, "workflow_state_submitted_email_notification"),
        (workflow_approved, "workflow_state_approved_email_notification"),
        (workflow_rejected, "workflow_state_rejected_email_notification"),
    ):
        if not signal.disconnect(sender=WorkflowState, dispatch_uid=uid):
            raise RuntimeError(
                f"Wagtail's {uid} handler was not connected: list media_library "
                "after wagtail.admin in INSTALLED_APPS."
            )


def _moderation_emails_on():
    """The school's moderation emails follow the classes' task, wherever it is acted on."""
    # Notifications import models, which the app registry has only once ready() runs.
    from .notifications import on_task_decided, on_task_submitted

    task_submitted.connect(on_task_submitted, dispatch_uid="media_library.submission_notify")
    task_approved.connect(on_task_decided, dispatch_uid="media_library.approved_notify")
    task_rejected.connect(on_task_decided, dispatch_uid="media_library.rejected_notify")


def _media_page_form():
    """The admin's media page form checks a new page's files (a form module imports the
    models, so the model cannot name its form itself)."""
    # Forms import models, which the app registry has only once ready() runs.
    from .models import MediaPage
    from .page_forms import MediaPageForm

    MediaPage.base_form_class = MediaPageForm


def _consent_withdrawal_on():
    """A withdrawn consent lowers the student's work at once (media_library.consent)."""
    # The receiver imports models, which the app registry has only once ready() runs.
    from families.signals import consent_withdrawn

    from .consent import on_consent_withdrawn

    consent_withdrawn.connect(on_consent_withdrawn, dispatch_uid="media_library.consent_lower")


def _sharing_cache_purged():
    """The cached media-sharing switch (sharing.py) goes as soon as the setting changes."""
    from django.db.models.signals import post_delete, post_save

    from .models import SchoolMediaSettings
    from .sharing import sharing_changed

    for signal in (post_save, post_delete):
        signal.connect(sharing_changed, sender=SchoolMediaSettings, dispatch_uid="media-sharing")
