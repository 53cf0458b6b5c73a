import warnings

from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig

from core.signals import on_school_migrated


class AccountsConfig(AppConfig):
    default = True  # apps.py also holds SchoolUsersConfig
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Services import models, which the app registry has only once ready() runs.
        from .services import roles_sync

        # django-role-permissions (ready after us) imports every app's `permissions` module,
        # Wagtail's deprecated ones included; nothing of ours uses them. Set here, after
        # Wagtail's own filter, which would otherwise show them.
        warnings.filterwarnings(
            "ignore", message=r"wagtail\.[a-z.]+\.permissions\.permission_policy is deprecated"
        )

        on_school_migrated(roles_sync, dispatch_uid="accounts.roles_sync")


class SchoolUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with each person's role on their form."""

    user_viewset = "accounts.viewsets.UserViewSet"
