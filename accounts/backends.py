from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


def user_for_login(login: str):
    """The person a typed login names, as signing in finds them: an email (any case) when it
    has an @, falling back to a username; else a username. Users are per school, so this only
    ever finds people of the current school. None when nobody has it."""
    User = get_user_model()
    login = login.strip()
    if not login:
        return None
    field = "email__iexact" if "@" in login else "username"
    user = User._default_manager.filter(**{field: login}).first()
    if user is None and field == "email__iexact":
        user = User._default_manager.filter(username=login).first()
    return user


class EmailOrUsernameBackend(ModelBackend):
    """Accepts a username or an email address (any case) in the username field."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in person of a request, with their groups (their role): every role check
        of the request (accounts.permissions, through django-role-permissions' has_role) reads
        `user.groups.all()`, which the prefetch answers; changing the groups (assign_role)
        drops it, so a check after a change reads the new role."""
        User = get_user_model()
        user = User._default_manager.prefetch_related("groups").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """The person's own permissions and their groups' in one query (Django's backend
        makes one for each), with the groups from get_user's prefetch; cached on the user
        for the request, as Django's are. Superusers: Django's way (every permission)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if hasattr(user_obj, "_perm_cache") or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        User = get_user_model()
        own = User.user_permissions.through.objects.filter(user=user_obj)
        groups = Group.permissions.through.objects.filter(
            group__in=[group.pk for group in user_obj.groups.all()]
        )
        rows = (
            Permission.objects.filter(
                Q(pk__in=own.values("permission_id")) | Q(pk__in=groups.values("permission_id"))
            )
            .values_list("content_type__app_label", "codename")
            .order_by()
        )
        user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
