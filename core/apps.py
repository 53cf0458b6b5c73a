from django.apps import AppConfig
from django.core.signals import request_finished

from .observability import log_context_clear


class CoreConfig(AppConfig):
    """Helpers every app shares (no models): forms, rate limits, the client's address, tasks
    enqueued after commit in the current school, page slugs, safe spreadsheet exports."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        # Wagtail's admin views, which core.exports adapts, need the app registry first.
        from .exports import spreadsheet_exports_protect

        spreadsheet_exports_protect()
        # A request's id and school leave the logs once its response is closed.
        request_finished.connect(log_context_clear, dispatch_uid="core.log_context_clear")
        # The page cache's purges: every committed write of a school's model (core.pagecache).
        from .pagecache_purges import page_cache_purges_connect

        page_cache_purges_connect()
