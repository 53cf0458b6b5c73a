"""The shared cache on a real Redis (mediahub/tests/redis_server.py starts redis-server): every
key carries the school; rate limits and the Daraja token are shared by two app processes
(two `manage.py runserver`, each with REDIS_URL); renditions and Wagtail's site root paths
are kept there under the school."""

import html
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.core.cache import cache, caches
from django_tenants.utils import schema_context
from redis._parsers import _HiredisParser
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

from classrooms.services import ERROR_JOIN_CODE_WRONG
from classrooms.tests.test_signup import signup_data
from conftest import _free_port, client_for, run_committed, server_environment, wait_for_port
from core.ratelimit import attempt_begin
from donations.models import Donation
from donations.simulator import TOKEN_LIFETIME, DarajaSimulator
from donations.tests.factories import demo_page
from galleries.models import GalleryPage
from media_library.models import SchoolRendition
from mediahub.tests.redis_server import TEST_KEY_PREFIX

pytestmark = pytest.mark.django_db

HOST = "greenwood.localhost"
WRONG_CODES = ["WXYZ-2345", "ABCD-EFGH", "QRST-2345", "MNPQ-2345"]
# Two donors (the simulator's outcome is the last digit: 0 pays); one phone twice would wait
# out the phone's cooldown.
PHONES = {"0712345680": "254712345680", "0712345690": "254712345690"}


def test_every_key_carries_the_school(redis_caches):
    with schema_context("greenwood"):
        cache.set("motto", "Greenwood grows")
    with schema_context("riverside"):
        cache.set("motto", "Riverside reads")

    with schema_context("greenwood"):
        assert cache.get("motto") == "Greenwood grows"
    with schema_context("riverside"):
        assert cache.get("motto") == "Riverside reads"
    assert sorted(redis_caches.client.keys("*motto")) == [
        f"greenwood:{TEST_KEY_PREFIX}:1:motto",
        f"riverside:{TEST_KEY_PREFIX}:1:motto",
    ]


def test_replies_are_parsed_by_hiredis(redis_caches):
    # Django's RedisCache leaves the parser to redis-py, whose default is hiredis's when the
    # hiredis package (requirements.txt) is installed.
    cache.set("ping", "pong")
    pool = caches["default"]._cache._get_connection_pool(write=True)
    assert pool.connection_kwargs["parser_class"] is _HiredisParser
    assert cache.get("ping") == "pong"


def test_a_rate_limit_bucket_counts_in_redis_and_expires_with_its_window(redis_caches, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "join_code": {"user": "0/900", "address": "5/900"},
    }
    with schema_context("greenwood"):
        for _ in range(3):
            assert attempt_begin("join_code", address="10.9.0.1").wait is None
    [key] = redis_caches.client.keys("*ratelimit:join_code:failures:address:10.9.0.1:*")
    assert key.startswith(f"greenwood:{TEST_KEY_PREFIX}:1:")
    assert redis_caches.client.get(key) == "3"
    # The window is 900 s: the bucket goes with it, never stays.
    assert 0 < redis_caches.client.ttl(key) <= 901


def test_tries_sent_at_once_are_counted_exactly(redis_caches, settings):
    """Many tries at the same moment (threads, each with its own connection to Redis, as
    several servers would be): exactly the limit's number get through."""
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "join_code": {"user": "0/900", "address": "3/900"},
    }

    def attempt(_) -> bool:
        with schema_context("greenwood"):
            return attempt_begin("join_code", address="10.9.1.1").wait is None

    with ThreadPoolExecutor(max_workers=8) as pool:
        through = list(pool.map(attempt, range(24)))

    assert through.count(True) == 3
    [key] = redis_caches.client.keys("*ratelimit:join_code:failures:address:10.9.1.1:*")
    assert redis_caches.client.get(key) == "3"  # the refused tries gave their places back


def test_renditions_and_site_root_paths_are_in_redis_under_the_school(redis_caches, greenwood):
    with schema_context("greenwood"):
        gallery = GalleryPage.objects.live().public().first()
        path = gallery.url  # (which caches the root paths too: emptied below)
    redis_caches.client.flushall()
    response = client_for(greenwood).get(path)
    assert response.status_code == 200
    assert b"<img" in response.content  # its pictures' renditions, linked from its parent

    keys = redis_caches.client.keys("*")
    root_paths = f"{SITE_ROOT_PATHS_CACHE_VERSION}:{SITE_ROOT_PATHS_CACHE_KEY}"
    assert f"greenwood:{TEST_KEY_PREFIX}:{root_paths}" in keys, keys
    stored = f"greenwood:{TEST_KEY_PREFIX}-renditions:1:"
    renditions = [k.removeprefix(stored) for k in keys if k.startswith(stored)]
    assert renditions, keys
    assert not [k for k in keys if k.startswith("riverside:")]  # nothing of another school
    # What is there is what Wagtail reads back, in the school, and only there.
    with schema_context("greenwood"):
        found = SchoolRendition.cache_backend.get_many(renditions)
    assert sorted(found) == sorted(renditions)
    assert all(isinstance(rendition, SchoolRendition) for rendition in found.values())
    with schema_context("riverside"):
        assert SchoolRendition.cache_backend.get_many(renditions) == {}


# --- Two app processes on one Redis -------------------------------------------------------------
@pytest.fixture(scope="module")
def simulator():
    """A Daraja simulator of this module's own, posting no callbacks (the donations tests'
    one is theirs: a fixture imported from their conftest would start a second on its port)."""
    with DarajaSimulator() as simulator:
        simulator.post_callbacks = False
        yield simulator


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, redis_server, simulator, tmp_path_factory):
    """Two `manage.py runserver` processes on the test database, the session's Redis and this
    module's Daraja simulator, which allow three wrong class codes per address (the test
    settings read the limit from the environment). Their ports."""
    folder = tmp_path_factory.mktemp("two-servers")
    servers, logs = [], []
    for n in range(2):
        port = _free_port()
        env = {
            **server_environment(),
            "REDIS_URL": redis_server.url,
            "JOIN_CODE_FAILURES_PER_ADDRESS": "3/900",
            "DARAJA_BASE_URL": simulator.url,
            "DARAJA_CONSUMER_KEY": "test-key",
            "DARAJA_CONSUMER_SECRET": "test-secret",
            "PLATFORM_PORT": str(port),
            "MEDIA_ROOT": str(folder / f"media-{n}"),
        }
        log = (folder / f"server-{n}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append((port, process))
        logs.append(log)
    try:
        for (port, process), log in zip(servers, logs, strict=True):
            if not wait_for_port(port, process):
                raise RuntimeError(f"runserver did not start: see {log.name}")
        yield [port for port, _ in servers]
    finally:
        for _, process in servers:
            process.terminate()
            process.wait(timeout=10)
        for log in logs:
            log.close()


def _csrf(session: requests.Session, port: int) -> str:
    """A CSRF cookie for the school's host (one for both servers: they share SECRET_KEY)."""
    answer = session.get(f"http://127.0.0.1:{port}/accounts/signup/", headers={"Host": HOST})
    assert answer.status_code == 200
    return session.cookies["csrftoken"]


def _post(session: requests.Session, port: int, path: str, data: dict) -> requests.Response:
    token = _csrf(session, port)
    return session.post(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        headers={"Host": f"{HOST}:{port}", "X-CSRFToken": token},
        allow_redirects=False,
    )


def test_two_app_processes_count_one_rate_limit(two_servers, redis_server):
    redis_server.client.flushall()
    session = requests.Session()
    answers = [
        _post(session, two_servers[n % 2], "/accounts/signup/", signup_data(join_code=code))
        for n, code in enumerate(WRONG_CODES)
    ]

    # Three wrong codes (two on one server, one on the other), then the fourth is refused:
    # each server alone has seen two, fewer than the limit.
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert all(str(ERROR_JOIN_CODE_WRONG) in html.unescape(a.text) for a in answers[:3])
    assert str(ERROR_JOIN_CODE_WRONG) not in html.unescape(answers[3].text)
    [bucket] = redis_server.client.keys("*ratelimit:join_code:failures:address:*")
    assert bucket.startswith(f"greenwood:{TEST_KEY_PREFIX}:1:")
    assert redis_server.client.get(bucket) == "3"  # the refused try is not counted


@pytest.fixture
def donors(simulator):
    """The simulator emptied; the donations the servers commit are deleted afterwards
    (committed too)."""
    simulator.reset()
    simulator.post_callbacks = False
    yield

    def delete():
        with schema_context("greenwood"):
            Donation.objects.filter(phone__in=PHONES.values()).delete()

    run_committed(delete)


def test_two_app_processes_share_one_daraja_token(two_servers, redis_server, simulator, donors):
    redis_server.client.flushall()
    with schema_context("greenwood"):
        page = demo_page()
    session = requests.Session()
    answers = [
        _post(session, port, f"/donate/{page.pk}/", {"preset": "100", "phone": phone})
        for port, phone in zip(two_servers, PHONES, strict=True)
    ]

    # Both donations were pushed to M-Pesa (each answers with its waiting page)...
    assert [a.status_code for a in answers] == [302, 302]
    assert all("/donations/" in a.headers["Location"] for a in answers)
    pushes = simulator.requests_to("/mpesa/stkpush/v1/processrequest")
    assert len(pushes) == 2
    # ...with one token, which the first server asked for and the second found in Redis.
    assert len(simulator.requests_to("/oauth/v1/generate")) == 1
    assert pushes[0].headers["Authorization"] == pushes[1].headers["Authorization"]
    [key] = redis_server.client.keys("*daraja-token:*")
    assert key.startswith(f"greenwood:{TEST_KEY_PREFIX}:1:")
    assert 0 < redis_server.client.ttl(key) < TOKEN_LIFETIME


def test_the_redis_cache_reuses_its_client(redis_caches):
    """core.cache_backend: one redis-py client per pool, not one per call (a quarter of a
    page-cache hit's CPU before), and it still talks to Redis."""
    from django.core.cache import cache

    cache.set("reuse", 1)
    assert cache.get("reuse") == 1
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
