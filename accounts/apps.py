import warnings

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True  # apps.py also holds SchoolUsersConfig
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from .services import roles_sync_after_migrate

        # django-role-permissions (ready after us) imports every app's `permissions` module,
        # Wagtail's deprecated ones included; nothing of ours uses them. Set here, after
        # Wagtail's own filter, which would otherwise show them.
        warnings.filterwarnings(
            "ignore", message=r"wagtail\.[a-z.]+\.permissions\.permission_policy is deprecated"
        )

        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts.roles_sync")


class SchoolUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with each person's role on their form."""

    user_viewset = "accounts.viewsets.UserViewSet"
