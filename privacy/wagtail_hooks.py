"""'Privacy' in the Wagtail admin (export or erase a student, the data retention preview) for
school admins, with a link from each student's row in Users, and the audit log's names for
those actions."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter

from accounts.permissions import SchoolAdminMenuItem, is_school_admin, users_with_role
from accounts.roles import STUDENT

from . import consent_admin, services, views


@hooks.register("register_admin_urls")
def register_privacy_urls():
    patterns = views.urlpatterns + consent_admin.urlpatterns
    return [path("privacy/", include((patterns, "privacy_admin")))]


@hooks.register("register_admin_menu_item")
def register_privacy_menu_item():
    return SchoolAdminMenuItem(
        "Privacy", reverse("privacy_admin:index"), icon_name="lock", order=170
    )


def _student_ids(request_user) -> set[int]:
    """The school's students, looked up once per listing (the hook runs for each row, with
    the same request user) instead of one role query per row."""
    cache = request_user.__dict__
    if "_privacy_student_ids" not in cache:
        students = users_with_role(STUDENT)
        cache["_privacy_student_ids"] = set(students.values_list("pk", flat=True))
    return cache["_privacy_student_ids"]


@hooks.register("register_user_listing_buttons")
def privacy_buttons(user, request_user):
    if not (is_school_admin(request_user) and user.pk in _student_ids(request_user)):
        return []
    return [
        ListingButton("Consent", reverse("privacy_admin:consent", args=[user.pk]), priority=40),
        ListingButton("Export data", reverse("privacy_admin:export", args=[user.pk]), priority=50),
        ListingButton("Erase", reverse("privacy_admin:erase", args=[user.pk]), priority=60),
    ]


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    @actions.register_action(services.EXPORT_ACTION)
    class ExportFormatter(LogFormatter):
        label = "Privacy: export a student's data"
        message = "Exported the student's data"

    @actions.register_action(services.ERASE_ACTION)
    class EraseFormatter(LogFormatter):
        label = "Privacy: erase a student"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            message = (
                f"Erased the student: {data.get('pages', 0)} page(s), "
                f"{data.get('files', 0)} file(s)"
            )
            months = data.get("retention_months")
            if months:
                message += f" (data retention: left {months} months ago or more)"
            return message

    @actions.register_action(services.RETENTION_ACTION)
    class RetentionFormatter(LogFormatter):
        label = "Privacy: data retention run"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            message = (
                f"Data retention erased {data.get('students', 0)} student(s) who left "
                f"{data.get('months', 0)} months ago or more: {data.get('pages', 0)} page(s), "
                f"{data.get('files', 0)} file(s)"
            )
            if data.get("failed"):
                message += f"; {data['failed']} could not be erased (see the error log)"
            return message
