from functools import partial

from accounts.permissions import is_guardian


def family(request):
    """Whether the signed-in person has a family account (the menu offers My children):
    asked only when a template does. Whether they are a student marked adult is read with
    the menu's other figures (mediahub.context_processors.menu)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"is_guardian": partial(is_guardian, user)}
