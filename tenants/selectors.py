"""Reads about schools."""

from django.db.models import Prefetch, QuerySet

from .models import Domain, School


def school_list_active() -> QuerySet[School]:
    """Active schools, with their primary domain, for the platform's landing page."""
    return School.objects.active().prefetch_related(
        Prefetch("domains", queryset=Domain.objects.filter(is_primary=True), to_attr="primary")
    )
