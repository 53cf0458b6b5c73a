"""The catalogues are complete: `msgfmt --statistics` (Debian's gettext, which `make install`
brings) reports every message of every .po under locale/ translated, none fuzzy."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/*.po"))


def test_there_is_a_kiswahili_catalogue():
    assert Path(settings.LOCALE_PATHS[0]) / "sw" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(po.parents[2])))
def test_every_message_is_translated_and_none_is_fuzzy(po):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: `make install` installs Debian's gettext"
    result = subprocess.run(  # noqa: S603 (our own file, a fixed program)
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # "N translated messages." or "N translated messages, M fuzzy translations, K untranslated
    # messages." (msgfmt leaves out the parts that are zero).
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.match(r"^\d+ translated messages?\.$", statistics), f"{po}: {statistics}"
