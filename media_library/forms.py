"""Forms of the student front end: uploading, editing, and filtering the dashboard.

The services check what matters (the file's bytes, the class, the owner); these forms only
turn what a browser sends into their arguments, and put the services' errors next to the
fields. Every message a person can see is a constant here or in the services (the tests
assert on them), and each says what to do next.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from classrooms.selectors import classroom_list
from core.forms import BootstrapForm, PlainSelect, ServiceErrorsMixin

from . import services, validation
from .consent_rules import VISIBILITY_HELP_NO_CONSENT
from .models import Kind, MediaPage, Visibility

ERROR_TITLE_REQUIRED = services.ERROR_TITLE_REQUIRED
ERROR_EMPTY = validation.ERROR_EMPTY
ERROR_FILE_REQUIRED = _("Choose a photo, video, audio recording or PDF to upload.")
ERROR_CLASS_REQUIRED = _("Choose the class this work is for.")
ERROR_CLASS_INVALID = _("Choose one of your classes from the list.")
ERROR_VISIBILITY_INVALID = _("Choose who can see your work from the list.")
ERROR_TAG_TOO_LONG = _("Keep each tag under {limit} characters.")

FILE_ACCEPT = "image/*,video/*,audio/*,application/pdf"
CAMERA_ACCEPT = "image/*,video/*"
FILE_HELP = _("A photo, video, audio recording or PDF.")
TAGS_HELP = _("Words that help others find it, separated by commas.")
TAG_MAX_LENGTH = 100  # taggit's column
TITLE_MAX_LENGTH = 255  # Wagtail's page title
DESCRIPTION_MAX_LENGTH = 2000  # MediaPage.description


def tags_parse(text: str) -> list[str]:
    """ "Trees, Nairobi , trees" → ["Trees", "Nairobi"]: trimmed, empty and repeated ones
    dropped (ignoring case), in the order typed."""
    tags, seen = [], set()
    for tag in (part.strip() for part in text.split(",")):
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


class _MediaTextForm(ServiceErrorsMixin, BootstrapForm):
    """What an upload and an edit share: the words around the work, and who sees it."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": ERROR_TITLE_REQUIRED},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=1000, help_text=TAGS_HELP)
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.CLASS,
        error_messages={"invalid_choice": ERROR_VISIBILITY_INVALID},
    )

    def __init__(
        self,
        *args,
        allow_public: bool = True,
        current_visibility: str = "",
        consented: list[str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        choices = Visibility.choices
        # The school's switch hides "public", but work already public keeps its setting
        # until its owner changes it.
        if not allow_public and current_visibility != Visibility.PUBLIC:
            choices = [choice for choice in choices if choice[0] != Visibility.PUBLIC]
        # What the student's family consented to (media_library.consent_rules): the service
        # refuses the rest anyway; here they are not offered, and the form says why.
        if consented is not None and len(consented) < len(Visibility.values):
            choices = [choice for choice in choices if choice[0] in consented]
            self.fields["visibility"].help_text = VISIBILITY_HELP_NO_CONSENT
        self.fields["visibility"].choices = choices

    def clean_tags(self) -> list[str]:
        tags = tags_parse(self.cleaned_data["tags"])
        if any(len(tag) > TAG_MAX_LENGTH for tag in tags):
            raise forms.ValidationError(ERROR_TAG_TOO_LONG.format(limit=TAG_MAX_LENGTH))
        return tags

    def text_data(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "description", "tags", "visibility")}


def _file_field(*, required: bool) -> forms.FileField:
    return forms.FileField(
        label=_("File") if required else _("Replace the file (optional)"),
        required=required,
        help_text=FILE_HELP,
        # Django's own "empty" message would not say what to do next; validation's does.
        error_messages={"required": ERROR_FILE_REQUIRED, "empty": ERROR_EMPTY},
        widget=forms.FileInput(attrs={"accept": FILE_ACCEPT}),
    )


class MediaUploadForm(_MediaTextForm):
    """New work: the file and the class it is for, which must be one of the person's."""

    file = _file_field(required=True)
    classroom = forms.ModelChoiceField(
        label=_("Class"),
        queryset=None,
        empty_label=None,
        error_messages={"required": ERROR_CLASS_REQUIRED, "invalid_choice": ERROR_CLASS_INVALID},
    )
    field_order = ["file", "title", "description", "tags", "classroom", "visibility"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived classes take no new work (media_library.permissions.can_upload_to).
        self.fields["classroom"].queryset = classroom_list(user=user).filter(is_archived=False)

    def upload_data(self) -> dict:
        """The keyword arguments of services.media_upload, but for `uploaded_by`."""
        data = self.cleaned_data
        return {**self.text_data(), "file": data["file"], "classroom": data["classroom"]}

    def upload(self, *, uploaded_by) -> MediaPage | None:
        """The valid form's work stored through services.media_upload, or None when the
        service refused it (its reasons are then on the form's fields). OSError (the storage
        down or refusing; nothing was kept) is left to the caller: a page and the API answer it
        each their own way."""
        try:
            return services.media_upload(uploaded_by=uploaded_by, **self.upload_data())
        except ValidationError as error:
            self.add_service_errors(error)
        except PermissionDenied as error:
            self.add_error("classroom", str(error))
        return None


class DirectUploadForm(_MediaTextForm):
    """A direct upload's signing request (media_library.direct_uploads): the words and class
    of the upload form, and what the browser says of the file it is about to send (checked
    again on the stored file)."""

    classroom = MediaUploadForm.base_fields["classroom"]
    kind = forms.ChoiceField(choices=[("video", "video"), ("audio", "audio")])
    filename = forms.CharField(max_length=255)
    size = forms.IntegerField(min_value=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classroom_list(user=user).filter(is_archived=False)

    def sign_data(self) -> dict:
        """The keyword arguments of direct_uploads.direct_upload_sign, but for `user`."""
        names = ("classroom", "kind", "filename", "size")
        return {**self.text_data(), **{name: self.cleaned_data[name] for name in names}}


class MediaEditForm(_MediaTextForm):
    """Changes to one's own work; a new file is optional."""

    file = _file_field(required=False)

    @staticmethod
    def initial_for(page) -> dict:
        return {
            "title": page.title,
            "description": page.description,
            "tags": ", ".join(tag.name for tag in page.tags.all()),
            "visibility": page.visibility,
        }

    def update_data(self) -> dict:
        """The keyword arguments of services.media_update, but for `page` and `user`."""
        return {**self.text_data(), "file": self.cleaned_data["file"]}


class _ListedChoices(forms.models.ModelChoiceIterator):
    """The choices from one plain query, kept with the queryset (Django's iterator() makes a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips, on every render)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _ClassChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoices


class MediaFilterForm(BootstrapForm):
    """The dashboard's filters, from the query string. A value that does not fit (a class
    that is not the person's, a kind that does not exist) is left out, not an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Kind.choices],
        widget=PlainSelect,
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=TAG_MAX_LENGTH)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # "class" is a keyword in Python, so this field is added here rather than declared.
        self.fields["class"] = _ClassChoiceField(
            label=_("Class"),
            required=False,
            queryset=classroom_list(user=user),
            empty_label=_("All classes"),
            widget=PlainSelect(attrs={"class": "form-select"}),
        )
        self.order_fields(["q", "kind", "class", "tag"])

    def filters(self) -> dict:
        """The keyword arguments of selectors.media_page_list, but for `user` and `request`."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data keeps the fields that are valid
        data = self.cleaned_data
        return {
            "query": data.get("q") or None,
            "kind": data.get("kind") or None,
            "classroom": data.get("class"),
            "tag": data.get("tag") or None,
        }


class ReviewForm(ServiceErrorsMixin, BootstrapForm):
    """A teacher's decision: which button was pressed, and the comment (required to request
    changes; the service says so, next to the comment box)."""

    decision = forms.ChoiceField(
        choices=[
            (services.APPROVE, _("Approve")),
            (services.REQUEST_CHANGES, _("Request changes")),
        ],
        error_messages={
            "required": services.ERROR_REVIEW_DECISION,
            "invalid_choice": services.ERROR_REVIEW_DECISION,
        },
    )
    comment = forms.CharField(
        label=_("Comment for the student"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you request changes: say what to change."),
    )

    def review_data(self) -> dict:
        return {"decision": self.cleaned_data["decision"], "comment": self.cleaned_data["comment"]}
