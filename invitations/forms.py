from django import forms
from django.contrib.auth import password_validation

from classrooms.models import Classroom
from core.forms import ServiceErrorsMixin

PASSWORD_ERROR_MISMATCH = "The two passwords differ. Type the same password in both fields."  # noqa: S105


class InvitationForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(error_messages={"required": "Enter the teacher's email address."})
    first_name = forms.CharField(required=False, max_length=150)
    last_name = forms.CharField(required=False, max_length=150)
    classrooms = forms.ModelMultipleChoiceField(
        queryset=Classroom.objects.filter(is_archived=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Classes",
        help_text="The teacher is assigned to these classes when they join.",
    )


class InvitationAcceptForm(ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter your first name."}
    )
    last_name = forms.CharField(
        max_length=150, error_messages={"required": "Enter your last name."}
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": "Choose a password."},
    )
    password_confirm = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again to confirm it."},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_confirm") != data.get("password"):
            self.add_error("password_confirm", PASSWORD_ERROR_MISMATCH)
        return data
