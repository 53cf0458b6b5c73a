"""The API, version 1, at /api/v1/ on each school's host (mediahub/urls.py): django-ninja
(docs/api.md says why), bearer tokens only, errors as data, and its docs from our own static
files (api.docs)."""

from django.urls import path, reverse
from ninja import NinjaAPI

from . import errors, own, read, review
from .auth import BearerToken
from .docs import OurSwagger
from .models import Scope
from .schemas import Index

VERSION = "1"


class Api(NinjaAPI):
    def create_response(self, request, data, *args, **kwargs):
        response = super().create_response(request, data, *args, **kwargs)
        # A person's own answer: never stored by a cache on the way (core.pagecache never
        # stores it either: it is not marked cacheable, and it carries Authorization).
        response["Cache-Control"] = "private, no-store"
        response["Vary"] = "Authorization"
        return response


api = Api(
    title="Media Hub API",
    version=VERSION,
    description="A school's works, classes, galleries and reviewing, for apps. "
    "Send a personal access token (your profile page makes one): "
    "`Authorization: Bearer <token>`.",
    urls_namespace="api-v1",
    auth=BearerToken(),
    docs=OurSwagger(),
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", read.router)
api.add_router("", own.router)
api.add_router("", review.router)

# (method, path below /api/v1/, scope, what), for the index.
ENDPOINTS = [
    ("GET", "works/", Scope.READ, "Works you may see (q, kind, class, tag, page, limit)"),
    ("GET", "works/{id}/", Scope.READ, "One work, with its files"),
    ("GET", "classes/", Scope.READ, "Your classes"),
    ("GET", "classes/{id}/works/", Scope.READ, "A class's works"),
    ("GET", "galleries/", Scope.READ, "Galleries"),
    ("GET", "galleries/{id}/", Scope.READ, "One gallery, with its works"),
    ("GET", "children/", Scope.READ, "Your children's works (guardians)"),
    ("GET", "me/works/", Scope.READ, "Your works, with their status and the teacher's comment"),
    ("POST", "me/works/", Scope.UPLOAD, "Upload a work (multipart/form-data)"),
    ("POST", "me/works/{id}/", Scope.UPLOAD, "Edit your work"),
    ("DELETE", "me/works/{id}/", Scope.UPLOAD, "Delete your work"),
    ("GET", "review/", Scope.REVIEW, "Submissions awaiting your review"),
    ("GET", "review/{id}/", Scope.REVIEW, "One submission"),
    ("POST", "review/{id}/approve/", Scope.REVIEW, "Approve and publish"),
    ("POST", "review/{id}/request-changes/", Scope.REVIEW, "Request changes (comment)"),
]


@api.get("/", response=Index, summary="The endpoints", tags=["Index"], url_name="api-root")
def index(request):
    base = request.build_absolute_uri(reverse("api-v1:api-root"))
    return {
        "version": VERSION,
        "user": request.user.get_username(),
        "scope": request.auth.scope,
        "docs": base + "docs/",
        "schema_url": base + "openapi.json",
        "endpoints": [
            {"method": m, "path": base + p, "scope": str(s), "description": d}
            for m, p, s, d in ENDPOINTS
        ],
    }


urlpatterns = [path("v1/", api.urls)]
