from django.urls import path

from . import views
from .accounts import PARTNER, STAFF

app_name = "proconnect"

urlpatterns = [
    path("agents/", views.StartView.as_view(kind=STAFF), name="start_staff"),
    path("partenaires/", views.StartView.as_view(kind=PARTNER), name="start_partner"),
    # The redirect URI and post-logout redirect URI registered with the provider.
    path("retour/", views.CallbackView.as_view(), name="callback"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("deconnecte/", views.logged_out, name="logged_out"),
]
