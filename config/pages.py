"""The pages every footer links to: accessibility statement, legal notice, personal data.

Public (the sign-in pages show the footer too); their content is the académie's, read from
the settings (`LEGAL_*`, `DPO_CONTACT`, `ACCESSIBILITY_CONTACT`).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


def _legal_context():
    return {
        "publisher": settings.LEGAL_PUBLISHER,
        "publication_director": settings.LEGAL_PUBLICATION_DIRECTOR,
        "host": settings.LEGAL_HOST,
        "dpo_contact": settings.DPO_CONTACT,
        "accessibility_contact": settings.ACCESSIBILITY_CONTACT,
        "login_log_retention_days": settings.LOGIN_LOG_RETENTION_DAYS,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
    }


@login_not_required
@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html", _legal_context())


@login_not_required
@require_safe
def legal_notice(request):
    return render(request, "pages/legal_notice.html", _legal_context())


@login_not_required
@require_safe
def personal_data(request):
    return render(request, "pages/personal_data.html", _legal_context())
