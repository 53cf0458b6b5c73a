"""What the API answers about works: the fields of a card and the links to its files (the
same links a page shows: media_library.models.file_url, renditions, posters), and pages of
results with a `next` link."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.images.models import SourceImageIOError

from media_library.cards import WindowCountPaginator, for_cards
from media_library.models import file_url
from media_library.selectors import media_page_status

PAGE_SIZE = 24
PAGE_SIZE_MAX = 50
# The sizes the site shows: a card's picture, and the work's page (includes/media_player.html).
CARD_RENDITION = "fill-400x300"
DETAIL_RENDITIONS = ("width-400", "width-800", "width-1200")


def absolute(request, url: str | None) -> str | None:
    if not url:
        return None
    return request.build_absolute_uri(url) if url.startswith("/") else url


def _files(request, page, *, detail: bool) -> dict:
    asset = page.asset
    files = {"file": None, "renditions": {}, "poster": absolute(request, page.poster_url)}
    if asset is None:
        return files
    files["file"] = absolute(request, file_url(asset))
    if page.image is not None:
        specs = (CARD_RENDITION, *DETAIL_RENDITIONS) if detail else (CARD_RENDITION,)
        try:
            renditions = page.image.get_renditions(*specs)
        except SourceImageIOError:  # its file is missing: the pages show none either
            renditions = {}
        files["renditions"] = {spec: absolute(request, r.url) for spec, r in renditions.items()}
    if detail and page.media is not None and page.kind == "video":
        files["sources"] = [
            {"url": absolute(request, source.url), "type": source.type or ""}
            for source in page.media.sources
        ]
    return files


def work_data(request, page, *, detail: bool = False, own: bool = False) -> dict:
    """One work (a MediaPage through cards.for_cards), as the API shows it."""
    data = {
        "id": page.pk,
        "title": page.title,
        "kind": page.kind,
        "visibility": page.visibility,
        "description": page.description,
        "class_title": page.class_title,
        "owner": page.owner.get_full_name() if page.owner_id else "",
        "published_at": page.first_published_at,
        "url": absolute(request, reverse("media_library:media-detail", args=[page.pk])),
        "files": _files(request, page, detail=detail),
    }
    if detail:
        data["tags"] = [tag.name for tag in page.tags.all()]
    if own:
        status = media_page_status(page)
        data["status"] = {
            "code": status.code,
            "label": str(status.label),
            "comment": status.comment,
        }
    return data


def _page_link(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


def _limit(request) -> int:
    try:
        limit = int(request.GET.get("limit", PAGE_SIZE))
    except ValueError:
        limit = PAGE_SIZE
    return max(1, min(limit, PAGE_SIZE_MAX))


def paginated(request, queryset, **options) -> dict:
    """A page of works (`?page=`, `?limit=` up to PAGE_SIZE_MAX) with links to the next and
    previous ones; `options` go to work_data."""
    page_obj = WindowCountPaginator(queryset, _limit(request)).get_page(request.GET.get("page"))
    pages = for_cards(page_obj.object_list, request=request)
    return {
        "count": page_obj.paginator.count,
        "next": _page_link(request, page_obj.next_page_number()) if page_obj.has_next() else None,
        "previous": (
            _page_link(request, page_obj.previous_page_number())
            if page_obj.has_previous()
            else None
        ),
        "results": [work_data(request, page, **options) for page in pages],
    }
