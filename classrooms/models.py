from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page, Task, TaskState

from accounts.permissions import is_school_admin
from core.pages import view_restrictions_one_query

from .forms import ChangesRequestedForm

# The hook through which apps add to a class page's context (ClassroomPage.get_context).
CLASS_PAGE_CONTEXT_HOOK = "classroom_page_context"

# No 0/O, 1/I/L: codes are read aloud and copied from a board.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


class Classroom(models.Model):
    """A class: its teachers, its students, its Wagtail collection and its page."""

    name = models.CharField(max_length=100)
    grade = models.CharField("year or grade", max_length=50, blank=True)
    subject = models.CharField(max_length=100, blank=True)
    join_code = models.CharField(
        max_length=JOIN_CODE_LENGTH,
        unique=True,
        help_text="Students sign up with this code. A teacher can regenerate it.",
    )
    is_archived = models.BooleanField(
        "archived", default=False, help_text="An archived class takes no new students."
    )
    is_trusted = models.BooleanField(
        "trusted",
        default=False,
        help_text="Students of a trusted class publish directly, without a teacher's approval.",
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="classroom"
    )
    page = models.OneToOneField(
        "classrooms.ClassroomPage", on_delete=models.PROTECT, related_name="classroom"
    )
    # Holds the page and collection permissions of this class; its teachers are its members.
    teacher_group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="classroom")
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeacherAssignment", related_name="teaching"
    )
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Enrolment", related_name="classrooms"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self):
        return f"{self.name} ({self.grade})" if self.grade else self.name

    @property
    def join_code_display(self) -> str:
        half = len(self.join_code) // 2
        return f"{self.join_code[:half]}-{self.join_code[half:]}"


class TeacherAssignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "teacher"], name="unique_teacher_per_class"
            )
        ]

    def __str__(self):
        return f"{self.teacher} teaches {self.classroom}"


class Enrolment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="unique_student_per_class"
            )
        ]

    def __str__(self):
        return f"{self.student} in {self.classroom}"


class ClassroomPage(Page):
    """A class's page: its students' published work lives under it. Created with the class."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["media_library.MediaPage", "galleries.GalleryPage"]
    # The template shows the class's subject: fetched with the page when routing
    # (home.models.HomePage.route).
    route_select_related = ("classroom",)

    def get_view_restrictions(self):
        return view_restrictions_one_query(self)  # one query, not Wagtail's two

    def get_context(self, request, *args, **kwargs):
        """What the class page lists comes from the apps whose pages live under it (its
        students' work, its galleries): each registers a CLASS_PAGE_CONTEXT_HOOK function
        that takes the page and the request and returns what it adds to the context."""
        context = super().get_context(request, *args, **kwargs)
        for contribute in hooks.get_hooks(CLASS_PAGE_CONTEXT_HOOK):
            context.update(contribute(page=self, request=request))
        return context

    # Made by classrooms.services.classroom_create, never by hand in the page tree.
    is_creatable = False

    class Meta:
        verbose_name = "class page"


class ClassTeachersTask(Task):
    """The moderation step of a class's workflow: its own teachers (and school admins)
    approve or request changes; nobody else can act on it, or edit what it holds. What a
    decision sends (emails) is connected to Wagtail's task signals by media_library."""

    classroom = models.OneToOneField(
        Classroom, null=True, on_delete=models.CASCADE, related_name="moderation_task"
    )

    admin_form_fields = Task.admin_form_fields

    def _can_moderate(self, user) -> bool:
        if not user.is_authenticated:
            return False
        cache = user.__dict__.setdefault("_class_task_checks", {})
        if self.pk not in cache:
            cache[self.pk] = (
                is_school_admin(user)
                or TeacherAssignment.objects.filter(
                    classroom_id=self.classroom_id, teacher=user
                ).exists()
            )
        return cache[self.pk]

    def user_can_access_editor(self, obj, user):
        return self._can_moderate(user)

    def locked_for_user(self, obj, user):
        return not self._can_moderate(user)

    def user_can_lock(self, obj, user):
        return self._can_moderate(user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self._can_moderate(user):
            return []
        return [
            ("reject", "Request changes", True),
            ("approve", "Approve", False),
            ("approve", "Approve with comment", True),
        ]

    def get_form_for_action(self, action):
        # "Request changes" without saying what to change leaves the student guessing.
        if action == "reject":
            return ChangesRequestedForm
        return super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self._can_moderate(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return "The class's own teachers approve or request changes"

    class Meta:
        verbose_name = "class teachers' approval"
