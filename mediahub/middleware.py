"""The project's own middleware: `/healthz` for probes (HealthCheckMiddleware, below), the
request id and the school in logs and error reports (RequestIdMiddleware,
SchoolLogContextMiddleware), and the Content-Security-Policy.

Content-Security-Policy, our own (Django 5.2 has none built in, and one header needs no
package). The school sites and the platform get a strict policy: scripts only from our own
static files, nothing from elsewhere but Cloudinary's images and media (from its CDN, and
from its API: private download links), no plugins, no framing. Inline scripts are never
allowed there: a page that had one would stop working, which the browser tests would see.

The Wagtail admin (a school's /admin/) and the Django admin (the platform's /admin/) use
inline scripts and styles of their own: they get a looser policy that still keeps every
other origin out.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import sentry_sdk
from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse

from core.health import failing_checks
from core.observability import request_context_begin, request_id_from, school_context_set

HEALTH_PATH = "/healthz"
REQUEST_ID_HEADER = "X-Request-ID"
ADMIN_PREFIXES = ("/admin/",)  # the Wagtail admin on schools, the Django admin on the platform
CLOUDINARY_API = "https://api.cloudinary.com"  # the SDK's default upload_prefix


def _media_origins() -> list[str]:
    """Where media may come from besides our own host: Cloudinary's delivery host (or the
    private CDN host a CLOUDINARY_URL names), and its API's host, which serves the private
    download links that files of work that is not public get (media_library.delivery)."""
    url = getattr(settings, "CLOUDINARY_URL", "")
    if not url:
        return []
    parts = urlsplit(url)
    host = parts.path.strip("/") or "res.cloudinary.com"
    api = urlsplit(parse_qs(parts.query).get("upload_prefix", [CLOUDINARY_API])[0])
    return [f"https://{host}", f"{api.scheme}://{api.netloc}"]


def _upload_origin() -> list[str]:
    """Where the upload page's script may send chunks: Cloudinary's Upload API (the
    configured upload_prefix), for uploads straight from the browser (media_library.
    direct_uploads); nowhere else."""
    url = getattr(settings, "CLOUDINARY_URL", "")
    if not url or not getattr(settings, "CLOUDINARY_DIRECT_UPLOADS", False):
        return []
    api = urlsplit(parse_qs(urlsplit(url).query).get("upload_prefix", [CLOUDINARY_API])[0])
    return [f"{api.scheme}://{api.netloc}"]


def policy(*, admin: bool) -> str:
    media = " ".join(["'self'", *_media_origins()])
    directives = {
        "default-src": "'self'",
        "script-src": "'self' 'unsafe-inline' 'unsafe-eval'" if admin else "'self'",
        # Bootstrap's and Wagtail's scripts set styles; the admin also writes style attributes.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"{media} data: blob:",
        "media-src": f"{media} blob:",
        "font-src": "'self' data:",
        "connect-src": " ".join(["'self'", *_upload_origin()]),
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        # The Wagtail admin shows its previews in a frame of its own.
        "frame-ancestors": "'self'" if admin else "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.front_end = policy(admin=False)
        self.admin = policy(admin=True)

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(ADMIN_PREFIXES)
            response["Content-Security-Policy"] = self.admin if admin else self.front_end
        return response


class HealthCheckMiddleware:
    """`/healthz` for load balancers and uptime probes, on any host: first in MIDDLEWARE,
    before the school is looked up from the host (a probe has no school host). It never
    asks for the host (`request.get_host()`), so ALLOWED_HOSTS does not turn it into a 400,
    and it answers before the HTTPS redirect. No template, session or user: 200
    `{"status": "ok"}` or 503 `{"status": "failing"}`; which check failed, and why, goes to
    the log (core.health), never to the caller."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        ok = not failing_checks()
        response = JsonResponse({"status": "ok" if ok else "failing"}, status=200 if ok else 503)
        response["Cache-Control"] = "no-store"
        return response


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line and error report of a request carries its id, the
    proxy's (nginx sets X-Request-ID; kept only when safe and short) or a new one, which the
    response returns in X-Request-ID so a person's report can be matched to the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        request_context_begin(request_id)
        # Tags set while this request runs stay with its error reports only.
        with sentry_sdk.isolation_scope() as scope:
            scope.set_tag("request_id", request_id)
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class SchoolLogContextMiddleware:
    """Right after the school is found from the host: its schema name in every log line and
    as the error reports' `school` tag ("public" on the platform site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None:
            school_context_set(tenant.schema_name)
        return self.get_response(request)
