"""Django's minimum-length password rule, with its message in our catalogue: Django's own
Kiswahili catalogue lacks it, and a student choosing a password must read why it is refused
(settings.AUTH_PASSWORD_VALIDATORS)."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        # Django's own words in English.
        return ngettext(
            "This password is too short. It must contain at least %(count)d character.",
            "This password is too short. It must contain at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(count)d character.",
            "Your password must contain at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}
