"""gunicorn for Media Hub, behind nginx (deploy/nginx-site.conf), which buffers every request
body and every response: a sync worker is never held by a slow phone, only by the app's own
work. `gunicorn -c deploy/gunicorn.conf.py` (deploy/mediahub-web.service; prod-smoke too).

Environment (all optional):
    GUNICORN_BIND     where to listen (default 127.0.0.1:8000); nginx's upstream names it
    GUNICORN_WORKERS  processes (default 2 per usable core + 1, the usual for sync workers)
"""

import os

wsgi_app = "mediahub.wsgi:application"  # which defaults to the production settings
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The cores this process may use (a container's or a systemd CPUAffinity's), not the host's.
cores = len(os.sched_getaffinity(0))
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cores + 1))
worker_class = "sync"

# Long enough for the slowest request the app answers itself: storing a 500 MB video once
# nginx has it (validation reads its boxes, the storage copies it) and a school admin's export.
timeout = 300
graceful_timeout = 30

# Each worker is replaced after about this many requests, so a slow leak (a library's cache,
# fragmentation after a big upload) never grows without end; the jitter keeps the workers
# from all restarting at once.
max_requests = 1000
max_requests_jitter = 100

# Workers' heartbeat files in memory: a busy disk (uploads landing) never makes a worker look
# dead to the arbiter.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (gunicorn's own advice; files of its workers only)

# X-Forwarded-* are trusted from nginx on this host only (the app reads them through
# SECURE_PROXY_SSL_HEADER and TRUSTED_PROXY_COUNT).
forwarded_allow_ips = "127.0.0.1"

# No control socket (gunicornc): systemd reloads with HUP, and two instances on one host
# (prod-smoke's) would both claim the default path.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
