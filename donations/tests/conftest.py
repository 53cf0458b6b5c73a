"""Fixtures for the donations tests: one Daraja simulator for the session, on a real port.

Its address is put in the environment when this module is imported (at collection, before
any test runs), so that the browser tests' live server (conftest.live_site, which copies the
environment) talks to the same simulator; in-process tests get it through `settings`."""

import json
import os
import socket
from pathlib import Path

import pytest
from django.core.cache import cache

from donations.simulator import DarajaSimulator

DATA = Path(__file__).parent / "data"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SIMULATOR_PORT = _free_port()
os.environ["DARAJA_BASE_URL"] = f"http://127.0.0.1:{SIMULATOR_PORT}"
os.environ["DARAJA_CONSUMER_KEY"] = "test-key"
os.environ["DARAJA_CONSUMER_SECRET"] = "test-secret"


@pytest.fixture(scope="session")
def daraja_simulator():
    with DarajaSimulator(port=SIMULATOR_PORT, callback_delay=1.0) as simulator:
        yield simulator


@pytest.fixture
def simulator(daraja_simulator, settings):
    """The session's simulator, emptied, with the settings pointing at it and no cached
    token. In-process tests have no server for its callbacks to reach, so it posts none
    (the tests post recorded callbacks themselves)."""
    daraja_simulator.reset()
    daraja_simulator.post_callbacks = False
    cache.clear()
    settings.DARAJA_BASE_URL = daraja_simulator.url
    settings.DARAJA_CALLBACK_BASE_URL = "http://{host}:9"
    settings.DARAJA_READ_TIMEOUT = 2
    yield daraja_simulator
    daraja_simulator.reset()
    cache.clear()


def payload(name: str, **changes) -> dict:
    """A recorded callback from donations/tests/data/, with some stkCallback fields (and
    CallbackMetadata items, by their Name) changed to match a donation of the test."""
    data = json.loads((DATA / f"{name}.json").read_text())
    callback = data["Body"]["stkCallback"]
    for key, value in changes.items():
        if key in callback:
            callback[key] = value
            continue
        for item in callback["CallbackMetadata"]["Item"]:
            if item["Name"] == key:
                item["Value"] = value
    return data
