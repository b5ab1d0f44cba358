from django.conf import settings
from django.urls import reverse

from . import provider


def proconnect(request):
    """The ProConnect buttons' addresses (empty when ProConnect is not set up), and the
    sign-out address of a session that came from ProConnect (empty otherwise: the page's
    own sign-out)."""
    if not provider.enabled():
        return {
            "proconnect_staff_url": "",
            "proconnect_partner_url": "",
            "proconnect_logout_url": "",
            "proconnect_required": False,
        }
    from_provider = hasattr(request, "session") and "oidc_id_token" in request.session
    return {
        "proconnect_staff_url": reverse("proconnect:start_staff"),
        "proconnect_partner_url": reverse("proconnect:start_partner"),
        "proconnect_logout_url": reverse("proconnect:logout") if from_provider else "",
        "proconnect_required": settings.OIDC_REQUIRED_FOR_STAFF,
    }
