"""The rules a school's slug must follow. The messages are constants the tests assert on."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import SLUG_PATTERN, School, SchoolApplication

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 40

# Host names a school may not take: they are, or may become, the platform's own.
RESERVED_SLUGS = frozenset(
    """
    about account accounts admin api app assets auth billing blog cdn dashboard default
    dev docs donate donations email ftp help home img images imap info login logout mail
    media mediahub mpesa mx news ns1 ns2 platform pop postgres public register root
    schema school schools signup smtp stage staging static status support system
    template test www www1 www2
    """.split()  # noqa: SIM905 (a word list reads better than 57 quoted strings)
)

SLUG_ERROR_LENGTH = _(
    "The address must be between {min} and {max} characters long; it has {length}."
)
SLUG_ERROR_FORMAT = _(
    "Use only lowercase letters (a-z), digits and single hyphens, starting with a letter "
    'and not ending with a hyphen, for example "st-marys-2".'
)
SLUG_ERROR_RESERVED = _('"{slug}" is reserved for the platform. Choose another address.')
SLUG_ERROR_TAKEN = _('"{slug}" is already taken by another school. Choose another address.')
SLUG_ERROR_REQUESTED = _(
    '"{slug}" has been asked for by a school that is waiting for approval. Choose another address.'
)


def validate_slug_format(slug: str) -> None:
    if not SLUG_MIN_LENGTH <= len(slug) <= SLUG_MAX_LENGTH:
        raise ValidationError(
            SLUG_ERROR_LENGTH.format(min=SLUG_MIN_LENGTH, max=SLUG_MAX_LENGTH, length=len(slug)),
            code="length",
        )
    if not re.match(SLUG_PATTERN, slug):
        raise ValidationError(SLUG_ERROR_FORMAT, code="format")
    if slug in RESERVED_SLUGS:
        raise ValidationError(SLUG_ERROR_RESERVED.format(slug=slug), code="reserved")


def validate_slug_available(slug: str) -> None:
    schema_name = schema_name_for(slug)
    if (
        School.objects.filter(slug=slug).exists()
        or School.objects.filter(schema_name__iexact=schema_name).exists()
    ):
        raise ValidationError(SLUG_ERROR_TAKEN.format(slug=slug), code="taken")
    # An application waiting for its email or an operator holds its address (an approved
    # one is a school, above; a declined one gives it back).
    if SchoolApplication.objects.open().filter(slug=slug).exists():
        raise ValidationError(SLUG_ERROR_REQUESTED.format(slug=slug), code="requested")


def schema_name_for(slug: str) -> str:
    """PostgreSQL schema names are safest without hyphens; slugs never contain underscores,
    so the mapping is one to one."""
    return slug.replace("-", "_")
