"""Signing in and out through ProConnect: mozilla-django-oidc's views (state, nonce and
PKCE verifier kept in the session, each state used once), with the kind of sign-in (staff or
partner) carried by the state, and every refusal a French page that leaves no session."""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from . import provider
from .accounts import PARTNER, STAFF
from .backends import oidc_setting
from .refusals import Refused

# Where each kind of account signs in, and lands when nothing else is asked.
LOGIN_PAGES = {STAFF: "login", PARTNER: "portal_account:login"}
HOME_PAGES = {STAFF: "/", PARTNER: "portal:home"}


def refused(request, refusal: Refused, kind: str | None):
    """The French page of a refused sign-in; whatever session there was is ended."""
    auth.logout(request)
    kind = kind if kind in LOGIN_PAGES else STAFF
    return render(
        request,
        "proconnect/refused.html",
        {
            "refusal": refusal,
            "kind": kind,
            "login_url": reverse(LOGIN_PAGES[kind]),
            "other_login_url": reverse(LOGIN_PAGES[PARTNER if kind == STAFF else STAFF]),
        },
        status=refusal.status,
    )


@method_decorator(login_not_required, name="dispatch")
class StartView(OIDCAuthenticationRequestView):
    """The ProConnect button: to the provider's authorization endpoint, with a new state,
    nonce and PKCE challenge (S256); the state remembers which page it was pressed on."""

    kind = STAFF
    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        # mozilla-django-oidc reads the endpoint here; ours comes from discovery, on use.
        View.__init__(self, **kwargs)

    @property
    def OIDC_RP_CLIENT_ID(self):
        return settings.OIDC_CLIENT_ID

    def get(self, request):
        if not provider.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.configuration()["authorization_endpoint"]
        except provider.Unavailable:
            return refused(request, Refused("unavailable", status=502), self.kind)
        response = super().get(request)
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        request.session["oidc_states"][state]["kind"] = self.kind
        request.session.modified = True
        return response

    def get_extra_params(self, request):
        return {"acr_values": settings.OIDC_ACR_VALUES} if settings.OIDC_ACR_VALUES else {}


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer (the redirect URI). Its state must be one this browser's
    session started and did not use yet; then the code is exchanged, the ID token checked
    (proconnect.backends) and the account found (proconnect.accounts)."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not provider.enabled():
            raise Http404
        states = request.session.get("oidc_states")
        entry = states.get(request.GET.get("state", "")) if isinstance(states, dict) else None
        self.kind = entry.get("kind") if isinstance(entry, dict) else None
        if self.kind not in LOGIN_PAGES:
            # Used already, started in another browser, or never started: mozilla-django-oidc
            # would answer a bare 400.
            return refused(request, Refused("state"), None)
        request.proconnect_kind = self.kind
        try:
            return super().get(request)
        except Refused as refusal:
            return refused(request, refusal, self.kind)
        except SuspiciousOperation:
            return refused(request, Refused("state"), self.kind)

    @property
    def success_url(self):
        next_url = self.request.session.get("oidc_login_next")
        return next_url or reverse_home(self.kind)

    def login_failure(self):
        reason = "cancelled" if self.request.GET.get("error") else "invalid_token"
        return refused(self.request, Refused(reason), self.kind)


def reverse_home(kind):
    home = HOME_PAGES[kind]
    return home if home.startswith("/") else reverse(home)


class LogoutView(OIDCLogoutView):
    """Signing out (POST): here, and at the provider when the session came from it
    (provider_logout_url)."""

    get_settings = staticmethod(oidc_setting)
    http_method_names = ["post"]


def provider_logout_url(request):
    """Where signing out sends the browser (OIDC_OP_LOGOUT_URL_METHOD): the provider's
    end_session_endpoint, which ends its own session too and comes back to `logged_out`;
    the sign-in page when the session did not come from ProConnect."""
    kind = request.session.get("proconnect_kind")
    kind = kind if kind in LOGIN_PAGES else STAFF
    id_token = request.session.get("oidc_id_token")
    local = reverse(LOGIN_PAGES[kind])
    if not id_token or not provider.enabled():
        return local
    try:
        endpoint = provider.configuration().get("end_session_endpoint")
    except provider.Unavailable:
        return local
    if not endpoint:
        return local
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": kind,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("proconnect:logged_out")
            ),
        }
    )
    return f"{endpoint}?{query}"


@login_not_required
@require_safe
def logged_out(request):
    """Back from the provider's sign-out: the sign-in page of the kind that signed out (the
    `state` given to the provider)."""
    kind = request.GET.get("state")
    return redirect(LOGIN_PAGES[kind if kind in LOGIN_PAGES else STAFF])
