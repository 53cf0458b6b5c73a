"""What purges the page cache (core.pagecache): a general defence rather than a list of events.
Every committed write of a school's model (post_save, post_delete, m2m_changed), and Wagtail's
page signals (a move rewrites its subtree's paths with bulk updates, which send no post_save),
purge that school, except for the models in EXCLUDED, which no public page shows. Bulk
`.update()` paths announce themselves with signals of their own (families'
consent_pages_changed: privacy/apps.py connects it). The school's own row and its domains live
in the public schema: tenants/signals.py purges the school they belong to.

mediahub/tests/test_page_cache_purges.py walks every installed model and fails when one is
neither purging nor listed here with a reason."""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tenants.utils import get_public_schema_name
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from .pagecache import page_cache_purge_on_commit

# Models of a school that never show on a public page, each with the reason.
EXCLUDED = {
    "sessions.session": "sign-ins; a visitor with a session bypasses the cache",
    "admin.logentry": "the Django admin's history",
    "axes.accessattempt": "failed sign-ins, never shown",
    "axes.accessfailurelog": "failed sign-ins, never shown",
    "axes.accesslog": "sign-ins, never shown",
    "wagtailcore.pagelogentry": "the Wagtail admin's history",
    "wagtailcore.modellogentry": "the Wagtail admin's history",
    "wagtailcore.pagesubscription": "an editor's comment notifications",
    "wagtailcore.comment": "editors' comments in the admin",
    "wagtailcore.commentreply": "editors' comments in the admin",
    "wagtailcore.workflowstate": "moderation in the admin; publishing purges",
    "wagtailcore.taskstate": "moderation in the admin; publishing purges",
    "wagtailadmin.editingsession": "who is editing a page in the admin",
    "wagtailadmin.admin": "no rows (the admin's permission holder)",
    "wagtailusers.userprofile": "admin preferences of a person",
    "wagtailsearch.indexentry": "the search index, rewritten on every page save (which purges)",
    "donations.donation": "a donation: pages show no totals or donors (donate_block.html)",
    "invitations.invitation": "invitations to join: the invitee's page is not cached",
    "families.familycode": "a family's join code, never on a public page",
    "notifications.notification": "a signed-in person's own notifications (no bell for visitors)",
    "media_library.directupload": "an upload under way; the work it makes purges when saved",
    "api.accesstoken": "a person's API tokens, never on a page",
}
# Saves that change only these fields purge nothing: signing in writes last_login, and a
# purge on every sign-in would empty the cache whenever a student signs in.
QUIET_FIELDS = frozenset({"last_login"})


def _purges(sender, **kwargs) -> None:
    if connection.schema_name == get_public_schema_name():
        return  # the public schema has no school pages (tenants/signals.py: School, Domain)
    if sender._meta.label_lower in EXCLUDED:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and QUIET_FIELDS.issuperset(update_fields):
        return
    page_cache_purge_on_commit()


def _m2m_purges(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        _purges(type(instance))


def _page_purges(sender, **kwargs) -> None:
    page_cache_purge_on_commit()


def page_cache_purges_connect() -> None:
    post_save.connect(_purges, dispatch_uid="pagecache.post_save")
    post_delete.connect(_purges, dispatch_uid="pagecache.post_delete")
    m2m_changed.connect(_m2m_purges, dispatch_uid="pagecache.m2m_changed")
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_page_purges, dispatch_uid=f"pagecache.{id(signal)}")
