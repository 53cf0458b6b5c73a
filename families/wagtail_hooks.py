"""'Families' in the Wagtail admin, for school admins and teachers (families.admin_views)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.permissions import is_staff_member
from core.dashboard import DashboardPanel

from . import admin_views
from .dashboard import students_without_consent


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    views = admin_views
    return [
        path(
            "families/",
            (
                [
                    path("", views.family_index, name="index"),
                    path("<int:pk>/", views.family_class, name="class"),
                    path("<int:pk>/slips/", views.family_slips, name="slips"),
                    path(
                        "<int:pk>/students/<int:student_pk>/codes/new/",
                        views.family_code_new,
                        name="code_new",
                    ),
                    path(
                        "<int:pk>/students/<int:student_pk>/invite/",
                        views.family_invite,
                        name="invite",
                    ),
                    path(
                        "<int:pk>/codes/<int:code_pk>/withdraw/",
                        views.family_code_withdraw,
                        name="code_withdraw",
                    ),
                ],
                "families_admin",
                "families_admin",
            ),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_families_menu_item():
    return StaffMenuItem("Families", reverse("families_admin:index"), icon_name="group", order=155)


@hooks.register("construct_homepage_panels")
def consent_dashboard_panel(request, panels):
    """Students without family consent: a school admin's whole school, a teacher's classes."""
    if is_staff_member(request.user):
        panels.append(
            DashboardPanel(
                name="consent-missing",
                heading="Students without family consent",
                template_name="families/admin/dashboard_consent.html",
                context=students_without_consent(user=request.user),
                order=120,
            )
        )
