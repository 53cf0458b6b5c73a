"""ASGI entry point. Defaults to the production settings."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediahub.settings.production")

application = get_asgi_application()
