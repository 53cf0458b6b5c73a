"""Classes in the Wagtail admin: school admins create classes and assign teachers; teachers
see and manage only their own classes and the students enrolled in them."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.permissions import is_school_admin, is_teacher, users_with_role
from accounts.roles import SCHOOL_ADMIN, TEACHER

from . import services
from .admin_forms import ClassroomForm
from .admin_scope import (
    ScopedDocumentsAdminAPIViewSet,
    ScopedImagesAdminAPIViewSet,
    page_chooser_scope,
)
from .models import Classroom, ClassroomPage
from .permissions import can_create_classroom, can_manage_classroom
from .selectors import classroom_get, classroom_list

MESSAGE_CLASS_PAGE_DELETE = _(
    "A class's page can't be deleted while the class exists: archive the class instead."
)


class ClassroomPermissionPolicy(BasePermissionPolicy):
    """Admins: every class. Teachers: view and change their own. Nobody deletes (archive)."""

    def user_has_permission(self, user, action):
        if action == "add":
            return can_create_classroom(user)
        if action in ("change", "view"):
            return is_school_admin(user) or is_teacher(user)
        return False

    def users_with_any_permission(self, actions):
        User = get_user_model()
        names = [SCHOOL_ADMIN] + ([TEACHER] if {"change", "view"} & set(actions) else [])
        return User.objects.filter(is_active=True, groups__name__in=names).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return action in ("change", "view") and can_manage_classroom(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if {"change", "view"} & set(actions) and (is_school_admin(user) or is_teacher(user)):
            return classroom_list(user=user)
        return Classroom.objects.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        User = get_user_model()
        if not {"change", "view"} & set(actions):
            return User.objects.none()
        return users_with_role(SCHOOL_ADMIN).filter(is_active=True) | User.objects.filter(
            assignments__classroom=instance
        )


register_permission_policy(Classroom, ClassroomPermissionPolicy(Classroom))


class ClassroomIndexView(IndexView):
    def get_edit_url(self, instance):
        # A class's people and join code are what a teacher comes for; editing is one click on.
        return reverse("classes:people", args=[instance.pk])

    def get_base_queryset(self):
        return (
            classroom_list(user=self.request.user)
            .annotate(student_count=Count("enrolments", distinct=True))
            .prefetch_related("teachers")
        )


class ClassroomCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        classroom = services.classroom_create(
            name=data["name"],
            grade=data["grade"],
            subject=data["subject"],
            teachers=data.get("teachers") or (),
        )
        services.classroom_trust_set(classroom=classroom, trusted=data.get("is_trusted", False))
        return classroom


class ClassroomEditView(EditView):
    def get_object(self, queryset=None):
        return classroom_get(user=self.request.user, pk=self.kwargs[self.pk_url_kwarg])

    def save_instance(self):
        data = self.form.cleaned_data
        classroom = services.classroom_update(
            classroom=self.object, name=data["name"], grade=data["grade"], subject=data["subject"]
        )
        if "teachers" in data:
            services.classroom_teachers_set(classroom=classroom, teachers=data["teachers"])
        if "is_trusted" in data:
            services.classroom_trust_set(classroom=classroom, trusted=data["is_trusted"])
        return classroom


def _teacher_names(classroom) -> str:
    return ", ".join(t.get_full_name() or t.get_username() for t in classroom.teachers.all())


class ClassroomViewSet(ModelViewSet):
    model = Classroom
    icon = "group"
    menu_label = "Classes"
    menu_order = 150
    add_to_admin_menu = True

    index_view_class = ClassroomIndexView
    add_view_class = ClassroomCreateView
    edit_view_class = ClassroomEditView
    list_display = [
        "name",
        "grade",
        "subject",
        Column("teachers", label="Teachers", accessor=_teacher_names),
        Column("student_count", label="Students"),
        Column("join_code_display", label="Join code"),
        BooleanColumn("is_archived", label="Archived"),
    ]
    list_filter = ["is_archived", "grade"]
    search_fields = ["name", "subject", "grade"]
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return ClassroomForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/people/", self.people_view, name="people"),
            path("<int:pk>/join-code/", self.join_code_view, name="join_code"),
            path("<int:pk>/archive/", self.archive_view, name="archive"),
            path(
                "<int:pk>/students/<int:student_pk>/remove/",
                self.student_remove_view,
                name="student_remove",
            ),
        ]

    def people_view(self, request, pk):
        """The class's join code, teachers and students, with the actions on them."""
        classroom = classroom_get(user=request.user, pk=pk)
        students = classroom.students.order_by("first_name", "last_name")
        return TemplateResponse(
            request,
            "classrooms/admin/people.html",
            {
                "classroom": classroom,
                "teachers": classroom.teachers.order_by("first_name"),
                "students": students,
                "signup_url": request.build_absolute_uri(
                    f"/accounts/signup/?code={classroom.join_code_display}"
                ),
                "is_school_admin": is_school_admin(request.user),
                "viewset": self,
                "header_title": str(classroom),
                "page_title": str(classroom),
            },
        )

    def _people_url(self, classroom):
        return reverse(self.get_url_name("people"), args=[classroom.pk])

    def join_code_view(self, request, pk):
        return require_POST(self._join_code)(request, pk)

    def _join_code(self, request, pk):
        classroom = classroom_get(user=request.user, pk=pk)
        services.classroom_join_code_regenerate(classroom=classroom)
        messages.success(
            request,
            f"New join code for {classroom}: {classroom.join_code_display}. "
            "The old code no longer works.",
        )
        return redirect(self._people_url(classroom))

    def archive_view(self, request, pk):
        return require_POST(self._archive)(request, pk)

    def _archive(self, request, pk):
        classroom = classroom_get(user=request.user, pk=pk)
        if not is_school_admin(request.user):
            raise Http404
        services.classroom_archive(classroom=classroom, archived=not classroom.is_archived)
        state = "archived: it takes no new students" if classroom.is_archived else "active again"
        messages.success(request, f"{classroom} is {state}.")
        return redirect(self._people_url(classroom))

    def student_remove_view(self, request, pk, student_pk):
        return require_POST(self._student_remove)(request, pk, student_pk)

    def _student_remove(self, request, pk, student_pk):
        classroom = classroom_get(user=request.user, pk=pk)
        student = get_object_or_404(classroom.students, pk=student_pk)
        services.classroom_student_remove(classroom=classroom, student=student)
        messages.success(request, f"{student} is no longer in {classroom}.")
        return redirect(self._people_url(classroom))


classroom_viewset = ClassroomViewSet("classes")


@hooks.register("register_admin_viewset")
def register_classroom_viewset():
    return classroom_viewset


@hooks.register("before_delete_page")
def protect_class_pages(request, page):
    if isinstance(page.specific, ClassroomPage) and hasattr(page.specific, "classroom"):
        messages.error(request, MESSAGE_CLASS_PAGE_DELETE)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


# Listings and searches of the admin that Wagtail builds from every object of a kind: scoped
# to what the person may reach (classrooms.admin_scope), as the visibility middleware does
# for the objects a request names.
hooks.register("construct_page_chooser_queryset", page_chooser_scope)


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own (order 0) endpoints
def scope_admin_api(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
