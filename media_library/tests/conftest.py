"""Fixtures for the media library's tests: the real Cloudinary SDK against a fake API on
loopback (see media_library/testing/fake_cloudinary.py), so nothing reaches cloudinary.com."""

from collections.abc import Iterator

import pytest

from media_library.testing.fake_cloudinary import FakeCloudinary, sdk_configured_for


@pytest.fixture(scope="session")
def fake_cloudinary_server() -> Iterator[FakeCloudinary]:
    """One server for the session: starting it is cheap, but a port per test is not needed."""
    with FakeCloudinary() as server:
        yield server


@pytest.fixture
def fake_cloudinary(fake_cloudinary_server: FakeCloudinary, settings) -> Iterator[FakeCloudinary]:
    """The fake, emptied, with the SDK and `settings.CLOUDINARY_URL` pointing at it (a
    developer's own CLOUDINARY_URL in .env must never reach a test); both are restored after."""
    fake_cloudinary_server.reset()
    settings.CLOUDINARY_URL = fake_cloudinary_server.cloudinary_url
    with sdk_configured_for(fake_cloudinary_server) as server:
        yield server
    fake_cloudinary_server.reset()


@pytest.fixture
def cloudinary_token_auth(fake_cloudinary: FakeCloudinary, settings) -> FakeCloudinary:
    """The fake with token-based authentication on: expiring links are delivery URLs with a
    token (signed with the account's key) that the fake checks."""
    settings.CLOUDINARY_AUTH_TOKEN_KEY = fake_cloudinary.auth_token_key
    return fake_cloudinary


@pytest.fixture
def title():
    """A title no other run uses, for a browser test's work. The live server commits what it
    writes, so whatever is left under this title (works, their files, galleries, direct
    uploads) is deleted afterwards, committed, on a thread's own connection."""
    import uuid

    from django_tenants.utils import schema_context

    from conftest import run_committed
    from galleries.models import GalleryPage
    from media_library.models import DirectUpload, MediaPage, SchoolImage, SchoolMedia

    title = f"Work {uuid.uuid4().hex[:8]}"
    yield title

    def delete():
        with schema_context("greenwood"):
            GalleryPage.objects.filter(title__startswith=title).delete()
            for page in MediaPage.objects.filter(title__startswith=title):
                page.delete()
            for model in (SchoolImage, SchoolMedia, DirectUpload):
                model.objects.filter(title__startswith=title).delete()

    run_committed(delete)
