"""Forms of families: a guardian making a family account or joining with a family code, their
email preference, and the school's family codes and invitations (the Wagtail admin). Every
error a person can see is a constant (here, in families.services or accounts.forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import (
    EMAIL_MAX_LENGTH,
    ERROR_EMAIL_INVALID,
    ERROR_EMAIL_REQUIRED,
)
from classrooms.forms import SignupForm
from core.forms import ServiceErrorsMixin

from .services import ERROR_MAX_USES, MAX_USES_MOST

ERROR_FAMILY_CODE_REQUIRED = _("Enter the family code from your slip or email (like ABCDE-FGHJK).")


def family_code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Family code"),
        max_length=20,
        help_text=_("On the slip or in the email from the school, like ABCDE-FGHJK."),
        error_messages={"required": ERROR_FAMILY_CODE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class GuardianSignupForm(SignupForm):
    """A guardian's family account: the student sign-up's fields, with a family code instead
    of a class code. The service checks the code, the email and the password."""

    field_order = ["code", "first_name", "last_name", "email", "password", "password_again"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["join_code"]
        self.fields["code"] = family_code_field()
        self.order_fields(self.field_order)

    def signup_data(self) -> dict[str, str]:
        """The keyword arguments of families.services.guardian_signup_with_code."""
        data = self.cleaned_data
        fields = ["code", "first_name", "last_name", "email", "password"]
        return {name: data[name] for name in fields}


class GuardianJoinForm(ServiceErrorsMixin, forms.Form):
    """A signed-in guardian linking another child."""

    code = family_code_field()


class NotifyPreferenceForm(forms.Form):
    notify_on_publish = forms.BooleanField(
        label=_("Email me when my child's work is published"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class FamilyCodeForm(ServiceErrorsMixin, forms.Form):
    """A new family code (the admin's Families page)."""

    max_uses = forms.IntegerField(
        label=_("Uses"),
        min_value=1,
        max_value=MAX_USES_MOST,
        initial=3,
        help_text=_("How many guardians can join with it."),
        error_messages={
            "required": ERROR_MAX_USES.format(most=MAX_USES_MOST),
            "invalid": ERROR_MAX_USES.format(most=MAX_USES_MOST),
            "min_value": ERROR_MAX_USES.format(most=MAX_USES_MOST),
            "max_value": ERROR_MAX_USES.format(most=MAX_USES_MOST),
        },
    )


class FamilyInviteForm(ServiceErrorsMixin, forms.Form):
    """An invitation by email, with a new code (the admin's Families page)."""

    email = forms.EmailField(
        label=_("Family's email"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"required": ERROR_EMAIL_REQUIRED, "invalid": ERROR_EMAIL_INVALID},
    )
