"""Where one request's time goes: the P1 page (anonymous, from the page cache) or P1b's
dashboard (the bench student, signed in), called through mediahub.wsgi's application in this
process (production settings, the scratch database, a Redis of its own), under cProfile.
Not a benchmark row: a tool for reading what P1/P1b measure. No server, no network but the
database's and Redis's.

    .venv/bin/python bench/profile_request.py --fresh [--page work|dashboard] [-n 300]
        [--handler wsgi|django] [--sort tottime|cumulative] [--top 40]

`--handler django` calls Django's own handler (without the page-cache layer of
mediahub.wsgi) for comparison. Prints the mean wall time per request, the queries per
request, and the profile's top entries.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time

from harness import collectstatic, production_environment, redis_server, session_cookie
from scratch import (
    HOST,
    bench_school_ensure,
    database_drop,
    database_prepare,
    django_setup,
    works_ensure,
)


def _environ(path: str, cookie: str) -> dict:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def _call(application, path: str, cookie: str) -> tuple[str, dict]:
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = application(_environ(path, cookie), start_response)
    for _chunk in body:
        pass
    if hasattr(body, "close"):
        body.close()  # request_finished, as a server does
    return answer["status"], answer["headers"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="own scratch database")
    parser.add_argument("--page", choices=("work", "dashboard"), default="work")
    parser.add_argument("--handler", choices=("wsgi", "django"), default="wsgi")
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    if args.fresh:
        database_prepare()
    try:
        with redis_server() as redis_url:
            env = {**production_environment(8201), "REDIS_URL": redis_url}
            env.pop("CACHE_PER_PROCESS", None)
            collectstatic(env)  # production's templates need the hashed names' manifest
            os.environ.update(env)
            django_setup(env["DJANGO_SETTINGS_MODULE"])
            _profile(args)
    finally:
        if args.fresh:
            from django.db import connections

            connections.close_all()
            database_drop()


def _profile(args) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from mediahub import wsgi

    school, classroom, people, page = bench_school_ensure()
    if args.page == "dashboard":  # a full page of cards, as P1b's
        works_ensure(school, classroom, people["student"])
    application = wsgi.application if args.handler == "wsgi" else wsgi.django_application
    if args.page == "work":
        path, cookie = f"/work/{page.pk}/", ""
    else:
        path, cookie = "/dashboard/", f"sessionid={session_cookie(school, people['student'])}"
    for _warm in range(20):
        status, headers = _call(application, path, cookie)
    print(f"{path}: {status}, X-Page-Cache: {headers.get('X-Page-Cache')}")
    times: dict[int, float] = {}
    for _request in range(20):  # each query's mean time (ms), the round trip included
        with CaptureQueriesContext(connection) as queries:
            _call(application, path, cookie)
        for index, query in enumerate(queries.captured_queries):
            times[index] = times.get(index, 0.0) + float(query["time"]) * 1000 / 20
    print(f"queries per request: {len(queries)}, {sum(times.values()):.1f} ms in all")
    for index, query in enumerate(queries.captured_queries):
        print(f"  {times[index]:6.2f} ms  {query['sql'][:140]}")
    reset_queries()
    started = time.perf_counter()
    for _request in range(args.n):
        _call(application, path, cookie)
    wall = (time.perf_counter() - started) * 1000 / args.n
    profile = cProfile.Profile()
    profile.enable()
    for _request in range(args.n):
        _call(application, path, cookie)
    profile.disable()
    print(f"{args.handler}: {wall:.2f} ms per request (wall, without the profiler), n={args.n}")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
