"""Forms of the accounts pages on a school's site. Every error a person can see is a constant
here (or in accounts.services) that says what to do next; the tests assert on them."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import auth as wagtail_auth_forms

from core.emails import in_language_of
from core.tasks import email_send, enqueue_on_commit

from .models import User

ERROR_FIRST_NAME_REQUIRED = _("Enter your first name.")
ERROR_LAST_NAME_REQUIRED = _("Enter your last name.")
ERROR_EMAIL_REQUIRED = _("Enter your email address.")
ERROR_EMAIL_INVALID = _("Enter a whole email address, like name@example.com.")
ERROR_PASSWORD_REQUIRED = _("Choose a password.")  # noqa: S105 (a message)
ERROR_PASSWORD_AGAIN_REQUIRED = _("Type your password again.")  # noqa: S105 (a message)
ERROR_PASSWORDS_DIFFERENT = _("The two passwords are different. Type the same password twice.")
ERROR_LOGIN_REQUIRED = _("Enter your email or username.")
ERROR_LOGIN_PASSWORD_REQUIRED = _("Enter your password.")  # noqa: S105 (a message)
ERROR_LOGIN_INVALID = _(
    "That email or username and password do not match. Check them and try again, "
    "or reset your password."
)
ERROR_LOGIN_INACTIVE = _("This account is switched off. Ask your school's admin.")
ERROR_OLD_PASSWORD_WRONG = _("Your current password is not right. Type it again.")  # noqa: S105 (a message)
ERROR_OLD_PASSWORD_REQUIRED = _("Enter your current password.")  # noqa: S105 (a message)

PASSWORD_HELP = _("At least 8 characters; not only numbers, not common, not like your name.")  # noqa: S105
# Sign-up fields are copied into the user row (first name, last name, and both as display
# name), whose columns hold 150 characters.
NAME_MAX_LENGTH = 70
EMAIL_MAX_LENGTH = 150


def password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": ERROR_LOGIN_INVALID,
        "inactive": ERROR_LOGIN_INACTIVE,
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Email or username")
        username.error_messages["required"] = ERROR_LOGIN_REQUIRED
        username.widget.attrs["autocomplete"] = "username"
        self.fields["password"].error_messages["required"] = ERROR_LOGIN_PASSWORD_REQUIRED


class ProfileForm(forms.ModelForm):
    # Each language named in itself (settings.LANGUAGES); blank: the school's.
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The school's language"))] + list(settings.LANGUAGES),
        required=False,
        help_text=_("The site and your emails in this language. Empty: the school's language."),
    )

    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name", "language"]
        labels = {"display_name": _("Display name")}
        help_texts = {
            "display_name": _("How others see you on the site. Leave empty to use your full name."),
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }


class _NewPasswordMixin:
    """Django's new-password pair, with our help text (plain, not Django's HTML list), our
    labels and our messages."""

    error_messages = {"password_mismatch": ERROR_PASSWORDS_DIFFERENT}

    def _new_password_fields(self) -> None:
        first, again = self.fields["new_password1"], self.fields["new_password2"]
        first.help_text = PASSWORD_HELP
        first.error_messages["required"] = ERROR_PASSWORD_REQUIRED
        again.label, again.help_text = _("New password again"), ""
        again.error_messages["required"] = ERROR_PASSWORD_AGAIN_REQUIRED


class PasswordChangeForm(_NewPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": ERROR_PASSWORDS_DIFFERENT,
        "password_incorrect": ERROR_OLD_PASSWORD_WRONG,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._new_password_fields()
        current = self.fields["old_password"]
        current.label = _("Current password")
        current.error_messages["required"] = ERROR_OLD_PASSWORD_REQUIRED


class QueuedEmailMixin:
    """Django's PasswordResetForm, its email sent by the worker: rendered here, enqueued
    once the request's transaction commits (the request never waits for the mail server,
    and a passing failure is tried again)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with in_language_of(context.get("user")):  # the account's owner, not the asker
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
            html = (
                render_to_string(html_email_template_name, context)
                if html_email_template_name
                else ""
            )
        enqueue_on_commit(email_send, subject=subject, body=body, to=[to_email], html_body=html)


class PasswordResetForm(QueuedEmailMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The email you sign in with. If it is an account here, we send it a link."),
        error_messages={"required": ERROR_EMAIL_REQUIRED, "invalid": ERROR_EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AdminPasswordResetForm(QueuedEmailMixin, wagtail_auth_forms.PasswordResetForm):
    """The Wagtail admin's "Forgotten password?" (WAGTAILADMIN_USER_PASSWORD_RESET_FORM)."""


class SetPasswordForm(_NewPasswordMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._new_password_fields()
