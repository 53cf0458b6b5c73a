"""Media models: the right models are Wagtail's, a MediaPage holds exactly its asset, and
lives only under a class page."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtailmedia.models import get_media_model

from accounts.models import User
from classrooms.models import Classroom, ClassroomPage
from home.models import HomePage
from media_library.models import MediaPage, SchoolDocument, SchoolImage, SchoolMedia

pytestmark = pytest.mark.django_db


def _png() -> ContentFile:
    import io

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="tiny.png")


def test_wagtail_uses_the_school_models():
    assert get_image_model() is SchoolImage
    assert get_document_model() is SchoolDocument
    assert get_media_model() is SchoolMedia


def test_media_page_holds_exactly_the_asset_of_its_kind(greenwood):
    with schema_context(greenwood.schema_name):
        art = Classroom.objects.get(name="Art")
        amina = User.objects.get(username="amina")
        image = SchoolImage.objects.create(
            title="Tiny", file=_png(), collection=art.collection, uploaded_by_user=amina
        )
        page = MediaPage(title="My drawing", kind="image", image=image, owner=amina)
        art.page.add_child(instance=page)
        assert page.asset == image and page.visibility == "class"

        wrong = MediaPage(title="Nothing attached", kind="image", owner=amina)
        with pytest.raises(ValidationError):  # Wagtail cleans pages before saving
            art.page.add_child(instance=wrong)
        with pytest.raises(IntegrityError), transaction.atomic():  # and the database agrees
            MediaPage.objects.filter(pk=page.pk).update(kind="document")


def test_the_public_sees_first_name_and_initial_only(greenwood):
    with schema_context(greenwood.schema_name):
        amina = User.objects.get(username="amina")
        assert MediaPage(owner=amina).owner_public_name == "Amina H."


def test_media_pages_live_only_under_class_pages():
    assert MediaPage.allowed_parent_page_models() == [ClassroomPage]
    assert MediaPage not in HomePage.allowed_subpage_models()
    from galleries.models import GalleryPage

    assert ClassroomPage.allowed_subpage_models() == [MediaPage, GalleryPage]
