"""WAGTAIL_FINISH_WORKFLOW_ACTION: what an approved workflow does at its end. Wagtail imports
this module while its own models are being defined, before any app is ready."""


def publish_within_consent(workflow_state, user=None) -> None:
    """Publish the latest revision, a media page's visibility first lowered to what its
    owner's consents allow (media_library.consent.workflow_publish_within_consent)."""
    # Imported here: this module is imported by wagtail.models, before our models exist.
    from .consent import workflow_publish_within_consent

    workflow_publish_within_consent(workflow_state, user=user)
