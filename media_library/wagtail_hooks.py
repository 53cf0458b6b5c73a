"""The media library in Wagtail: 'All media' for school admins, with its bulk actions
(media_library.oversight_admin); the works a class page lists; the visibility checks before a
media page is served from the page tree and before a document is served; deleting a page's
files with it."""

from django.http import Http404
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from accounts.permissions import is_school_admin, is_teacher
from classrooms.models import CLASS_PAGE_CONTEXT_HOOK
from core.dashboard import DashboardPanel
from notifications.selectors import TARGETS_HOOK

from .cards import paginate_cards
from .consent import LOWERED_ACTION
from .dashboard import class_figures, recent_uploads
from .inbox import notification_targets
from .models import MediaPage
from .oversight_admin import BULK_ACTIONS, media_oversight_viewset
from .selectors import asset_visible, media_page_assets, media_page_get, media_page_list
from .views import NO_MEDIA


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


@hooks.register("construct_homepage_panels")
def media_dashboard_panels(request, panels):
    """A teacher's (their classes) and a school admin's (every class) first screen: the latest
    uploads and each class's figures. Wagtail's own "Awaiting your review" stays above."""
    user = request.user
    if not (is_school_admin(user) or is_teacher(user)):
        return
    panels.append(
        DashboardPanel(
            name="class-figures",
            heading="Your classes" if not is_school_admin(user) else "Classes",
            template_name="media_library/admin/dashboard_classes.html",
            context={"classes": class_figures(user=user)},
            order=105,
        )
    )
    panels.append(
        DashboardPanel(
            name="recent-uploads",
            heading="Recent uploads in your classes"
            if not is_school_admin(user)
            else "Recent uploads",
            template_name="media_library/admin/dashboard_uploads.html",
            context={"pages": recent_uploads(user=user)},
            order=230,
        )
    )


# What a moderation notification may still link to, asked each time it is shown.
hooks.register(TARGETS_HOOK, notification_targets)


@hooks.register("before_serve_page")
def media_page_visibility(page, request, serve_args, serve_kwargs):
    """A media page in the page tree is for those who may see it (selectors), others get a
    404 before MediaPage.serve redirects them to its detail URL."""
    if isinstance(page, MediaPage):
        media_page_get(user=request.user, pk=page.pk, request=request)


@hooks.register("before_serve_document")
def document_visibility(document, request):
    """/documents/<id>/<name> is for those who may have the file (selectors.asset_visible, as
    for stored files); others get a 404 before Wagtail redirects to the file: to a link that
    expires on Cloudinary, to the stored_file view (which checks again) locally."""
    if not asset_visible(user=request.user, asset=document, request=request):
        raise Http404("No such document")


@hooks.register(CLASS_PAGE_CONTEXT_HOOK)
def class_page_works(*, page, request) -> dict:
    """A class page lists its published work that the visitor may see, newest first."""
    classroom = getattr(page, "classroom", None)
    if classroom is None:
        return {}
    works = media_page_list(user=request.user, request=request, classroom=classroom)
    page_obj, query = paginate_cards(request, works)
    return {"page_obj": page_obj, "query": query, "empty_message": NO_MEDIA}


@hooks.register("register_log_actions")
def register_consent_log_actions(actions):
    @actions.register_action(LOWERED_ACTION)
    class ConsentLoweredFormatter(LogFormatter):
        label = "Consent: visibility lowered"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            why = "on approval" if data.get("reason") == "approval" else "consent withdrawn"
            return f"Visibility lowered from {data.get('from')} to {data.get('to')} ({why})"
