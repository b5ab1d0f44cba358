"""Forms of the partners' pages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from config.widgets import FastSelect

from .models import Mandate, Organisation, Person
from .validators import validate_siret


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
    # Sent by the confirmation page when the address already reads the portal of another
    # organisation.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DsfrMixin:
    """DSFR markup for fields, with one renderer for every form (as `conventions.forms`):
    django-dsfr's default builds a template engine per form."""

    default_renderer = DsfrDjangoTemplates()

    def get_context(self):
        return super(DsfrBaseForm, self).get_context()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-input", **(attrs or {})}, format="%Y-%m-%d")


EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def validate_plausible_date(value):
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError("Saisissez une date entre 1900 et 2100.")


def date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        validators=[validate_plausible_date],
        help_text="Vide : inconnue ou toujours en cours.",
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


def as_select(field):
    field.widget.attrs["class"] = "fr-select"
    field.widget.group_class = "fr-select-group"


class OrganisationForm(DsfrMixin, forms.ModelForm, DsfrBaseForm):
    """An organisation's identity. Whether it is the académie is left to the administrators."""

    # No length limit before `clean_siret` drops the spaces: it says « 14 chiffres ».
    siret = forms.CharField(
        label="SIRET",
        required=False,
        help_text="14 chiffres, espaces permis ; vérifié par sa clé de contrôle.",
    )

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "legal_form", "siret", "address", "email", "phone",
                  "website"]  # fmt: skip
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": "Le nom complet, tel que les conventions l'impriment.",
            "address": "Imprimée dans les conventions ; les conventions signées gardent "
            "celle de leur signature.",
        }
        error_messages = {
            "name": {"required": "Indiquez le nom de l'organisation."},
            "email": {"invalid": "Saisissez une adresse électronique valide (nom@domaine.fr)."},
            "website": {"invalid": "Saisissez une adresse internet complète (https://…)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        as_select(self.fields["legal_form"])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        same = Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        other = same.order_by("pk").first()
        if other is not None:
            raise ValidationError(
                f"« {other.name} » existe déjà : ouvrez sa page plutôt que d'en créer une "
                "autre (ou fusionnez-les)."
            )
        return name

    def clean_siret(self):
        """« 130 025 265 00013 » is read as 13002526500013, then checked (its key, unique)."""
        siret = "".join(self.cleaned_data["siret"].split()).replace(".", "")
        if not siret:
            return siret
        validate_siret(siret)
        other = (
            Organisation.objects.filter(siret=siret)
            .exclude(pk=self.instance.pk)
            .order_by("pk")
            .first()
        )
        if other is not None:
            raise ValidationError(
                f"Ce SIRET est déjà celui de « {other.name} » : s'il s'agit du même organisme, "
                "fusionnez les deux organisations."
            )
        return siret


class PersonForm(DsfrMixin, forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = Person
        fields = ["civility", "first_name", "last_name", "email", "phone"]
        error_messages = {
            "first_name": {"required": "Indiquez le prénom."},
            "last_name": {"required": "Indiquez le nom."},
            "email": {"invalid": "Saisissez une adresse électronique valide (nom@domaine.fr)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        as_select(self.fields["civility"])


TITLE_HELP = (
    "« Président », « Directrice régionale » : reprise par les conventions qu'il ou elle signe."
)


def check_mandate_dates(form, data):
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        form.add_error("end_date", "La fin du mandat précède son début.")
    return data


class NewPersonForm(PersonForm):
    """A person and the office they hold at the organisation whose page adds them."""

    title = forms.CharField(
        label="Fonction",
        max_length=255,
        help_text=TITLE_HELP,
        error_messages={"required": "Indiquez la fonction exercée."},
    )
    start_date = date_field("Début du mandat")
    end_date = date_field("Fin du mandat")

    def clean(self):
        return check_mandate_dates(self, super().clean())


class MandateForm(DsfrMixin, forms.ModelForm, DsfrBaseForm):
    """Who holds which office where, and when."""

    class Meta:
        model = Mandate
        fields = ["person", "organisation", "title", "start_date", "end_date"]
        widgets = {"person": FastSelect, "organisation": FastSelect}
        error_messages = {
            "person": {"required": "Choisissez la personne."},
            "organisation": {"required": "Choisissez l'organisation."},
            "title": {"required": "Indiquez la fonction exercée."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.order_by("last_name", "first_name", "pk")
        self.fields["organisation"].queryset = Organisation.objects.order_by(
            "-is_academy", "name", "pk"
        )
        for name in ("person", "organisation"):
            as_select(self.fields[name])
        for name in ("start_date", "end_date"):
            self.fields[name] = date_field(f"{self.fields[name].label.capitalize()} du mandat")
        self.fields["title"].help_text = TITLE_HELP

    def clean(self):
        return check_mandate_dates(self, super().clean())

    def validate_constraints(self):
        # `clean` says it next to the end date: not again above the form.
        if "end_date" not in self.errors:
            super().validate_constraints()


class MergeChoiceForm(DsfrMixin, DsfrBaseForm):
    """The duplicate to merge into the organisation whose page this is."""

    duplicate = forms.ModelChoiceField(
        label="Doublon à fusionner dans cette organisation",
        queryset=Organisation.objects.none(),
        widget=FastSelect,
        help_text="Ses conventions, correspondants, mandats et comptes du portail passeront "
        "à cette organisation, puis il sera supprimé. Une confirmation suit.",
        error_messages={
            "required": "Choisissez l'organisation en double.",
            "invalid_choice": "Cette organisation n'existe pas ou plus : choisissez-en une autre.",
        },
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = (
            Organisation.objects.partners().exclude(pk=organisation.pk).order_by("name", "pk")
        )
        as_select(self.fields["duplicate"])
