from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page, Task, TaskState

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

    def get_context(self, request, *args, **kwargs):
        """The class's published work that the visitor may see, newest first, in pages."""
        from media_library.cards import paginate_cards
        from media_library.selectors import media_page_list
        from media_library.views import NO_MEDIA

        context = super().get_context(request, *args, **kwargs)
        classroom = getattr(self, "classroom", None)
        if classroom is not None:
            works = media_page_list(user=request.user, request=request, classroom=classroom)
            context["page_obj"], context["query"] = paginate_cards(request, works)
            context["empty_message"] = NO_MEDIA
        from galleries.models import GalleryPage

        context["galleries"] = GalleryPage.objects.child_of(self).live().public().order_by("title")
        return context

    # Made by classrooms.services.classroom_create, never by hand in the page tree.
    is_creatable = False

    class Meta:
        verbose_name = "class page"


class ClassTeachersTask(Task):
    """The moderation step of a class's workflow: its own teachers (and school admins)
    approve or request changes; nobody else can act on it, or edit what it holds."""

    classroom = models.OneToOneField(
        Classroom, null=True, on_delete=models.CASCADE, related_name="moderation_task"
    )

    admin_form_fields = Task.admin_form_fields

    def _can_moderate(self, user) -> bool:
        from .permissions import is_school_admin

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
            from .forms import ChangesRequestedForm

            return ChangesRequestedForm
        return super().get_form_for_action(action)

    def start(self, workflow_state, user=None):
        """Start review of the latest revision, and email the class's teachers about it
        (also when a student resubmits after changes were requested)."""
        from media_library.notifications import after_commit, submission_notify

        task_state = super().start(workflow_state, user=user)
        after_commit(submission_notify, task_state_id=task_state.pk)
        return task_state

    def on_action(self, task_state, user, action_name, **kwargs):
        """Approve or request changes (from the Wagtail admin or the front end's review
        queue alike), then email the student the outcome."""
        from media_library.notifications import after_commit, decision_notify

        super().on_action(task_state, user, action_name, **kwargs)
        if action_name in ("approve", "reject"):
            after_commit(decision_notify, task_state_id=task_state.pk)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self._can_moderate(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return "The class's own teachers approve or request changes"

    class Meta:
        verbose_name = "class teachers' approval"
