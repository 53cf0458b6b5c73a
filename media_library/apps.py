from django.apps import AppConfig


class MediaLibraryConfig(AppConfig):
    name = "media_library"
    verbose_name = "Media library"

    def ready(self):
        from django.conf import settings
        from PIL import Image
        from pillow_heif import register_heif_opener

        # Phones take HEIC photos; and Pillow's decompression-bomb guard, which Wagtail's
        # local renditions rely on too, follows the school's pixel limit.
        register_heif_opener()
        Image.MAX_IMAGE_PIXELS = settings.MEDIA_MAX_IMAGE_PIXELS
        _wagtail_workflow_emails_off()


def _wagtail_workflow_emails_off():
    """Wagtail emails the submitter on approval or rejection with a link into its admin,
    which students cannot open, and superusers on every submission; the school's own
    emails (media_library.notifications) take their place. Wagtail connects these in
    wagtail.admin's ready(), which runs before ours (INSTALLED_APPS order)."""
    from wagtail.models import WorkflowState
    from wagtail.signals import workflow_approved, workflow_rejected, workflow_submitted

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
