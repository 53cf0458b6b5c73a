from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PASSWORD_HELP
from classrooms.models import Classroom
from core.forms import ServiceErrorsMixin

PASSWORD_ERROR_MISMATCH = _("The two passwords differ. Type the same password in both fields.")  # noqa: S105


class InvitationForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email"), error_messages={"required": _("Enter the teacher's email address.")}
    )
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    classrooms = forms.ModelMultipleChoiceField(
        queryset=Classroom.objects.filter(is_archived=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Classes"),
        help_text=_("The teacher is assigned to these classes when they join."),
    )


class InvitationAcceptForm(ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": _("Enter your first name.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Enter your last name.")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
        error_messages={"required": _("Choose a password.")},
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again to confirm it.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_confirm") != data.get("password"):
            self.add_error("password_confirm", PASSWORD_ERROR_MISMATCH)
        return data
