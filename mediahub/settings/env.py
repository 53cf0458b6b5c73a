"""Reading configuration: python-decouple over the environment and a `.env` file.

The environment wins over the file. The file is the checkout's `.env` unless `ENV_FILE` (in
the environment) names another; an empty `ENV_FILE` reads no file at all, so a process sees
the environment only (a deployment whose service manager sets the variables; the tests of the
production settings, which a developer's `.env` must not change)."""

import os
from pathlib import Path

from decouple import Config, RepositoryEmpty, RepositoryEnv, UndefinedValueError
from django.core.exceptions import ImproperlyConfigured

__all__ = ["config", "require"]

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = os.environ.get("ENV_FILE", str(ROOT / ".env"))

config = Config(
    RepositoryEnv(ENV_FILE) if ENV_FILE and os.path.isfile(ENV_FILE) else RepositoryEmpty()
)


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
