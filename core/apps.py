from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app shares (no models): forms, rate limits, the client's address, tasks
    enqueued after commit in the current school, page slugs, safe spreadsheet exports."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        # Wagtail's admin views, which core.exports adapts, need the app registry first.
        from .exports import spreadsheet_exports_protect

        spreadsheet_exports_protect()
