"""Development: `make run`. DEBUG on, email to the console, static files served by runserver."""

from .base import *  # noqa: F403
from .env import config

DEBUG = config("DEBUG", default=True, cast=bool)
EMAIL_BACKEND = config("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
INTERNAL_IPS = ["127.0.0.1"]
STATIC_ROOT = None  # collectstatic is for production; here static files come from the finders
