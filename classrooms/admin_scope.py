"""What of the school a person may reach in the Wagtail admin: for a teacher, only what is of
their classes. The one answer every admin check asks (the visibility middleware, the page
chooser, the admin API, chosen-item and bulk-action views), built on Wagtail's own permission
policies: a page the person can explore (their classes' pages and the pages above them), an
image, document or video in a collection where they hold a permission, such a collection.
School admins hold every permission, so they reach everything.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model, QuerySet
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Collection, CollectionMember, Page
from wagtail.permissions import policy_registry
from wagtailmedia.models import get_media_model
from wagtailmedia.permissions import permission_policy as media_permission_policy

COLLECTION_ACTIONS = ["add", "change", "choose", "delete"]
# Keyword arguments of Wagtail's admin URLs that name a page.
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
# Those that name another object, whatever the view's namespace.
OBJECT_KWARGS = {
    "image_id": get_image_model,
    "document_id": get_document_model,
    "media_id": get_media_model,
    "collection_id": lambda: Collection,
}
# URL namespaces whose `pk` (and `id` parameters) name an object of one model.
NAMESPACE_MODELS = {
    "wagtailimages": get_image_model,
    "wagtailimages_chooser": get_image_model,
    "wagtaildocs": get_document_model,
    "wagtaildocs_chooser": get_document_model,
    "wagtailmedia": get_media_model,
}


def _policy(model):
    if issubclass(model, get_media_model()):
        return media_permission_policy  # wagtailmedia does not register its policy
    return policy_registry.get_by_type(model)


def admin_reachable(user, model: type[Model]) -> QuerySet | None:
    """The objects of `model` that `user` may see in the Wagtail admin; None for a model
    these rules do not cover (its views check it themselves)."""
    if issubclass(model, Page):
        return policy_registry.get_by_type(Page).explorable_instances(user)
    if issubclass(model, CollectionMember):
        return _policy(model).instances_user_has_any_permission_for(user, COLLECTION_ACTIONS)
    if issubclass(model, Collection):
        reachable = Collection.objects.none()
        for member in (get_image_model(), get_document_model(), get_media_model()):
            reachable |= _policy(member).collections_user_has_any_permission_for(
                user, COLLECTION_ACTIONS
            )
        return reachable
    return None


def admin_reachable_ids(user, model: type[Model], ids) -> bool:
    """Whether every id (strings from a URL) names an object `user` may see in the admin."""
    reachable = admin_reachable(user, model)
    if reachable is None:
        return True
    try:
        wanted = {int(value) for value in ids}
    except (TypeError, ValueError):
        return False
    return reachable.filter(pk__in=wanted).count() == len(wanted)


def model_of_request(match) -> type[Model] | None:
    """The model whose objects a Wagtail admin view's `pk` and `id` parameters name."""
    kwargs = match.kwargs
    if "app_label" in kwargs and "model_name" in kwargs:  # bulk actions
        try:
            return apps.get_model(kwargs["app_label"], kwargs["model_name"])
        except LookupError:
            return None
    if (match.url_name or "").startswith("wagtailadmin_choose_page"):
        return Page
    namespace = match.namespace.split(":")[0]
    if namespace.startswith("wagtailadmin_pages"):
        return Page
    model = NAMESPACE_MODELS.get(namespace)
    return model() if model else None


def page_chooser_scope(pages: QuerySet, request) -> QuerySet:
    """The page chooser (browse, search) offers only pages the person may explore."""
    return pages.filter(pk__in=admin_reachable(request.user, Page).values("pk"))


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's images: only those of the person's collections."""

    def get_queryset(self):
        reachable = admin_reachable(self.request.user, self.model)
        return super().get_queryset().filter(pk__in=reachable.values("pk"))


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API's documents: only those of the person's collections."""

    def get_queryset(self):
        reachable = admin_reachable(self.request.user, self.model)
        return super().get_queryset().filter(pk__in=reachable.values("pk"))
