"""The school's media: images, documents and audio/video (each filed in a class's collection
and recording who uploaded it), and MediaPage, a student's submission, which is a Wagtail
page under its class's page so that workflows, revisions, privacy and search all apply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Filter
from wagtail.models import Page
from wagtail.search import index
from wagtailmedia.models import AbstractMedia

from classrooms.models import Classroom
from families.consent import consent_allows
from families.models import Purpose

from . import av_links
from .blocks import DonateBlock
from .consent_rules import visibility_check
from .image_files import HeaderSizedImageFieldFile
from .renditions import cloudinary_transformation, jpeg_draft_source
from .storage import CloudinaryStorage


def file_url(asset, **transformation) -> str | None:
    """The link to an asset's file, with Cloudinary transformation options. Locally, the
    stored_file view's URL (which checks who may see it, every time). On Cloudinary, a
    permanent link only when `asset.publicly_shown` (a live public work shows it:
    selectors.assets_shown_publicly sets it), else one that expires (media_library.delivery);
    None when an expiring link cannot carry the transformation."""
    storage = asset.file.storage
    if not isinstance(storage, CloudinaryStorage):
        return asset.file.url
    return storage.delivery_url(asset.file.name, permanent=asset.publicly_shown, **transformation)


class SchoolImage(AbstractImage):
    """A photo or picture. `uploaded_by_user` and `collection` come from Wagtail. On
    Cloudinary, renditions are Cloudinary URLs (media_library.renditions); on local storage,
    Wagtail's own Pillow renditions."""

    publicly_shown = False  # its file's links may be permanent (file_url)

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "description",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"

    @property
    def on_cloudinary(self) -> bool:
        return isinstance(self.file.storage, CloudinaryStorage)

    def get_rendition(self, filter: Filter | str) -> AbstractRendition:
        if self.on_cloudinary:
            return self._cloudinary_rendition(filter)
        if self._get_prefetched_renditions() is not None:
            # A listing prefetched the renditions (selectors._for_listing): one found there is
            # used as it is. Wagtail's get_rendition would also write it to the renditions
            # cache again (a Redis SET per card, every time); its get_renditions doesn't.
            filter = Filter(spec=filter) if isinstance(filter, str) else filter
            filter = self.clean_filter_for_svg(filter)
            found = self.find_existing_renditions(filter).get(filter)
            if found is not None:
                return found
        return super().get_rendition(filter)

    def get_renditions(self, *filters: Filter | str) -> dict[str, AbstractRendition]:
        if not self.on_cloudinary:
            return super().get_renditions(*filters)
        renditions = (self._cloudinary_rendition(f) for f in filters)
        return {rendition.filter_spec: rendition for rendition in renditions}

    def generate_rendition_file(self, filter: Filter, *, source=None):
        """A local rendition (Cloudinary's are URLs); a big JPEG is decoded only at the size
        the rendition needs (renditions.jpeg_draft_source)."""
        if source is None:
            source = jpeg_draft_source(self, filter)
        return super().generate_rendition_file(filter, source=source)

    def _cloudinary_rendition(self, filter: Filter | str) -> SchoolRendition:
        """An unsaved rendition whose URL is a Cloudinary transformation of the original."""
        filter = Filter(spec=filter) if isinstance(filter, str) else filter
        transformation = cloudinary_transformation(self, filter)
        rendition = SchoolRendition(
            image=self,
            filter_spec=filter.spec,
            focal_point_key=filter.get_cache_key(self),
            width=transformation.width,
            height=transformation.height,
        )
        options = {"transformation": transformation.steps}
        if transformation.format:
            options["format"] = transformation.format
        # Where an expiring link can't carry a transformation, the original, which the
        # browser scales to the rendition's size.
        rendition.cloudinary_url = file_url(self, **options) or file_url(self)
        return rendition


# The field is Wagtail's (AbstractImage.file), copied into SchoolImage: only its files change.
SchoolImage._meta.get_field("file").attr_class = HeaderSizedImageFieldFile


class SchoolRendition(AbstractRendition):
    image = models.ForeignKey(SchoolImage, on_delete=models.CASCADE, related_name="renditions")
    # Set on Cloudinary renditions, which are never saved: their file is the URL.
    cloudinary_url: str | None = None

    @property
    def url(self):
        return self.cloudinary_url or super().url

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class SchoolDocument(AbstractDocument):
    """A PDF (the only document type accepted: it is checked for scripts on upload)."""

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"


class SchoolMedia(AbstractMedia):
    """A video or an audio recording (wagtailmedia)."""

    admin_form_fields = ("title", "file", "collection", "thumbnail", "tags")
    publicly_shown = False  # its file's links may be permanent (file_url)

    @property
    def url(self) -> str:
        return file_url(self)

    @property
    def poster_url(self) -> str | None:
        """The still shown before a video plays (av_links.poster_url); None for audio and a
        video without one yet."""
        return av_links.poster_url(self)

    @property
    def sources(self) -> list[av_links.Source]:
        """The video's <source>s, best first (av_links.video_sources)."""
        return av_links.video_sources(self)

    @property
    def duration_clock(self) -> str:
        return av_links.duration_clock(self.duration)

    @property
    def duration_words(self) -> str:
        return av_links.duration_words(self.duration)

    class Meta:
        verbose_name = "video or audio"
        verbose_name_plural = "videos and audio"


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone (public)")
    SCHOOL = "school", _("Members of the school")
    CLASS = "class", _("My class")
    PRIVATE = "private", _("Only me and my teachers")


class Kind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document")


class MediaPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "media_library.MediaPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class MediaPage(Page):
    """A student's submission: one image, video, audio recording or document, with a title,
    a description and tags, shown to the audience its visibility allows. Published only
    through its class's moderation workflow."""

    description = models.TextField(blank=True, max_length=2000)
    tags = ClusterTaggableManager(through=MediaPageTag, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    image = models.ForeignKey(
        SchoolImage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        SchoolDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    media = models.ForeignKey(
        SchoolMedia, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.CLASS
    )
    body = StreamField(
        [
            ("text", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])),
            ("donate", DonateBlock()),
        ],
        blank=True,
        use_json_field=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("image"), FieldPanel("document"), FieldPanel("media")],
            heading="The media",
        ),
        FieldPanel("visibility"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("visibility"),
        index.RelatedFields("tags", [index.SearchField("name", boost=5)]),
    ]

    parent_page_types = ["classrooms.ClassroomPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "media page"
        constraints = [
            # Exactly the asset its kind says, and no other.
            models.CheckConstraint(
                name="mediapage_one_asset_of_its_kind",
                condition=(
                    models.Q(
                        kind="image",
                        image__isnull=False,
                        document__isnull=True,
                        media__isnull=True,
                    )
                    | models.Q(
                        kind="document",
                        document__isnull=False,
                        image__isnull=True,
                        media__isnull=True,
                    )
                    | models.Q(
                        kind__in=["video", "audio"],
                        media__isnull=False,
                        image__isnull=True,
                        document__isnull=True,
                    )
                ),
            )
        ]

    @property
    def asset(self):
        return self.image or self.document or self.media

    def clean(self):
        """A work shows only its own file: one its owner uploaded, in its class's collection
        (checked on every save, draft or live, and every revision, so no form, admin or
        front end, can attach another class's or another student's file)."""
        super().clean()
        self._assets_check()
        # Consent, on every save and revision: no admin edit or publish can go wider.
        visibility_check(self.owner, self.visibility)

    def minimal_clean(self):
        # What Wagtail checks when a draft's own row is saved (save() of a page not live).
        super().minimal_clean()
        self._assets_check()

    def _assets_check(self) -> None:
        if self.path:  # in the tree; a page being created is checked by its form
            media_page_assets_check(self, parent=self.get_parent())

    def serve(self, request, *args, **kwargs):
        """A media page is shown at its detail URL, which applies the visibility rules; its
        place in the page tree only redirects there, and only for those who may see it (the
        before_serve_page hook in media_library.wagtail_hooks answers 404 to anyone else)."""
        return redirect("media_library:media-detail", pk=self.pk)

    def serve_preview(self, request, mode_name):
        """The Wagtail admin's preview (teachers reviewing a submission): the detail page as
        it would look, for the draft being previewed."""
        parent = self.get_parent() if self.pk else None
        self.class_title = parent.title if parent else ""
        self.poster_url = self.media.poster_url if self.media else None
        context = {"item": self, "is_owner": False, "status": None, "show_full_name": True}
        return TemplateResponse(request, "media_library/detail.html", context)

    # Set for a whole listing at once (cards.for_cards); else looked up when first needed.
    full_name_consented: bool | None = None

    @property
    def owner_public_name(self) -> str:
        """What the public sees of the author: the full name with the family's FULL_NAME
        consent (families.consent), else the first name and initial (minors)."""
        owner = self.owner
        if owner is None:
            return ""
        if self.full_name_consented is None:
            self.full_name_consented = consent_allows(owner, Purpose.FULL_NAME)
        if self.full_name_consented and owner.get_full_name():
            return owner.get_full_name()
        initial = f" {owner.last_name[:1]}." if owner.last_name else ""
        return f"{owner.first_name or owner.get_short_name()}{initial}"


ERROR_ASSET_NOT_THIS_WORKS = _(
    "Choose this work's own file: one its owner uploaded to its class. "
    "Files of other classes and other students cannot be used here."
)


def media_page_assets_check(page: MediaPage, *, parent: Page) -> None:
    """Raise a ValidationError for each asset field of `page` that holds a file which is not
    its owner's upload in the collection of its class (the class of `parent`, its page)."""
    collection_id = (
        Classroom.objects.filter(page_id=parent.pk).values_list("collection_id", flat=True).first()
    )
    errors = {}
    for field in ("image", "document", "media"):
        asset = getattr(page, field)
        if asset is None:
            continue
        if (
            collection_id is None
            or asset.collection_id != collection_id
            or asset.uploaded_by_user_id is None
            or asset.uploaded_by_user_id != page.owner_id
        ):
            errors[field] = [ERROR_ASSET_NOT_THIS_WORKS]
    if errors:
        raise ValidationError(errors)


# Which model each kind of upload is stored in, for the services.
ASSET_FIELD = {"image": "image", "document": "document", "video": "media", "audio": "media"}


def asset_models() -> dict:
    """MediaPage's asset fields and the model each holds."""
    return {"image": SchoolImage, "document": SchoolDocument, "media": SchoolMedia}


@register_setting(icon="image")
class SchoolMediaSettings(BaseSiteSetting):
    """The school's media sharing settings (Settings > Media sharing)."""

    allow_public = models.BooleanField(
        "allow public sharing",
        default=True,
        help_text="Off: nothing of this school is shown to visitors who are not signed in, "
        "whatever its visibility says.",
    )

    class Meta:
        verbose_name = "media sharing"


from .direct_upload_models import DirectUpload, DirectUploadStatus  # noqa: E402, F401 (a model of this app)
