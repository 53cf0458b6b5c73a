"""'All media' in the Wagtail admin, for school admins: every submission of the school with
filters (class, student, status, kind, date) and bulk actions (unpublish, delete, move to
another class), each with a confirmation page. Wagtail logs every action with its user
("wagtail.unpublish", "wagtail.delete", "wagtail.move").

Like 'Invite teachers', the views are the school admin's only: anyone else gets Wagtail's
"no permission" answer (PermissionDenied, which the admin turns into a redirect).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import path, reverse
from django.utils.functional import cached_property, classproperty
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet

from accounts.permissions import SchoolAdminMenuItem, require_school_admin
from classrooms.models import Classroom

from . import oversight, selectors
from .models import Kind, MediaPage
from .services import media_delete

MESSAGE_UNPUBLISHED = "{count} published item(s) unpublished."
MESSAGE_DELETED = "{count} item(s) deleted, with their files."
MESSAGE_MOVED = "{count} item(s) moved to {classroom}."


def _owners():
    return (
        get_user_model()
        .objects.filter(pk__in=MediaPage.objects.values("owner_id"))
        .order_by("first_name", "last_name", "username")
    )


class MediaOversightFilterSet(WagtailFilterSet):
    classroom = django_filters.ModelChoiceFilter(
        label="Class",
        queryset=lambda request: Classroom.objects.select_related("page"),
        method="filter_classroom",
    )
    owner = django_filters.ModelChoiceFilter(label="Student", queryset=lambda request: _owners())
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=list(selectors.STATUS_LABELS.items()),
        method="filter_status",
        widget=forms.RadioSelect,
        empty_label="All",
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=Kind.choices, widget=forms.RadioSelect, empty_label="All"
    )
    updated = django_filters.DateFromToRangeFilter(
        label="Updated", field_name="latest_revision_created_at", widget=DateRangePickerWidget
    )

    class Meta:
        model = MediaPage
        fields = []

    def filter_classroom(self, queryset, name, value):
        return queryset.filter(path__startswith=value.page.path, depth=value.page.depth + 1)

    def filter_status(self, queryset, name, value):
        return oversight.media_status_filter(queryset, value)


class ThumbnailColumn(Column):
    """A small picture for images (renditions are prefetched) and videos with a poster, an
    icon for other kinds."""

    cell_template_name = "media_library/admin/thumbnail_cell.html"
    icons = {"video": "media", "audio": "media", "document": "doc-full"}

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["icon_name"] = self.icons.get(instance.kind, "image")
        # A video's poster (the worker's, or Cloudinary's); its link expires like the video's.
        context["poster_url"] = instance.media.poster_url if instance.media_id else None
        return context


def _status_label(page) -> str:
    return selectors.STATUS_LABELS[oversight.media_status_code(page)]


def _owner_name(page) -> str:
    owner = page.owner
    return (owner.get_full_name() or owner.get_username()) if owner else ""


class MediaOversightIndexView(IndexView):
    model = MediaPage
    any_permission_required = None  # school admins only, checked in dispatch
    filterset_class = MediaOversightFilterSet
    template_name = "media_library/admin/oversight_index.html"
    page_title = "All media"
    header_icon = "image"
    default_ordering = "-latest_revision_created_at"
    search_fields = ["title", "description"]  # as MediaBulkAction's "select all"
    search_backend_name = None  # a plain filter: the listing's annotations stay as they are
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        require_school_admin(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return oversight.media_oversight_list()

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="media"),
            # A fixed width: a "1%" column is as wide as its narrowest content, and an image
            # (max-width: 100% in Wagtail's styles) has none, so the thumbnails collapsed to 0.
            ThumbnailColumn("thumbnail", label="", width="96"),
            TitleColumn(
                "title",
                label="Title",
                sort_key="title",
                get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
                get_title_id=lambda page: f"media_{page.pk}_title",
            ),
            Column("owner", label="Student", accessor=_owner_name),
            Column("class_title", label="Class", sort_key="class_title"),
            StatusTagColumn("status", label="Status", accessor=_status_label, primary="live"),
            Column("kind", label="Kind", accessor="get_kind_display", sort_key="kind"),
            DateColumn(
                "latest_revision_created_at", label="Updated", sort_key="latest_revision_created_at"
            ),
        ]


class MediaOversightViewSet(ViewSet):
    icon = "image"
    menu_label = "All media"
    menu_name = "all-media"
    menu_order = 210
    add_to_admin_menu = True

    def get_urlpatterns(self):
        kwargs = {
            "index_url_name": self.get_url_name("index"),
            "index_results_url_name": self.get_url_name("index_results"),
        }
        return [
            path("", MediaOversightIndexView.as_view(**kwargs), name="index"),
            path(
                "results/",
                MediaOversightIndexView.as_view(**kwargs, results_only=True),
                name="index_results",
            ),
        ]

    @property
    def menu_url(self):
        return reverse(self.get_url_name("index"))

    def get_menu_item(self, order=None):
        return SchoolAdminMenuItem(
            self.menu_label,
            self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order or self.menu_order,
        )


media_oversight_viewset = MediaOversightViewSet("all_media", url_prefix="all-media")


# --- Bulk actions (Wagtail's framework: /admin/bulk/media_library/mediapage/<action>/) --------
class MediaBulkAction(BulkAction):
    """School admins only; the items are the listing's, so "select all" keeps its filters."""

    template_name = "media_library/admin/bulk_confirm.html"
    question = ""
    button_text = ""

    @classproperty
    def models(cls):
        return [MediaPage]

    def dispatch(self, request, *args, **kwargs):
        require_school_admin(request.user)
        return super().dispatch(request, *args, **kwargs)

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(oversight.media_oversight_list().filter(pk__in=object_ids))

    def get_all_objects_in_listing_query(self, parent_id):
        """'Select all' means all the listing shows: its filters and its search apply."""
        pages = MediaOversightFilterSet(
            self.request.GET, queryset=oversight.media_oversight_list(), request=self.request
        ).qs
        if query := self.request.GET.get("q", "").strip():
            pages = pages.filter(Q(title__icontains=query) | Q(description__icontains=query))
        return pages.values_list("pk", flat=True)

    def object_context(self, obj):
        return {"item": obj, "status": _status_label(obj)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            question=self.question,
            action_button_text=self.button_text,
            action_button_class="serious" if "serious" in self.classes else "",
            header_icon="image",
        )
        return context

    def get_execution_context(self):
        return {"user": self.request.user}


class UnpublishBulkAction(MediaBulkAction):
    display_name = "Unpublish"
    action_type = "unpublish"
    aria_label = "Unpublish the selected media"
    action_priority = 20
    question = "Take these off the site? They stay, as drafts, in their owners' My media."
    button_text = "Yes, unpublish"

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        count = sum(oversight.media_unpublish(page=page, user=user) for page in objects)
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return MESSAGE_UNPUBLISHED.format(count=num_parent_objects)


class DeleteBulkAction(MediaBulkAction):
    display_name = "Delete"
    action_type = "delete"
    aria_label = "Delete the selected media"
    action_priority = 40
    classes = {"serious"}
    question = "Delete these, with their files? This cannot be undone."
    button_text = "Yes, delete"

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for page in objects:
            media_delete(page=page, user=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return MESSAGE_DELETED.format(count=num_parent_objects)


class MoveForm(forms.Form):
    classroom = forms.ModelChoiceField(
        label="Move to class",
        queryset=Classroom.objects.filter(is_archived=False),
        help_text="Items awaiting approval go to this class's teachers for review.",
    )


class MoveBulkAction(MediaBulkAction):
    display_name = "Move to class"
    action_type = "move"
    aria_label = "Move the selected media to another class"
    action_priority = 30
    form_class = MoveForm
    template_name = "media_library/admin/bulk_move.html"
    question = "Move these to another class?"
    button_text = "Yes, move"

    def get_execution_context(self):
        return {**super().get_execution_context(), "form": self.cleaned_form}

    @classmethod
    def execute_action(cls, objects, user=None, form=None, **kwargs):
        classroom = form.cleaned_data["classroom"]
        moved = 0
        for page in objects:
            try:
                oversight.media_move(page=page, classroom=classroom, user=user)
            except ValidationError:
                continue  # already in that class: nothing to move
            moved += 1
        return moved, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return MESSAGE_MOVED.format(
            count=num_parent_objects, classroom=self.cleaned_form.cleaned_data["classroom"]
        )


BULK_ACTIONS = [UnpublishBulkAction, MoveBulkAction, DeleteBulkAction]
