"""P1 on a busy machine: the bare view and the cached page measured in alternation (both
gunicorns up at once, `--pairs` pairs of `--seconds` each), so that each ratio compares two
runs under about the same load. Not a row of run.py: P1's own figure is http_bench.py's.

    .venv/bin/python bench/p1_pairs.py --fresh [--pairs 3] [--seconds 5]
"""

from __future__ import annotations

import argparse

from harness import collectstatic, free_port, gunicorn, production_environment, redis_server
from http_bench import _warm, wrk
from scratch import HOST, bench_school_ensure, scratch_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="own scratch database")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    with scratch_database(fresh=args.fresh), redis_server() as redis_url:
        _school, _classroom, _people, page = bench_school_ensure()
        port = free_port()
        env = {**production_environment(port), "REDIS_URL": redis_url}
        env.pop("CACHE_PER_PROCESS", None)
        collectstatic(env)
        url = f"http://127.0.0.1:{port}/work/{page.pk}/"
        with (
            gunicorn("bench.bare_wsgi:application", env) as (bare_port, _bare),
            gunicorn("mediahub.wsgi:application", env, port=port),
        ):
            _warm(url, HOST)
            ratios = []
            for pair in range(args.pairs):
                bare = wrk(f"http://127.0.0.1:{bare_port}/", host="localhost", seconds=args.seconds)
                cached = wrk(url, host=HOST, seconds=args.seconds)
                ratios.append(cached["rps"] / bare["rps"])
                print(
                    f"pair {pair + 1}: bare {bare['rps']:.0f} req/s (p95 {bare['p95_ms']:.1f} ms), "
                    f"cached {cached['rps']:.0f} req/s (p95 {cached['p95_ms']:.1f} ms, hits "
                    f"{cached['hits']} of {cached['requests']}): {ratios[-1]:.0%}"
                )
    ratios.sort()
    print(f"median ratio: {ratios[len(ratios) // 2]:.0%} (of {len(ratios)} pairs)")


if __name__ == "__main__":
    main()
