"""The client's address and whether a request wants JSON."""

from django.test import RequestFactory

from core.http import client_ip, wants_json


def test_without_proxies_the_address_is_the_connections(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_ip(request) == "203.0.113.9"  # a header the client chose is ignored


def test_behind_one_proxy_the_address_is_what_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"  # not the first hop, which the client wrote


def test_too_few_hops_fall_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.2"


def test_scripts_want_json_and_browsers_do_not():
    factory = RequestFactory()
    assert wants_json(factory.get("/", HTTP_X_REQUESTED_WITH="XMLHttpRequest"))
    assert wants_json(factory.get("/", HTTP_ACCEPT="application/json"))
    assert not wants_json(factory.get("/", HTTP_ACCEPT="text/html,application/xhtml+xml"))
