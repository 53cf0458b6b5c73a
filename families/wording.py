"""The plain words a guardian (or an adult student, or a school admin reading out a paper
form) sees for each purpose of consent, and the version recorded with each consent.

Change WORDING_VERSION whenever the meaning of a text changes: every record keeps the version
its giver saw, so the school can show what was agreed to."""

from .models import Purpose

WORDING_VERSION = "2026-12"

WORDING = {
    Purpose.SCHOOL: (
        "Teachers and students of the whole school may see this child's work, not only "
        "their own class."
    ),
    Purpose.PUBLIC: (
        "Work the teachers approve may be shown on the school's public website, where anyone "
        "on the internet can see it."
    ),
    Purpose.DONATIONS: (
        "Public work may be shown with a box asking visitors to donate to the school."
    ),
    Purpose.FULL_NAME: (
        "The child's full name may be shown with their public work. Without this, visitors "
        "see only the first name and the initial of the surname."
    ),
}

# Shown where something is not offered for want of consent: why, and what the family can do.
NO_CONSENT_HELP = (
    "Some choices are not offered because this student's family has not given consent for "
    "them. A guardian can give it from their account (My children > Consent), or the school "
    "office can record a signed paper form."
)
