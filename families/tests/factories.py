"""Consent for tests: what a school admin records from a signed paper form."""

from accounts.permissions import users_with_role
from accounts.roles import SCHOOL_ADMIN
from families.consent import consent_give
from families.models import Purpose


def consent_for(student, *purposes: str) -> None:
    """Give `purposes` (school and public by default) for `student`, in the active school."""
    admin = users_with_role(SCHOOL_ADMIN).order_by("pk").first()
    for purpose in purposes or (Purpose.SCHOOL, Purpose.PUBLIC):
        consent_give(student=student, purpose=purpose, by=admin, note="test: paper form")
