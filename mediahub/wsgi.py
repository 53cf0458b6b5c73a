"""WSGI entry point (gunicorn). Defaults to the production settings.

Page-cache hits are answered before Django's handler (mediahub.pagecache_wsgi); every other
request goes to Django as before."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediahub.settings.production")

django_application = get_wsgi_application()

# Imported once Django is set up (get_wsgi_application): it reaches models.
from mediahub.pagecache_wsgi import PageCacheHits  # noqa: E402

application = PageCacheHits(django_application)
