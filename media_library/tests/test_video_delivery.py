"""Video on Cloudinary in a format and width the device can play (media_library.av_links):
f_auto, q_auto and a capped width on every link kind that can carry them, HLS (a streaming
profile) before the MP4 where the link is permanent, the original where the link can't carry
a transformation. Every URL is built by the real SDK and fetched from the fake Cloudinary,
which checks its signature (or token) and its transformation."""

import html
import re

import cloudinary.utils
import pytest
import requests

from conftest import client_as, client_for
from media_library.av_links import HLS_TYPE
from media_library.tests import av_samples
from media_library.tests.test_delivery import _work

pytestmark = pytest.mark.django_db

SOURCE = re.compile(r'<source src="([^"]+)"(?: type="([^"]+)")?>')


@pytest.fixture
def on_cloudinary(fake_cloudinary, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "media_library.storage.CloudinaryStorage"},
    }
    settings.CLOUDINARY_VIDEO_MAX_WIDTH = 720
    return fake_cloudinary


def _sources(client, pk) -> list[tuple[str, str]]:
    page = client.get(f"/work/{pk}/")
    assert page.status_code == 200
    return [(html.unescape(url), kind) for url, kind in SOURCE.findall(page.content.decode())]


def _fetch(fake, url: str) -> requests.Response:
    return requests.get(fake.delivery_url_to_local(url), timeout=5)


def test_public_video_streams_as_hls_first_then_mp4(greenwood, on_cloudinary, settings):
    settings.CLOUDINARY_VIDEO_STREAMING_PROFILE = "hd"
    item = _work("public", av_samples.recording("mp4"), "clip.mp4")
    (stored,) = on_cloudinary.stored.values()
    [(hls, hls_type), (mp4, mp4_type)] = _sources(client_for(greenwood), item.pk)

    assert hls_type == HLS_TYPE and "/sp_hd/" in hls and hls.endswith(".m3u8")
    assert "/c_limit,f_auto,q_auto,w_720/" in mp4 and mp4.endswith(".mp4") and mp4_type == ""
    for url in (hls, mp4):
        assert "/authenticated/s--" in url and "?" not in url  # permanent: signed, no expiry
    manifest = _fetch(on_cloudinary, hls)
    assert manifest.status_code == 200 and manifest.content.startswith(b"#EXTM3U")
    assert _fetch(on_cloudinary, mp4).content == stored.data


def test_without_a_streaming_profile_only_the_mp4(greenwood, on_cloudinary):
    item = _work("public", av_samples.recording("mp4"), "clip.mp4")
    [(mp4, _)] = _sources(client_for(greenwood), item.pk)
    assert "/c_limit,f_auto,q_auto,w_720/" in mp4
    assert _fetch(on_cloudinary, mp4).status_code == 200


def test_token_links_carry_the_transformation_but_no_hls(
    greenwood, cloudinary_token_auth, on_cloudinary, settings
):
    settings.CLOUDINARY_VIDEO_STREAMING_PROFILE = "hd"
    item = _work("class", av_samples.recording("mp4"), "clip.mp4")
    [(mp4, kind)] = _sources(client_as(greenwood, "brian"), item.pk)
    assert kind == "" and "/c_limit,f_auto,q_auto,w_720/" in mp4 and "__cld_token__=" in mp4
    assert _fetch(on_cloudinary, mp4).status_code == 200
    # The token is for this path: the same file without the cap is refused.
    assert _fetch(on_cloudinary, mp4.replace("c_limit,f_auto,q_auto,w_720/", "")).status_code == 401


def test_private_download_links_deliver_the_original(greenwood, on_cloudinary, settings):
    settings.CLOUDINARY_VIDEO_STREAMING_PROFILE = "hd"
    item = _work("class", av_samples.recording("mp4"), "clip.mp4")
    (stored,) = on_cloudinary.stored.values()
    [(original, kind)] = _sources(client_as(greenwood, "brian"), item.pk)
    assert "/video/download?" in original and kind == ""
    assert _fetch(on_cloudinary, original).content == stored.data


@pytest.mark.parametrize(
    ("transformation", "format"),
    [
        ([{"streaming_profile": "hd"}], "mp4"),  # a profile is for a manifest
        ([{"width": 720, "crop": "limit"}], "m3u8"),  # a manifest needs a profile
        ([{"width": "wide"}], "mp4"),
        ([{"effect": "blur", "overlay": "logo"}], "mp4"),  # a component the fake doesn't know
    ],
)
def test_the_fake_cdn_refuses_what_cloudinary_would(on_cloudinary, transformation, format):
    _work("public", av_samples.recording("mp4"), "clip.mp4")
    [(_, public_id)] = on_cloudinary.stored.keys()
    url, _ = cloudinary.utils.cloudinary_url(
        public_id,
        resource_type="video",
        type="authenticated",
        sign_url=True,
        secure=True,
        format=format,
        transformation=transformation,
    )
    response = _fetch(on_cloudinary, url)
    assert response.status_code == 400, url
    assert response.headers["X-Cld-Error"]
