"""gunicorn's settings, for `make serve` and for each app server in production
(docs/deployment.md): `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Threads (`gthread`): a sign-in checks its password with Django's own hasher (PBKDF2, about
0.4 s of CPU, on purpose), and a sync worker serves nothing else meanwhile: a burst of
sign-ins queued every page behind them (issue 20: p95 of 34 s at 50 users). In a gthread
worker the other threads go on serving pages while one hashes (hashlib's PBKDF2 lets go
of the GIL); tests/test_several_servers.py measures it. Each thread keeps its own database
connection (CONN_MAX_AGE): WEB_WORKERS × WEB_THREADS connections per app server.
"""

import os


def _env_count(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of 1 or more, not {value!r}")
    return int(value)


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = _env_count("WEB_WORKERS", (os.cpu_count() or 1) + 1)
worker_class = "gthread"
threads = _env_count("WEB_THREADS", 4)
# A printed PDF is long to render the first time in a process (6 to 7 s): below that, a
# worker would be killed in the middle of one.
timeout = 60
graceful_timeout = 30
keepalive = 5  # behind the reverse proxy, which keeps its connections open
# WeasyPrint's memory grows with the documents a process has printed: start afresh now and
# then, not all workers at once.
max_requests = 2000
max_requests_jitter = 200

# One JSON line per request on the standard output, as the application logs.
accesslog = "-"
access_log_format = '{"time": "%(t)s", "method": "%(m)s", "status": %(s)s, "duration_ms": %(M)s}'
