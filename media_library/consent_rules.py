"""Which visibility a student's work may have, from their consents (families.consent):
the whole school only with SCHOOL consent, public only with PUBLIC consent as well (public
work is seen by the school too). Work of anyone who is not a student (a teacher's own
upload) needs no consent. No models imported here: MediaPage.clean uses these rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_student
from families.consent import consent_state
from families.models import Purpose
from families.wording import NO_CONSENT_HELP

PUBLIC, SCHOOL, CLASS, PRIVATE = "public", "school", "class", "private"  # models.Visibility
AUDIENCE = {PUBLIC: _("public sharing"), SCHOOL: _("sharing with the whole school")}

ERROR_VISIBILITY_NO_CONSENT = _(
    "This student's family has not given consent for {audience}. Choose who can see it "
    "from the list; a guardian can give consent from their account, or the school office "
    "can record a signed form."
)
MESSAGE_APPROVED_CAPPED = _(
    "Approved, and shown to {audience} only: the student's family has not given consent for more."
)
VISIBILITY_HELP_NO_CONSENT = NO_CONSENT_HELP

# From the widest audience to the narrowest.
RANK = [PUBLIC, SCHOOL, CLASS, PRIVATE]


def widest_visibility(owner, state: dict[str, bool] | None = None) -> str:
    """The widest visibility `owner`'s work may have (PUBLIC for anyone not a student)."""
    if owner is None or not is_student(owner):
        return PUBLIC
    state = consent_state(owner) if state is None else state
    if not state[Purpose.SCHOOL]:
        return CLASS
    return PUBLIC if state[Purpose.PUBLIC] else SCHOOL


def visibilities_allowed(owner) -> list[str]:
    widest = RANK.index(widest_visibility(owner))
    return RANK[widest:]


def visibility_cap(visibility: str, widest: str) -> str:
    """`visibility`, or `widest` where it is wider."""
    return visibility if RANK.index(visibility) >= RANK.index(widest) else widest


def visibility_check(owner, visibility: str) -> None:
    """Raise a ValidationError on `visibility` when the owner's consents do not allow it."""
    if visibility in (CLASS, PRIVATE):
        return  # no query: the common case needs no consent
    if visibility not in visibilities_allowed(owner):
        audience = AUDIENCE.get(visibility, visibility)
        raise ValidationError(
            {"visibility": [ERROR_VISIBILITY_NO_CONSENT.format(audience=audience)]}
        )
