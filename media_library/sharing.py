"""The school's media-sharing switch (Settings > Media sharing in the Wagtail admin), read by
every listing: kept in the cache (per school, as every key is: django_tenants.cache.make_key)
for MEDIA_SHARING_CACHE_SECONDS, and dropped there as soon as the setting is saved or
deleted (the receivers are connected in apps.ready)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from wagtail.models import Site

from .models import SchoolMediaSettings


def _key(site_id) -> str:
    return f"media-sharing:{site_id}"


def public_sharing_allowed(request=None) -> bool:
    """The school's switch; on by default."""
    if request is None:
        site = Site.objects.filter(is_default_site=True).first()
        return SchoolMediaSettings.for_site(site).allow_public if site else True
    allowed = getattr(request, "_media_sharing", None)  # a listing reads it more than once
    if allowed is None:
        allowed = request._media_sharing = _read(request)
    return allowed


def _read(request) -> bool:
    seconds = settings.MEDIA_SHARING_CACHE_SECONDS
    site = Site.find_for_request(request) if seconds else None
    if site is None:
        return SchoolMediaSettings.for_request(request).allow_public
    allowed = cache.get(_key(site.pk))
    if allowed is None:
        allowed = SchoolMediaSettings.for_site(site).allow_public
        cache.set(_key(site.pk), allowed, seconds)
    return allowed


def sharing_changed(sender, instance, **kwargs) -> None:
    """post_save and post_delete of SchoolMediaSettings: the next request reads it anew."""
    cache.delete(_key(instance.site_id))
