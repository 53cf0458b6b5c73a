"""Logs and error reports. Imported at the end of base; production changes LOG_FORMAT's
default to json (and rebuilds LOGGING with `logging_config`).

Every log record carries the school (its schema name, "-" outside one) and the request id
(core.observability, set by mediahub.middleware for requests and by `log_context` for tasks).
"""

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS

from core.observability import sentry_init

from .env import config

LOG_FORMATS = ("json", "text")
LOG_LEVEL = config("LOG_LEVEL", default="INFO")
# json: one JSON object per line, for a log collector; text: lines a person reads.
LOG_FORMAT = config("LOG_FORMAT", default="text")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(school)s %(request_id)s] %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "message", "school", "request_id"]
# Extra attributes of a record go into its JSON too, except these: Django's request object
# (its text has the query string, which may hold a link's token).
JSON_LEFT_OUT = [*RESERVED_ATTRS, "request"]


def logging_config(log_format: str, level: str = LOG_LEVEL) -> dict:
    """Django's LOGGING for `log_format` (json or text): one handler, to the standard error
    stream, whose filter adds the school and the request id to every record."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {log_format!r}.")
    formatters = {
        "text": {"format": TEXT_FORMAT},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "reserved_attrs": JSON_LEFT_OUT,
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "core.observability.LogContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "pgserver": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(LOG_FORMAT)

# --- Error reports: Sentry, or any service that speaks its protocol ---------------------------
# Off while SENTRY_DSN is empty. Reports carry the school's schema as the tag "school" and no
# personal data (core.observability.scrub_event).
SENTRY_DSN = config("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = config("SENTRY_ENVIRONMENT", default="production")
# Share of requests traced for performance (0 to 1); 0 sends errors only.
SENTRY_TRACES_SAMPLE_RATE = config("SENTRY_TRACES_SAMPLE_RATE", default=0.0, cast=float)
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
