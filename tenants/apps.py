from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Schools"

    def ready(self):
        from .postgresql_backend.base import content_type_cache_install

        content_type_cache_install()
