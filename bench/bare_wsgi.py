"""P1's baseline: a bare Django view returning a short string, with no middleware, no
database and no templates, served by the same gunicorn as the platform.

    gunicorn bench.bare_wsgi:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-no-secrets-here",  # noqa: S106 (serves one constant string)
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)


def hello(request):
    return HttpResponse("Hello from a bare Django view.", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
