from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.pages import view_restrictions_one_query

from .blocks import GALLERY_BLOCKS
from .forms import GalleryPageForm
from .selectors import gallery_sections


class GalleryPage(Page):
    """A teacher's gallery of their students' approved work, under one of their classes:
    single works with captions, grids of works, and text."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField(GALLERY_BLOCKS, blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    base_form_class = GalleryPageForm

    parent_page_types = ["classrooms.ClassroomPage"]
    subpage_types: list[str] = []

    def get_view_restrictions(self):
        return view_restrictions_one_query(self)  # one query, not Wagtail's two

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = gallery_sections(page=self, user=request.user, request=request)
        return context

    class Meta:
        verbose_name = "gallery"
        verbose_name_plural = "galleries"
