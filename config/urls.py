from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import health

urlpatterns = [
    path("", RedirectView.as_view(url="/echeancier/", permanent=False), name="home"),
    path("sante/", health, name="health"),
    path("admin/", admin.site.urls),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("echeancier/", include("conventions.echeancier_urls")),
    path("calendrier/", include("conventions.calendar_urls")),
    path("conventions/", include("conventions.urls")),
    path("partenaires/", include("partners.urls")),
    path("actions/", include("actions.urls")),
]
