"""Signing in to the portal and choosing a password: forms, so they accept POST (the only
portal addresses that do; `portal/tests/test_security.py` knows each of them)."""

from django.urls import path

from . import account_views

app_name = "portal_account"

urlpatterns = [
    path("connexion/", account_views.PortalLoginView.as_view(), name="login"),
    path("deconnexion/", account_views.PortalLogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        account_views.ChoosePasswordView.as_view(),
        name="invitation",
    ),
    path(
        "mot-de-passe-oublie/",
        account_views.ForgottenPasswordView.as_view(),
        name="forgotten_password",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        account_views.PasswordSentView.as_view(),
        name="password_sent",
    ),
]
