"""The simulator as `make run` starts it: `manage.py daraja_simulator` in its own process,
speaking Daraja's JSON, and told over HTTP to fail; and how it reaches *.localhost hosts."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from conftest import wait_for_port
from donations.simulator import OUTCOMES, loopback_target

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def simulator_process():
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mediahub.settings.test"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "daraja_simulator", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if not wait_for_port(port, process):
        process.kill()
        raise RuntimeError(process.stdout.read())
    yield f"http://127.0.0.1:{port}", process
    process.terminate()
    process.wait(timeout=10)


def test_the_command_serves_daraja_and_takes_orders_over_http(simulator_process):
    url, process = simulator_process
    token_url = f"{url}/oauth/v1/generate?grant_type=client_credentials"

    answer = requests.get(token_url, auth=("key", "secret"), timeout=5)
    assert answer.status_code == 200
    assert answer.json()["expires_in"] == "3599"
    assert requests.get(token_url, timeout=5).status_code == 400  # no credentials

    assert requests.post(f"{url}/simulator/fail", json={"status": 503}, timeout=5).ok
    failed = requests.get(token_url, auth=("key", "secret"), timeout=5)
    assert failed.status_code == 503
    assert set(failed.json()) == {"requestId", "errorCode", "errorMessage"}
    assert requests.get(token_url, auth=("key", "secret"), timeout=5).status_code == 200

    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert f"Daraja simulator on {url}" in output
    assert "phone ending 1: 1032 Request cancelled by user" in output


def test_every_last_digit_has_an_outcome():
    assert sorted(OUTCOMES) == [str(digit) for digit in range(10)]


def test_school_hosts_are_reached_on_loopback_with_their_host_header():
    assert loopback_target("http://greenwood.localhost:8000/donations/callback/t/") == (
        "http://127.0.0.1:8000/donations/callback/t/",
        {"Host": "greenwood.localhost:8000"},
    )
    assert loopback_target("https://greenwood.mediahub.example.org/cb/") == (
        "https://greenwood.mediahub.example.org/cb/",
        {},
    )
