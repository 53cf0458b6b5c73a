"""The donate form sits on pages cached for visitors (core.pagecache), so it carries no CSRF
token: the post is checked for coming from the school's own origin instead (core.http
.same_origin). A forged cross-site post is refused and writes nothing; a post from the cached
page itself goes through to the waiting page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from conftest import client_for
from core import pagecache
from donations.models import Donation
from donations.tests.factories import demo_page
from donations.views import ERROR_CROSS_SITE

pytestmark = pytest.mark.django_db

FORM = {"preset": "250", "custom_amount": "", "phone": "0712 345 670", "donor_name": "Wanjiku"}
OWN = "http://greenwood.localhost"


def _post(school, **headers):
    url = reverse("donations:donation-create", args=[demo_page().pk])
    return client_for(school).post(url, FORM, REMOTE_ADDR="10.0.0.9", **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame or a no-referrer page elsewhere
        {"HTTP_ORIGIN": "http://riverside.localhost"},  # another school is another site
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # a sibling subdomain: another school
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_a_forged_cross_site_post_is_refused_and_writes_nothing(school, simulator, headers):
    response = _post(school, **headers)
    assert response.status_code == 403
    assert escape(str(ERROR_CROSS_SITE)) in response.content.decode()
    assert not Donation.objects.exists()
    assert not simulator.requests_to("/mpesa/stkpush/v1/processrequest")


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": OWN},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_REFERER": f"{OWN}/work/1/"},
    ],
)
def test_a_same_origin_post_goes_through(school, simulator, headers):
    response = _post(school, **headers)
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/donations/{donation.reference}/"


def test_the_donate_form_of_a_cached_page_posts(school, simulator, redis_caches, settings):
    """A visitor gets the work page from the cache (no token, no cookie in it), and posts its
    form as a browser would (Origin: the school's): the donation is made."""
    settings.PAGE_CACHE_ENABLED = True
    path = f"/work/{demo_page().pk}/"
    for _attempt in range(3):
        cached = client_for(school).get(path)
        if cached.get(pagecache.HEADER) == pagecache.HIT:
            break
    assert cached.get(pagecache.HEADER) == pagecache.HIT
    assert not cached.cookies and b"csrfmiddlewaretoken" not in cached.content
    [action] = re.findall(r'<form method="post" action="(/donate/\d+/)"', cached.content.decode())
    visitor = client_for(school)
    visitor.cookies.clear()
    response = visitor.post(action, FORM, REMOTE_ADDR="10.0.0.9", HTTP_ORIGIN=OWN)
    assert response.status_code == 302
    assert Donation.objects.get().phone == "254712345670"
