"""The Wagtail admin's upload forms, held to the same rules as the students' upload page:
the type decided from the bytes, the size limits, and no location data in stored photos.
(Wagtail's own checks look at the file's extension and let a photo's GPS through.)"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtailmedia.forms import BaseMediaForm

from .metadata import photo_strip_location
from .validation import KIND_NOUNS, upload_inspect

ERROR_WRONG_KIND = "This is {a_kind}, not {expected}. Upload it where {kind_plural} go."


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0].lower() in "aeiou" else f"a {noun}"


class CheckedUploadMixin:
    allowed_kinds: tuple[str, ...] = ()

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file or not hasattr(file, "content_type"):  # no new upload on this edit
            return file
        info = upload_inspect(file)
        if info.kind not in self.allowed_kinds:
            expected = " or ".join(_a(KIND_NOUNS[kind][0]) for kind in self.allowed_kinds)
            singular, plural = KIND_NOUNS[info.kind]
            raise ValidationError(
                ERROR_WRONG_KIND.format(a_kind=_a(singular), expected=expected, kind_plural=plural)
            )
        if info.kind != "image":
            file.seek(0)
            return file
        stripped = photo_strip_location(file)
        cleaned = SimpleUploadedFile(file.name, stripped.read(), content_type=info.mime_type)
        # Wagtail's image field attaches the decoded image for its own use; keep it.
        if hasattr(file, "image"):
            cleaned.image = file.image
        return cleaned


class SchoolImageForm(CheckedUploadMixin, BaseImageForm):
    allowed_kinds = ("image",)


class SchoolDocumentForm(CheckedUploadMixin, BaseDocumentForm):
    allowed_kinds = ("document",)


class SchoolMediaForm(CheckedUploadMixin, BaseMediaForm):
    allowed_kinds = ("video", "audio")
