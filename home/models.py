from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from accounts.permissions import is_school_admin, is_teacher
from classrooms.selectors import classroom_list
from core.pages import specific_for_route

from .selectors import home_for_member, home_showcase

NO_CLASSES_STUDENT = _("You are not in a class yet. Ask your teacher for your class's code.")
NO_CLASSES_STAFF = _("You have no classes yet. Your school's admin adds classes and assigns them.")


class HomePage(Page):
    """The school's front page: its name and welcome, its latest public work, galleries and
    classes with public work (what a visitor sees, and may get from the page cache); for
    people signed in, their classes' latest work and what waits for them (home.selectors)."""

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

    def route(self, request, path_components):
        # Wagtail walks the path one level at a time: a query for each segment's child and
        # another for its .specific. A page two or more levels down (a gallery under its
        # class) is found here by its url_path instead, with its parent in the same query
        # (the breadcrumb's), then made specific: 2 queries, whatever the depth. No page type
        # here routes below itself (no RoutablePageMixin), so this is the page the walk finds;
        # anything not found goes the usual way, to its 404.
        if len(path_components) > 1:
            paths = [
                self.url_path + "".join(f"{part}/" for part in path_components[:end])
                for end in (len(path_components) - 1, len(path_components))
            ]
            found = {
                page.url_path: page
                for page in Page.objects.descendant_of(self).filter(url_path__in=paths)
            }
            parent, page = found.get(paths[0]), found.get(paths[1])
            if parent is not None and page is not None:
                page = specific_for_route(page)
                page._cached_parent_obj = parent
                return page.route(request, [])
        elif len(path_components) == 1:
            # Wagtail's step for one level, with the page's route_select_related rows
            # fetched as it is made specific (a class page's classroom).
            child = self.get_children().filter(slug=path_components[0]).first()
            if child is not None:
                page = specific_for_route(child)
                page._cached_parent_obj = self
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["showcase"] = home_showcase(home=self, request=request)
        if user.is_authenticated:
            staff = is_school_admin(user) or is_teacher(user)
            classes = list(classroom_list(user=user))
            context["classes"] = classes
            context["member"] = home_for_member(user=user, classes=classes, request=request)
            context["show_join_codes"] = staff  # teachers share them; students need not
            context["no_classes_message"] = NO_CLASSES_STAFF if staff else NO_CLASSES_STUDENT
        return context
