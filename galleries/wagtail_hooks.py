from wagtail import hooks

from .views import media_chooser_viewset


@hooks.register("register_admin_viewset")
def register_media_chooser():
    return media_chooser_viewset
