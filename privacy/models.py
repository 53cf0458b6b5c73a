"""The school's data retention setting: whether, and how long after they left, the work of
students who left the school is removed (privacy.services.retention_run, run every day)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class RetentionMonths(models.IntegerChoices):
    OFF = 0, "Never: keep it until a school admin erases the student"
    SIX = 6, "6 months after they left"
    TWELVE = 12, "12 months after they left"
    TWENTY_FOUR = 24, "24 months after they left"
    THIRTY_SIX = 36, "36 months after they left"


@register_setting(icon="lock")
class RetentionSettings(BaseSiteSetting):
    """The school's data retention (Settings > Data retention); off unless a school admin
    turns it on."""

    remove_after_months = models.PositiveSmallIntegerField(
        "remove the work of students who left",
        choices=RetentionMonths.choices,
        default=RetentionMonths.OFF,
        help_text="Once a day, each student whose account was deactivated (they left the "
        "school) at least this long ago is erased, as Privacy > Erase does: their account, "
        "their work and its files. It cannot be undone. Privacy > Data retention shows who "
        "the next run removes.",
    )

    panels = [FieldPanel("remove_after_months")]

    class Meta:
        verbose_name = "data retention"

    def __str__(self):
        return "Data retention"

    @property
    def enabled(self) -> bool:
        return self.remove_after_months > 0
