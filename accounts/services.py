"""Writes about people: their accounts and their roles, and each role's permissions."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rolepermissions.roles import assign_role, clear_roles
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    CollectionMember,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from core.ratelimit import TooManyFailures

from .permissions import require_school_admin
from .roles import GUARDIAN, ROLES, SCHOOL_ADMIN, STUDENT, TEACHER
from .signals import role_changed
from .throttling import account_failures_clear

ERROR_UNKNOWN_ROLE = _("Choose a role: school admin, teacher, student or guardian.")
ERROR_EMAIL_TAKEN = _(
    "Someone at this school already uses this email. Sign in, or reset your password."
)
UNLOCK_SIGN_IN_ACTION = "mediahub.unlock_sign_in"

# Permissions that stay with the platform, never a school admin's: the school's own Site
# (its host name), and Django's plumbing.
_NOT_FOR_SCHOOL_ADMINS = {
    "contenttypes": None,
    "sessions": None,
    "admin": None,
    "tenants": None,
    "auth": {"add_permission", "change_permission", "delete_permission", "view_permission"},
    "wagtailcore": {"add_site", "change_site", "delete_site", "view_site"},
}


def _school_admin_permissions():
    role_codenames = {name for role in ROLES.values() for name in role.available_permissions}
    perms = Permission.objects.select_related("content_type").exclude(codename__in=role_codenames)
    for app_label, codenames in _NOT_FOR_SCHOOL_ADMINS.items():
        if codenames is None:
            perms = perms.exclude(content_type__app_label=app_label)
        else:
            perms = perms.exclude(content_type__app_label=app_label, codename__in=codenames)
    return perms


def roles_sync() -> None:
    """Give each role's group exactly its Wagtail permissions, in the current school schema:
    school admins everything of the school (all pages, all collections, users and groups,
    settings, reports); teachers the admin only (their classes add the rest: classrooms);
    students and guardians nothing of the admin. Idempotent; runs after every migration of a
    school schema."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups[SCHOOL_ADMIN].permissions.set(_school_admin_permissions())
    groups[TEACHER].permissions.set([access_admin])
    groups[STUDENT].permissions.set([])
    groups[GUARDIAN].permissions.set([])

    admins = groups[SCHOOL_ADMIN]
    root_page = Page.get_first_root_node()
    for perm in Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=[
            "add_page",
            "change_page",
            "bulk_delete_page",
            "lock_page",
            "publish_page",
            "unlock_page",
        ],
    ):
        GroupPagePermission.objects.get_or_create(group=admins, page=root_page, permission=perm)
    root_collection = Collection.get_first_root_node()
    for perm in [
        *collection_permissions(),
        *Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="collection"
        ),
    ]:
        GroupCollectionPermission.objects.get_or_create(
            group=admins, collection=root_collection, permission=perm
        )


def collection_permissions() -> list[Permission]:
    """Every permission Wagtail checks per collection but those of collections themselves:
    those of the collection-member models (images, documents, video and audio), whichever
    app installed them."""
    labels = [m._meta for m in apps.get_models() if issubclass(m, CollectionMember)]
    perms = Permission.objects.none()
    for opts in labels:
        perms = perms | Permission.objects.filter(
            content_type__app_label=opts.app_label, content_type__model=opts.model_name
        )
    return list(perms)


def user_role_get(user) -> str | None:
    names = set(user.groups.values_list("name", flat=True))
    return next((name for name in ROLES if name in names), None)


@transaction.atomic
def user_role_set(*, user, role: str) -> None:
    """Give a person exactly one role, at once: their role group and its permissions change
    together, and what the old role held ends (role_changed: classrooms ends a former
    teacher's class assignments and a former student's enrolments)."""
    if role not in ROLES:
        raise ValidationError({"role": ERROR_UNKNOWN_ROLE})
    if user_role_get(user) == role:
        return
    clear_roles(user)
    assign_role(user, role)
    role_changed.send(sender=type(user), user=user, role=role)


def user_build(*, email: str, first_name: str, last_name: str):
    """An unsaved person who signs in with their email (also their username)."""
    first_name, last_name = first_name.strip(), last_name.strip()
    return get_user_model()(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        display_name=f"{first_name} {last_name}".strip(),
    )


def user_save(*, user, password: str, role: str):
    """Save a person built by `user_build` (password already validated) with their role."""
    user.set_password(password)
    user.full_clean()
    user.save()
    user_role_set(user=user, role=role)
    return user


def user_signup_with_code(
    *, find, email: str, first_name: str, last_name: str, password: str, role: str
):
    """A new account of `role` for whoever holds a code: `find()` returns what the code opens
    (a class, a family code) or raises ValidationError with the code's field errors (a rate
    limit's TooManyFailures goes through as it is). Nothing is created unless the code, the
    email and the password are all right; a taken email is reported only with a code that
    works, so the page tells nobody who has an account. Returns (the saved user, what the
    code opened)."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    errors: dict[str, list[str]] = {}
    found = None
    try:
        found = find()
    except TooManyFailures:
        raise
    except ValidationError as error:
        errors.update(error.message_dict)
    if found is not None and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [ERROR_EMAIL_TAKEN]
    user = user_build(email=email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return user_save(user=user, password=password, role=role), found


def user_activity_track(*, user, was_active: bool, now=None) -> None:
    """Date a person's leaving: an active account being deactivated gets `left_at` (now),
    what the school's data retention counts from (privacy); an account (re)activated loses
    it; one that stays inactive keeps the date it had. On the unsaved instance that a form
    (the user admin's) is about to save, which has set `is_active` already."""
    if user.is_active:
        user.left_at = None
    elif was_active:
        user.left_at = now or timezone.now()


@transaction.atomic
def users_active_set(*, users, active: bool, by, now=None) -> int:
    """A school admin marks people active or inactive at once (the user list's bulk action),
    with their leaving dates as user_activity_track. Nobody changes their own account this
    way (Wagtail's rule, kept). Returns how many people were marked."""
    require_school_admin(by)
    people = get_user_model().objects.filter(pk__in=[u.pk for u in users]).exclude(pk=by.pk)
    count = people.count()
    if active:
        people.update(is_active=True, left_at=None)
    else:
        people.filter(is_active=True).update(is_active=False, left_at=now or timezone.now())
    return count


@transaction.atomic
def user_sign_in_unlock(*, user, unlocked_by) -> int:
    """A school admin unlocks a person's sign-in: the account's failed sign-ins are cleared
    (not those of others from the same address), so they can sign in at once. Logged in
    Wagtail's audit log as UNLOCK_SIGN_IN_ACTION. Returns how many records were cleared."""
    require_school_admin(unlocked_by)
    cleared = account_failures_clear(user)
    log(instance=user, action=UNLOCK_SIGN_IN_ACTION, user=unlocked_by, data={"cleared": cleared})
    return cleared


@transaction.atomic
def user_password_reset_done(*, user) -> None:
    """A person who set a new password through the emailed link has shown the account is
    theirs: a lock on it (someone else's guesses) ends too."""
    account_failures_clear(user)
