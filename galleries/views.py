"""The Wagtail admin's chooser of media for galleries: only approved work of the classes the
teacher teaches (every class for a school admin), searchable, with each work's class and
student, so a teacher picks from their own students' published work and nothing else."""

from django.http import Http404
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from media_library.cards import for_cards

from .selectors import gallery_media_choosable


class _ChoosableOnly:
    def get_object_list(self):
        return gallery_media_choosable(user=self.request.user)


class _Columns:
    @property
    def columns(self):
        return super().columns + [
            Column("class_title", label="Class", accessor="class_title"),
            Column("student", label="Student", accessor=lambda p: p.owner_public_name),
            Column("kind", label="Kind", accessor="get_kind_display"),
        ]

    def get_results_page(self, request):
        results = super().get_results_page(request)
        results.object_list = for_cards(results.object_list, request=request)
        return results


class MediaChooseView(_Columns, _ChoosableOnly, ChooseView):
    pass


class MediaChooseResultsView(_Columns, _ChoosableOnly, ChooseResultsView):
    pass


class MediaChosenView(ChosenView):
    def get_object(self, pk):
        try:
            return gallery_media_choosable(user=self.request.user).get(pk=pk)
        except ValueError:
            raise Http404("No such media") from None

    def get_display_title(self, instance):
        return f"{instance.title} ({instance.owner_public_name})"


class MediaChooserViewSet(ChooserViewSet):
    model = "media_library.MediaPage"
    icon = "image"
    choose_one_text = "Choose work"
    choose_another_text = "Choose other work"
    edit_item_text = "Edit this work"
    page_title = "Choose students' work"
    per_page = 20
    choose_view_class = MediaChooseView
    choose_results_view_class = MediaChooseResultsView
    chosen_view_class = MediaChosenView
    # Only the gallery blocks use it: not the widget of every MediaPage foreign key.
    register_widget = False


media_chooser_viewset = MediaChooserViewSet("media_chooser", url_prefix="galleries/choose-media")
