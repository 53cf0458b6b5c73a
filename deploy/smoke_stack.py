"""prod-smoke's stack on loopback: the scratch database (bench/scratch.py's, under a name of
its own), a self-signed wildcard certificate, Debian's nginx running deploy/nginx-site.conf,
two gunicorns (deploy/gunicorn.conf.py), the worker, the scheduler, redis-server, the Daraja
simulator; and stopping all of it, whatever happened.

Every process is started in a session of its own and stopped by its process group, so
gunicorn's and nginx's workers go with their masters.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("MEDIAHUB_SCRATCH_DB", "mediahub_smoke")  # before scratch reads it

import scratch  # noqa: E402  (bench/ is on sys.path only from the line above)
from harness import free_port, production_environment, wait_for_port  # noqa: E402

DOMAIN = "mediahub.test"
SLUG = "smoke"
ACCEL_PREFIX = "/_protected_media/"
NGINX = "/usr/sbin/nginx"
_PLACEHOLDER = re.compile(r"\$\{(MEDIAHUB_[A-Z_]+)\}")


@dataclass
class Stack:
    tmp: Path
    https_port: int = 0
    http_port: int = 0
    app_ports: list[int] = field(default_factory=list)
    redis_port: int = 0
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    simulator: object = None
    data: dict = field(default_factory=dict)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12) + "-Aa1")

    @property
    def cert(self) -> Path:
        return self.tmp / "tls" / "cert.pem"

    @property
    def mail(self) -> Path:
        return self.tmp / "mail"

    @property
    def media(self) -> Path:
        return self.tmp / "media"

    def log(self, name: str) -> Path:
        return self.tmp / "logs" / f"{name}.log"

    def url(self, path: str = "/", *, school: bool = True) -> str:
        host = f"{SLUG}.{DOMAIN}" if school else DOMAIN
        return f"https://{host}:{self.https_port}{path}"


def stack_create() -> Stack:
    tmp = Path(tempfile.mkdtemp(prefix="mediahub-smoke-"))
    # nginx's workers (www-data when we are root) read the static files and the media.
    tmp.chmod(0o755)
    for folder in ("tls", "mail", "media", "static", "logs", "nginx"):
        (tmp / folder).mkdir(mode=0o755)
    return Stack(tmp=tmp)


# --- Database, settings, content -------------------------------------------------------------
def environment(stack: Stack, *, daraja_url: str, redis_port: int) -> dict[str, str]:
    """The production settings as deploy/README.md's environment file sets them, on loopback."""
    stack.https_port, stack.http_port = free_port(), free_port()
    env = production_environment(stack.https_port)
    env.pop("CACHE_PER_PROCESS", None)  # the benchmarks' fallback: here, Redis as required
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "mediahub.settings.production",
            "ENV_FILE": "",  # this environment only, as the units have it: no developer's .env
            "ALLOWED_HOSTS": f"{DOMAIN},.{DOMAIN}",
            "PLATFORM_DOMAIN": DOMAIN,
            "PLATFORM_SCHEME": "https",
            "PLATFORM_PORT": str(stack.https_port),
            "SECURE_SSL_REDIRECT": "True",
            "TRUSTED_PROXY_COUNT": "1",
            "MEDIA_ROOT": str(stack.media),
            "STATIC_ROOT": str(stack.tmp / "static"),
            "MEDIA_ACCEL_REDIRECT_PREFIX": ACCEL_PREFIX,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(stack.mail),
            "DEFAULT_FROM_EMAIL": f"Media Hub <no-reply@{DOMAIN}>",
            "DARAJA_BASE_URL": daraja_url,
            # Only the worker's task may confirm a donation: the waiting page's own STK Query
            # (after this many seconds) never comes within the smoke.
            "DONATION_QUERY_AFTER_SECONDS": "3600",
            "LOG_LEVEL": "WARNING",
            "SMOKE_PASSWORD": stack.password,
        }
    )
    stack.env = env
    return env


def manage(stack: Stack, *args: str, name: str) -> str:
    """`manage.py <args>` with the production settings; its output, or RuntimeError."""
    with stack.log(name).open("w") as log:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=stack.env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            timeout=900,
        )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed; see {stack.log(name)}")
    return result.stdout


def database_setup(stack: Stack) -> None:
    """deploy/README.md's first steps on a new scratch database, then the smoke's content."""
    scratch.database_create()
    manage(stack, "migrate_schemas", "--shared", "--noinput", "-v", "0", name="migrate-shared")
    manage(stack, "platform_setup", name="platform-setup")
    manage(stack, "migrate_schemas", "--tenant", "--noinput", "-v", "0", name="migrate-tenant")
    manage(stack, "collectstatic", "--noinput", "-v", "0", name="collectstatic")
    manage(
        stack,
        "create_school",
        "--name=Smoke School",
        f"--slug={SLUG}",
        f"--admin-email=admin@{SLUG}.test",
        f"--admin-password={stack.password}",
        name="create-school",
    )
    with stack.log("smoke-data").open("w") as log:
        output = subprocess.run(
            [sys.executable, str(DEPLOY / "smoke_data.py"), SLUG],
            cwd=ROOT,
            env=stack.env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            check=True,
            timeout=300,
        ).stdout
    stack.data = json.loads(output.strip().splitlines()[-1])


# --- TLS and nginx ---------------------------------------------------------------------------
def certificate(stack: Stack) -> None:
    """A self-signed certificate for the platform and every school (*.mediahub.test)."""
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", f"/CN={DOMAIN}",
            "-addext", f"subjectAltName=DNS:{DOMAIN},DNS:*.{DOMAIN}",
            "-keyout", str(stack.tmp / "tls" / "key.pem"), "-out", str(stack.cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


def site_config(values: dict[str, str]) -> str:
    """deploy/nginx-site.conf filled in, as envsubst does with the names deploy/README.md
    gives it: every ${MEDIAHUB_...} must have a value."""
    template = (DEPLOY / "nginx-site.conf").read_text()
    missing = set(_PLACEHOLDER.findall(template)) - set(values)
    if missing:
        raise RuntimeError(f"No value for {', '.join(sorted(missing))} in nginx-site.conf")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def nginx_start(stack: Stack) -> None:
    nginx = stack.tmp / "nginx"
    site = site_config(
        {
            "MEDIAHUB_DOMAIN": DOMAIN,
            "MEDIAHUB_HTTPS_PORT": str(stack.https_port),
            "MEDIAHUB_HTTP_PORT": str(stack.http_port),
            "MEDIAHUB_UPSTREAMS": " ".join(f"server 127.0.0.1:{p};" for p in stack.app_ports),
            "MEDIAHUB_CERT": str(stack.cert),
            "MEDIAHUB_CERT_KEY": str(stack.tmp / "tls" / "key.pem"),
            "MEDIAHUB_STATIC_ROOT": str(stack.tmp / "static"),
            "MEDIAHUB_MEDIA_ROOT": str(stack.media),
        }
    )
    (nginx / "site.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {nginx}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    # The http block of Debian's /etc/nginx/nginx.conf, reduced; the site is included as
    # sites-enabled/ would. Workers run as www-data, as they do there.
    (nginx / "nginx.conf").write_text(
        f"""{"user www-data;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {nginx}/nginx.pid;
error_log {stack.log("nginx-error")} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    log_format smoke '$request_id $status "$request" $upstream_addr';
    access_log {stack.log("nginx-access")} smoke;
{temp}
    uwsgi_temp_path {nginx}/uwsgi;
    scgi_temp_path {nginx}/scgi;
    include {nginx}/site.conf;
}}
"""
    )
    command = [NGINX, "-e", str(stack.log("nginx-error")), "-p", str(nginx), "-c"]
    check = subprocess.run([*command, str(nginx / "nginx.conf"), "-t"], capture_output=True)
    if check.returncode:
        raise RuntimeError("nginx -t: " + check.stderr.decode().strip())
    start(stack, "nginx", [*command, str(nginx / "nginx.conf")], port=stack.https_port)


# --- Processes -------------------------------------------------------------------------------
def start(stack: Stack, name: str, command: list[str], *, port: int | None = None, env=None):
    log = stack.log(name).open("w")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env or stack.env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack.processes[name] = process
    if port is not None:
        wait_for_port(port, process, timeout=90)
    return process


def redis_start(stack: Stack, port: int) -> None:
    stack.redis_port = port
    start(
        stack,
        "redis",
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(stack.tmp)],
        port=port,
    )  # fmt: skip
    if redis_command(stack, "PING") != b"+PONG":
        raise RuntimeError("redis-server does not answer PING")


def redis_command(stack: Stack, command: str) -> bytes:
    """One inline command to the smoke's redis-server, and its one-line reply."""
    with socket.create_connection(("127.0.0.1", stack.redis_port), timeout=5) as conn:
        conn.sendall(command.encode() + b"\r\n")
        return conn.recv(256).strip()


def apps_start(stack: Stack) -> None:
    """Two gunicorns, each on a port of its own: nginx's upstream holds both."""
    stack.app_ports = [free_port(), free_port()]
    for number, port in enumerate(stack.app_ports, start=1):
        env = {**stack.env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
        command = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")]
        start(stack, f"gunicorn-{number}", command, port=port, env=env)


def background_start(stack: Stack) -> None:
    """The worker and the scheduler, as deploy/systemd/ runs them."""
    start(stack, "worker", [sys.executable, "manage.py", "db_worker", "--no-reload"])
    start(stack, "scheduler", [sys.executable, "manage.py", "scheduler"])


def still_running(stack: Stack, name: str) -> bool:
    process = stack.processes.get(name)
    return process is not None and process.poll() is None


def log_tail(stack: Stack, name: str, lines: int = 15) -> str:
    path = stack.log(name)
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def stop(stack: Stack, *, keep: bool = False) -> list[str]:
    """Stop everything, newest first; drop the database; remove the folder unless `keep`.
    Returns what did not stop cleanly (the smoke fails on it)."""
    problems = []
    if stack.simulator is not None:
        stack.simulator.stop()
    for name, process in reversed(list(stack.processes.items())):
        if process.poll() is not None:
            continue
        try:
            os.killpg(process.pid, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            problems.append(f"{name} had to be killed")
        except ProcessLookupError:
            pass
    try:
        scratch.database_drop()
    except Exception as error:  # the server itself may be what failed
        problems.append(f"dropping the scratch database: {error}")
    if keep:
        print(f"Kept {stack.tmp} (logs in {stack.tmp / 'logs'})")
    else:
        shutil.rmtree(stack.tmp, ignore_errors=True)
    return problems


def wait_until(predicate, *, timeout: float, interval: float = 0.5):
    """predicate()'s first true value within `timeout` seconds, else None."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value or None
        time.sleep(interval)
