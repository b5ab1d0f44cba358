"""Signing in to the portal, and choosing a password from an invitation (or a forgotten
password) link. These pages accept POST, being forms; the portal pages proper do not."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator

from partners.tokens import INVITATION_VALIDITY, invitation_token_generator

from .forms import PartnerPasswordResetForm


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    """django-axes throttles it like the staff login (its backend and middleware see every
    authentication)."""

    template_name = "portal/account/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse("portal:home")


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal_account:login")


@method_decorator(login_not_required, name="dispatch")
class ChoosePasswordView(auth_views.PasswordResetConfirmView):
    """The link of an invitation: valid 7 days, spent once the password is chosen; the
    partner is then signed in and lands on the portal."""

    template_name = "portal/account/choose_password.html"
    token_generator = invitation_token_generator
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("portal:home")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "days": INVITATION_VALIDITY.days}


@method_decorator(login_not_required, name="dispatch")
class ForgottenPasswordView(auth_views.PasswordResetView):
    template_name = "portal/account/forgotten_password.html"
    form_class = PartnerPasswordResetForm
    token_generator = invitation_token_generator
    subject_template_name = "portal/email/password_subject.txt"
    email_template_name = "portal/email/password.txt"
    success_url = reverse_lazy("portal_account:password_sent")

    @property
    def extra_email_context(self):  # an attribute in Django's view; settings read late
        return {
            "site_url": settings.SITE_URL,
            "days": INVITATION_VALIDITY.days,
            "academy_name": settings.ACADEMY_NAME,
        }


@method_decorator(login_not_required, name="dispatch")
class PasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "portal/account/password_sent.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "days": INVITATION_VALIDITY.days}
