"""Development: `make run`. DEBUG on, email to the console, static files served by runserver."""

from .base import *  # noqa: F403
from .env import config

DEBUG = config("DEBUG", default=True, cast=bool)
# `make run` loads the demo; a checkout with DEBUG off must say so to load it.
DEMO_SEED_ALLOWED = config("DEMO_SEED_ALLOWED", default=DEBUG, cast=bool)
EMAIL_BACKEND = config("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
INTERNAL_IPS = ["127.0.0.1"]
STATIC_ROOT = None  # collectstatic is for production; here static files come from the finders

# Donations go to the local Daraja simulator that `make run` starts beside runserver.
DARAJA_SIMULATOR_PORT = config("DARAJA_SIMULATOR_PORT", default=8009, cast=int)
DARAJA_BASE_URL = config("DARAJA_BASE_URL", default=f"http://127.0.0.1:{DARAJA_SIMULATOR_PORT}")
DARAJA_CONSUMER_KEY = config("DARAJA_CONSUMER_KEY", default="simulator-key")
DARAJA_CONSUMER_SECRET = config("DARAJA_CONSUMER_SECRET", default="simulator-secret")
