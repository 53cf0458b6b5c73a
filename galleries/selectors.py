"""Reads for galleries: the media a teacher may put in one, and what a gallery shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.permissions import is_school_admin, is_teacher
from classrooms.models import Classroom
from media_library.cards import for_cards
from media_library.models import MediaPage
from media_library.selectors import media_page_list, pages_under


def gallery_media_choosable(*, user) -> QuerySet[MediaPage]:
    """Approved (published) media of the classes `user` teaches; of every class for a
    school admin; nothing for anyone else. Newest first."""
    pages = MediaPage.objects.live()
    if is_school_admin(user):
        pass
    elif is_teacher(user):
        paths = Classroom.objects.filter(assignments__teacher=user).values_list(
            "page__path", flat=True
        )
        pages = pages.filter(pages_under(list(paths)))
    else:
        return MediaPage.objects.none()
    return pages.select_related("owner").order_by("-first_published_at", "-pk")


def body_media_ids(raw_blocks) -> list[int]:
    """The media page ids a gallery's body refers to, in order, from its stored JSON (no
    query: the body's blocks are not turned into objects one by one)."""
    ids: list[int] = []
    for block in raw_blocks:
        value = block.get("value") or {}
        if block.get("type") == "media":
            ids.append(value.get("item"))
        elif block.get("type") == "grid":
            ids.extend(_list_item(item) for item in value.get("items") or [])
    return [int(pk) for pk in ids if pk not in (None, "")]


def _list_item(item):
    # ListBlock stores {"type": "item", "value": pk, "id": ...}; older data a bare pk.
    return item.get("value") if isinstance(item, dict) else item


@dataclass
class Section:
    type: str  # "media", "grid" or "text"
    value: object = None  # rich text (text), heading (grid)
    caption: str = ""
    columns: int = 3
    cards: list = field(default_factory=list)


def gallery_sections(*, page, user, request=None) -> list[Section]:
    """A gallery's body, ready to show: each media block with the work it names, if the
    visitor may see it (the work's own visibility still applies inside a gallery); all
    works fetched in a fixed number of queries, however many the gallery holds."""
    raw = list(page.body.raw_data)
    ids = body_media_ids(raw)
    visible = media_page_list(user=user, request=request) if ids else MediaPage.objects.none()
    found = {p.pk: p for p in for_cards(visible.filter(pk__in=ids), request=request)}
    sections = []
    for block in raw:
        value = block.get("value")
        if block.get("type") == "text":
            sections.append(Section("text", value=value))
        elif block.get("type") == "media":
            card = found.get(_int(value.get("item")))
            if card is not None:
                sections.append(Section("media", caption=value.get("caption", ""), cards=[card]))
        elif block.get("type") == "grid":
            cards = [
                found[pk]
                for pk in map(_int, map(_list_item, value.get("items") or []))
                if pk in found
            ]
            if cards:
                sections.append(
                    Section(
                        "grid",
                        value=value.get("heading", ""),
                        columns=int(value.get("columns") or 3),
                        cards=cards,
                    )
                )
    return sections


def _int(pk):
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None
