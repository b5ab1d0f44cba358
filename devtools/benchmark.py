"""Server-side timings, thread CPU and query counts of the main pages (`make bench`).

Requests go through Django's test client in this process: the time measured is the
server's (URL resolution, middleware, views, templates, database), without the network.
Several databases of the same engine (10,000 and 100,000 conventions) are measured in one
run: the process switches its default connection between them, and each round requests
every page once at every scale in turn. A moment of contention on this shared machine then
falls on one request of each page at each scale, not on one scale, so that the growth ratio
10k → 100k and the ratio to the admin changelist are read off one run.

Thread CPU (`time.thread_time`) is the Python work of the request: on PostgreSQL the SQL
runs in the server's own process and is not in it; on SQLite it is.
"""

import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from dataclasses import asdict, dataclass

import dj_database_url
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections, reset_queries, transaction
from django.db.models import Count, Exists, F, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from actions.models import ActionPlan, Obligation
from conventions.models import Amendment, Convention
from conventions.views.lists import PAGE_SIZE
from partners.models import Organisation
from users.roles import ensure_groups

# The targets of issue 20. Pages: 95th percentile under 50 ms at the largest scale on
# PostgreSQL (100 ms on SQLite, which is measured at 10,000 only), the same median time at
# 10,000 and at 100,000 conventions within 1.3x, the list pages at most half the thread CPU
# of the admin changelist showing as many rows, a convention page under 15 ms of CPU. The
# CSV of every convention within 10 s, the PDF of the largest convention within 3 s.
PAGE_TARGET_MS = {"postgresql": 50, "sqlite": 100}
GROWTH_TARGET = 1.3
ADMIN_CPU_RATIO_TARGET = 0.5
CONVENTION_CPU_TARGET_MS = 15
CSV_TARGET_MS = 10_000
PDF_TARGET_MS = 3000
REMINDERS_TARGET_MS = 10_000
# 20 people asking at once for a PDF not rendered yet: each has it within 10 s, from one render.
PDF_CONCURRENT_TARGET_MS = 10_000
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The pages compared with the admin changelist: lists of rows, as the changelist is.
LIST_PAGES = (
    "Échéancier",
    "Conventions, sans filtre",
    "Conventions, filtrées",
    "Conventions, recherche",
    "Partenaires",
    "Actions",
)
ADMIN_PAGE = "Admin, liste des conventions"
CONVENTION_PAGE = "Convention la plus longue"
# The CPU targets hold on PostgreSQL, whose SQL is not in the request's thread CPU; SQLite's
# thread CPU includes its SQL and is reported only.
CPU_TARGET_VENDORS = ("postgresql",)


@dataclass
class Measure:
    page: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int | None
    status: int
    cpu_ms: float | None = None
    renders: int | None = None  # PDFs rendered for the simultaneous requests
    note: str = ""
    target_ms: int | None = None


def _percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _users():
    User = get_user_model()
    manager_group, _ = ensure_groups()
    staff, _ = User.objects.get_or_create(username="bench-gestionnaire")
    staff.groups.add(manager_group)
    admin_user, created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    # The partner portal shows the heaviest convention page: signed, with a signed avenant, an
    # action plan, an obligation and a parent convention if one has (each a query more when
    # present), so that the page shows the same parts at every scale.
    visible = (
        _full_conventions()
        .filter(signed_on__isnull=False)
        .order_by(F("parent").asc(nulls_last=True), "pk")
        .first()
    )
    organisation = Organisation.objects.partners().filter(parties__convention=visible).first()
    partner, _ = User.objects.get_or_create(username="bench-partenaire")
    organisation.members.add(partner)
    return staff, admin_user, partner, visible


def _fetch(client, url):
    return client.get(url, HTTP_X_FORWARDED_PROTO="https")


def query_counts(pages):
    """{page: (SQL queries of one request, status)}, after two warm-up requests."""
    counts = {}
    for client, name, url in pages:
        for _ in range(2):
            _fetch(client, url)
        reset_queries()  # a previous capture's log would hide this one's queries
        with CaptureQueriesContext(connection) as queries:
            response = _fetch(client, url)
        # Counted now: the captured list is read lazily from a log the next requests reset.
        counts[name] = (len(queries), response.status_code)
    return counts


def largest_convention():
    """The heaviest convention page: the most articles among conventions with an action plan,
    a signed avenant and an obligation (each a query or two more), so that the page compared
    at two scales shows the same things."""
    return _full_conventions().annotate(n=Count("articles")).order_by("-n", "pk").first()


def _full_conventions():
    """Conventions with an action plan, a signed avenant and an obligation: the parts whose
    rows cost a query each when there are some."""
    return Convention.objects.filter(
        Exists(ActionPlan.objects.filter(convention=OuterRef("pk"))),
        Exists(Amendment.objects.filter(convention=OuterRef("pk"), signed_on__isnull=False)),
        Exists(Obligation.objects.filter(convention=OuterRef("pk"))),
    )


def main_pages(search="Chambre"):
    """[(logged-in client, page name, url)] of every page the benchmark times."""
    staff, admin_user, partner, visible = _users()
    largest = largest_convention()
    plan = largest.action_plans.order_by("-school_year").first()

    staff_client, admin_client, partner_client = Client(), Client(), Client()
    staff_client.force_login(staff)
    admin_client.force_login(admin_user)
    partner_client.force_login(partner)

    return [
        (staff_client, "Échéancier (90 jours)", reverse("echeancier:index")),
        (staff_client, "Conventions, sans filtre", reverse("conventions:list")),
        (
            staff_client,
            "Conventions, filtrées",
            reverse("conventions:list") + "?status=in_force&kind=partnership&o=-signature",
        ),
        (staff_client, "Conventions, recherche", reverse("conventions:list") + f"?q={search}"),
        (
            staff_client,
            f"Convention la plus longue ({largest.reference}, {largest.n} articles)",
            largest.get_absolute_url(),
        ),
        (staff_client, "Partenaires", reverse("partners:list")),
        (staff_client, "Actions", reverse("actions:overview")),
        (
            staff_client,
            f"Plan d'action ({largest.reference}, {plan.school_year})",
            reverse(
                "actions:plan", kwargs={"reference": largest.reference, "year": plan.school_year}
            ),
        ),
        (
            admin_client,
            f"{ADMIN_PAGE} ({PAGE_SIZE} lignes)",
            reverse("admin:conventions_convention_changelist"),
        ),
        (partner_client, "Portail, liste", reverse("portal:home")),
        (
            partner_client,
            "Portail, convention",
            reverse("portal:convention", kwargs={"reference": visible.reference}),
        ),
    ]


def page_key(name):
    """The page's name without what varies with the scale ("(CONV-…, 40 articles)")."""
    return name.split(" (")[0]


class Scales:
    """The databases of one run, each reachable as the default connection in turn."""

    def __init__(self, urls: list[str] | None):
        self.wrappers, self.aliases = {}, {}
        if not urls:  # the current database (tests)
            self.wrappers[None] = connections["default"]
            return
        base = connections.settings["default"]
        for index, url in enumerate(urls):
            alias = f"bench_{index}"
            connections.settings[alias] = {
                **base,
                **dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True),
            }
            self.wrappers[url] = connections.create_connection(alias)
            self.aliases[url] = alias

    def use(self, key):
        connections["default"] = self.wrappers[key]

    def __iter__(self):
        return iter(self.wrappers)


def _admin_rows(per_page):
    model_admin = admin.site._registry[Convention]
    model_admin.list_per_page = per_page


def run(*, databases: list[str] | None = None, repeat: int = 30, heavy: bool = True) -> dict:
    """Measures every page at every scale in interleaved rounds, then (`heavy`) the CSV of
    every convention, the PDF and send_reminders at each scale."""
    scales = Scales(databases)
    _admin_rows(PAGE_SIZE)  # the changelist shows as many rows as our lists
    pages, sizes, counts = {}, {}, {}
    for key in scales:
        scales.use(key)
        pages[key] = main_pages()
        sizes[key] = Convention.objects.count()
        counts[key] = query_counts(pages[key])
    walls = {key: {name: [] for _, name, _ in pages[key]} for key in scales}
    cpus = {key: {name: [] for _, name, _ in pages[key]} for key in scales}
    for _ in range(repeat):
        for key in scales:
            scales.use(key)
            for client, name, url in pages[key]:
                started, cpu_started = time.perf_counter(), time.thread_time()
                _fetch(client, url)
                cpus[key][name].append((time.thread_time() - cpu_started) * 1000)
                walls[key][name].append((time.perf_counter() - started) * 1000)
    runs = []
    for key in scales:
        scales.use(key)
        results = [
            Measure(
                page=name,
                url=url,
                median_ms=round(statistics.median(walls[key][name]), 1),
                p95_ms=round(_percentile(walls[key][name], 0.95), 1),
                cpu_ms=round(statistics.median(cpus[key][name]), 1),
                queries=counts[key][name][0],
                status=counts[key][name][1],
            )
            for _, name, url in pages[key]
        ]
        if heavy:
            results += _heavy_measures(pages[key][0][0], scales.aliases.get(key), key)
        runs.append(
            {
                "vendor": connection.vendor,
                "conventions": sizes[key],
                "machine": _machine(),
                "results": [asdict(m) for m in results],
            }
        )
    return {"runs": runs}


def _machine():
    try:
        load = ", charge moyenne {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    except OSError:
        load = ""
    return (
        f"{platform.node()} — {platform.machine()}, {os.cpu_count()} cœurs, "
        f"Python {platform.python_version()}{load}"
    )


def _heavy_measures(staff_client, alias, database_url) -> list[Measure]:
    results = [_csv_measure(staff_client)]
    results += _pdf_measures(staff_client, alias, database_url)
    results.append(_reminders_measure())
    return results


def _csv_measure(staff_client) -> Measure:
    """The CSV export of every convention: the time until the file is downloaded, then, in
    a second run (tracemalloc slows Python several times), the peak of Python memory. More
    than a page of rows is written by the worker (jobs): its task is run here, at once (the
    ImmediateBackend), then the file downloaded."""
    url = reverse("conventions:export")

    def export():
        response = staff_client.get(url, HTTP_X_FORWARDED_PROTO="https")
        if response.status_code == 302:  # the export's page: the file is ready
            download = response["Location"] + "fichier/"
            response = staff_client.get(download, HTTP_X_FORWARDED_PROTO="https")
        return response, sum(chunk.count(b"\n") for chunk in response.streaming_content)

    with override_settings(TASKS=IMMEDIATE_TASKS):
        started = time.perf_counter()
        response, lines = export()
        elapsed = (time.perf_counter() - started) * 1000
        tracemalloc.start()
        export()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return Measure(
        page=f"Export CSV ({lines - 1} lignes)",
        url=url,
        median_ms=round(elapsed, 1),
        p95_ms=round(elapsed, 1),
        queries=None,  # not a page: its queries are not counted
        status=response.status_code,
        note=f"pic mémoire Python {peak / 1024 / 1024:.1f} Mo",
        target_ms=CSV_TARGET_MS,
    )


def _pdf_measures(staff_client, alias, database_url) -> list[Measure]:
    """The PDF of the largest convention: cold (its render deleted, rendered by the task at
    once), warm (the stored render served), and, on the databases of `make bench`, 20
    requests at once for it uncached, with a worker beside them, on PostgreSQL (how long
    until each has its PDF, how many renders)."""
    from jobs.models import Render

    largest = largest_convention()
    url = reverse("documents:pdf", kwargs={"reference": largest.reference})
    cold, warm = [], []
    with override_settings(TASKS=IMMEDIATE_TASKS):
        for _ in range(3):
            Render.objects.filter(kind="pdf").delete()
            started = time.perf_counter()
            response = _fetch(staff_client, url)
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            _fetch(staff_client, url)
            warm.append((time.perf_counter() - started) * 1000)
    measures = [
        Measure(
            page=f"PDF à froid ({largest.reference})",
            url=url,
            median_ms=round(statistics.median(cold), 1),
            p95_ms=round(max(cold), 1),
            queries=None,
            status=response.status_code,
            target_ms=PDF_TARGET_MS,
        ),
        Measure(
            page=f"PDF déjà rendu ({largest.reference})",
            url=url,
            median_ms=round(statistics.median(warm), 1),
            p95_ms=round(max(warm), 1),
            queries=None,
            status=response.status_code,
            target_ms=PDF_TARGET_MS,
        ),
    ]
    if alias is None or connection.vendor != "postgresql":
        # The current database (tests) has no second connection; SQLite, one writer.
        return measures
    times, statuses, renders = _concurrent_pdf(url, alias, database_url)
    measures.append(
        Measure(
            page=f"PDF, {len(times)} demandes simultanées ({largest.reference})",
            url=url,
            median_ms=round(statistics.median(times), 1),
            p95_ms=round(max(times), 1),
            queries=None,
            status=max(statuses),
            note=f"{renders} rendu(s) pour {len(times)} demandes",
            renders=renders,
            target_ms=PDF_CONCURRENT_TARGET_MS,
        )
    )
    return measures


def _concurrent_pdf(url, alias, database_url, clients: int = 20):
    """`clients` threads ask for the same uncached PDF at the same moment, each with its own
    connection, and ask again while it is « en préparation »; a worker process
    (`db_worker`) runs the queue. The renders made are counted."""
    from jobs.models import Render

    staff = get_user_model().objects.get(username="bench-gestionnaire")
    Render.objects.filter(kind="pdf").delete()
    ready = threading.Barrier(clients + 1, timeout=60)
    times, statuses = [], []

    def own_connection():
        if alias:
            connections["default"] = connections.create_connection(alias)

    def ask():
        own_connection()
        try:
            client = Client()
            client.force_login(staff)
            ready.wait()
            started = time.perf_counter()
            response = _fetch(client, url)
            while response.status_code == 202 and time.perf_counter() - started < 120:
                time.sleep(0.1)
                response = _fetch(client, url)
            times.append((time.perf_counter() - started) * 1000)
            statuses.append(response.status_code)
        finally:
            ready.abort()  # no effect once passed; frees the others if this one failed
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(clients)]
    for thread in threads:
        thread.start()
    # The worker: its own process on the same database, as `make serve` starts it.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"},
        cwd=settings.BASE_DIR,
    )
    ready.wait()
    try:
        for thread in threads:
            thread.join()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    renders = Render.objects.filter(kind="pdf").count()
    return times, statuses, renders


def _reminders_measure() -> Measure:
    """send_reminders over the whole database (mail in memory), rolled back afterwards:
    every run of the benchmark sends the same reminders."""
    with (
        override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        ),
        transaction.atomic(),
    ):
        mail.outbox = []
        started = time.perf_counter()
        call_command("send_reminders", verbosity=0)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return Measure(
        page="send_reminders (toute la base)",
        url="",
        median_ms=round(elapsed, 1),
        p95_ms=round(elapsed, 1),
        queries=None,  # not a page: its queries are not counted
        status=0,
        note=f"{len(mail.outbox)} courriels",
        target_ms=REMINDERS_TARGET_MS,
    )
