"""prod-smoke's steps, each through nginx over HTTPS as a browser would go (the session check
also goes to each gunicorn directly). A step returns what it saw, or raises SmokeFailure
saying what went wrong.

Names under mediahub.test are sent to 127.0.0.1 by this process's resolver (resolve_locally):
TLS still gets the real name (SNI) and checks the certificate against it, with the smoke's
own certificate as the only authority (REQUESTS_CA_BUNDLE, which the simulator's callbacks
use too).
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import requests
from smoke_stack import ACCEL_PREFIX, DOMAIN, SLUG, Stack, redis_command, wait_until
from upload_memory import video_file as mov_file  # bench/, on sys.path from smoke_stack

MB = 1024 * 1024
VIDEO_MB = 50
SUCCESS_PHONE = "0712345670"  # the simulator: a phone ending in 0 pays
_real_getaddrinfo = socket.getaddrinfo


class SmokeFailure(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def resolve_locally(stack: Stack) -> None:
    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and (host == DOMAIN or host.endswith("." + DOMAIN)):
            host = "127.0.0.1"
        return _real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    os.environ["REQUESTS_CA_BUNDLE"] = str(stack.cert)


def browser(stack: Stack) -> requests.Session:
    session = requests.Session()
    session.verify = str(stack.cert)
    return session


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    check(match, "no CSRF token in the form")
    return match.group(1)


def _get(session, url, status=200, **kwargs) -> requests.Response:
    response = session.get(url, timeout=60, **kwargs)
    check(response.status_code == status, f"GET {url}: {response.status_code}, not {status}")
    return response


# --- The steps -------------------------------------------------------------------------------
def landing_page(stack: Stack, state: dict) -> str:
    response = _get(browser(stack), stack.url("/", school=False))
    check("Smoke School" in response.text, "the landing page does not list the school")
    css = re.search(r'href="(/static/[^"]+\.css)"', response.text)
    check(css, "no stylesheet on the landing page")
    static = _get(browser(stack), stack.url(css.group(1), school=False))
    check("immutable" in static.headers.get("Cache-Control", ""), "static not from nginx")
    plain = requests.get(f"http://{DOMAIN}:{stack.http_port}/", allow_redirects=False, timeout=10)
    check(plain.status_code == 301, f"plain HTTP answered {plain.status_code}, not 301")
    return f"lists the school; {css.group(1).rsplit('/', 1)[-1]} from nginx; HTTP -> 301"


def school_page(stack: Stack, state: dict) -> str:
    response = _get(browser(stack), stack.url("/"))
    check("Smoke School" in response.text, "the school's name is not on its page")
    hsts = response.headers.get("Strict-Transport-Security", "")
    check("max-age" in hsts, "no HSTS header from the production settings")
    return f"200, HSTS {hsts}"


def sign_in(stack: Stack, state: dict) -> str:
    session = browser(stack)
    form = _get(session, stack.url("/accounts/login/"))
    response = session.post(
        stack.url("/accounts/login/"),
        data={
            "csrfmiddlewaretoken": csrf_token(form.text),
            "username": state["data"]["student"],
            "password": stack.password,
        },
        headers={"Referer": stack.url("/accounts/login/")},
        allow_redirects=False,
        timeout=60,
    )
    check(response.status_code == 302, f"signing in answered {response.status_code}, not 302")
    check("sessionid" in session.cookies, "no session cookie after signing in")
    state["student"] = session
    return "302 with a session cookie"


def session_on_both_app_servers(stack: Stack, state: dict) -> str:
    cookie = state["student"].cookies["sessionid"]
    email = state["data"]["student_email"]
    seen = []
    for port in stack.app_ports:
        headers = {"Host": f"smoke.{DOMAIN}:{stack.https_port}", "X-Forwarded-Proto": "https"}
        url = f"http://127.0.0.1:{port}/accounts/profile/"
        signed_in = requests.get(
            url, headers={**headers, "Cookie": f"sessionid={cookie}"}, timeout=30
        )
        check(signed_in.status_code == 200, f"profile on :{port}: {signed_in.status_code}")
        check(email in signed_in.text, f"the student's profile is not shown on :{port}")
        anonymous = requests.get(url, headers=headers, allow_redirects=False, timeout=30)
        check(anonymous.status_code == 302, f"without the cookie :{port} did not redirect")
        seen.append(str(port))
    return f"signed in on :{' and :'.join(seen)}"


def video_file(path: Path, size_mb: int = VIDEO_MB) -> None:
    """A real QuickTime video of about `size_mb` MB (bench/upload_memory.py's recipe, made by
    ffmpeg): every stored video is remuxed by ffmpeg, which needs frames it can copy."""
    mov_file(path, size_mb)


def oversized_upload_status(stack: Stack) -> int:
    """What nginx answers a POST announcing more than client_max_body_size (no body sent)."""
    context = ssl.create_default_context(cafile=str(stack.cert))
    host = f"{SLUG}.{DOMAIN}"
    connection = http.client.HTTPSConnection(host, stack.https_port, context=context, timeout=30)
    try:
        connection.putrequest("POST", "/upload/")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(600 * MB))
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def upload_video(stack: Stack, state: dict) -> str:
    session = state["student"]
    form = _get(session, stack.url("/upload/"))
    path = stack.tmp / "smoke.mov"
    video_file(path)
    state["video"] = path
    with path.open("rb") as data:
        response = session.post(
            stack.url("/upload/"),
            data={
                "csrfmiddlewaretoken": csrf_token(form.text),
                "title": "Smoke video",
                "description": "Fifty megabytes through nginx.",
                "tags": "smoke",
                "classroom": str(state["data"]["art_id"]),
                "visibility": "school",
            },
            files={"file": ("smoke.mov", data, "video/quicktime")},
            headers={"Accept": "application/json", "Referer": stack.url("/upload/")},
            timeout=600,
        )
    check(response.status_code == 201, f"upload: {response.status_code} {response.text[:300]}")
    detail = _get(session, stack.url(response.json()["detail_url"]))
    match = re.search(r'/media/[\w-]+/[^"\'\s<>]+\.mov', detail.text)
    check(match, "the work's page shows no stored video")
    state["video_url"] = match.group(0)
    too_big = oversized_upload_status(stack)
    check(too_big == 413, f"600 MB announced: {too_big}, not 413 from nginx")
    return f"{path.stat().st_size / MB:.0f} MB stored, in review; 600 MB refused by nginx (413)"


def tasks_go_to_the_worker(stack: Stack, state: dict) -> str:
    backend = state["data"]["task_backend"]
    check(
        "Immediate" not in backend and "Dummy" not in backend,
        f"production runs tasks with {backend}: inside the app, not the worker",
    )
    for name, command in (("worker", "db_worker"), ("scheduler", "scheduler")):
        check(state["running"](name), f"manage.py {command} is not running (see {name}.log)")
    return backend


def submission_email(stack: Stack, state: dict) -> str:
    teacher = state["data"]["teacher_email"]

    def sent():
        for message in stack.mail.glob("*.log"):
            text = message.read_text(errors="replace")
            if f"To: {teacher}" in text and "Smoke video" in text:
                return message.name
        return None

    found = wait_until(sent, timeout=90)
    check(found, f"no submission email to {teacher} within 90 s")
    return f"to {teacher} ({found})"


def donation(stack: Stack, state: dict) -> str:
    visitor = browser(stack)
    page_id = state["data"]["public_page_id"]
    form_url = stack.url(f"/donate/{page_id}/")
    form = _get(visitor, form_url)
    # Public pages are cached for visitors, so the form carries no CSRF token: the view
    # checks the browser's Origin instead (through nginx, whose X-Forwarded-Proto makes the
    # app see https). A post from another site is refused and makes no donation.
    check("csrfmiddlewaretoken" not in form.text, "the donate form carries a CSRF token")
    fields = {"preset": "100", "phone": SUCCESS_PHONE, "donor_name": "Smoke"}
    own_origin = "{0.scheme}://{0.netloc}".format(urlsplit(form_url))
    forged = visitor.post(
        form_url,
        data=fields,
        headers={"Origin": "https://attacker.example"},
        allow_redirects=False,
        timeout=60,
    )
    check(forged.status_code == 403, f"a cross-site donation answered {forged.status_code}")
    response = visitor.post(
        form_url,
        data=fields,
        headers={"Origin": own_origin, "Referer": form_url},
        allow_redirects=False,
        timeout=60,
    )
    check(response.status_code == 302, f"donating answered {response.status_code}")
    status_url = stack.url(response.headers["Location"].rstrip("/") + "/status/")

    def paid():
        outcome = _get(visitor, status_url).json()
        return outcome if outcome.get("status") == "paid" else None

    outcome = wait_until(paid, timeout=90, interval=1)
    check(outcome, "the donation was not confirmed within 90 s")
    callbacks = stack.simulator.callbacks()
    check(callbacks, "the simulator posted no callback")
    return f"KES 100 paid after the simulator's callback; {outcome.get('receipt', '')}"


def video_range(stack: Stack, state: dict) -> str:
    url = stack.url(state["video_url"])
    # The stored copy, not the upload: ffmpeg remuxed it (no metadata, moov first).
    expected = _get(state["student"], url).content
    check(len(expected) > 40 * MB, f"the stored video has {len(expected)} bytes")
    response = _get(state["student"], url, status=206, headers={"Range": "bytes=1000-1999"})
    check(response.content == expected[1000:2000], "the range's bytes are not the video's")
    check(
        response.headers.get("Content-Range") == f"bytes 1000-1999/{len(expected)}",
        f"Content-Range {response.headers.get('Content-Range')}",
    )
    check(
        response.headers.get("Content-Type") == "video/quicktime", "not served as video/quicktime"
    )
    nosniff = response.headers.get("X-Content-Type-Options")
    check(nosniff == "nosniff", f"X-Content-Type-Options: {nosniff}")
    # nginx sent it (a file's Last-Modified), and told nobody where it lies.
    check("Last-Modified" in response.headers, "not sent by nginx (X-Accel-Redirect)")
    check("X-Accel-Redirect" not in response.headers, "X-Accel-Redirect leaked")
    # The same URL to someone who may not see the work, and nginx's location itself: 404.
    _get(browser(stack), url, status=404, headers={"Range": "bytes=0-9"})
    direct = stack.url(ACCEL_PREFIX + state["video_url"].removeprefix("/media/"))
    _get(browser(stack), direct, status=404)
    return "206, the right 1000 bytes; 404 to a visitor and at the internal location"


def healthz(stack: Stack, state: dict) -> str:
    response = _get(browser(stack), stack.url("/healthz", school=False))
    check(response.json().get("status") == "ok", f"/healthz says {response.text[:80]}")
    # The request id the app returns is the one nginx logged: the two logs can be matched.
    request_id = response.headers.get("X-Request-ID", "")

    def logged():
        log = stack.log("nginx-access").read_text()
        return any(line.startswith(f"{request_id} 200 ") for line in log.splitlines())

    check(request_id and wait_until(logged, timeout=5), "nginx's request id is not the app's")
    return f"{response.text.strip()[:40]}; request id {request_id} in nginx's log too"


def shared_cache(stack: Stack, state: dict) -> str:
    reply = redis_command(stack, "DBSIZE")  # ":<count>"
    keys = int(reply[1:]) if reply.startswith(b":") else 0
    check(keys > 0, "Redis holds no keys: the app servers do not share its cache")
    return f"{keys} keys in Redis"


def page_cache(stack: Stack, state: dict) -> str:
    """A visitor's views of a public work come from the page cache (Redis) once it is warm,
    on either app server; a signed-in student's view of the same page never does."""
    url = stack.url(f"/work/{state['data']['public_page_id']}/")
    seen = [_get(browser(stack), url).headers.get("X-Page-Cache") for _ in range(6)]
    check(seen[0] == "miss", f"a visitor's first view: X-Page-Cache {seen[0]}, not miss")
    # The first render makes the picture's renditions, a write that purges the school's pages
    # once it commits, so the page may be rendered once more before it is served cached.
    check("hit" in seen[1:3], f"a visitor's views {seen}: no hit by the third")
    first_hit = seen.index("hit")
    check(set(seen[first_hit:]) == {"hit"}, f"a visitor's views {seen}: a miss after a hit")
    signed_in = _get(state["student"], url).headers.get("X-Page-Cache")
    check(signed_in is None, f"a signed-in student's view: X-Page-Cache {signed_in}")
    return f"visitor: {', '.join(seen)}; signed-in student: not cached"


STEPS = [
    ("landing page (platform, static files, HTTP redirect)", landing_page),
    ("school page", school_page),
    ("student signs in", sign_in),
    ("session valid on both app servers", session_on_both_app_servers),
    ("page cache: visitors' hits, never a signed-in person's", page_cache),
    (f"upload of a {VIDEO_MB} MB video", upload_video),
    ("tasks run by the worker (db_worker, scheduler)", tasks_go_to_the_worker),
    ("submission email sent by the worker", submission_email),
    ("donation through the Daraja simulator, confirmed by the worker", donation),
    ("video fetched with a Range request (206)", video_range),
    ("/healthz", healthz),
    ("the app servers' cache is the shared Redis", shared_cache),
]
