"""What a guardian sees of their own children's work (the families app links them): each
child with their live work, whatever its visibility (selectors.media_page_visible_q holds the
rule). Their email when a child's work is published: notifications.guardians_notify."""

from __future__ import annotations

from dataclasses import dataclass

from families.selectors import guardian_children

from .cards import for_cards
from .selectors import media_page_list


@dataclass
class ChildWork:
    child: object
    works: list


def children_work_list(*, user, request=None) -> list[ChildWork]:
    """Each of `user`'s children, by name, with their live work, newest first, ready for
    cards (a fixed number of queries however many children)."""
    children = list(guardian_children(user))
    pages = media_page_list(user=user, request=request).filter(owner__in=children)
    works: dict[int, list] = {child.pk: [] for child in children}
    for page in for_cards(pages, request=request):
        works[page.owner_id].append(page)
    return [ChildWork(child=child, works=works[child.pk]) for child in children]
