"""Which account a ProConnect identity signs in to. Accounts are never created here: staff
accounts are made by an administrator, partners' by an invitation (partners.accounts)."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from portal.access import is_partner
from users.roles import is_staff_member

from .models import OidcIdentity
from .refusals import Refused

STAFF = "staff"
PARTNER = "partner"
KINDS = (STAFF, PARTNER)


def check_kind(user, kind: str) -> None:
    """The staff sign in on the staff page, partners on the portal's; never the other way."""
    if kind == STAFF and not is_staff_member(user):
        raise Refused("partner_on_staff_page" if is_partner(user) else "no_access")
    if kind == PARTNER and not is_partner(user):
        raise Refused("staff_on_partner_page" if is_staff_member(user) else "no_access")


@transaction.atomic
def account_for(*, issuer: str, claims: dict, kind: str):
    """The account of the identity of these verified `claims` (of the ID token and
    userinfo), signing in as `kind`, or `Refused`.

    The identity's subject (`sub`) finds the account it was linked to, whatever its address
    has become since. The first time, it is linked to the one active account whose e-mail
    address is the identity's verified address, unless that account is already linked to
    another identity: a new holder of an old address does not take over its account.
    """
    sub = claims["sub"]
    identity = OidcIdentity.objects.select_related("user").filter(issuer=issuer, sub=sub).first()
    email = (claims.get("email") or "").strip()
    if identity is not None:
        user = identity.user
    else:
        if not email or claims.get("email_verified") is False:
            raise Refused("unverified")
        users = list(get_user_model().objects.filter(email__iexact=email).order_by("pk")[:2])
        if not users:
            raise Refused("unknown", email=email)
        if len(users) > 1:
            raise Refused("ambiguous", email=email)
        user = users[0]
        if OidcIdentity.objects.filter(user=user).exists():
            raise Refused("other_identity", email=email)
    if not user.is_active:
        raise Refused("inactive")
    check_kind(user, kind)
    if identity is None:
        _link(user, issuer=issuer, sub=sub, email=email, claims=claims)
    return user


def _link(user, *, issuer, sub, email, claims):
    try:
        with transaction.atomic():
            OidcIdentity.objects.create(user=user, issuer=issuer, sub=sub, email=email)
    except IntegrityError:  # a sign-in of the same identity or account, at the same moment
        raise Refused("other_identity", email=email) from None
    # ProConnect's names fill an account created without them (never overwrite).
    names = {"first_name": claims.get("given_name"), "last_name": claims.get("usual_name")}
    fill = {f: str(v)[:150] for f, v in names.items() if v and not getattr(user, f)}
    if fill:
        for field, value in fill.items():
            setattr(user, field, value)
        user.save(update_fields=list(fill))
