"""Several machines (docs/deployment.md): two app servers and a worker of background tasks
that keep no state of their own, against one PostgreSQL database and one object store.

The test makes it all itself, whatever DATABASE_URL the suite runs on: a fresh PostgreSQL
database on 127.0.0.1:5432 (migrated, the demo loaded), a copy of it as a read replica left
behind the primary, moto's S3 server, then two gunicorn servers as `make serve` runs them
(config/gunicorn.conf.py, DEBUG off) and one `db_worker`, all with the same environment.
A convention signed through one server is served, with its stored PDF, by the other.
"""

import concurrent.futures
import contextlib
import datetime
import hashlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests

from tests import objectstore

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REFERENCE = "CITE-METIERS"  # a draft of the demo, with its articles: ready to be signed
REPLICA_TITLE = "Titre lu sur la réplique"


class Browser:
    """A person's browser behind the TLS proxy: it keeps its cookies (sent over this test's
    plain HTTP although they are Secure) and says it came through HTTPS."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, url, data=None):
        origin = re.match(r"http://[^/]+", url)[0].replace("http://", "https://")
        response = requests.request(
            method,
            url,
            data=data,
            cookies=self.cookies,
            headers={"X-Forwarded-Proto": "https", "Origin": origin},
            allow_redirects=False,
            timeout=60,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, url):
        return self.request("GET", url)

    def post(self, url, data):
        return self.request("POST", url, {**data, "csrfmiddlewaretoken": self.csrf_token})

    @property
    def csrf_token(self):
        return self.cookies["csrftoken"]

    def sign_in(self, server, username="gestionnaire", password="demo"):
        self.get(f"{server}/connexion/")  # the CSRF cookie
        response = self.post(f"{server}/connexion/", {"username": username, "password": password})
        assert response.status_code == 302, response.text[:500]
        return response


def _run(args, env):
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait(process, what):
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, f"{what} failed:\n{output[-3000:]}"


def _admin(sql):
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _drop(*names):
    for name in names:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _start(command, env, log):
    """A long-running process of its own session, its output in the file `log` (read when
    something fails; a pipe nobody reads would block it once full)."""
    with open(log, "w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    process.log = log
    return process


def _gunicorn(port, env, log):
    return _start(
        [
            *(sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "12"),
        ],
        env,
        log,
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cluster")
    name = f"cluster_{os.getpid()}_{secrets.token_hex(4)}"
    primary, replica = name, f"{name}_replica"
    with contextlib.ExitStack() as stack:
        _admin(f"CREATE DATABASE {primary}")
        # Last, once every process that uses them has stopped.
        stack.callback(_drop, primary, replica)
        store = stack.enter_context(objectstore.s3_server())
        # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for the live server: not in production.
        unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
        env = {k: v for k, v in os.environ.items() if k not in unwanted}
        env.update(
            {
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "DATABASE_URL": f"{POSTGRES}/{primary}",
                "DATABASE_REPLICA_URL": f"{POSTGRES}/{replica}",
                "TASKS_BACKEND": "database",
                **store.environment(),
                # Nothing of these may be written on the servers' own disks: MEDIA_ROOT
                # must stay empty (checked below).
                "MEDIA_ROOT": str(tmp / "media"),
                "STATIC_ROOT": str(tmp / "static"),
                "LOG_LEVEL": "WARNING",
            }
        )
        # Deploying: static files and the database's schema, once, as docs/deployment.md says.
        static = _run(["collectstatic", "--noinput", "-v0"], env)
        schema = subprocess.Popen(
            [
                "bash",
                "-c",
                f"{sys.executable} manage.py migrate --noinput -v0 && "
                f"{sys.executable} manage.py createcachetable && "
                # The demo's data and users (refused with DEBUG off: known passwords).
                f"DEBUG=1 {sys.executable} manage.py loaddemo",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _wait(schema, "migrate and loaddemo")
        _wait(static, "collectstatic")
        # The read replica: a copy of the primary taken now, that replication never updates
        # (a replica far behind). Its draft's title marks what is read from it.
        _admin(f"CREATE DATABASE {replica} TEMPLATE {primary}")
        with psycopg.connect(f"{POSTGRES}/{replica}", autocommit=True) as connection:
            connection.execute(
                "UPDATE conventions_convention SET short_title = %s WHERE reference = %s",
                (REPLICA_TITLE, REFERENCE),
            )

        ports = [objectstore.free_port(), objectstore.free_port()]
        servers = [_gunicorn(port, env, tmp / f"server-{port}.log") for port in ports]
        worker = _start([sys.executable, "manage.py", "db_worker"], env, tmp / "worker.log")
        for process in [*servers, worker]:
            stack.callback(_stop, process)
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, servers, strict=True):
            _wait_for(url, process)
        yield {
            "a": urls[0],
            "b": urls[1],
            "store": store,
            "media": tmp / "media",
            "database": f"{POSTGRES}/{primary}",
        }


def _stop(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_for(url, process):
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/sante/", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if process.poll() is not None:
            raise AssertionError(f"{url} stopped:\n{process.log.read_text()[-3000:]}")
        assert time.monotonic() < deadline, f"{url} did not answer in 60 s"
        time.sleep(0.2)


def test_a_convention_signed_through_one_server_is_served_by_the_other(cluster):
    a, b = cluster["a"], cluster["b"]
    browser = Browser()
    browser.sign_in(a)

    # The session opened on A is known to B: sessions are in the database.
    page = browser.get(f"{b}/conventions/{REFERENCE}/")
    assert page.status_code == 200
    signatories = list(
        dict.fromkeys(re.findall(rf"/conventions/{REFERENCE}/signatures/(\d+)/", page.text))
    )
    assert len(signatories) == 2

    # Signed through A, each signature form as a person sends it.
    signed_on = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    for pk in signatories:
        url = f"{a}/conventions/{REFERENCE}/signatures/{pk}/"
        assert browser.get(url).status_code == 200
        response = browser.post(
            url, {"signed_on": signed_on, "place": "Marseille", "name": "N. Nom", "title": "T"}
        )
        assert response.status_code == 302, response.text[:2000]

    # B serves the signed PDF stored in the bucket (by the signature, or by the worker when
    # the signature leaves it to a task): the same bytes.
    deadline = time.monotonic() + 40
    while True:
        response = browser.get(f"{b}/conventions/{REFERENCE}/pdf/")
        assert response.status_code in (200, 202), response.status_code
        if "attachment" in response.headers.get("Content-Disposition", ""):
            break
        assert time.monotonic() < deadline, "no stored signed PDF after 40 s"
        time.sleep(0.5)
    key = f"conventions/{REFERENCE}/{REFERENCE}-signee.pdf"
    stored = cluster["store"].read(key)
    assert response.content == stored
    assert response.content.startswith(b"%PDF-")
    assert response.headers["ETag"] == f'"{hashlib.sha256(stored).hexdigest()}"'
    # And A serves the same.
    assert browser.get(f"{a}/conventions/{REFERENCE}/pdf/").content == stored
    # Nothing was written on the servers' disks.
    assert not cluster["media"].exists() or not any(cluster["media"].rglob("*"))


def test_list_pages_read_the_replica_and_the_rest_the_primary(cluster):
    browser = Browser()
    browser.sign_in(cluster["b"])
    listed = browser.get(f"{cluster['b']}/conventions/?q={REFERENCE}")
    assert listed.status_code == 200
    assert REPLICA_TITLE in listed.text  # the list: from the replica
    detail = browser.get(f"{cluster['b']}/conventions/{REFERENCE}/")
    assert detail.status_code == 200
    assert REPLICA_TITLE not in detail.text  # a convention's page: from the primary


def test_sign_ins_do_not_hold_up_the_pages(cluster):
    """Ten people sign in on A at once, each password checked by Django's own hasher (about
    0.4 s of CPU each); meanwhile the pages A serves still answer quickly."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    a = cluster["a"]
    with psycopg.connect(cluster["database"]) as connection:
        (encoded,) = connection.execute(
            "SELECT password FROM users_user WHERE username = 'gestionnaire'"
        ).fetchone()
    assert encoded.startswith(f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$")

    reader = Browser()
    reader.sign_in(a)
    page = f"{a}/conventions/{REFERENCE}/"
    assert reader.get(page).status_code == 200  # warm
    people = [Browser() for _ in range(10)]
    for person in people:
        person.get(f"{a}/connexion/")

    def sign_in(person):
        started = time.monotonic()
        person.sign_in(a)
        return time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(len(people)) as pool:
        started = time.monotonic()
        logins = [pool.submit(sign_in, person) for person in people]
        latencies = []
        while not all(login.done() for login in logins):
            before = time.monotonic()
            assert reader.get(page).status_code == 200
            latencies.append(time.monotonic() - before)
        burst = time.monotonic() - started
        slowest_login = max(login.result() for login in logins)

    # Ten hashes of 0.3 to 0.4 s of CPU on two cores: the burst lasts a second or more, and
    # a page behind it in a sync worker would have waited as long as the slowest sign-in.
    # Here a page takes a fraction of it (compared with the sign-ins rather than in seconds:
    # a busy machine slows both alike).
    assert burst > 1.0, burst
    assert len(latencies) >= 3
    assert max(latencies) < slowest_login / 2, (latencies, slowest_login)
