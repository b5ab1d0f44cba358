"""Forms of the partners' pages."""

from django import forms
from dsfr.forms import DsfrBaseForm


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
