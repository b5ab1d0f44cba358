"""The address of the client of a request: the one place that reads it.

Behind a reverse proxy every request comes from the proxy (`REMOTE_ADDR`); the client's
address is the one the proxy adds at the right end of `X-Forwarded-For`. Whatever stands
to the left of what our proxies added was written by the client and may be forged, so it is
never read. `TRUSTED_PROXY_COUNT` says how many proxies stand in front of the application:

- 0 (the default): `REMOTE_ADDR`, and `X-Forwarded-For` is ignored;
- N: the N-th address from the right of `X-Forwarded-For` (each proxy appends the address
  it received the request from); `REMOTE_ADDR` when the header holds fewer than N
  addresses or something else than an address at that place (the request did not come
  through every proxy).

django-axes locks logins by (username, this address): `AXES_CLIENT_IP_CALLABLE` in the
settings.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    """`value` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < count:
        return remote
    return _address(forwarded[-count]) or remote
