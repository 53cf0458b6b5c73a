"""The media library in the Wagtail admin: 'All media' for school admins, with its bulk
actions (media_library.oversight_admin)."""

from wagtail import hooks

from .oversight_admin import BULK_ACTIONS, media_oversight_viewset


@hooks.register("register_admin_viewset")
def register_media_oversight_viewset():
    return media_oversight_viewset


for action_class in BULK_ACTIONS:
    hooks.register("register_bulk_action", action_class)
