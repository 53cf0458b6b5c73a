from django.apps import AppConfig

from accounts.signals import role_changed
from core.signals import on_school_migrated


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = "Classes"

    def ready(self):
        # Services import models, which the app registry has only once ready() runs.
        from .services import classroom_permissions_sync, memberships_clear_for_role

        def memberships_end(sender, user, role, **kwargs):
            memberships_clear_for_role(user=user, role=role)

        role_changed.connect(memberships_end, dispatch_uid="classrooms.memberships_end", weak=False)
        # Classes made before a media app was installed get its permissions too.
        on_school_migrated(classroom_permissions_sync, dispatch_uid="classrooms.permissions")
