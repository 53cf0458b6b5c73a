"""Forms of the classes on a school's site: a student signing up or joining a class with its
code, and the comment a teacher must give when requesting changes. Every error a person can
see is a constant (here, in classrooms.services or accounts.forms) that says what to do next."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import (
    EMAIL_MAX_LENGTH,
    ERROR_EMAIL_INVALID,
    ERROR_EMAIL_REQUIRED,
    ERROR_FIRST_NAME_REQUIRED,
    ERROR_LAST_NAME_REQUIRED,
    ERROR_PASSWORD_AGAIN_REQUIRED,
    ERROR_PASSWORD_REQUIRED,
    ERROR_PASSWORDS_DIFFERENT,
    NAME_MAX_LENGTH,
    PASSWORD_HELP,
    password_input,
)
from core.forms import ServiceErrorsMixin

ERROR_JOIN_CODE_REQUIRED = _("Enter your class code: your teacher has it (like ABCD-EFGH).")


ERROR_COMMENT_REQUIRED = _("Say what to change: the student sees your comment with their work.")


class ChangesRequestedForm(forms.Form):
    """The comment of a "Request changes": required, since it is all the student gets."""

    comment = forms.CharField(
        label=_("What should the student change?"),
        widget=forms.Textarea({"rows": 3}),
        max_length=2000,
        error_messages={"required": ERROR_COMMENT_REQUIRED},
    )


def join_code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Class code"),
        max_length=20,
        help_text=_("The code your teacher gave you, like ABCD-EFGH. Dash and capitals optional."),
        error_messages={"required": ERROR_JOIN_CODE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class SignupForm(ServiceErrorsMixin, forms.Form):
    """A student joining with a class code. The service checks the code, the email and the
    password; `add_service_errors` puts what it finds next to the fields."""

    join_code = join_code_field()
    first_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": ERROR_FIRST_NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": ERROR_LAST_NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("You sign in with it, and a forgotten password is reset through it."),
        error_messages={"required": ERROR_EMAIL_REQUIRED, "invalid": ERROR_EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=PASSWORD_HELP,
        error_messages={"required": ERROR_PASSWORD_REQUIRED},
        widget=password_input("new-password"),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        error_messages={"required": ERROR_PASSWORD_AGAIN_REQUIRED},
        widget=password_input("new-password"),
    )

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", ERROR_PASSWORDS_DIFFERENT)
        return cleaned

    def signup_data(self) -> dict[str, str]:
        """The keyword arguments of classrooms.services.student_signup."""
        data = self.cleaned_data
        fields = ["join_code", "first_name", "last_name", "email", "password"]
        return {name: data[name] for name in fields}


class ClassJoinForm(ServiceErrorsMixin, forms.Form):
    """A signed-in student joining another class."""

    join_code = join_code_field()
