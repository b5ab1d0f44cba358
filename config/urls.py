from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import include, path

from devtools.views import mails as dev_mails
from portal.access import is_partner

from . import errors, pages
from .health import health


def home(request):
    """Staff start on the échéancier, partner users on their portal."""
    return redirect("portal:home" if is_partner(request.user) else "/echeancier/")


urlpatterns = [
    path("", home, name="home"),
    path("sante/", health, name="health"),
    # The footer's mandatory pages.
    path("accessibilite/", pages.accessibility, name="accessibility"),
    path("mentions-legales/", pages.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", pages.personal_data, name="personal_data"),
    path("admin/", admin.site.urls),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("echeancier/", include("echeancier.urls")),
    path("calendrier/", include("echeancier.calendar_urls")),
    # The printed documents sit under the conventions and actions they print.
    path("", include("documents.urls")),
    path("conventions/", include("conventions.urls")),
    path("partenaires/", include("partners.urls")),
    path("actions/", include("actions.urls")),
    # The CSV exports written in the background, for the user who asked.
    path("travaux/", include("jobs.urls")),
    # The import of existing conventions from their documents.
    path("reprise/", include("reprise.urls")),
    # The partner portal: its read-only pages, and its sign-in and password pages.
    path("portail/", include("portal.urls")),
    path("portail/", include("portal.account_urls")),
    # Signing in and out through ProConnect (OpenID Connect), when it is set up.
    path("proconnect/", include("proconnect.urls")),
    # Development only: the view answers 404 unless DEBUG.
    path("dev/mails/", dev_mails, name="dev_mails"),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
