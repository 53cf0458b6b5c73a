"""The donate form, and the school's donation settings form in the Wagtail admin (which never
shows a stored secret back in full)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import TransactionType, mask_secret
from .phones import InvalidPhone, normalise_phone
from .services import ERROR_AMOUNT

ERROR_NO_AMOUNT = _("Choose an amount, or type one under “Other amount”.")
PHONE_HELP = _("The M-Pesa prompt goes to this phone, e.g. 0712 345 678.")
SECRET_KEPT_HELP = _("Stored: {masked}. Leave empty to keep it; type a new one to replace it.")  # noqa: S105
ERROR_OWN_ACCOUNT_INCOMPLETE = _(
    "With your own shortcode, also give its passkey, consumer key and consumer secret (from "
    "your Daraja app), or empty the shortcode to use the platform's account."
)
ERROR_TILL_REQUIRED = _("For buy goods, give the till number that is paid.")


class DonateForm(forms.Form):
    preset = forms.TypedChoiceField(
        label=_("Amount (KES)"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    custom_amount = forms.IntegerField(label=_("Other amount (KES)"), required=False)
    phone = forms.CharField(label=_("M-Pesa phone number"), max_length=20, help_text=PHONE_HELP)
    donor_name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.minimum = settings.DONATION_MIN_AMOUNT
        self.maximum = settings.DONATION_MAX_AMOUNT
        presets = [p for p in settings.DONATION_PRESETS if self.minimum <= p <= self.maximum]
        self.fields["preset"].choices = [(p, f"{p:,}") for p in presets]
        custom = self.fields["custom_amount"]
        custom.widget.attrs.update(min=self.minimum, max=self.maximum, inputmode="numeric")
        self.fields["phone"].widget.attrs.update(
            inputmode="tel", autocomplete="tel", placeholder="07XX XXX XXX"
        )

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except InvalidPhone as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        amount = data.get("custom_amount") or data.get("preset")
        if "custom_amount" in self.errors or "preset" in self.errors:
            return data
        if amount is None:
            self.add_error("custom_amount", ERROR_NO_AMOUNT)
        elif not self.minimum <= amount <= self.maximum:
            message = ERROR_AMOUNT.format(minimum=self.minimum, maximum=self.maximum)
            self.add_error("custom_amount", message)
        data["amount"] = amount
        return data

    def donation_data(self) -> dict:
        data = self.cleaned_data
        return {
            "amount": data["amount"],
            "phone": data["phone"],
            "donor_name": data["donor_name"],
            "message": data["message"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = {"amount": "custom_amount"}.get(field, field)
            self.add_error(target if target in self.fields else None, messages)


SECRET_FIELDS = ("passkey", "consumer_key", "consumer_secret")


class DonationSettingsForm(WagtailAdminModelForm):
    """Stored secrets are never sent back to the browser: their inputs start empty, with the
    last four characters as a hint; left empty, the stored value stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            if name not in self.fields:
                continue
            field = self.fields[name]
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})
            stored = getattr(self.instance, name, "")
            if stored:
                field.help_text = SECRET_KEPT_HELP.format(masked=mask_secret(stored))

    def clean(self):
        data = super().clean()
        for name in SECRET_FIELDS:
            if name in self.fields and not data.get(name):
                data[name] = getattr(self.instance, name, "")
        if data.get("shortcode"):
            if not all(data.get(name) for name in SECRET_FIELDS):
                raise ValidationError(ERROR_OWN_ACCOUNT_INCOMPLETE)
            buy_goods = data.get("transaction_type") == TransactionType.BUY_GOODS
            if buy_goods and not data.get("till_number"):
                self.add_error("till_number", ERROR_TILL_REQUIRED)
        else:
            # Back to the platform's account: the school's secrets are not kept around.
            for name in SECRET_FIELDS:
                data[name] = ""
        return data
