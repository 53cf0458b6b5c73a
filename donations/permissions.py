"""Who sees donations in the Wagtail admin: school admins all of them, teachers those made
on their classes' pages, students (who have no admin) none."""

from accounts.permissions import is_school_admin, is_teacher


def can_view_all_donations(user) -> bool:
    return is_school_admin(user)


def can_view_donations(user) -> bool:
    """May open the donations report (what it lists is donations.selectors.donation_list)."""
    return is_school_admin(user) or is_teacher(user)
