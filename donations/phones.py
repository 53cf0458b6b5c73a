"""Kenyan M-Pesa phone numbers, as people type them and as Daraja wants them (2547XXXXXXXX or
2541XXXXXXXX), checked with Google's libphonenumber data (`phonenumbers`)."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberType

ERROR_PHONE = _(
    "Enter a Safaricom M-Pesa number, like 0712 345 678 or +254 712 345 678: the prompt to "
    "approve the donation goes to that phone."
)
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class InvalidPhone(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """07…, 01…, +254…, 254… (spaces, dashes and brackets allowed) → 2547XXXXXXXX /
    2541XXXXXXXX; InvalidPhone for anything else, foreign and landline numbers included."""
    text = "".join(ch for ch in (raw or "") if ch not in " -().\u00a0")
    if text.startswith("254"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "KE")
    except NumberParseException:
        raise InvalidPhone(ERROR_PHONE) from None
    national = str(number.national_number)
    if (
        number.country_code != 254
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
        or len(national) != 9
        or national[0] not in "17"
    ):
        raise InvalidPhone(ERROR_PHONE)
    return f"254{national}"
