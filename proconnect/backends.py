"""The authentication backends of ProConnect: mozilla-django-oidc's, with the endpoints of
the discovery document and the checks it leaves out; and the gate that refuses staff
passwords once ProConnect is required for them."""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from users.roles import is_staff_member

from . import accounts, provider
from .refusals import Refused

# mozilla-django-oidc's setting names → ours (config/settings.py), read at each use so that
# the environment is the only place to set them.
ALIASES = {
    "OIDC_RP_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "OIDC_SCOPES",
    "OIDC_RP_SIGN_ALGO": "OIDC_SIGN_ALGO",
}
# Seconds of difference between the provider's clock and ours tolerated on `exp` and `iat`.
CLOCK_LEEWAY = 30


def oidc_setting(attr, *default):
    return import_from_settings(ALIASES.get(attr, attr), *default)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Signs in the account of a ProConnect identity (proconnect.accounts), from the callback
    view only: it answers no password.

    Of mozilla-django-oidc it keeps the code exchange (with the PKCE verifier), the key
    looked up in the provider's JWKS and the userinfo request. It adds what that library
    does not check of the ID token: its issuer, its audience (and `azp`), that it carries an
    expiry and an issue time, and the `sub` of userinfo being the ID token's.
    """

    get_settings = staticmethod(oidc_setting)
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads its endpoints here; ours come from discovery, on use.
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return provider.configuration()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):
        return provider.configuration()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):
        return provider.configuration()["jwks_uri"]

    @property
    def OIDC_RP_CLIENT_ID(self):
        return settings.OIDC_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):
        return settings.OIDC_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self):
        return settings.OIDC_SIGN_ALGO

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce and the kind of sign-in (never a password).
        if request is None or "nonce" not in kwargs or not provider.enabled():
            return None
        if getattr(request, "proconnect_kind", None) not in accounts.KINDS:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except provider.Unavailable:
            raise Refused("unavailable", status=502) from None
        except requests.HTTPError as error:
            # The token endpoint refuses a code already used, expired, or whose PKCE
            # verifier is not ours.
            if error.response is not None and error.response.status_code in (400, 401):
                raise Refused("rejected") from None
            raise Refused("unavailable", status=502) from None
        except requests.RequestException:
            raise Refused("unavailable", status=502) from None

    def verify_token(self, token, **kwargs):
        """The claims of a JWT signed by the provider: the ID token (with its `nonce`) or
        the userinfo response (ProConnect signs it too)."""
        is_id_token = "nonce" in kwargs
        try:
            alg = jwt.get_unverified_header(token).get("alg")
        except (jwt.InvalidTokenError, TypeError):
            raise Refused("invalid_token") from None
        if alg != self.OIDC_RP_SIGN_ALGO:  # never "none", nor a key confusion
            raise Refused("invalid_token")
        try:
            key = self.retrieve_matching_jwk(token)
        except (SuspiciousOperation, KeyError, jwt.PyJWKError):
            raise Refused("invalid_token") from None
        required = ["iss", "aud", "sub", "exp", "iat"] if is_id_token else ["iss", "aud", "sub"]
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=CLOCK_LEEWAY,
                options={"require": required},
            )
        except jwt.ExpiredSignatureError:
            raise Refused("expired") from None
        except jwt.InvalidTokenError:
            raise Refused("invalid_token") from None
        if is_id_token:
            audience = claims["aud"]
            several = isinstance(audience, list) and len(audience) > 1
            if several and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise Refused("invalid_token")
            nonce = kwargs["nonce"]
            if not nonce or claims.get("nonce") != nonce:
                raise Refused("invalid_token")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict) or userinfo.get("sub") != payload["sub"]:
            raise Refused("invalid_token")  # OpenID Connect Core 5.3.2
        return userinfo

    def get_or_create_user(self, access_token, id_token, payload):
        """Never creates: the account linked to the identity, or linked now by its verified
        address (proconnect.accounts). The level of authentication stays in the session."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        kind = self.request.proconnect_kind
        user = accounts.account_for(
            issuer=settings.OIDC_ISSUER, claims={**userinfo, "sub": payload["sub"]}, kind=kind
        )
        session = self.request.session
        session["proconnect_kind"] = kind
        session["proconnect_acr"] = payload.get("acr", "")
        session["proconnect_amr"] = payload.get("amr", [])
        return user

    def get_user(self, user_id):
        # Django's check (an account deactivated since ends its sessions), not the library's.
        return ModelBackend.get_user(self, user_id)


class StaffPasswordGate:
    """With OIDC_REQUIRED_FOR_STAFF, a member of the staff groups cannot sign in with a
    password (on either sign-in page): ProConnect only. Superusers keep theirs, the way in
    when ProConnect is down. Placed before ModelBackend: its PermissionDenied stops Django
    from trying the password at all. It has no `get_user`, not being a way to sign in
    (nor the backend that Django's test client's `force_login` would pick)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if not (settings.OIDC_REQUIRED_FOR_STAFF and provider.enabled()):
            return None
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is not None and not user.is_superuser and is_staff_member(user):
            raise PermissionDenied
        return None
