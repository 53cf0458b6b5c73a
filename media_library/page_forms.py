"""The Wagtail admin's form of a media page: a new page is held to MediaPage's rule on its
files (media_page_assets_check) before it is in the page tree, where the model's own clean()
takes over. Its visibility offers only what the owner's consents allow (the model refuses
the rest anyway). Set as MediaPage.base_form_class in media_library.apps."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from .consent_rules import VISIBILITY_HELP_NO_CONSENT, visibilities_allowed
from .models import media_page_assets_check


class MediaPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only what the owner's family consented to (MediaPage.clean refuses the rest).
        field = self.fields.get("visibility")
        owner = self.instance.owner if self.instance.owner_id else None
        if field is not None and owner is not None:
            allowed = visibilities_allowed(owner)
            if len(allowed) < len(field.choices):
                field.choices = [c for c in field.choices if c[0] in allowed]
                field.help_text = VISIBILITY_HELP_NO_CONSENT

    def _post_clean(self):
        super()._post_clean()
        page = self.instance
        if page.path or self.parent_page is None:
            return  # in the tree: MediaPage.clean() checked it, with the form's data
        if page.owner_id is None and self.for_user is not None:
            page.owner = self.for_user  # whom Wagtail's create view makes its owner
        try:
            media_page_assets_check(page, parent=self.parent_page)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
