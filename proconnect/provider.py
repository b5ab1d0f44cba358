"""The OpenID Connect provider (ProConnect) as this service knows it: whether it is set up,
and its discovery document, read once an hour."""

import requests
from django.conf import settings
from django.core.cache import caches

DISCOVERY_SECONDS = 3600
# What the sign-in and sign-out need of the discovery document.
REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")


class Unavailable(Exception):
    """The provider's discovery document could not be read, or is not the issuer's."""


def enabled() -> bool:
    """ProConnect is set up (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): the sign-in
    pages show its button. Without it, passwords work as they always did."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET)


def configuration() -> dict:
    """The provider's discovery document (ISSUER/.well-known/openid-configuration), kept an
    hour in the cache. Its `issuer` must be OIDC_ISSUER exactly (OpenID Connect Discovery
    4.3): a document naming another issuer is refused, as are the ID tokens it would sign."""
    issuer = settings.OIDC_ISSUER
    key = f"proconnect:discovery:{issuer}"
    cache = caches["local"]  # each process's memory: public, and read on every sign-in
    document = cache.get(key)
    if document is not None:
        return document
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise Unavailable(f"discovery document of {issuer}: {error}") from error
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise Unavailable(f"the discovery document of {issuer} names another issuer")
    missing = [name for name in REQUIRED if not document.get(name)]
    if missing:
        raise Unavailable(f"the discovery document of {issuer} lacks {', '.join(missing)}")
    cache.set(key, document, DISCOVERY_SECONDS)
    return document
