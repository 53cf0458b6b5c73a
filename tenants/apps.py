from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Schools"

    def ready(self):
        # The backend's cache patches ContentType's manager, which needs the app registry.
        from .postgresql_backend.base import content_type_cache_install

        content_type_cache_install()
        # Wagtail's Site lookup, cached per school across requests (bench P2).
        from .site_cache import site_cache_install

        site_cache_install()
