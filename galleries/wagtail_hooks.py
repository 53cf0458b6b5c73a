from wagtail import hooks

from classrooms.models import CLASS_PAGE_CONTEXT_HOOK
from core.pages import public_q

from .models import GalleryPage
from .views import media_chooser_viewset


@hooks.register("register_admin_viewset")
def register_media_chooser():
    return media_chooser_viewset


@hooks.register(CLASS_PAGE_CONTEXT_HOOK)
def class_page_galleries(*, page, request) -> dict:
    """A class page links its published galleries, by title; none in a private section
    (public_q: Wagtail's .public() in the same query)."""
    return {
        "galleries": GalleryPage.objects.child_of(page).live().filter(public_q()).order_by("title")
    }
