from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    """Families: guardians linked to their children by a family code, and the consent ledger
    (Kenya's Data Protection Act 2019, s.33) that decides what of a child may be shown."""

    name = "families"
    verbose_name = "Families and consent"
    default_auto_field = "django.db.models.BigAutoField"
