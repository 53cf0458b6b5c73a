"""In the Wagtail admin, an object a person may not see answers 404, as everywhere else.

Wagtail answers every refusal with a redirect to the dashboard and "you do not have
permission", which confirms that the page, image or document exists. Before Wagtail's admin
views run, this checks whether the object is visible to the person at all: a page outside
their explorable tree, or an image, document or collection outside their collections, is
a 404. What they can see but not change still gets Wagtail's own answer.
"""

from django.db import connection
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.permissions import policy_registry

PAGE_KWARGS = ("page_id", "parent_page_id")
MEDIA_NAMESPACES = {"wagtailimages": get_image_model, "wagtaildocs": get_document_model}
MEDIA_ACTIONS = ["add", "change", "choose", "delete"]


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
        for kwarg in PAGE_KWARGS:
            if kwarg in view_kwargs:
                self._check_page(user, view_kwargs[kwarg])
        namespace = match.namespace.split(":")[0]
        if namespace in MEDIA_NAMESPACES:
            model = MEDIA_NAMESPACES[namespace]()
            if "image_id" in view_kwargs or "document_id" in view_kwargs or "pk" in view_kwargs:
                pk = (
                    view_kwargs.get("image_id")
                    or view_kwargs.get("document_id")
                    or view_kwargs["pk"]
                )
                self._check_media(user, model, pk)
            collection_id = request.GET.get("collection_id")
            if collection_id:
                self._check_collection(user, model, collection_id)
        return None

    @staticmethod
    def _check_page(user, page_id):
        explorable = policy_registry.get_by_type(Page).explorable_instances(user)
        if not explorable.filter(pk=page_id).exists():
            raise Http404("No such page")

    @staticmethod
    def _check_media(user, model, pk):
        policy = policy_registry.get_by_type(model)
        if (
            not policy.instances_user_has_any_permission_for(user, MEDIA_ACTIONS)
            .filter(pk=pk)
            .exists()
        ):
            raise Http404("No such item")

    @staticmethod
    def _check_collection(user, model, collection_id):
        policy = policy_registry.get_by_type(model)
        visible = policy.collections_user_has_any_permission_for(user, MEDIA_ACTIONS)
        try:
            if not visible.filter(pk=int(collection_id)).exists():
                raise Http404("No such collection")
        except ValueError:
            raise Http404("No such collection") from None
        if not Collection.objects.filter(pk=collection_id).exists():
            raise Http404("No such collection")
