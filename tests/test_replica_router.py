"""Which database a request reads, when a read replica is configured (config/routers.py).

The replica itself, a real second PostgreSQL database behind the primary, is read by the
app servers of tests/test_several_servers.py; here, the router's choice for each request.
"""

from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory

from config.routers import ReplicaReadsMiddleware, ReplicaRouter, replica_reads
from conventions.models import Convention
from documents.models import SignedDocument
from partners.models import Organisation
from users.models import User

router = ReplicaRouter()
MODELS = (Convention, Organisation, SignedDocument, User, Session)


def _reads(*, marked, method="get"):
    """The database each model is read from while a view (marked `@replica_reads` or not)
    answers a request, through the middleware as Django's handler calls it."""
    seen = {}

    def view(request):
        seen.update({model.__name__: router.db_for_read(model) for model in MODELS})
        return HttpResponse()

    if marked:
        view = replica_reads(view)

    def handler(request):
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaReadsMiddleware(handler)
    middleware(getattr(RequestFactory(), method)("/"))
    return seen


def test_a_marked_list_page_reads_the_domain_from_the_replica():
    assert _reads(marked=True) == {
        "Convention": "replica",
        "Organisation": "replica",
        "SignedDocument": "replica",
        # Never from a replica that may be late: the user and the session just written.
        "User": "default",
        "Session": "default",
    }


def test_any_other_request_reads_the_primary():
    primary = {model.__name__: "default" for model in MODELS}
    assert _reads(marked=False) == primary  # a page not marked
    assert _reads(marked=True, method="post") == primary  # a form sent to a list
    # After a marked request, the same thread's next request starts on the primary.
    _reads(marked=True)
    assert router.db_for_read(Convention) == "default"


def test_writes_and_migrations_go_to_the_primary_only():
    assert router.db_for_write(Convention) == "default"
    assert router.allow_migrate("default", "conventions") is True
    assert router.allow_migrate("replica", "conventions") is False


def test_the_list_pages_are_marked():
    from conventions.views.lists import convention_list
    from echeancier.views import index
    from partners.views import organisation_list

    assert all(view.replica_reads for view in (convention_list, organisation_list, index))
