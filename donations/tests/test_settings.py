"""Production takes real money: it refuses to start without the live Daraja settings (the
sandbox defaults of base never reach it), unless donations are off."""

import pytest

from mediahub.tests.test_settings import _manage


@pytest.mark.parametrize(
    "name",
    [
        "DARAJA_BASE_URL",
        "DARAJA_CONSUMER_KEY",
        "DARAJA_CONSUMER_SECRET",
        "DARAJA_SHORTCODE",
        "DARAJA_PASSKEY",
    ],
)
def test_production_requires_the_live_daraja_settings(name):
    result = _manage("check", **{name: ""})
    assert result.returncode != 0
    assert f"{name} is not set" in result.stderr


def test_production_without_donations_needs_none_of_them():
    blank = {"DARAJA_CONSUMER_KEY": "", "DARAJA_PASSKEY": "", "DARAJA_BASE_URL": ""}
    result = _manage("check", DONATIONS_ENABLED="False", **blank)
    assert result.returncode == 0, result.stderr
