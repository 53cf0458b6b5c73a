"""Reading configuration: python-decouple over the environment and `.env`."""

from decouple import UndefinedValueError, config
from django.core.exceptions import ImproperlyConfigured

__all__ = ["config", "require"]


def require(name: str, cast=str):
    """A setting with no default: missing means the process refuses to start, saying why."""
    try:
        value = config(name, cast=cast)
    except UndefinedValueError:
        value = None
    if value in (None, "", []):
        raise ImproperlyConfigured(
            f"{name} is not set. Set it in the environment or in .env "
            f"(every variable is described in .env.example)."
        )
    return value
