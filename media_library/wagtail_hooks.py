"""The media library in the Wagtail admin: 'All media' for school admins, with its bulk
actions (media_library.oversight_admin)."""

from wagtail import hooks

from .models import MediaPage
from .oversight_admin import BULK_ACTIONS, media_oversight_viewset
from .selectors import media_page_assets


@hooks.register("register_admin_viewset")
def register_media_oversight_viewset():
    return media_oversight_viewset


for action_class in BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class)


# Deleting a media page in the admin's page explorer deletes its files too, as media_delete
# does: the assets are looked up before the page (and its revisions) go, deleted after.
@hooks.register("before_delete_page")
def media_assets_remember(request, page):
    if request.method == "POST" and isinstance(page, MediaPage):
        request.media_assets_to_delete = media_page_assets(page=page)


@hooks.register("after_delete_page")
def media_assets_delete(request, page):
    for asset in getattr(request, "media_assets_to_delete", ()):
        asset.delete()
