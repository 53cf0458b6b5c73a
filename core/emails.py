"""Emails in their recipient's language: every email is rendered inside `in_language_of`, so
its templates and gettext strings take the recipient's language (core.languages), not the
language of whoever's request or task sends it."""

from __future__ import annotations

from contextlib import contextmanager

from django.utils import translation

from .languages import language_for_user, school_default_language


@contextmanager
def in_language_of(user=None, *, school=None):
    """Render inside this block for `user` (their own language, else the school's default);
    with no user (an address not yet a member: an invitation), the school's default."""
    language = (
        language_for_user(user, school) if user is not None else school_default_language(school)
    )
    with translation.override(language):
        yield language
