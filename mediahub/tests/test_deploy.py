"""deploy/ agrees with the settings: nginx takes the largest upload the app accepts, hands
media to the location the app names, and prod-smoke fills in every variable of the site.
(The recipe itself runs in `make prod-smoke`, deploy/smoke.py.)"""

import re
import runpy
from pathlib import Path

from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
SITE = (DEPLOY / "nginx-site.conf").read_text()


def _directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", SITE, flags=re.MULTILINE)


def test_nginx_takes_the_largest_upload_the_app_accepts():
    [size] = _directive("client_max_body_size")
    assert size.endswith("m")
    largest = max(settings.MEDIA_MAX_UPLOAD_MB.values())
    assert largest == 500  # the video limit the README and the site's comment name
    assert int(size[:-1]) > largest  # and room for the form's other fields


def test_uploads_are_buffered_by_nginx():
    assert _directive("proxy_request_buffering") == ["on"]
    [timeout] = _directive("proxy_read_timeout")
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert int(timeout.rstrip("s")) >= gunicorn["timeout"]  # nginx waits for the app


def test_the_media_location_is_internal_and_aliased_to_media_root():
    block = re.search(r"location /_protected_media/ \{(.*?)\n    \}", SITE, flags=re.DOTALL)
    assert block is not None
    assert "internal;" in block.group(1)
    assert "alias ${MEDIAHUB_MEDIA_ROOT}/;" in block.group(1)
    # /media/ itself goes to the app, which checks who may have the file.
    assert "location /media/" not in SITE


def test_every_variable_of_the_site_is_documented_and_filled_in_by_the_smoke():
    used = set(re.findall(r"\$\{(MEDIAHUB_[A-Z_]+)\}", SITE))
    header = "\n".join(line for line in SITE.splitlines() if line.startswith("#"))
    assert all(name in header for name in used)
    smoke = (DEPLOY / "smoke_stack.py").read_text()
    assert all(f'"{name}"' in smoke for name in used)


def test_gunicorn_workers_follow_the_cores(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2, 3})
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == 9
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["wsgi_app"] == "mediahub.wsgi:application"


def test_the_units_run_the_commands_of_the_recipe():
    units = {path.name: path.read_text() for path in (DEPLOY / "systemd").glob("*.service")}
    assert "gunicorn -c /srv/mediahub/deploy/gunicorn.conf.py" in units["mediahub-web.service"]
    assert "manage.py db_worker" in units["mediahub-worker@.service"]
    assert "manage.py scheduler" in units["mediahub-scheduler.service"]
