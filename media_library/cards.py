"""Media cards: what the listings (dashboard, My media, a class page) and the detail page
need beyond the page itself, fetched once for a whole page of cards."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.utils.safestring import mark_safe
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from families.consent import consent_states
from families.models import Purpose

from .models import asset_models
from .selectors import assets_shown_publicly

PER_PAGE = 24


def for_cards(pages, *, request=None) -> list:
    """Each page with its class's title and its video's poster, in at most one query for
    all of them (a media page's parent is its class page); its files' links are permanent
    only if public work shows them (selectors.assets_shown_publicly), else they expire."""
    pages = list(pages)
    public = assets_shown_publicly(pages, request=request)
    # Whose full name may be shown (owner_public_name), for all the authors in one query.
    states = consent_states({p.owner_id for p in pages if p.owner_id is not None})
    # Listings' querysets bring the title along (selectors._for_listing); others need a query.
    parent_paths = {
        p.path[: -Page.steplen] for p in pages if getattr(p, "class_title", None) is None
    }
    titles = (
        dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
        if parent_paths
        else {}
    )
    for page in pages:
        if getattr(page, "class_title", None) is None:
            page.class_title = titles.get(page.path[: -Page.steplen], "")
        for field in asset_models():
            asset = getattr(page, field)
            if asset is not None:
                asset.publicly_shown = (field, asset.pk) in public
        page.poster_url = page.media.poster_url if page.media is not None else None
        state = states.get(page.owner_id)
        page.full_name_consented = bool(state and state[Purpose.FULL_NAME])
        # The card asks for item.status four times; only the owner's listings set it. A
        # missing attribute sends Django's template lookup through dir() of the whole page
        # object each time (~0.1 ms): None says "no status" at once.
        page.status = getattr(page, "status", None)
    return pages


# Past this page number the offset could overflow PostgreSQL's bigint (`?page=9999...`):
# Django's way then, which counts and answers the last page.
WINDOW_PAGE_MAX = 1_000_000


class WindowCountPaginator(Paginator):
    """Django's Paginator, but a page of a queryset counts the whole list in the same query
    (COUNT(*) OVER ()) instead of a COUNT query first. A page past the end, or of an empty
    list, falls back to Django's way (count, then the last page), as does a DISTINCT queryset
    (the window would count before DISTINCT removes rows)."""

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        query = getattr(self.object_list, "query", None)
        # Below 1, Django's get_page answers the last page: its way, as for DISTINCT.
        if (
            query is not None
            and not query.distinct
            and 1 <= number <= WINDOW_PAGE_MAX
            and "count" not in self.__dict__
        ):
            bottom = (number - 1) * self.per_page
            rows = list(
                self.object_list.annotate(_list_total=Window(Count("pk")))[
                    bottom : bottom + self.per_page
                ]
            )
            if rows:
                self.__dict__["count"] = rows[0]._list_total  # the cached_property's value
                if number <= self.num_pages:
                    return self._get_page(rows, number, self)
        return super().get_page(number)


def paginate_cards(request, pages):
    page_obj = WindowCountPaginator(pages, PER_PAGE).get_page(request.GET.get("page"))
    page_obj.object_list = for_cards(page_obj.object_list, request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return page_obj, query.urlencode()


# Between the text blocks while their links are expanded together: a comment, which Wagtail's
# rewriter leaves alone, and which no stored rich text holds (the editor keeps no comments).
_BLOCK_BREAK = "<!--mediahub:block-break-->"


def body_blocks(page) -> list:
    """A media page's body blocks, each text block with its HTML already expanded: Wagtail
    expands the page links of each rich text on its own (2 queries per block), so all the
    text blocks are expanded as one string (2 queries for the whole body) and cut apart.
    Other blocks come back as they are, for {% include_block %}."""
    blocks = list(page.body)
    texts = [block.value.source for block in blocks if block.block_type == "text"]
    if not texts or any(_BLOCK_BREAK in text for text in texts):
        return [(block, None) for block in blocks]
    # Safe as {% include_block %}'s output is: Wagtail's expansion of the stored rich text.
    html = mark_safe(expand_db_html(_BLOCK_BREAK.join(texts)))  # noqa: S308
    expanded = iter(html.split(_BLOCK_BREAK))
    return [
        (block, mark_safe(next(expanded)) if block.block_type == "text" else None)  # noqa: S308
        for block in blocks
    ]
