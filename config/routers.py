"""Read-only pages read from a replica of the database, when DATABASE_REPLICA_URL is set.

A replica (PostgreSQL streaming replication) is a few moments behind the primary. So only
the GET requests of the views marked `@replica_reads` (the lists: conventions, partners,
échéancier) read from it, and only the domain's tables: sessions, users, django-axes'
lockouts, the cache and the task queue are always read from the primary (a replica late by
a second would sign out a user who has just signed in). Every write, and every read of any
other page, goes to the primary ("default"). Without a replica nothing changes.
"""

import contextvars

# Set for the time of a marked GET request (`ReplicaReadsMiddleware`).
_replica_reads = contextvars.ContextVar("replica_reads", default=False)

# The apps whose tables a marked page may read from the replica: the domain's data.
REPLICA_APPS = frozenset(
    {"partners", "conventions", "actions", "echeancier", "documents", "portal", "reprise"}
)
REPLICA = "replica"


def replica_reads(view):
    """Mark a view that only reads (a list page): its GET requests may read the replica."""
    view.replica_reads = True
    return view


class ReplicaReadsMiddleware:
    """Lets the router send the reads of a marked view's GET (or HEAD) request to the
    replica, for the time of that request only (a thread of a gthread worker serves another
    request next)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.replica_token = None
        try:
            return self.get_response(request)
        finally:
            if request.replica_token is not None:
                _replica_reads.reset(request.replica_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD") and getattr(view_func, "replica_reads", False):
            request.replica_token = _replica_reads.set(True)


class ReplicaRouter:
    """Installed by the settings only when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by replication
