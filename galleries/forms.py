from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .selectors import gallery_media_choosable

ERROR_NOT_CHOOSABLE = _(
    "“{title}” cannot go in this gallery: choose approved work of the classes you teach."
)


class GalleryPageForm(WagtailAdminPageForm):
    """The chooser offers only what the editor may use; this holds the same rule for what is
    posted, whatever the browser sends (a hand-made request, or work unpublished since)."""

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if body is None or self.for_user is None:
            return cleaned
        chosen = {}
        for block in body:
            if block.block_type == "media" and block.value["item"] is not None:
                chosen[block.value["item"].pk] = block.value["item"]
            elif block.block_type == "grid":
                chosen.update({item.pk: item for item in block.value["items"] if item is not None})
        allowed = set(
            gallery_media_choosable(user=self.for_user)
            .filter(pk__in=list(chosen))
            .values_list("pk", flat=True)
        )
        refused = [item for pk, item in chosen.items() if pk not in allowed]
        if refused:
            self.add_error(
                "body",
                ValidationError([ERROR_NOT_CHOOSABLE.format(title=i.title) for i in refused]),
            )
        return cleaned
