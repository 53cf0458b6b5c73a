from functools import partial

from .selectors import review_count


def review(request):
    """How many submissions await the signed-in teacher's review: counted only when a
    template asks (the menu does, for people with admin access)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_count": partial(review_count, user=user)}
