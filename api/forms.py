"""The profile page's form for a new token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_staff_member
from core.forms import BootstrapForm, ServiceErrorsMixin

from . import services
from .models import Scope

DAYS_CHOICES = [
    (7, _("7 days")),
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("1 year")),
]


class TokenForm(ServiceErrorsMixin, BootstrapForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as “Phone app”."),
        error_messages={"required": services.ERROR_NAME_REQUIRED},
    )
    scope = forms.ChoiceField(label=_("What it may do"), choices=Scope.choices)
    days = forms.TypedChoiceField(
        label=_("Lasts"), choices=DAYS_CHOICES, coerce=int, initial=services.DAYS_DEFAULT
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_staff_member(user):  # reviewing is for teachers and school admins
            self.fields["scope"].choices = [c for c in Scope.choices if c[0] != Scope.REVIEW]
