from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """What a school admin does for a student's privacy (no models): export their data, or
    erase them, from the Wagtail admin's 'Privacy'."""

    name = "privacy"
    verbose_name = "Privacy"
