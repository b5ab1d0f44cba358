"""The private calendar feed (no login: its secret token is the credential) and the staff
page that shows, regenerates or revokes the address."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from users.models import CalendarToken
from users.perms import staff_required
from users.roles import is_manager, is_staff_member

from .calendar import FEED_PAST_DAYS, feed_for
from .models import Deadline


@login_not_required
def feed(request, token):
    # Queries: the token with its user, the user's groups (twice), the deadlines.
    calendar_token = get_object_or_404(CalendarToken.objects.select_related("user"), token=token)
    user = calendar_token.user
    if not user.is_active or not is_staff_member(user):
        raise Http404  # a partner or a departed agent: the address no longer exists
    manager = is_manager(user)
    today = timezone.localdate()
    deadlines = (
        Deadline.objects.visible_in_feed_of(user, is_manager=manager)
        .filter(due_on__gte=today - datetime.timedelta(days=FEED_PAST_DAYS))
        .select_related("convention__referent")
        .order_by("due_on", "convention__reference", "kind", "pk")
    )
    name = "Échéances des conventions" if manager else "Mes échéances de conventions"
    response = HttpResponse(
        feed_for(deadlines, now=timezone.now(), name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="echeances.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@staff_required
def index(request):
    calendar_token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = (
        settings.SITE_URL + reverse("calendrier:feed", kwargs={"token": calendar_token.token})
        if calendar_token
        else None
    )
    return render(
        request,
        "echeancier/calendar.html",
        {
            "feed_url": feed_url,
            "calendar_token": calendar_token,
            "all_conventions": is_manager(request.user),
        },
    )


@staff_required
@require_POST
def regenerate(request):
    had_one = CalendarToken.objects.filter(user=request.user).exists()
    CalendarToken.regenerate(request.user)
    if had_one:
        messages.success(
            request,
            "Nouvelle adresse créée : l'ancienne ne fonctionne plus. Abonnez-vous à "
            "la nouvelle dans votre agenda.",
        )
    else:
        messages.success(request, "Votre adresse d'agenda est prête.")
    return redirect("calendrier:index")


@staff_required
@require_POST
def revoke(request):
    CalendarToken.objects.filter(user=request.user).delete()
    messages.success(request, "Adresse révoquée : votre agenda ne recevra plus les échéances.")
    return redirect("calendrier:index")
