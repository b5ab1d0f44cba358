"""French DSFR error pages (400, 403, 404, 500 and a refused CSRF check).

Pages under /portail/ keep the portal's frame, the others the staff one. The 500 page is
rendered without the request's context (no user, no database): whatever failed may fail
again.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def _render(request, status, template, extra=None):
    frame = "portal/base.html" if request.path.startswith("/portail/") else "base.html"
    context = {"frame": frame, "status": status, **(extra or {})}
    body = loader.render_to_string(template, context, request)
    return HttpResponse(body, status=status)


@login_not_required
@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, 400, "errors/400.html")


@login_not_required
@requires_csrf_token
def permission_denied(request, exception=None):
    return _render(request, 403, "errors/403.html")


@login_not_required
@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, 404, "errors/404.html")


@login_not_required
def server_error(request):
    context = {"frame": "base.html", "status": 500, "academy_name": settings.ACADEMY_NAME}
    return HttpResponse(loader.render_to_string("errors/500.html", context), status=500)


@login_not_required
@requires_csrf_token
def csrf_failure(request, reason=""):
    # `reason` is for developers (Django logs it); the page tells what to do.
    return _render(request, 403, "errors/csrf.html")
