from wagtail import hooks

from classrooms.models import CLASS_PAGE_CONTEXT_HOOK

from .models import GalleryPage
from .views import media_chooser_viewset


@hooks.register("register_admin_viewset")
def register_media_chooser():
    return media_chooser_viewset


@hooks.register(CLASS_PAGE_CONTEXT_HOOK)
def class_page_galleries(*, page, request) -> dict:
    """A class page links its published galleries, by title."""
    return {"galleries": GalleryPage.objects.child_of(page).live().public().order_by("title")}
