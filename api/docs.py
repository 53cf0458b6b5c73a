"""The API's interactive docs: Swagger UI from the npm registry (package.json's
swagger-ui-dist, collected as static files: settings.STATICFILES_DIRS), started by our own
script (static/js/api-docs.js). No CDN, and no inline script, which the site's
Content-Security-Policy would refuse (mediahub.middleware)."""

from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class OurSwagger(DocsBase):
    def render_page(self, request, api, **kwargs):
        context = {"api": api, "schema_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", context)
