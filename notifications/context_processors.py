from functools import partial

from .selectors import unread_count


def notifications(request):
    """The signed-in person's unread count for the menu's bell: counted only when a template
    asks (the menu does, for signed-in people only: a visitor's page has no bell, so the
    anonymous page cache never holds one)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_count": partial(unread_count, user=user)}
