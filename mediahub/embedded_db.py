"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The `pgserver` wheel ships PostgreSQL binaries; the data lives in a git-ignored folder
of the checkout (EMBEDDED_PG_DIR, default `.pgdata/`). The server listens on a Unix
socket only and keeps running between commands, so a second `make run` reuses it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

DATABASE_NAME = "mediahub"


def _server(pgdata: Path):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); its fallback is fine.
        warnings.simplefilter("ignore")
        import pgserver

        # cleanup_mode=None: the server outlives this process, like any database server.
        return pgserver.get_server(pgdata, cleanup_mode=None)


def database_url(pgdata: Path) -> str:
    """Start the embedded server if needed, create the project database, return its URL."""
    if pgdata.exists() and any(pgdata.iterdir()) and not (pgdata / "PG_VERSION").exists():
        raise RuntimeError(f"EMBEDDED_PG_DIR {pgdata} is not empty and holds no database.")
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = _server(pgdata)
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(DATABASE_NAME)


def stop(pgdata: Path) -> bool:
    """Stop the embedded server if it runs. Returns True when it was running."""
    if not (pgdata / "postmaster.pid").exists():
        return False
    server = _server(pgdata)
    from pgserver._commands import pg_ctl  # imported by _server, with its warning silenced

    pg_ctl(["-w", "stop"], pgdata=pgdata, user=server.system_user)
    return True


if __name__ == "__main__":  # python -m mediahub.embedded_db [start|stop|url]
    import sys

    from mediahub.settings.env import config

    base_dir = Path(__file__).resolve().parent.parent
    pgdata = Path(config("EMBEDDED_PG_DIR", default="") or base_dir / ".pgdata").resolve()
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    if action == "stop":
        print("stopped" if stop(pgdata) else "not running")
    else:
        url = database_url(pgdata)
        print(url if action == "url" else f"embedded PostgreSQL running: {url}")
