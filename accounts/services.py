"""Writes about people: roles, and students joining with a class code."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from rolepermissions.roles import assign_role, clear_roles

from .roles import ROLES

ERROR_UNKNOWN_ROLE = "Choose a role: school admin, teacher or student."
ERROR_JOIN_CODE_WRONG = "That class code is not right. Check it with your teacher and try again."
ERROR_JOIN_CODE_ARCHIVED = "That class is archived and takes no new students. Ask your teacher."
ERROR_ALREADY_ENROLLED = "You are already in {classroom}."
ERROR_NOT_A_STUDENT = (
    "Only students join classes with a code. Teachers are assigned by the school admin."
)
ERROR_EMAIL_TAKEN = (
    "Someone at this school already uses this email. Sign in, or reset your password."
)

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
    settings, reports); teachers the admin only (their classes add the rest); students
    nothing of the admin. Idempotent; runs after every migration of a school schema."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    from classrooms.services import classroom_permissions_sync, collection_permissions

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups["school_admin"].permissions.set(_school_admin_permissions())
    groups["teacher"].permissions.set([access_admin])
    groups["student"].permissions.set([])

    admins = groups["school_admin"]
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
    classroom_permissions_sync()


def roles_sync_after_migrate(sender, app_config, **kwargs) -> None:
    """post_migrate is sent once per app: sync after the last one, when every app's
    permissions exist. Only school schemas (and the template) have Wagtail's tables."""
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if app_config is not last or connection.schema_name == "public":
        return
    roles_sync()


def user_role_get(user) -> str | None:
    names = set(user.groups.values_list("name", flat=True))
    return next((name for name in ROLES if name in names), None)


@transaction.atomic
def user_role_set(*, user, role: str) -> None:
    """Give a person exactly one role, at once: their role group and its permissions change
    together, and what the old role held (class assignments, enrolments) ends."""
    from classrooms.services import memberships_clear_for_role

    if role not in ROLES:
        raise ValidationError({"role": ERROR_UNKNOWN_ROLE})
    if user_role_get(user) == role:
        return
    clear_roles(user)
    assign_role(user, role)
    memberships_clear_for_role(user=user, role=role)


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


@transaction.atomic
def student_signup(*, join_code: str, first_name: str, last_name: str, email: str, password: str):
    """A student joins their school with a class code: a Student account, enrolled in that
    class. A wrong or archived code, or a taken email, creates nothing."""
    from classrooms.selectors import classroom_get_by_join_code
    from classrooms.services import classroom_student_enrol

    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    errors: dict[str, list[str]] = {}
    classroom = classroom_get_by_join_code(join_code)
    if classroom is None:
        errors["join_code"] = [ERROR_JOIN_CODE_WRONG]
    elif classroom.is_archived:
        errors["join_code"] = [ERROR_JOIN_CODE_ARCHIVED]
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [ERROR_EMAIL_TAKEN]
    user = user_build(email=email, first_name=first_name, last_name=last_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user_save(user=user, password=password, role="student")
    classroom_student_enrol(classroom=classroom, student=user)
    return user


@transaction.atomic
def student_class_join(*, student, join_code: str):
    """A signed-in student joins another class with its code (no second account)."""
    from rolepermissions.checkers import has_role

    from classrooms.selectors import classroom_get_by_join_code
    from classrooms.services import classroom_student_enrol

    if not has_role(student, "student"):
        raise ValidationError({"join_code": [ERROR_NOT_A_STUDENT]})
    classroom = classroom_get_by_join_code(join_code)
    if classroom is None:
        raise ValidationError({"join_code": [ERROR_JOIN_CODE_WRONG]})
    if classroom.is_archived:
        raise ValidationError({"join_code": [ERROR_JOIN_CODE_ARCHIVED]})
    if classroom.enrolments.filter(student=student).exists():
        raise ValidationError({"join_code": [ERROR_ALREADY_ENROLLED.format(classroom=classroom)]})
    classroom_student_enrol(classroom=classroom, student=student)
    return classroom
