from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = "Donations"

    def ready(self):
        from .forms import DonationSettingsForm
        from .models import DonationSettings

        DonationSettings.base_form_class = DonationSettingsForm
