from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from dsfr.forms import DsfrBaseForm

from users.roles import is_staff_member


class InvitationForm(DsfrBaseForm):
    """Staff invite a partner contact to the portal of one organisation."""

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=150,
        error_messages={
            "required": "Indiquez l'adresse électronique du contact.",
            "invalid": "Saisissez une adresse électronique valide (nom@domaine.fr).",
        },
    )
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        error_messages={"required": "Indiquez le prénom du contact."},
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        error_messages={"required": "Indiquez le nom du contact."},
    )


class PartnerPasswordResetForm(PasswordResetForm):
    """ "Mot de passe oublié" on the portal: only partner accounts get a link, including
    invited ones that never chose a password (their invitation may have expired). The page
    says the same thing whatever the address, so that it tells no one who has an account."""

    def get_users(self, email):
        User = get_user_model()
        users = User.objects.filter(
            email__iexact=email, is_active=True, partner_organisations__isnull=False
        ).distinct()
        return [user for user in users if not is_staff_member(user)]
