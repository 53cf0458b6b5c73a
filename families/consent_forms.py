"""The consent forms: a guardian's or an adult student's (one box per purpose, in plain
words), and a school admin's record of a paper form (the same boxes, and a required note)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceErrorsMixin

from .models import Purpose
from .wording import wording


class ConsentForm(ServiceErrorsMixin, forms.Form):
    """One box per purpose, ticked where consent is given now."""

    def __init__(self, *args, state: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in Purpose:
            self.fields[purpose.value] = forms.BooleanField(
                label=purpose.label,
                help_text=wording(purpose),
                required=False,
                initial=state.get(purpose.value, False),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def wanted(self) -> dict[str, bool]:
        return {purpose: self.cleaned_data[purpose] for purpose in Purpose.values}


class PaperConsentForm(ConsentForm):
    """What a signed paper form says, and where the form is (the school's proof)."""

    note = forms.CharField(
        label=_("About the paper form"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Its date, who signed it, and where it is kept."),
        required=False,  # the service says what to write when it is empty
    )

    field_order = [*Purpose.values, "note"]
