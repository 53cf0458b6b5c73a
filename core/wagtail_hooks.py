"""Wagtail pages a visitor may get from the page cache (core.pagecache): the page types named
in PAGE_CACHE_PAGE_TYPES, with the query parameters PAGE_CACHE_PAGE_QUERY. A page with a view
restriction answers a visitor with a redirect to sign in, which is never stored."""

from django.conf import settings
from wagtail import hooks

from .pagecache import page_cache_allow


@hooks.register("before_serve_page")
def page_cache_mark(page, request, serve_args, serve_kwargs):
    if page.specific_class._meta.label in settings.PAGE_CACHE_PAGE_TYPES:
        page_cache_allow(request, query=tuple(settings.PAGE_CACHE_PAGE_QUERY))
