"""WSGI entry point (gunicorn). Defaults to the production settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediahub.settings.production")

application = get_wsgi_application()
