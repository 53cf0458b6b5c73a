from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """What a school admin does for a student's privacy (no models): export their data, or
    erase them, from the Wagtail admin's 'Privacy'."""

    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        # A consent withdrawal changes what the student's pages show (a donate block, a full
        # name) without every page being saved: purge the school's cached pages
        # (core.pagecache). Wired here: families may not import the cache, privacy may.
        from families.signals import consent_pages_changed

        consent_pages_changed.connect(consent_pages_purge, dispatch_uid="privacy.page_cache")


def consent_pages_purge(sender, **kwargs) -> None:
    from core.pagecache import page_cache_purge_on_commit

    page_cache_purge_on_commit()
