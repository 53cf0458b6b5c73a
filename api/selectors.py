"""Reads of personal access tokens: a person's own (their profile), and every token of the
school (its admins' page)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import AccessToken


def token_list(*, user) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user)


def token_list_school() -> QuerySet[AccessToken]:
    """Every token of the school (the schema is the school's), with its owner."""
    return AccessToken.objects.select_related("user").order_by("-created_at", "-pk")


def token_get(*, user, pk) -> AccessToken:
    """One of `user`'s own tokens, or 404."""
    try:
        return token_list(user=user).get(pk=pk)
    except (AccessToken.DoesNotExist, ValueError):
        raise Http404("No such token") from None
