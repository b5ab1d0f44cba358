"""What must never happen on the partner portal, walked over every portal address.

- a partner of another organisation gets 404 for every object of A, exactly as for an
  object that does not exist;
- every unsafe method (POST, PUT, PATCH, DELETE) is refused on every read-only page;
- every staff page and Django admin refuse a partner;
- a new portal address fails `test_every_portal_address_is_covered` until it is added here.
"""

import datetime

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal import account_urls
from portal import urls as portal_urls
from tests.portal_world import TODAY
from users.models import CalendarToken

pytestmark = pytest.mark.django_db

MISSING = "N-EXISTE-PAS"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _token(user):
    return CalendarToken.objects.get_or_create(user=user)[0].token


# Each portal address that shows an object: (kwargs of A's object, kwargs of none). A user
# of B asks for both and must not tell them apart.
OBJECT_ADDRESSES = {
    "convention": (
        lambda w: {"reference": w.a.convention.reference},
        lambda w: {"reference": MISSING},
    ),
    "convention_pdf": (
        lambda w: {"reference": w.a.convention.reference},
        lambda w: {"reference": MISSING},
    ),
    "amendment_pdf": (
        lambda w: {"reference": w.a.convention.reference, "number": w.a.amendment.number},
        lambda w: {"reference": w.a.convention.reference, "number": 99},
    ),
    "document": (
        lambda w: {"reference": w.a.convention.reference, "pk": w.a.scan.pk},
        lambda w: {"reference": w.a.convention.reference, "pk": 999999},
    ),
}
# Addresses of no object: they must list nothing of A to B (checked below).
LIST_ADDRESSES = {"home", "calendar"}
# The feed answers to its token, not to a session: another's token is its credential.
# An unknown token, a staff member's token and a revoked partner's answer 404.
TOKEN_ADDRESSES = {"calendar_feed"}
# Forms of the sign-in machinery: they take POST by nature (portal/tests/test_access.py).
ACCOUNT_ADDRESSES = {
    "login",
    "logout",
    "invitation",
    "forgotten_password",
    "password_sent",
}


def _own_kwargs(world, name):
    """kwargs of an address that A's user may read (for the unsafe-method walk)."""
    if name in OBJECT_ADDRESSES:
        return OBJECT_ADDRESSES[name][0](world)
    if name == "calendar_feed":
        return {"token": _token(world.a.user)}
    return {}


def test_every_portal_address_is_covered():
    names = {p.name for p in portal_urls.urlpatterns}
    assert names == set(OBJECT_ADDRESSES) | LIST_ADDRESSES | TOKEN_ADDRESSES, (
        "A portal address is not walked by portal/tests/test_security.py: add it to "
        "OBJECT_ADDRESSES, LIST_ADDRESSES or TOKEN_ADDRESSES."
    )
    assert {p.name for p in account_urls.urlpatterns} == ACCOUNT_ADDRESSES


@pytest.mark.parametrize("name", sorted(OBJECT_ADDRESSES))
def test_another_organisations_objects_are_404_like_missing_ones(client, world, name):
    foreign, missing = (build(world) for build in OBJECT_ADDRESSES[name])
    client.force_login(world.b.user)
    for kwargs in (foreign, missing):
        response = client.get(reverse(f"portal:{name}", kwargs=kwargs))
        assert response.status_code == 404, kwargs
    # And A's own user reads it.
    client.force_login(world.a.user)
    assert client.get(reverse(f"portal:{name}", kwargs=foreign)).status_code == 200


def test_drafts_unsigned_avenants_and_private_scans_do_not_exist(client, world):
    client.force_login(world.a.user)
    a = world.a
    for url in (
        reverse("portal:convention", args=[world.draft.reference]),
        reverse("portal:convention_pdf", args=[world.draft.reference]),
        reverse("portal:amendment_pdf", args=[a.convention.reference, a.unsigned_amendment.number]),
        reverse("portal:document", args=[a.convention.reference, a.private_scan.pk]),
        # B's shared scan through A's convention reference.
        reverse("portal:document", args=[a.convention.reference, world.b.scan.pk]),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", sorted(LIST_ADDRESSES))
def test_pages_without_an_object_show_nothing_of_another_organisation(client, world, name):
    client.force_login(world.b.user)
    response = client.get(reverse(f"portal:{name}"))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.a.convention.reference not in content
    assert world.draft.reference not in content


def test_feed_tokens_other_than_a_partners_own_are_404(client, world, gestionnaire):
    for token in (MISSING, _token(gestionnaire)):
        assert client.get(reverse("portal:calendar_feed", args=[token])).status_code == 404
    feed = client.get(reverse("portal:calendar_feed", args=[_token(world.b.user)]))
    assert feed.status_code == 200
    assert world.a.convention.reference.encode() not in feed.content


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("name", sorted(set(OBJECT_ADDRESSES) | LIST_ADDRESSES | TOKEN_ADDRESSES))
def test_every_unsafe_method_is_refused(client, world, name, method):
    client.force_login(world.a.user)
    url = reverse(f"portal:{name}", kwargs=_own_kwargs(world, name))
    assert client.get(url).status_code == 200  # the address works...
    response = getattr(client, method)(url)
    assert response.status_code in (403, 405)  # ...but changes nothing


def _staff_addresses(resolver=None, namespace=""):
    """(name, kwargs) of every address outside the portal, admin and the sign-in pages."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in ("portal", "portal_account", "proconnect", "admin"):
                continue
            yield from _staff_addresses(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = {
                key: 1 if converter.regex == "[0-9]+" else "CONV-A"
                for key, converter in pattern.pattern.converters.items()
            }
            yield f"{namespace}{pattern.name}", kwargs


# Outside the staff application proper: the staff sign-in, the home page (which sends a
# partner to the portal), the health check, and the staff calendar feed (its token is its
# credential; a partner's token there is a 404: tests/test_calendar.py).
NOT_STAFF_PAGES = {"login", "logout", "home", "health", "calendrier:feed", "dev_mails",
                   "accessibility", "legal_notice", "personal_data"}  # fmt: skip


def test_every_staff_page_refuses_a_partner(client, world):
    client.force_login(world.a.user)
    addresses = [(n, k) for n, k in _staff_addresses() if n not in NOT_STAFF_PAGES]
    assert len(addresses) > 30  # the walk found the staff application
    for name, kwargs in addresses:
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # 405 where the page takes only POST (require_POST answers first).
            assert response.status_code in (403, 405), (name, method, response.status_code)


def test_the_home_page_sends_a_partner_to_the_portal(client, world):
    client.force_login(world.a.user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_django_admin_refuses_a_partner(client, world):
    from django.contrib import admin

    client.force_login(world.a.user)
    urls = ["/admin/"] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/")


def test_staff_are_sent_back_to_their_application(client, world, gestionnaire):
    client.force_login(gestionnaire)
    for name in ("home", "calendar"):
        response = client.get(reverse(f"portal:{name}"))
        assert response.status_code == 302
        assert response["Location"] == "/"
    # A staff agent made member of an organisation by mistake still sees nothing.
    world.a.organisation.members.add(gestionnaire)
    response = client.get(reverse("portal:convention", args=[world.a.convention.reference]))
    assert response.status_code == 302


def test_an_account_of_no_organisation_or_inactive_is_refused(client, world):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("portal:home")).status_code == 403
    world.a.user.is_active = False
    world.a.user.save()
    client.force_login(world.a.user)  # force_login ignores is_active; the portal does not
    assert client.get(reverse("portal:home")).status_code in (302, 403)


def test_anonymous_visitors_are_sent_to_the_portal_login(client, world):
    url = reverse("portal:convention", args=[world.a.convention.reference])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal_account:login')}?next={url}"


def test_visible_to_is_the_rule(world):
    from conventions.models import Convention

    assert set(Convention.objects.visible_to(world.a.user)) == {world.a.convention, world.shared}
    assert set(Convention.objects.visible_to(world.b.user)) == {world.b.convention}
    world.a.organisation.members.remove(world.a.user)
    assert not Convention.objects.visible_to(world.a.user).exists()


def test_today_is_pinned():
    assert datetime.date.today() == TODAY
