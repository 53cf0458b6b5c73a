"""The signed-in person's menu (templates/includes/user_menu.html): the bell's unread count
(notifications) and whether they are a student marked adult (families: the menu then offers
their own consent), read together in one query the first time the menu asks for either. A
visitor's page has neither (so the anonymous page cache never holds one)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from families.models import AdultStudent
from notifications.models import Notification


class _Menu:
    def __init__(self, user):
        self.user = user
        self.values: tuple[int, bool] | None = None

    def _read(self) -> tuple[int, bool]:
        if self.values is None:
            # The same count as notifications.selectors.unread_count (its partial index).
            unread = (
                Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
                .order_by()
                .values("recipient")
                .annotate(count=Count("pk"))
                .values("count")
            )
            self.values = (
                get_user_model()
                .objects.filter(pk=self.user.pk)
                .values_list(
                    Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
                    Exists(AdultStudent.objects.filter(student=OuterRef("pk"))),
                )
                .get()
            )
        return self.values

    def notification_count(self) -> int:
        return self._read()[0]

    def is_adult_student(self) -> bool:
        return self._read()[1]


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    figures = _Menu(user)
    return {
        "notification_count": figures.notification_count,
        "is_adult_student": figures.is_adult_student,
    }
