"""Links to files on Cloudinary (media_library.delivery), with the real SDK against the fake
Cloudinary API: the page of a work that is not public links its files (the image and its
renditions, the video and its poster, the document through /documents/) with links that work
now and are refused once expired; public work keeps permanent links; /documents/<id>/<name>
answers 404 to anyone who may not see the document. Time passes on the fake's clock
(`advance`), not in the test."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django_tenants.utils import schema_context

from classrooms.models import Classroom
from conftest import client_as, client_for, user_named
from media_library import services
from media_library.models import MediaPage, SchoolMedia
from media_library.storage import CloudinaryStorage, StoredName
from media_library.testing.fake_cloudinary import unsigned_url
from media_library.tests import av_samples, samples

pytestmark = pytest.mark.django_db

TTL = 600
# Any URL of a Cloudinary file in a page: the CDN's, or the API's (private download links),
# up to the quote or the space (srcset) after it: transformations have commas.
FILE_LINK = re.compile(
    r"""(https://res\.cloudinary\.com/[^"'\s]+|http://127\.0\.0\.1:\d+/v1_1/[^"'\s]+)"""
)


@pytest.fixture
def on_cloudinary(fake_cloudinary, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    settings.MEDIA_PRIVATE_URL_TTL_SECONDS = TTL
    return fake_cloudinary


def _work(visibility, data=None, name="a.png", *, owner="amina", classroom="Art", publish=True):
    with schema_context("greenwood"):
        page = services.media_upload(
            classroom=Classroom.objects.get(name=classroom),
            uploaded_by=user_named(owner),
            file=samples.uploaded(data or samples.png(80, 40), name),
            title=f"A {visibility} work",
            visibility=visibility,
        )
        if publish:
            page.get_latest_revision().publish()
        return MediaPage.objects.select_related("image", "document", "media").get(pk=page.pk)


def _links(page_html: str) -> set[str]:
    return {html.unescape(url) for url in FILE_LINK.findall(page_html)}


def _fetch(fake, url: str) -> requests.Response:
    return requests.get(fake.delivery_url_to_local(url), timeout=5)


def _client(greenwood, who):
    return client_as(greenwood, who) if who else client_for(greenwood)


def _page(greenwood, who, path) -> str:
    response = _client(greenwood, who).get(path)
    assert response.status_code == 200, (who, path, response.status_code)
    return response.content.decode()


def _public_id(url: str) -> str:
    """The public_id a private download link is for."""
    return parse_qs(urlsplit(url).query)["public_id"][0]


def _expiring(fake, links: set[str], data: bytes | None = None) -> None:
    """Each link delivers the file now (its bytes, when given), still after nine tenths of
    TTL (links are the same for a tenth of it), and never after TTL."""
    assert links
    for url in links:
        assert "/authenticated/s--" not in url, f"a permanent link: {url}"
        now = _fetch(fake, url)
        assert now.status_code == 200, url
        if data is not None:
            assert now.content == data
    fake.advance(TTL * 0.88)
    for url in links:
        assert _fetch(fake, url).status_code == 200, url
    fake.advance(TTL * 0.12 + 1)
    for url in links:
        assert _fetch(fake, url).status_code in (401, 403), url


# --- Work that is not public: links that expire ------------------------------------------------
@pytest.mark.parametrize("visibility", ["class", "school", "private"])
def test_an_images_links_on_its_page_expire(greenwood, on_cloudinary, visibility):
    data = samples.png(80, 40)
    item = _work(visibility, data)
    page_html = _page(greenwood, "grace", f"/work/{item.pk}/")  # her class's teacher sees every one
    links = _links(page_html)
    # Without token-based authentication, an expiring link delivers the original only:
    # every rendition is the original, which the browser scales.
    assert all("/v1_1/mediahub-test/image/download?" in url for url in links), links
    assert "expires_at=" in next(iter(links))
    _expiring(on_cloudinary, links, data)


def test_a_videos_link_on_its_page_expires_and_it_has_no_poster(greenwood, on_cloudinary):
    item = _work("class", av_samples.recording("mp4"), "clip.mp4")
    (stored,) = on_cloudinary.stored.values()  # the copy without its tags
    data = stored.data
    page_html = _page(greenwood, "brian", f"/work/{item.pk}/")
    assert "poster=" not in page_html  # a poster is a transformation: no expiring link for it
    links = _links(page_html)
    assert len(links) == 1 and "/video/download?" in next(iter(links))
    _expiring(on_cloudinary, links, data)


def test_a_documents_link_redirects_to_a_link_that_expires(greenwood, on_cloudinary):
    data = samples.pdf()
    item = _work("class", data, "essay.pdf")
    page_html = _page(greenwood, "brian", f"/work/{item.pk}/")
    assert not _links(page_html)  # the page links /documents/, which checks who asks
    document_url = item.document.url
    assert document_url.startswith("/documents/") and document_url in page_html

    response = _client(greenwood, "brian").get(document_url)
    assert response.status_code == 302
    assert "/v1_1/mediahub-test/raw/download?" in response["Location"]
    _expiring(on_cloudinary, {response["Location"]}, data)


def test_with_token_authentication_renditions_and_posters_expire_too(
    greenwood, cloudinary_token_auth, on_cloudinary
):
    image = _work("class", samples.png(800, 400))
    video = _work("class", av_samples.recording("mp4"), "clip.mp4")
    image_links = _links(_page(greenwood, "brian", f"/work/{image.pk}/"))
    video_html = _page(greenwood, "brian", f"/work/{video.pk}/")
    video_links = _links(video_html)

    # width-{400,800,1200} of an 800 px image: 400 resized by Cloudinary, and the 800 px one.
    assert len(image_links) == 2 and all("__cld_token__=" in url for url in image_links)
    assert any("/c_scale,h_200,w_400/" in url for url in image_links)
    poster = html.unescape(re.search(r'poster="([^"]+)"', video_html).group(1))
    assert "/so_auto/" in poster and poster in video_links
    # The player's source: the format and quality for the browser, at most 1280 wide; and
    # the original, to download.
    [source] = re.findall(r'<source src="([^"]+)"', video_html)
    assert "/c_limit,f_auto,q_auto,w_1280/" in html.unescape(source)
    assert len(video_links) == 3 and html.unescape(source) in video_links
    # A token is for its own URL: another transformation of the same file is refused.
    [resized] = [url for url in image_links if "/c_scale," in url]
    blurred = resized.replace("/c_scale,", "/c_scale,e_blur,")
    assert _fetch(on_cloudinary, blurred).status_code == 401
    _expiring(on_cloudinary, image_links | video_links)


def test_a_pending_replacement_of_public_work_is_not_public(greenwood, on_cloudinary):
    """The teacher's review shows the new file through links that expire: it is not
    approved, so not public, whatever the work's visibility says."""
    item = _work("public")
    with schema_context("greenwood"):
        services.media_update(
            page=item,
            user=user_named("amina"),
            title="Replaced",
            description="",
            tags=[],
            visibility="public",
            file=samples.uploaded(samples.jpeg(), "new.jpg"),
        )
        replacement = MediaPage.objects.get(pk=item.pk).get_latest_revision_as_object().image
    review_links = _links(_page(greenwood, "grace", f"/review/{item.pk}/"))
    assert review_links and all("download?" in url for url in review_links)
    assert {_public_id(url) for url in review_links} == {
        StoredName.parse(replacement.file.name).public_id
    }
    live_links = _links(_page(greenwood, None, f"/work/{item.pk}/"))
    assert live_links and all("/authenticated/s--" in url for url in live_links)


def test_whatever_asks_the_storage_gets_a_link_that_expires(greenwood, on_cloudinary):
    """Deny by default: the storage's url() (Wagtail's admin, exports), and a file whose page
    did not say it is public, get expiring links."""
    item = _work("public", av_samples.recording("mp4"), "clip.mp4")
    with schema_context("greenwood"):
        media = SchoolMedia.objects.get(pk=item.media_id)  # not through a page
        assert isinstance(media.file.storage, CloudinaryStorage)
        links = {media.url, media.file.url}
        assert media.poster_url is None
    _expiring(on_cloudinary, links)


# --- Public work: permanent links --------------------------------------------------------------
def test_a_public_works_links_are_permanent(greenwood, on_cloudinary):
    image = _work("public", samples.png(800, 400))
    video = _work("public", av_samples.recording("mp4"), "clip.mp4")
    links = _links(_page(greenwood, None, f"/work/{image.pk}/")) | _links(
        _page(greenwood, None, f"/work/{video.pk}/")
    )

    # Two renditions (400 and 800 px wide), the video as the player gets it (f_auto, q_auto,
    # a capped width) and as downloaded (the original), and its poster.
    assert len(links) == 5
    for url in links:
        assert unsigned_url(url) and "?" not in url  # signed, with no expiry
    on_cloudinary.advance(10 * 365 * 24 * 3600)
    for url in links:
        assert _fetch(on_cloudinary, url).status_code == 200, url


def test_public_work_of_a_school_that_stopped_sharing_gets_expiring_links(greenwood, on_cloudinary):
    from wagtail.models import Site

    from media_library.models import SchoolMediaSettings

    item = _work("public", samples.png(80, 40))
    with schema_context("greenwood"):
        media_settings = SchoolMediaSettings.for_site(Site.objects.get(is_default_site=True))
        media_settings.allow_public = False
        media_settings.save()
    links = _links(_page(greenwood, "david", f"/work/{item.pk}/"))  # members still see it
    _expiring(on_cloudinary, links)


# --- /documents/<id>/<name> --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 404),  # a visitor
        ("david", 404),  # a student of another class
        ("peter", 404),  # a teacher of another class
        ("brian", 404),  # a classmate: the work is private
        ("amina", 302),  # its owner
        ("grace", 302),  # her class's teacher
        ("admin@greenwood.test", 302),
    ],
)
def test_a_private_documents_url_follows_the_visibility_rules(
    greenwood, on_cloudinary, who, status
):
    data = samples.pdf()
    item = _work("private", data, "essay.pdf")
    response = _client(greenwood, who).get(item.document.url)
    assert response.status_code == status
    if status == 302:
        _expiring(on_cloudinary, {response["Location"]}, data)
