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
        self._host_cache_connect()

    def _host_cache_connect(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from .models import Domain, School
        from .signals import host_cache_drop_for, host_cache_remember_old

        pre_save.connect(host_cache_remember_old, sender=Domain, dispatch_uid="tenants.host_old")
        for model in (School, Domain):
            for signal in (post_save, post_delete):
                signal.connect(host_cache_drop_for, sender=model, dispatch_uid="tenants.host")
