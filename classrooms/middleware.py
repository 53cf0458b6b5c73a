"""In the Wagtail admin, an object a person may not see answers 404, as everywhere else.

Wagtail answers many refusals with a redirect to the dashboard and "you do not have
permission", which confirms that the page, image or document exists, and some of its views
(chosen items, bulk actions) take any ids they are given. Before Wagtail's admin views run,
this checks every object a request names against what the person may reach
(classrooms.admin_scope: Wagtail's own page and collection permissions): the ids in the URL
(pages, images, documents, videos, collections) and the `id` parameters of choosers and bulk
actions. Anything else is a 404. Listings and searches are scoped where Wagtail builds them
(classrooms.wagtail_hooks). What people can see but not change still gets Wagtail's answer.
"""

from django.db import connection
from django.http import Http404
from wagtail.models import Page

from accounts.permissions import is_school_admin

from .admin_scope import (
    OBJECT_KWARGS,
    PAGE_KWARGS,
    admin_reachable_ids,
    model_of_request,
)

# Whole-school reports: what they list (page types with their latest page, ageing pages)
# spans every class, so they are the school admin's.
SCHOOL_ADMIN_ONLY_VIEWS = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:aging_pages_results",
}


class AdminObjectVisibilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None
        if connection.schema_name == "public":  # the platform's Django admin
            return None
        if not request.path.startswith("/admin/") or not user.has_perm("wagtailadmin.access_admin"):
            return None
        if is_school_admin(user):  # every permission of the school: nothing to narrow
            return None
        if match.view_name in SCHOOL_ADMIN_ONLY_VIEWS:
            raise Http404("Not a teacher's report")
        wanted: list[tuple[type, list]] = []
        for name in PAGE_KWARGS:
            if name in view_kwargs:
                wanted.append((Page, [view_kwargs[name]]))
        for name, model in OBJECT_KWARGS.items():
            if name in view_kwargs:
                wanted.append((model(), [view_kwargs[name]]))
        model = model_of_request(match)
        if model is not None:
            if "pk" in view_kwargs:
                wanted.append((model, [view_kwargs["pk"]]))
            ids = request.GET.getlist("id") + request.POST.getlist("id")
            if ids:
                wanted.append((model, ids))
        collection_id = request.GET.get("collection_id")
        if collection_id:
            wanted.append((OBJECT_KWARGS["collection_id"](), [collection_id]))
        for wanted_model, ids in wanted:
            if not admin_reachable_ids(user, wanted_model, ids):
                raise Http404("No such item")
        return None
