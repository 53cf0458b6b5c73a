"""The load test's simulated people (locust), run by bench/load.py against the demo.

Each kind of person is a user class; a new kind (a visitor donating through the Daraja
simulator, once donations are merged) is one more class here, with its weight. Requests are
named "<kind>: <what>", so load.py reports requests/s and p95 by kind.

Every answer of 500 or more is counted, and each upload that answered 201 is written down
(school, page id) for load.py to find in the database afterwards.
"""

# ruff: noqa: S311 (random choices of simulated people, not secrets)
from __future__ import annotations

import json
import os
import random
import re
import struct
import threading
import zlib

from locust import HttpUser, between, events, task

SCHOOLS = {
    "greenwood": ("amina", "brian", "cynthia", "david"),
    "riverside": ("esther", "felix", "gloria", "hassan"),
}
PASSWORD = "mediahub-demo-2026"  # noqa: S105 (the demo's published password)
RESULTS = os.environ.get("LOAD_RESULTS", "load-results.json")
_lock = threading.Lock()
_server_errors: list[str] = []
_uploads: list[tuple[str, int]] = []
_donations: list[tuple[str, str]] = []  # (school, reference) of each donate that answered 302
# "greenwood:/work/<pk>/": the demo's public work with a donate block (load.py finds it).
DONATE_PAGE = os.environ.get("LOAD_DONATE_PAGE", "")
# The simulator's outcomes by the phone's last digit (README): pays, cancels, wrong PIN, too
# little balance, pays with the callback lost (4, settled by STK Query) or sent twice (5),
# unreachable. Not 7 and 8 (the same paths as 1 and 6).
DONOR_DIGITS = "01234569"


def host_of(school: str) -> str:
    return f"{school}.localhost"


@events.request.add_listener
def _count_server_errors(request_type, name, response, exception, **kwargs):
    if response is not None and response.status_code >= 500:
        with _lock:
            _server_errors.append(f"{name}: {response.status_code}")


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    with open(RESULTS, "w") as out:
        json.dump(
            {"server_errors": _server_errors, "uploads": _uploads, "donations": _donations}, out
        )


def _png(width: int = 320, height: int = 240) -> bytes:
    """A PNG of one random colour, made with the standard library (no Pillow here)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + bytes(random.randrange(256) for _ in range(3)) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


class Visitor(HttpUser):
    """Someone not signed in, browsing a school's public pages."""

    weight = 4
    wait_time = between(0.5, 2)

    def on_start(self):
        self.school = random.choice(list(SCHOOLS))
        self.headers = {"Host": host_of(self.school)}
        self.works: list[str] = []

    @task(2)
    def home(self):
        self.client.get("/", headers=self.headers, name="browse: home")

    @task(3)
    def dashboard(self):
        response = self.client.get("/dashboard/", headers=self.headers, name="browse: dashboard")
        self.works = re.findall(r'href="(/work/\d+/)"', response.text) or self.works

    @task(3)
    def work(self):
        if self.works:
            self.client.get(random.choice(self.works), headers=self.headers, name="browse: work")


class Student(HttpUser):
    """A demo student: signs in, uploads a picture through the page's script, looks at their
    own work."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.school = random.choice(list(SCHOOLS))
        self.headers = {"Host": host_of(self.school)}
        login = random.choice(SCHOOLS[self.school])
        page = self.client.get("/accounts/login/", headers=self.headers, name="student: login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": login, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={**self.headers, "Referer": f"http://{host_of(self.school)}/accounts/login/"},
            name="student: login",
        )

    @task(2)
    def upload(self):
        form = self.client.get("/upload/", headers=self.headers, name="student: upload form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        classroom = re.search(r'<option value="(\d+)"', form.text)
        if not token or not classroom:
            return
        response = self.client.post(
            "/upload/",
            data={
                "title": "Load test work",
                "classroom": classroom.group(1),
                "visibility": "class",
            },
            files={"file": ("work.png", _png(), "image/png")},
            headers={
                **self.headers,
                "X-CSRFToken": token.group(1),
                "X-Requested-With": "XMLHttpRequest",
                "Accept": "application/json",
            },
            name="student: upload",
        )
        if response.status_code == 201:
            with _lock:
                _uploads.append((self.school, response.json()["id"]))

    @task(1)
    def my_media(self):
        self.client.get("/my-media/", headers=self.headers, name="student: my media")


class Donor(HttpUser):
    """A visitor who opens the demo's public work, donates through the form (the Daraja
    simulator plays the phone) and watches the waiting page's status until it says how it
    ended, as static/js/donation.js does."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.school, self.page = DONATE_PAGE.split(":", 1)
        self.headers = {"Host": host_of(self.school)}

    @task
    def donate(self):
        page = self.client.get(self.page, headers=self.headers, name="donor: work page")
        action = re.search(r'action="(/donate/\d+/)"', page.text)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not action or not token:
            return
        # A phone of its own (one pending prompt per phone per minute), outcome by last digit.
        phone = f"07{random.randrange(10**7):07d}{random.choice(DONOR_DIGITS)}"
        response = self.client.post(
            action.group(1),
            {
                "preset": "100",
                "custom_amount": "",
                "phone": phone,
                "donor_name": "Load test donor",
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={**self.headers, "Referer": f"http://{host_of(self.school)}{self.page}"},
            allow_redirects=False,
            name="donor: donate",
        )
        waiting = re.fullmatch(r"/donations/([0-9a-f-]{36})/", response.headers.get("Location", ""))
        if response.status_code != 302 or not waiting:
            return
        with _lock:
            _donations.append((self.school, waiting.group(1)))
        self.client.get(waiting.group(0), headers=self.headers, name="donor: waiting page")
        for _ in range(8):  # the page checks every 2 s; give up after a while, as people do
            self.wait_time_sleep(2)
            status = self.client.get(
                f"{waiting.group(0)}status/", headers=self.headers, name="donor: status"
            )
            if status.status_code != 200 or status.json().get("done"):
                return

    def wait_time_sleep(self, seconds: float) -> None:
        import gevent

        gevent.sleep(seconds)
