"""The shapes of the API's answers, for its OpenAPI schema (/api/v1/openapi.json) and docs."""

from datetime import datetime

from ninja import Schema


class Errors(Schema):
    errors: dict[str, list[str]]


class Source(Schema):
    url: str | None
    type: str


class Files(Schema):
    file: str | None
    renditions: dict[str, str | None]
    poster: str | None
    sources: list[Source] | None = None


class Status(Schema):
    code: str  # draft, awaiting_approval, changes_requested, published
    label: str
    comment: str  # the teacher's, when changes are requested


class Work(Schema):
    id: int
    title: str
    kind: str
    visibility: str
    description: str
    class_title: str
    owner: str
    published_at: datetime | None
    url: str | None
    files: Files
    tags: list[str] | None = None
    status: Status | None = None


class WorkPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[Work]


class Uploaded(Schema):
    message: str
    work: Work


class ClassOut(Schema):
    id: int
    name: str
    is_archived: bool
    url: str | None


class GalleryOut(Schema):
    id: int
    title: str
    url: str | None


class Section(Schema):
    type: str
    heading: str
    caption: str
    works: list[Work]


class GalleryDetail(GalleryOut):
    sections: list[Section]


class Child(Schema):
    id: int
    name: str
    works: list[Work]


class ReviewItem(Schema):
    id: int
    submitted_by: str
    changes_published_work: bool
    work: Work


class Decided(Schema):
    message: str
    notice: str | None = None


class Endpoint(Schema):
    method: str
    path: str
    scope: str
    description: str


class Index(Schema):
    version: str
    user: str
    scope: str
    docs: str
    schema_url: str
    endpoints: list[Endpoint]
