"""Giving and taking back portal access (called by the staff organisation page)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from users.models import CalendarToken
from users.roles import is_staff_member

from .tokens import INVITATION_VALIDITY, invitation_token_generator

logger = logging.getLogger(__name__)


def password_link(user) -> str:
    """The absolute, single-use address where `user` chooses a password (7 days)."""
    path = reverse(
        "portal_account:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def send_password_link(user, *, organisation=None, template="partners/email/invitation"):
    context = {
        "user": user,
        "organisation": organisation,
        "link": password_link(user),
        "days": INVITATION_VALIDITY.days,
        "login_url": settings.SITE_URL + reverse("portal_account:login"),
        "academy_name": settings.ACADEMY_NAME,
    }
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [user.email])


class OtherOrganisation(Exception):
    """The address already reads the portal of other organisations: inviting it here gives
    that person this organisation's conventions too, which staff confirm explicitly."""

    def __init__(self, user, others):
        super().__init__(user.email)
        self.user = user
        self.others = others


@transaction.atomic
def invite_contact(
    *, organisation, email: str, first_name: str, last_name: str, confirmed: bool = False
):
    """Give `email` access to the portal of `organisation` and mail a link to choose a
    password (sent once the transaction commits).

    A new address gets an account with no usable password, named by its address; a known
    partner account is added to the organisation (and reactivated if it had been revoked);
    inviting a member again sends a fresh link. Staff accounts are refused: the portal is
    not theirs. Returns (user, created).
    """
    email = email.strip().lower()
    User = get_user_model()
    user = (
        User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .order_by("pk")
        .first()
    )
    created = user is None
    if created:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    else:
        if is_staff_member(user) or user.is_staff:
            raise ValidationError(
                "Cette adresse est celle d'un compte du rectorat : elle ne peut pas recevoir "
                "d'accès au portail des partenaires.",
                code="staff",
            )
        others = list(user.partner_organisations.exclude(pk=organisation.pk).order_by("name"))
        already = user.partner_organisations.filter(pk=organisation.pk).exists()
        if others and not already:
            if not confirmed:
                raise OtherOrganisation(user, others)
            logger.warning(
                "Portal account %s (already of %s) given access to %s",
                user.email,
                ", ".join(o.name for o in others),
                organisation.name,
            )
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
    organisation.members.add(user)
    transaction.on_commit(lambda: send_password_link(user, organisation=organisation))
    return user, created


@transaction.atomic
def revoke_access(*, organisation, user) -> bool:
    """Take back `user`'s access to `organisation`'s conventions. An account left with no
    organisation is deactivated (its sessions and links stop working).
    Returns whether the account was deactivated.

    The calendar address goes too, whatever remains: an address is revoked with the access
    it was given under (the partner gets a new one on their next visit, if any)."""
    organisation.members.remove(user)
    CalendarToken.objects.filter(user=user).delete()
    if user.partner_organisations.exists():
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    return True
