"""Reads of the media library: what a person may see, and their own work with its status.

Visibility (MediaPage.visibility), enforced here for every list and every detail:
- public: everyone, unless the school has switched public sharing off (then: as school);
- school: anyone signed in to this school (users are per school, so a session here is
  membership);
- class: the class's students and teachers, and school admins;
- private: the owner, the class's teachers, and school admins;
- a guardian (families) sees what a visitor sees, and their own children's live work
  whatever its visibility.
Owners always see their own work; only live (published) pages are shown to anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, lookups
from django.db.models.functions import Length, Substr
from django.http import Http404
from wagtail.models import Page, Revision, TaskState, WorkflowState
from wagtail.permissions import policy_registry

from accounts.permissions import is_guardian, is_school_admin, is_teacher
from classrooms.models import Classroom, ClassTeachersTask
from classrooms.selectors import classroom_list
from families.selectors import guardian_children_ids

from .models import (
    MediaPage,
    SchoolDocument,
    SchoolImage,
    SchoolMedia,
    SchoolRendition,
    Visibility,
    asset_models,
)
from .sharing import public_sharing_allowed  # noqa: F401 (the listings' switch)
from .status import STATUS_LABELS, MediaStatus, media_page_status, media_status  # noqa: F401


def pages_under(page_paths) -> Q:
    """Pages below any of these pages (a media page's parent is its class page)."""
    q = Q(pk__in=[])
    for path in page_paths:
        q |= Q(path__startswith=path)
    return q


def pages_under_classes(classes: QuerySet[Classroom]) -> Q:
    """pages_under the classes' pages, as a subquery of the same query (no query first)."""
    return Q(Exists(classes.filter(lookups.StartsWith(OuterRef("path"), F("page__path")))))


def media_page_visible_q(user, *, allow_public: bool = True) -> Q:
    """A filter for the pages `user` may see (visibility rules in the module docstring)."""
    public = Q(visibility=Visibility.PUBLIC) if allow_public else Q(pk__in=[])
    if not user.is_authenticated:
        return Q(live=True) & public
    if is_school_admin(user):
        return Q(live=True) | Q(owner=user)
    if is_guardian(user):
        return Q(live=True) & (public | Q(owner__in=guardian_children_ids(user)))
    enrolled = pages_under_classes(Classroom.objects.filter(enrolments__student=user))
    taught = pages_under_classes(Classroom.objects.filter(assignments__teacher=user))
    visible = (
        Q(visibility__in=[Visibility.PUBLIC, Visibility.SCHOOL])
        | (Q(visibility=Visibility.CLASS) & enrolled)
        | (Q(visibility__in=[Visibility.CLASS, Visibility.PRIVATE]) & taught)
    )
    return (Q(live=True) & visible) | Q(owner=user)


def media_page_list(
    *,
    user,
    request=None,
    kind: str | None = None,
    classroom: Classroom | None = None,
    tag: str | None = None,
    query: str | None = None,
) -> QuerySet[MediaPage]:
    """The school's published media `user` may see, newest first, ready to list (assets,
    owners, tags and image renditions fetched with a fixed number of queries)."""
    allow_public = public_sharing_allowed(request)
    pages = MediaPage.objects.filter(media_page_visible_q(user, allow_public=allow_public))
    pages = pages.filter(live=True)
    if kind:
        pages = pages.filter(kind=kind)
    if classroom is not None:
        pages = pages.descendant_of(classroom.page)
    if tag:
        pages = pages.filter(tags__name=tag)
    if query:
        pages = pages.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(tags__name__iexact=query)
        )
    # Each page once, by id rather than DISTINCT (the tag filters' joins can repeat a page):
    # a listing's page of cards then counts the whole list in its own query
    # (cards.paginate_cards, a window count, which DISTINCT would count before removing).
    # Without them no join repeats a page, and the list is the filtered pages themselves
    # (a smaller query, which PostgreSQL plans in less time).
    listed = MediaPage.objects.filter(pk__in=pages.values("pk")) if tag or query else pages
    return _for_listing(listed).order_by("-first_published_at", "-pk")


def parent_title() -> Subquery:
    """The title of the page's parent, as a subquery (a media page's parent is its class's
    page), so a listing gets its class titles without a query of their own."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    return Subquery(Page.objects.filter(path=parent_path).values("title")[:1])


def _for_listing(pages: QuerySet[MediaPage], *, tags: bool = False) -> QuerySet[MediaPage]:
    """Assets, owners, image renditions and the class's title (cards.for_cards) in the same
    fixed number of queries for any number of pages; tags only where they are shown."""
    pages = (
        pages.select_related("image", "document", "media", "owner")
        .prefetch_related(Prefetch("image__renditions", queryset=SchoolRendition.objects.all()))
        .annotate(class_title=parent_title())
    )
    return pages.prefetch_related("tags") if tags else pages


def media_page_classroom(page: MediaPage) -> Classroom:
    """The class a submission belongs to: the one whose page is its parent."""
    return Classroom.objects.get(page__path=page.path[: -Page.steplen])


def media_page_get(*, user, pk, request=None) -> MediaPage:
    """A page `user` may see, or 404 (never a 403 that confirms it exists)."""
    allow_public = public_sharing_allowed(request)
    pages = MediaPage.objects.filter(media_page_visible_q(user, allow_public=allow_public))
    try:
        return _for_listing(pages, tags=True).get(pk=pk)
    except (MediaPage.DoesNotExist, ValueError):
        raise Http404("No such media") from None


def media_page_list_own(*, user) -> QuerySet[MediaPage]:
    """A person's own submissions, drafts included, newest first, with workflow states."""
    # Wagtail's prefetch_workflow_states() looks states up by the base (Page) content type,
    # which a MediaPage queryset does not match: use the specific relation.
    states = Prefetch(
        "_specific_workflow_states",
        queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
        to_attr="_current_workflow_states",
    )
    return (
        _for_listing(MediaPage.objects.filter(owner=user))
        .prefetch_related(states)
        .order_by("-latest_revision_created_at", "-pk")
    )


def stored_file_asset(*, user, name: str, request=None):
    """The asset (or rendition) stored under `name` in this school, if `user` may see it
    (asset_visible); None otherwise (the caller answers 404)."""
    image = SchoolImage.objects.filter(file=name).first()
    if image is None:
        rendition = SchoolRendition.objects.select_related("image").filter(file=name).first()
        image = rendition.image if rendition else None
    asset = (
        image
        or SchoolDocument.objects.filter(file=name).first()
        or SchoolMedia.objects.filter(Q(file=name) | Q(thumbnail=name)).first()
    )
    if asset is None or not asset_visible(user=user, asset=asset, request=request):
        return None
    return asset


def asset_visible(*, user, asset, request=None) -> bool:
    """Whether `user` may have an asset's file: a media page using it is visible to them,
    they uploaded it, or they manage its collection in the Wagtail admin. What stored files
    and /documents/<id>/<name> answer (404 to anyone else)."""
    if user.is_authenticated and asset.uploaded_by_user_id == user.pk:
        return True
    field = {model: name for name, model in asset_models().items()}[type(asset)]
    allow_public = public_sharing_allowed(request)
    if MediaPage.objects.filter(
        media_page_visible_q(user, allow_public=allow_public), **{field: asset}
    ).exists():
        return True
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        policy = policy_registry.get_by_type(type(asset))
        if policy.user_has_any_permission_for_instance(user, ["change", "choose", "delete"], asset):
            return True
    return False


def assets_shown_publicly(pages, *, request=None) -> set[tuple[str, int]]:
    """Of the assets `pages` show, those that live public work shows, in a school that shares
    publicly: as (field, pk). Their files may have permanent links, which the CDN caches;
    every other file's link expires (media_library.delivery). What counts is each page as
    stored (its row is the published version), read again in one query: a page built from a
    revision (the review's drafts) shows what is not approved yet, whatever it says."""
    pages = [page for page in pages if page.pk is not None]
    if not pages or not public_sharing_allowed(request):
        return set()
    fields = [f"{field}_id" for field in asset_models()]
    published = MediaPage.objects.filter(
        pk__in=[page.pk for page in pages], live=True, visibility=Visibility.PUBLIC
    ).values_list("pk", *fields)
    shown = {
        (row[0], field, asset_id)
        for row in published
        for field, asset_id in zip(asset_models(), row[1:], strict=True)
        if asset_id
    }
    return {
        (field, getattr(page, f"{field}_id"))
        for page in pages
        for field in asset_models()
        if (page.pk, field, getattr(page, f"{field}_id")) in shown
    }


# --- Review: what awaits a teacher's decision --------------------------------------------------
@dataclass
class ReviewItem:
    """A submission awaiting review: the page as submitted (its latest revision, which is
    what the decision applies to), the task state, and whether published work is changing."""

    page: MediaPage  # the submitted version (a draft built from the latest revision)
    task_state: object
    submitted_by: object
    changes_published_work: bool


def _reviewable_task_states(*, user, classroom: Classroom | None = None):
    if not (is_school_admin(user) or is_teacher(user)):
        return TaskState.objects.none()
    classes = classroom_list(user=user)
    if classroom is not None:
        classes = classes.filter(pk=classroom.pk)
    tasks = ClassTeachersTask.objects.filter(classroom__in=classes)
    return TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__in=tasks,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        workflow_state__content_type=ContentType.objects.get_for_model(MediaPage),
    )


def review_count(*, user) -> int:
    """How many submissions await `user`'s review (for the menu's badge)."""
    if not user.is_authenticated:
        return 0
    return _reviewable_task_states(user=user).count()


def review_list(*, user, classroom: Classroom | None = None) -> list[ReviewItem]:
    """Submissions awaiting `user`'s review, oldest first: in the classes they teach, or in
    every class for a school admin. Each shows what was submitted (the latest revision)."""
    states = list(
        _reviewable_task_states(user=user, classroom=classroom)
        .select_related("revision", "workflow_state__requested_by")
        .order_by("started_at", "pk")
    )
    pages = MediaPage.objects.select_related("latest_revision").in_bulk(
        [int(s.workflow_state.object_id) for s in states]
    )
    drafts = [_submitted_version(pages[int(s.workflow_state.object_id)], s) for s in states]
    _assets_attach(drafts)
    items = []
    for state, draft in zip(states, drafts, strict=True):
        live = pages[int(state.workflow_state.object_id)]
        items.append(
            ReviewItem(
                page=draft,
                task_state=state,
                submitted_by=state.workflow_state.requested_by,
                changes_published_work=live.live,
            )
        )
    return items


def review_get(*, user, pk) -> ReviewItem:
    """One submission awaiting `user`'s review, or 404: work of a class they do not teach
    is not theirs to see, whether it awaits review or not."""
    try:
        page = MediaPage.objects.select_related("latest_revision").get(pk=int(pk))
    except (MediaPage.DoesNotExist, ValueError):
        raise Http404("No such submission") from None
    state = (
        _reviewable_task_states(user=user)
        .select_related("revision", "workflow_state__requested_by")
        .filter(workflow_state__object_id=str(page.pk))
        .first()
    )
    if state is None:
        raise Http404("Nothing of yours to review here")
    draft = _submitted_version(page, state)
    _assets_attach([draft])
    return ReviewItem(
        page=draft,
        task_state=state,
        submitted_by=state.workflow_state.requested_by,
        changes_published_work=page.live,
    )


def _submitted_version(page: MediaPage, task_state) -> MediaPage:
    """The page as the student last saved it (the latest revision is what is reviewed), for
    showing only: built from the revision's data alone, where Wagtail's as_object() would
    also fetch the parent, the locale and the comments of each page."""
    revision = page.latest_revision if page.latest_revision_id else task_state.revision
    if revision is None:
        return page
    draft = MediaPage.from_serializable_data(revision.content, check_fks=False)
    draft.pk = draft.id = page.pk
    draft.path, draft.depth, draft.live = page.path, page.depth, page.live
    return draft


def _assets_attach(drafts: list[MediaPage]) -> None:
    """The drafts' images, documents and media in one query each, not one per draft."""
    for field, model in asset_models().items():
        ids = {getattr(d, f"{field}_id") for d in drafts} - {None}
        if not ids:
            continue
        queryset = model.objects.filter(pk__in=ids)
        if field == "image":
            queryset = queryset.prefetch_related("renditions")
        found = queryset.in_bulk()
        for draft in drafts:
            asset_id = getattr(draft, f"{field}_id")
            if asset_id is not None:
                setattr(draft, field, found.get(asset_id))


def media_page_assets(*, page: MediaPage) -> list:
    """A submission's assets: the one it shows and any of its revisions refer to (a replaced
    file awaiting approval, earlier versions), except those another page still uses. What
    deleting, moving, exporting or erasing the page must take along."""
    ids: dict[str, set] = {field: set() for field in asset_models()}
    for field in ids:
        if getattr(page, f"{field}_id"):
            ids[field].add(getattr(page, f"{field}_id"))
    for content in Revision.objects.for_instance(page).values_list("content", flat=True):
        for field in ids:
            if content.get(field):
                ids[field].add(content[field])
    assets = []
    for field, model in asset_models().items():
        if not ids[field]:
            continue
        used = MediaPage.objects.exclude(pk=page.pk).filter(**{f"{field}_id__in": ids[field]})
        keep = set(used.values_list(f"{field}_id", flat=True))
        assets += list(model.objects.filter(pk__in=ids[field] - keep))
    return assets
