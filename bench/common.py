"""What the benchmarks share: the machine's description, a scratch database of their own, a
school with content to measure, and a way to print a row.

Benchmarks never touch the developer's database or the test database: each run creates the
database `mediahub_bench` on the same server (the embedded one, or DATABASE_URL's), sets
`DATABASE_URL` to it for itself and every process it starts, and drops it at the end.
"""

from __future__ import annotations

import io
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

# pgserver's platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BENCH_DB = "mediahub_bench"
PASSWORD = "a-Long-pass-phrase-42"  # noqa: S105 (scratch accounts of a scratch database)
SLUG = "benchhub"
HOST = f"{SLUG}.localhost"
RESULTS = ROOT / "bench" / "results.json"


# --- The machine ----------------------------------------------------------------------------------
def machine() -> str:
    """CPU count and model, memory, Python: printed with every figure."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram = f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM"
    except ImportError:
        ram = "RAM unknown"
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpus} CPUs ({model}), {ram}, Python {platform.python_version()}"


# --- Figures --------------------------------------------------------------------------------------
@dataclass
class Row:
    id: str
    what: str
    figure: str
    baseline: str
    target: str
    met: bool | None  # None: no target to meet

    def line(self) -> str:
        verdict = {True: "met", False: "NOT met", None: "-"}[self.met]
        return (
            f"{self.id:<4} {self.what}\n     figure:   {self.figure}\n"
            f"     baseline: {self.baseline}\n     target:   {self.target} ({verdict})"
        )


def report(rows: list[Row]) -> None:
    """Print the rows with the machine, and add them to bench/results.json (by id), which
    run.py turns into the README's table."""
    print(f"machine: {machine()}")
    for row in rows:
        print(row.line())
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous.setdefault("rows", {})
    for row in rows:
        previous["rows"][f"{row.id} {row.what}"] = asdict(row)
    previous["machine"] = machine()
    previous["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    RESULTS.write_text(json.dumps(previous, indent=1) + "\n")


# --- The scratch database -------------------------------------------------------------------------
def _server_params() -> dict:
    from decouple import config
    from psycopg.conninfo import conninfo_to_dict

    from mediahub.embedded_db import database_url

    url = os.environ.get("MEDIAHUB_BENCH_SERVER_URL") or config("DATABASE_URL", default="")
    if not url:
        url = database_url(
            Path(config("EMBEDDED_PG_DIR", default="") or ROOT / ".pgdata").resolve()
        )
    os.environ["MEDIAHUB_BENCH_SERVER_URL"] = url  # the developer's own, for child processes
    return conninfo_to_dict(url)


def admin_conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(**{**_server_params(), "dbname": "postgres"})


def bench_database_url() -> str:
    """The scratch database's URL, as dj-database-url reads it (a Unix socket as ?host=)."""
    p = _server_params()
    host = p.get("host", "")
    user = quote(p.get("user", "postgres"), safe="")
    password = quote(p.get("password", "") or "", safe="")
    if host.startswith("/"):
        return f"postgres://{user}:{password}@/{BENCH_DB}?host={quote(host, safe='/')}"
    port = f":{p['port']}" if p.get("port") else ""
    return f"postgres://{user}:{password}@{host or 'localhost'}{port}/{BENCH_DB}"


def database_create() -> None:
    import psycopg

    with psycopg.connect(admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def database_drop() -> None:
    import psycopg

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
        [sys.executable, str(ROOT / "bench" / "common.py"), "setup"],
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
    from PIL import Image, ImageDraw

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


def _public_picture_ensure(classroom, student):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from media_library.models import MediaPage
    from media_library.services import media_upload

    page = MediaPage.objects.filter(title="Bench picture").first()
    if page is None:
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


# --- Processes and HTTP ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The server on :{port} did not start.") from None
            time.sleep(0.2)


def production_environment(port: int) -> dict[str, str]:
    """What gunicorn runs with in the HTTP benchmarks: the production settings on the
    scratch database, plain HTTP on loopback (no TLS proxy in front), persistent database
    connections as a production .env would set them."""
    env = {**os.environ, **bench_environment("mediahub.settings.production")}
    env.update(
        {
            "ALLOWED_HOSTS": ".localhost,127.0.0.1",
            "PLATFORM_DOMAIN": "localhost",
            "PLATFORM_SCHEME": "http",
            "PLATFORM_PORT": str(port),
            "SECURE_SSL_REDIRECT": "False",
            "DB_CONN_MAX_AGE": "60",
            # Production requires the live Daraja app's settings; the benchmarks never
            # donate, so a loopback address where nothing listens, and placeholders.
            "DARAJA_BASE_URL": "http://127.0.0.1:9",
            "DARAJA_CONSUMER_KEY": "bench-key",
            "DARAJA_CONSUMER_SECRET": "bench-secret",
            "DARAJA_SHORTCODE": "174379",
            "DARAJA_PASSKEY": "bench-passkey",
        }
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    """Production serves hashed, compressed static files (whitenoise): collect them."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@contextmanager
def gunicorn(app: str, env: dict[str, str], *, workers: int = 2, port: int | None = None):
    """gunicorn serving `app` on loopback; yields its port and process."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--timeout=300",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port, process)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def session_cookie(school, user) -> str:
    """A signed-in session for `user` of `school` (as the login page would make)."""
    from django.test import Client
    from django_tenants.utils import schema_context

    client = Client()
    with schema_context(school.schema_name):
        client.force_login(user)
    return client.cookies["sessionid"].value


if __name__ == "__main__":  # python bench/common.py setup|drop (run.py and --fresh use these)
    if sys.argv[1:] == ["setup"]:
        django_setup()
        platform_and_school_setup()
    elif sys.argv[1:] == ["drop"]:
        database_drop()
