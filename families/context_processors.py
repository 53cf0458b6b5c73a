from functools import partial

from accounts.permissions import is_guardian

from .consent import student_is_adult


def family(request):
    """Whether the signed-in person has a family account (the menu offers My children) or is
    a student marked adult (the menu offers their own consent): asked only when a template
    does."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_guardian": partial(is_guardian, user),
        "is_adult_student": partial(student_is_adult, user),
    }
