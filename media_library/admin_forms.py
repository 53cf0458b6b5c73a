"""The Wagtail admin's upload forms, held to the same rules as the students' upload page:
the type decided from the bytes, the size limits, and no location data in stored photos,
videos and recordings. (Wagtail's own checks look at the file's extension and let a photo's
GPS through.) A video's or recording's thumbnail (wagtailmedia's `thumbnail`) is a photo like
any other.

Every new file is checked before Wagtail's own fields see it, so a refused one is refused
with our message (what the file is, what to upload instead), and the fields see only the
checked file: a photo, video or recording without its location."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtailmedia.forms import BaseMediaForm

from .metadata import photo_strip_location
from .services import media_describe_enqueue, media_file_strip
from .validation import KIND_NOUNS, upload_inspect

ERROR_WRONG_KIND = "This is {a_kind}, not {expected}. Upload it where {kind_plural} go."


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0].lower() in "aeiou" else f"a {noun}"


def checked_upload(file, *, allowed_kinds: tuple[str, ...], canonical_name: bool = False):
    """The upload `file` once checked: for a video or recording, the same upload with its
    tags removed (services.media_file_strip); for a photo a copy without its location (its
    name given the extension of what it is, if `canonical_name`); a PDF as it was. Raises
    ValidationError for a file refused, or of another kind than `allowed_kinds`."""
    info = upload_inspect(file)
    if info.kind not in allowed_kinds:
        expected = " or ".join(_a(KIND_NOUNS[kind][0]) for kind in allowed_kinds)
        singular, plural = KIND_NOUNS[info.kind]
        raise ValidationError(
            ERROR_WRONG_KIND.format(a_kind=_a(singular), expected=expected, kind_plural=plural)
        )
    if info.kind != "image":
        media_file_strip(file=file, info=info)
        file.seek(0)
        return file
    stripped = photo_strip_location(file)
    name = file.name
    if canonical_name:
        name = f"{PurePath(file.name).stem or 'photo'}.{info.extension}"
    return SimpleUploadedFile(name, stripped.read(), content_type=info.mime_type)


class CheckedUploadMixin:
    # Each file field checked, and the kinds it takes.
    checked_files: dict[str, tuple[str, ...]] = {}
    # Fields whose stored name takes the extension of what the file is ("x.jpg" holding a
    # PNG is stored as "x.png"), where nothing else compares the name with the bytes.
    canonical_names: tuple[str, ...] = ()

    def full_clean(self):
        refused = {}
        if self.is_bound and self.files:
            files = self.files.copy()
            for field, kinds in self.checked_files.items():
                if field not in self.fields:
                    continue
                key = self.add_prefix(field)
                upload = files.get(key)
                if upload is None or not hasattr(upload, "content_type"):  # no new upload
                    continue
                try:
                    files[key] = checked_upload(
                        upload, allowed_kinds=kinds, canonical_name=field in self.canonical_names
                    )
                except ValidationError as error:
                    refused[field] = error
                    del files[key]
            self.files = files
        super().full_clean()
        for field, error in refused.items():
            # In place of what the field said of its missing file ("This field is required").
            self._errors.pop(field, None)
            self.add_error(field, error)


class SchoolImageForm(CheckedUploadMixin, BaseImageForm):
    checked_files = {"file": ("image",)}


class SchoolDocumentForm(CheckedUploadMixin, BaseDocumentForm):
    checked_files = {"file": ("document",)}


class SchoolMediaForm(CheckedUploadMixin, BaseMediaForm):
    checked_files = {"file": ("video", "audio"), "thumbnail": ("image",)}
    canonical_names = ("thumbnail",)

    def save(self, commit=True):
        media = super().save(commit=commit)
        if commit and "file" in self.changed_data:
            # Its poster (unless one was uploaded here) and duration, on the worker.
            media_describe_enqueue(asset=media)
        return media
