from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from classrooms.permissions import is_school_admin, is_teacher
from classrooms.selectors import classroom_list

NO_CLASSES_STUDENT = "You are not in a class yet. Ask your teacher for your class's code."
NO_CLASSES_STAFF = "You have no classes yet. Your school's admin adds classes and assigns them."


class HomePage(Page):
    """The school's front page: its name, a welcome text, and for people signed in, their
    classes."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="A short welcome shown under the school's name.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "school home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        if user.is_authenticated:
            staff = is_school_admin(user) or is_teacher(user)
            context["classes"] = classroom_list(user=user)
            context["show_join_codes"] = staff  # teachers share them; students need not
            context["no_classes_message"] = NO_CLASSES_STAFF if staff else NO_CLASSES_STUDENT
        return context
