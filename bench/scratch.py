"""The benchmarks' scratch database and the school they measure: the database, the
environment every benchmark (and every process it starts) runs with, and the bench school
with its content.

Benchmarks never touch the developer's database or the test database: each run creates the
database `mediahub_bench` on the same server (the embedded one, or DATABASE_URL's), sets
`DATABASE_URL` to it for itself and every process it starts, and drops it at the end.

Importing this module puts the repository on sys.path, for the project's modules. Django and
the project's modules are imported inside the functions that use them: models and services
need django.setup() (django_setup, with the scratch database's environment) to have run
first.

    python bench/scratch.py setup|drop    # run.py and the benchmarks' --fresh use these
"""

from __future__ import annotations

import io
import os
import secrets
import subprocess
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg
from decouple import config
from PIL import Image, ImageDraw
from psycopg.conninfo import conninfo_to_dict, make_conninfo

# pgserver's platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# prod-smoke (deploy/smoke.py) makes its own scratch database the same way, under its own name.
BENCH_DB = os.environ.get("MEDIAHUB_SCRATCH_DB", "mediahub_bench")
PASSWORD = "a-Long-pass-phrase-42"  # noqa: S105 (scratch accounts of a scratch database)
SLUG = "benchhub"
HOST = f"{SLUG}.localhost"


# --- The scratch database -------------------------------------------------------------------------
def _server_params() -> dict:
    # Not on top: the project is importable only once ROOT is on sys.path (just above).
    from mediahub.embedded_db import database_url

    url = os.environ.get("MEDIAHUB_BENCH_SERVER_URL") or config("DATABASE_URL", default="")
    if not url:
        url = database_url(
            Path(config("EMBEDDED_PG_DIR", default="") or ROOT / ".pgdata").resolve()
        )
    os.environ["MEDIAHUB_BENCH_SERVER_URL"] = url  # the developer's own, for child processes
    return conninfo_to_dict(url)


def admin_conninfo() -> str:
    return make_conninfo(**{**_server_params(), "dbname": "postgres"})


def bench_database_url(name: str = BENCH_DB) -> str:
    """The scratch database's URL (or another's on its server: `name`), as dj-database-url
    reads it (a Unix socket as ?host=)."""
    p = _server_params()
    host = p.get("host", "")
    user = quote(p.get("user", "postgres"), safe="")
    password = quote(p.get("password", "") or "", safe="")
    if host.startswith("/"):
        return f"postgres://{user}:{password}@/{name}?host={quote(host, safe='/')}"
    port = f":{p['port']}" if p.get("port") else ""
    return f"postgres://{user}:{password}@{host or 'localhost'}{port}/{name}"


def database_create() -> None:
    with psycopg.connect(admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def database_drop() -> None:
    with psycopg.connect(admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def bench_environment(settings: str = "mediahub.settings.dev") -> dict[str, str]:
    """The environment of the benchmark and of every process it starts: the scratch
    database, DEBUG off, quiet logs, media under a scratch folder."""
    env = {
        "DATABASE_URL": bench_database_url(),
        "DJANGO_SETTINGS_MODULE": settings,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "DEBUG": "False",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT")
        or str(Path(tempfile.gettempdir()) / "mediahub-bench"),
        "CLOUDINARY_URL": os.environ.get("BENCH_CLOUDINARY_URL", ""),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    os.environ.update(env)
    return env


def django_setup(settings: str = "mediahub.settings.dev") -> None:
    bench_environment(settings)
    import django

    django.setup()


def database_prepare() -> None:
    """A new scratch database, migrated, with the template and the bench school (built in
    a process of its own, so this one can still choose its settings)."""
    database_create()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scratch.py"), "setup"],
        cwd=ROOT,
        env={**os.environ, **bench_environment()},
        check=True,
    )


@contextmanager
def scratch_database(*, fresh: bool):
    """Django set up on the scratch database; `fresh` prepares it now and drops it
    afterwards (else run.py did, and will)."""
    if fresh:
        database_prepare()
    try:
        django_setup()
        yield
    finally:
        if fresh:
            from django.db import connections

            connections.close_all()
            database_drop()


def platform_and_school_setup() -> None:
    """Migrate the scratch database, build the template and the bench school."""
    from django.core.management import call_command
    from django.db import connection

    from tenants import services

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    services.platform_setup()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state of a long-lived database
    bench_school_ensure()


# --- The bench school and its content -------------------------------------------------------------
def picture(width: int = 1200, height: int = 800, *, fmt: str = "JPEG", noise: bool = False):
    """A picture made here (bytes): a gradient, or noise (which compresses like a photo)."""
    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (40, 120, 200))
        draw = ImageDraw.Draw(image)
        for i in range(0, height, 16):
            draw.rectangle([0, i, width, i + 8], fill=(40, 120 + i % 100, 200 - i % 100))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=90)
    return buffer.getvalue()


def bench_school_ensure():
    """The school `benchhub` with a trusted class (uploads publish at once), a teacher, a
    student, and a public picture: the page the HTTP benchmarks fetch."""
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from accounts.services import user_role_set
    from classrooms.models import Classroom
    from classrooms.services import (
        classroom_create,
        classroom_student_enrol,
        classroom_trust_set,
    )
    from tenants.models import School
    from tenants.services import school_create

    school = School.objects.filter(slug=SLUG).first() or school_create(
        name="Bench Hub", slug=SLUG, admin_email="admin@benchhub.test", admin_password=PASSWORD
    )
    with schema_context(school.schema_name):
        User = get_user_model()
        people = {}
        for username, role in (("teacher", "teacher"), ("student", "student")):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@benchhub.test",
                    password=PASSWORD,
                    first_name=username.title(),
                    last_name="Bench",
                )
                user_role_set(user=user, role=role)
            people[username] = user
        classroom = Classroom.objects.filter(name="Bench class").first()
        if classroom is None:
            classroom = classroom_create(
                name="Bench class", grade="Form 1", subject="Art", teachers=[people["teacher"]]
            )
            classroom_student_enrol(classroom=classroom, student=people["student"])
            # A trusted class: the student's uploads publish at once.
            classroom_trust_set(classroom=classroom, trusted=True)
        page = _public_picture_ensure(classroom, people["student"])
    return school, classroom, people, page


def _public_consent_record(student) -> None:
    """Public work needs the family's consent (10/13): a paper form the school admin records."""
    from accounts.permissions import users_with_role
    from accounts.roles import SCHOOL_ADMIN
    from families.consent import consent_allows, consent_give
    from families.models import Purpose

    admin = users_with_role(SCHOOL_ADMIN).first()
    for purpose in (Purpose.SCHOOL, Purpose.PUBLIC):
        if not consent_allows(student, purpose):
            consent_give(student=student, purpose=purpose, by=admin, note="benchmark")


def _public_picture_ensure(classroom, student):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from media_library.models import MediaPage
    from media_library.services import media_upload

    page = MediaPage.objects.filter(title="Bench picture").first()
    if page is None:
        _public_consent_record(student)
        page = media_upload(
            classroom=classroom,
            uploaded_by=student,
            file=SimpleUploadedFile("p.jpg", picture(), content_type="image/jpeg"),
            title="Bench picture",
            description="A picture for the benchmarks.",
            tags=["bench"],
            visibility="public",
        )
    return page


def works_ensure(school, classroom, student) -> int:
    """At least a page of cards' worth of published public works in `classroom` (uploads of
    the student's, each with its own small picture), so the dashboard P1b measures (and
    profile_request.py profiles) shows a full page, as a school's does. Returns the number of
    the school's live works (run after P2, hundreds)."""
    from django_tenants.utils import schema_context

    from media_library.cards import PER_PAGE
    from media_library.models import MediaPage

    with schema_context(school.schema_name):
        have = MediaPage.objects.live().child_of(classroom.page).count()
        for number in range(have, PER_PAGE):
            media_page_add(classroom, student, title=f"Bench work {number}", blocks=1)
        return MediaPage.objects.live().count()


def media_page_add(classroom, student, *, title: str, blocks: int, visibility="public"):
    """A published public picture page whose body has `blocks` StreamField blocks, each a
    paragraph with a link to the school's home page (rich text links are resolved on render)."""
    from media_library.models import MediaPage

    page = MediaPage.objects.filter(title=title).first()
    if page is None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from media_library.services import media_upload

        page = media_upload(
            classroom=classroom,
            uploaded_by=student,
            file=SimpleUploadedFile("p.jpg", picture(320, 240), content_type="image/jpeg"),
            title=title,
            visibility=visibility,
        )
    home_id = classroom.page.get_parent().pk
    text = f'<p>Paragraph with <a linktype="page" id="{home_id}">a link home</a>.</p>'
    page.body = [("text", text) for _ in range(blocks)]
    page.save_revision().publish()
    return MediaPage.objects.get(pk=page.pk)


if __name__ == "__main__":  # see the module's docstring
    if sys.argv[1:] == ["setup"]:
        django_setup()
        platform_and_school_setup()
    elif sys.argv[1:] == ["drop"]:
        database_drop()
