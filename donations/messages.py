"""What a donor is told when a donation cannot start (donations.services raises them)."""

from django.utils.translation import gettext_lazy as _

ERROR_AMOUNT = _("Give between KES {minimum:,} and KES {maximum:,}, in whole shillings.")
ERROR_PHONE_BUSY = _(
    "A prompt was just sent to this phone. Answer it, or wait a minute before trying again."
)
ERROR_RATE_LIMITED = _(
    "Too many donation attempts from your network in a short time. Wait a few minutes, "
    "then try again."
)
ERROR_PHONE_DAILY_LIMIT = _(
    "This phone has had as many M-Pesa prompts today as we send to one phone in a day. "
    "Try again tomorrow, or give with another phone."
)
ERROR_SCHOOL_BUSY = _("Many people are giving right now; try again in a minute.")
