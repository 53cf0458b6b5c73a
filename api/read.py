"""Reading through the API: the works a person may see (the dashboard's filters), one work,
their classes and a class's works, galleries, and a guardian's children's works. Every answer
comes from the selectors the site's views use; anything the person may not see is a 404."""

from django.http import Http404
from ninja import Router

from accounts.permissions import is_guardian
from classrooms.selectors import classroom_get, classroom_list
from core.pages import public_q
from galleries.models import GalleryPage
from galleries.selectors import gallery_sections
from media_library import selectors
from media_library.cards import for_cards
from media_library.forms import MediaFilterForm
from media_library.guardians import children_work_list

from .data import absolute, paginated, work_data
from .schemas import Child, ClassOut, GalleryDetail, GalleryOut, Work, WorkPage

router = Router(tags=["Reading"])


@router.get("/works/", response=WorkPage, summary="Works you may see")
def works_list(
    request,
    q: str = "",
    kind: str = "",
    tag: str = "",
    page: int = 1,
    limit: int = 24,
):
    """The school's published works you may see, newest first, with the dashboard's filters
    (`q`, `kind`, `class`, `tag`). `page` and `limit` (at most 50) page through them."""
    form = MediaFilterForm(request.GET or None, user=request.user)
    pages = selectors.media_page_list(user=request.user, request=request, **form.filters())
    return paginated(request, pages)


@router.get("/works/{int:work_id}/", response=Work, summary="One work, with its files")
def work_detail(request, work_id: int):
    page = selectors.media_page_get(user=request.user, pk=work_id, request=request)
    [page] = for_cards([page], request=request)
    own = page.owner_id == request.user.pk
    return work_data(request, page, detail=True, own=own)


def _class_data(request, classroom) -> dict:
    url = classroom.page.url if classroom.page_id else None
    return {
        "id": classroom.pk,
        "name": classroom.name,
        "is_archived": classroom.is_archived,
        "url": absolute(request, url),
    }


@router.get("/classes/", response=list[ClassOut], summary="Your classes")
def classes_list(request):
    """The classes you are in or teach (every class for a school admin)."""
    return [_class_data(request, c) for c in classroom_list(user=request.user).order_by("name")]


@router.get("/classes/{int:class_id}/works/", response=WorkPage, summary="A class's works")
def class_works(request, class_id: int, page: int = 1, limit: int = 24):
    classroom = classroom_get(user=request.user, pk=class_id)
    pages = selectors.media_page_list(user=request.user, request=request, classroom=classroom)
    return paginated(request, pages)


def _galleries():
    # What class pages link (galleries.wagtail_hooks): live, and in no private section.
    return GalleryPage.objects.live().filter(public_q()).order_by("title", "pk")


@router.get("/galleries/", response=list[GalleryOut], summary="Galleries")
def galleries_list(request):
    return [{"id": g.pk, "title": g.title, "url": absolute(request, g.url)} for g in _galleries()]


@router.get("/galleries/{int:gallery_id}/", response=GalleryDetail, summary="One gallery")
def gallery_detail(request, gallery_id: int):
    """A gallery's sections, each with the works in it you may see (a work's own visibility
    still applies inside a gallery)."""
    gallery = _galleries().filter(pk=gallery_id).first()
    if gallery is None:
        raise Http404("No such gallery")
    sections = [
        {
            "type": section.type,
            "heading": section.value if section.type == "grid" else "",
            "caption": section.caption,
            "works": [work_data(request, card) for card in section.cards],
        }
        for section in gallery_sections(page=gallery, user=request.user, request=request)
        if section.type != "text"
    ]
    data = {"id": gallery.pk, "title": gallery.title, "url": absolute(request, gallery.url)}
    return {**data, "sections": sections}


@router.get("/children/", response=list[Child], summary="Your children's works (guardians)")
def children(request):
    """Each of your children with their published works; a 404 for anyone but a guardian."""
    if not is_guardian(request.user):
        raise Http404("Not a family account")
    return [
        {
            "id": entry.child.pk,
            "name": entry.child.get_full_name(),
            "works": [work_data(request, page) for page in entry.works],
        }
        for entry in children_work_list(user=request.user, request=request)
    ]
