"""`{{ when|since }}`: Django's timesince ("5 minutes") with the units in this project's
catalogue, since Django's own Kiswahili catalogue has none of them (it printed "0 minutes"
on a Kiswahili page)."""

from django import template
from django.utils.timesince import timesince
from django.utils.translation import ngettext_lazy

register = template.Library()

TIME_STRINGS = {
    "year": ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    "month": ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    "week": ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    "day": ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    "hour": ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    "minute": ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
}


@register.filter
def since(value) -> str:
    return timesince(value, time_strings=TIME_STRINGS) if value else ""
