"""What a change of a school's row or of its domains drops: the cached host → school mapping
(tenants.middleware), and the school's cached pages (core.pagecache: its name and the like
show on every page). A deactivated school 404s at once: its hosts are forgotten on save."""

from __future__ import annotations

from django.db import transaction

from core.pagecache import page_cache_purge_on_commit

from .middleware import host_cache_drop
from .models import Domain, School


def host_cache_remember_old(sender, instance: Domain, **kwargs) -> None:
    """A renamed domain must forget its old host too: remember it before the save."""
    if instance.pk:
        instance._host_before = (
            Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()
        )


def host_cache_drop_for(sender, instance, **kwargs) -> None:
    if isinstance(instance, School):
        school = instance
        hosts = list(Domain.objects.filter(tenant_id=school.pk).values_list("domain", flat=True))
    else:
        school = School.objects.filter(pk=instance.tenant_id).first()
        hosts = [instance.domain, getattr(instance, "_host_before", None)]
    # Now, and again once committed: a request between the two could cache the old row.
    host_cache_drop(hosts)
    transaction.on_commit(lambda: host_cache_drop(hosts))
    if school is not None and school.schema_name:
        page_cache_purge_on_commit(school.schema_name)
