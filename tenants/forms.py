from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceErrorsMixin

from .services import EMAIL_ERROR_INVALID, school_create_validate
from .validators import SLUG_MAX_LENGTH, SLUG_MIN_LENGTH

PASSWORD_ERROR_MISMATCH = _("The two passwords differ. Type the same password in both fields.")  # noqa: S105 (a message)
REQUIRED_ERRORS = {
    "name": _("Enter the school's name."),
    "slug": _('Choose the school\'s web address, for example "greenwood".'),
    "admin_email": _("Enter your email address: you will sign in with it."),
    "admin_password": _("Choose a password."),
    "admin_password_confirm": _("Type the password again to confirm it."),
}


class SchoolRegistrationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("School name"), max_length=100, widget=forms.TextInput(attrs={"autofocus": True})
    )
    slug = forms.CharField(
        label=_("Web address"),
        min_length=SLUG_MIN_LENGTH,
        max_length=SLUG_MAX_LENGTH,
        help_text=format_lazy(
            _(
                "{min}–{max} lowercase letters, digits and hyphens; "
                "your school will live at <address>.<platform>."
            ),
            min=SLUG_MIN_LENGTH,
            max=SLUG_MAX_LENGTH,
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    admin_email = forms.EmailField(
        label=_("Your email"), help_text=_("You will be the school's first administrator.")
    )
    admin_password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    admin_password_confirm = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let the service's messages (which say what to do) speak for the address.
        self.fields["slug"].min_length = None
        self.fields["slug"].max_length = None
        self.fields["slug"].validators = []
        for name, message in REQUIRED_ERRORS.items():
            self.fields[name].error_messages["required"] = message
        self.fields["admin_email"].error_messages["invalid"] = EMAIL_ERROR_INVALID

    def clean(self):
        data = super().clean()
        password, confirm = data.get("admin_password"), data.get("admin_password_confirm")
        if password and confirm and password != confirm:
            self.add_error("admin_password_confirm", PASSWORD_ERROR_MISMATCH)
        if not self.errors:
            try:
                # The base form's fields are what the validation covers; subclasses may add
                # other arguments for the service.
                school_create_validate(**SchoolRegistrationForm.service_kwargs(self))
            except ValidationError as exc:
                self.add_service_errors(exc)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "slug": data["slug"],
            "admin_email": data["admin_email"],
            "admin_password": data["admin_password"],
        }
