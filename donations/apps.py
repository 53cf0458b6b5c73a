from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = "Donations"

    def ready(self):
        # Forms and models need the app registry, which is ready only now.
        from .forms import DonationSettingsForm
        from .models import DonationSettings

        DonationSettings.base_form_class = DonationSettingsForm
