from django.apps import AppConfig

from accounts.signals import role_changed


class FamiliesConfig(AppConfig):
    """Families: guardians linked to their children by a family code, and the consent ledger
    (Kenya's Data Protection Act 2019, s.33) that decides what of a child may be shown."""

    name = "families"
    verbose_name = "Families and consent"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Services import models, which the app registry has only once ready() runs.
        from .services import guardianships_clear_for_role

        def guardianships_end(sender, user, role, **kwargs):
            guardianships_clear_for_role(user=user, role=role)

        role_changed.connect(
            guardianships_end, dispatch_uid="families.guardianships_end", weak=False
        )
