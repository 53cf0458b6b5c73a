"""Uploads held to their size limit while they arrive, for every form that takes a file: the
students' upload and edit pages and the Wagtail admin's image, document and media forms
(settings.FILE_UPLOAD_HANDLERS lists this handler alone).

Django writes an upload to a temporary file as its body arrives, and the forms see it only
once all of it is on disk: a 5 GB body would cost 5 GB of disk before the size check said
no. Here the file's first bytes pick its limit (validation.kind_from_head: a photo's, a PDF's;
the ceiling, the largest of MEDIA_MAX_*_MB, while its kind is not known), and the moment the
file passes it, the partial temporary file is deleted and the rest of the file is only
counted as it goes by, never stored. The form then finds a validation.RefusedUpload where the
file was, and shows its error: the usual "too big" message, with the file's whole size and
the limit.

The rest of the body is still read (and dropped), so that the browser gets the answer with
the message rather than a broken connection. A body far larger than any upload should be
stopped before it reaches the app, by the proxy in front of it (nginx's client_max_body_size).
"""

from __future__ import annotations

from django.core.files.uploadhandler import StopFutureHandlers, TemporaryFileUploadHandler

from .validation import RefusedUpload, kind_from_head, size_limit, too_large

# Enough of a file's start for kind_from_head (a HEIC's "ftyp" box lists its brands).
KIND_HEAD_BYTES = 4096


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """A temporary file per upload, as Django's own handler, but never past the limit."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.head = b""
        self.kind: str | None = None
        self.limit = size_limit(None)
        self.stored = 0  # bytes written to the temporary file
        self.refused = False
        raise StopFutureHandlers()  # this handler keeps every file: no other one sees it

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.refused:
            return None  # past the limit: counted by Django (file_complete's size), dropped
        if len(self.head) < KIND_HEAD_BYTES:
            self.head += raw_data[: KIND_HEAD_BYTES - len(self.head)]
            if len(self.head) >= KIND_HEAD_BYTES:
                self.kind = kind_from_head(self.head)
                self.limit = size_limit(self.kind)
        if self.stored + len(raw_data) > self.limit:
            self.refused = True
            self.file.close()  # a NamedTemporaryFile: closing it deletes it
            return None
        self.file.write(raw_data)
        self.stored += len(raw_data)
        return None

    def file_complete(self, file_size: int):
        if not self.refused:
            return super().file_complete(file_size)
        return RefusedUpload(
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            error=too_large(self.kind, file_size),
        )
