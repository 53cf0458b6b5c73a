"""Wagtail page helpers every app shares: one way to pick a page's slug."""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.text import slugify
from wagtail.models import Page

# Where a regex pattern's literal start ends (Wagtail's own URLs are regexes).
_REGEX_SPECIAL = re.compile(r"[\\.^$*+?{}\[\]|()<]")


def _first_segments(patterns, prefix: str = "") -> set[str]:
    segments = set()
    for entry in patterns:
        pattern = str(entry.pattern)
        if pattern.startswith("^"):  # a regex: its literal start only
            pattern = _REGEX_SPECIAL.split(pattern[1:], maxsplit=1)[0]
        elif "<" in pattern:  # a route: up to its first converter
            pattern = pattern.split("<", 1)[0]
        path = prefix + pattern
        if isinstance(entry, URLResolver) and "/" not in path:
            segments |= _first_segments(entry.url_patterns, path)
        elif isinstance(entry, URLPattern | URLResolver) and "/" in path:
            segments.add(path.split("/", 1)[0])
    return segments - {""}


@cache
def reserved_page_slugs() -> frozenset[str]:
    """First path segments a school site's own URLs use (its URL configuration, static and
    media files): a page under the home page with one of these slugs could never be reached,
    since those URLs come before Wagtail's page tree."""
    segments = _first_segments(get_resolver(settings.ROOT_URLCONF).url_patterns)
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        segments.add(url.strip("/").split("/", 1)[0])
    return frozenset(segments - {""})


def unique_child_slug(parent: Page, title: str, *, fallback: str, max_length: int = 255) -> str:
    """A slug from `title` that no child of `parent` has yet (a number added if needed), and
    that no URL of the site's own takes from the page tree (reserved_page_slugs)."""
    base = slugify(title)[:max_length].strip("-") or fallback
    # The home page's children are the first segment of their URL.
    if parent.depth <= 2 and base in reserved_page_slugs():
        base = f"{base}-{fallback}"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def view_restrictions_one_query(page: Page):
    """The view restrictions that apply to `page` (its own and its ancestors', an alias's
    read from its source page), as Wagtail's Page.get_view_restrictions finds them, in one
    query instead of two: the ancestors are named by their paths (a prefix of the page's),
    not fetched first."""
    from django.db.models import Q
    from wagtail.models import PageViewRestriction

    step = Page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    pages = Page.objects.filter(path__in=paths)
    return PageViewRestriction.objects.filter(
        Q(page__in=pages.filter(alias_of__isnull=True).values("pk"))
        | Q(page__in=pages.filter(alias_of__isnull=False).values("alias_of"))
    )


def public_q():
    """Pages outside every private section (Wagtail's PageQuerySet.public(), which reads
    the restrictions first, as one NOT EXISTS within the listing's own query): no
    restriction on the page or on any of its ancestors (a page whose path is a prefix)."""
    from django.db.models import Exists, F, OuterRef
    from django.db.models.functions import Left
    from wagtail.models import PageViewRestriction

    return ~Exists(
        PageViewRestriction.objects.filter(
            page__path=Left(OuterRef("path"), F("page__depth") * Page.steplen)
        )
    )


def specific_for_route(page: Page) -> Page:
    """`page.specific`, with the rows its type names in `route_select_related` (e.g. a
    class page's classroom) fetched in the same query."""
    related = getattr(page.specific_class, "route_select_related", ())
    if not related:
        return page.specific
    return page.specific_class.objects.select_related(*related).get(pk=page.pk)
