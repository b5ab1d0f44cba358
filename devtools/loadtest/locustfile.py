"""The load test of `make loadtest` (issue 20): staff and partner users, 4 to 1, who sign in
through the real login forms and then browse.

Run by locust against `make serve` (DEBUG off, so production's settings): the session and
CSRF cookies are Secure and HTTPS is the reverse proxy's job, so every request says
`X-Forwarded-Proto: https` as the proxy would (settings.SECURE_PROXY_SSL_HEADER), a form's
POST carries the `Origin` a browser sends, and Secure cookies go back to the loopback
server over plain HTTP (`_return_ok_secure`). The accounts and the conventions to visit come from
`manage.py loadtest_users` (LOADTEST_ACCOUNTS, a JSON file).

Each page is recorded under its name (« Conventions, recherche »), whatever its query string.
A page that answers anything but 200, or the login page instead (a lost session), is a
failure.
"""

import functools
import itertools
import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, events, task

ACCOUNTS_FILE = os.environ.get("LOADTEST_ACCOUNTS", "var/loadtest/accounts.json")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# What staff type in the list's search box: partners' names, words of titles, a reference.
SEARCHES = ["Chambre", "Union professionnelle", "Collectivité", "formation", "n°12"]
# The list's filters, as its form sends them.
FILTERS = [
    {"status": "in_force", "kind": "partnership", "o": "-signature"},
    {"status": "in_force", "o": "echeance"},
    {"due_within": "90", "o": "echeance"},
    {"kind": "framework"},
    {"pending_termination": "on"},
]


def _return_ok_secure(policy, cookie, request, _default=DefaultCookiePolicy.return_ok_secure):
    """Secure cookies go back to a loopback server over plain HTTP, as browsers do for
    http://localhost: there is no TLS between locust and gunicorn, the proxy's header
    stands for it. Patched on the class, in this process only: requests copies the cookies
    into a jar of its own, with the default policy, for every request and redirect."""
    if urlsplit(request.get_full_url()).hostname in LOOPBACK:
        return True
    return _default(policy, cookie, request)


DefaultCookiePolicy.return_ok_secure = _return_ok_secure


# (when it ended, page name, response time in ms, failed) of every request of the run.
RECORDED = []
SIGN_IN = "Connexion"


@events.request.add_listener
def record(name, response_time, exception, **kwargs):
    RECORDED.append((time.time(), name, response_time, exception is not None))


def phases(recorded):
    """Percentiles of the pages alone (sign-ins left out: a password hash costs most of a
    second of CPU by design) over the whole run, and once every user has signed in."""
    pages = [r for r in recorded if not r[1].startswith(SIGN_IN)]
    last_sign_in = max((r[0] for r in recorded if r[1].startswith(SIGN_IN)), default=None)
    start = min((r[0] for r in recorded), default=0)

    def summary(rows):
        times = sorted(r[2] for r in rows)
        if not times:
            return None

        def at(fraction):
            return times[min(len(times) - 1, round(fraction * (len(times) - 1)))]

        return {
            "requests": len(times),
            "failures": sum(r[3] for r in rows),
            "p50": at(0.5),
            "p95": at(0.95),
            "p99": at(0.99),
            "max": times[-1],
        }

    settled = [r for r in pages if last_sign_in is not None and r[0] > last_sign_in]
    return {
        "pages": summary(pages),
        "settled": summary(settled),
        "settled_after_s": None if last_sign_in is None else round(last_sign_in - start),
    }


@events.test_stop.add_listener
def write_phases(environment, **kwargs):
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if prefix:
        with open(f"{prefix}_phases.json", "w", encoding="utf-8") as file:
            json.dump(phases(RECORDED), file)


@functools.cache
def accounts():
    with open(ACCOUNTS_FILE, encoding="utf-8") as file:
        return json.load(file)


@functools.cache
def account_cycle(kind):
    """The accounts of one kind, handed out in turn to the users locust starts."""
    return itertools.cycle(accounts()[kind])


class SignedInUser(HttpUser):
    abstract = True
    # A click every 1 to 4 seconds: far busier than a person reading a convention.
    wait_time = between(1, 4)
    kind = ""  # the key of its accounts in the accounts file
    login_url = ""
    login_name = ""

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.account = next(account_cycle(self.kind))
        self.sign_in()

    def sign_in(self):
        form = self.client.get(self.login_url, name=f"{self.login_name}, formulaire")
        token = CSRF_INPUT.search(form.text or "")
        origin = "https://" + urlsplit(self.host).netloc
        with self.client.post(
            self.login_url,
            data={
                "username": self.account["username"],
                "password": accounts()["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Origin": origin, "Referer": origin + self.login_url},
            name=self.login_name,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or urlsplit(response.url).path == self.login_url:
                response.failure(f"connexion refusée ({response.status_code})")

    def page(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "connexion/" in urlsplit(response.url).path:
                response.failure("session perdue : page de connexion")

    def a_convention(self):
        return random.choice(self.account["conventions"])


class StaffUser(SignedInUser):
    weight = 4
    kind = "staff"
    login_url = "/connexion/"
    login_name = f"{SIGN_IN} du personnel"

    @task(3)
    def echeancier(self):
        self.page("/echeancier/", "Échéancier")

    @task(2)
    def conventions(self):
        self.page("/conventions/", "Conventions, sans filtre")

    @task(2)
    def conventions_filtered(self):
        self.page("/conventions/?" + urlencode(random.choice(FILTERS)), "Conventions, filtrées")

    @task(2)
    def conventions_search(self):
        text = random.choice([*SEARCHES, self.a_convention()])
        self.page("/conventions/?" + urlencode({"q": text}), "Conventions, recherche")

    @task(4)
    def convention(self):
        self.page(f"/conventions/{self.a_convention()}/", "Convention")

    @task(1)
    def partners(self):
        self.page("/partenaires/", "Partenaires")

    @task(1)
    def actions(self):
        self.page("/actions/", "Actions")


class PartnerUser(SignedInUser):
    weight = 1
    kind = "partners"
    login_url = "/portail/connexion/"
    login_name = f"{SIGN_IN} au portail"

    @task(1)
    def home(self):
        self.page("/portail/", "Portail, accueil")

    @task(3)
    def convention(self):
        self.page(f"/portail/conventions/{self.a_convention()}/", "Portail, convention")
