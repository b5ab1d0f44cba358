"""Forms of the staff application, rendered with the DSFR (errors in French next to fields).

Forms get their context explicitly (the convention, the party, `today`) and narrow their
choices there.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from config.widgets import FastSelect
from partners.models import Letterhead, Mandate, Organisation
from users.roles import MANAGER, READER

from ..enums import CHILD_KINDS, ArticleChangeKind, TerminationKind
from ..models import (
    Amendment,
    Annex,
    Article,
    Convention,
    ExternalReference,
    Party,
    RenewalDecision,
    Signatory,
    Termination,
)
from ..rules.clauses import notice_exceeds_term
from ..rules.formatting import french_date

# Dates outside these bounds are typing mistakes ("0202" for "2020"), and would overflow
# the deadline arithmetic.
EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def validate_plausible_date(value):
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError("Saisissez une date entre 1990 et 2100.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__({"class": "fr-input", **(attrs or {})}, format="%Y-%m-%d")


def date_field(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        validators=[validate_plausible_date],
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


class DsfrMixin:
    """DSFR markup for fields; skips django-dsfr's transitional-setting warnings.

    One renderer for every form: django-dsfr's `default_renderer` is its renderer's class,
    which Django instantiates for each form, with a new template engine that reads and
    parses the field templates again (a third of the list page's time, make bench)."""

    default_renderer = DsfrDjangoTemplates()

    def get_context(self):
        return super(DsfrBaseForm, self).get_context()


class Form(DsfrMixin, DsfrBaseForm):
    pass


# Upper bounds of the month counts: beyond them the dates overflow the calendar; the
# database (PostgreSQL smallint) would refuse them anyway, SQLite would not.
MAX_MONTHS = {
    "duration_months": 1200,
    "renewal_months": 1200,
    "new_duration_months": 1200,
    "notice_months": 120,
    "provisional_months": 120,
    "max_renewals": 100,
}


class ModelForm(DsfrMixin, forms.ModelForm, DsfrBaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in MAX_MONTHS.items():
            if name in self.fields:
                self.fields[name].max_value = limit
                self.fields[name].validators.append(MaxValueValidator(limit))
                self.fields[name].widget.attrs["max"] = limit
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.validators.append(validate_plausible_date)


class VersionMixin:
    """A hidden `version`: the version of the object the editor loaded, checked by the
    service when saving (optimistic locking: no lost update)."""

    def add_version_field(self):
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=1,
            required=bool(self.instance.pk),
            initial=self.instance.version,
            error_messages={
                "required": "La version du formulaire manque : rechargez la page.",
                "invalid": "La version du formulaire est illisible : rechargez la page.",
            },
        )

    def show_current_version(self, version: int):
        """After a refused save: the form shown again carries the current version, so that
        saving again (after checking) succeeds."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)


def staff_users():
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=(MANAGER, READER)) | Q(is_superuser=True), is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class MandateSelect(forms.Select):
    """A representative's <select>: each option says whose organisation's mandate it is
    (`data-organisation`), so that the page offers only those of the organisation chosen
    (static/js/representatives.js)."""

    def __init__(self, *args, organisation_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_of = organisation_of or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        organisation = self.organisation_of.get(str(value))
        if organisation is not None:
            option["attrs"]["data-organisation"] = str(organisation)
        return option


class MandateChoiceField(forms.ModelChoiceField):
    """A representative, grouped by organisation: the mandates held today first, then the
    former ones, marked (a convention signed years ago was signed by a former holder)."""

    def __init__(self, *, today, organisation=None, **kwargs):
        mandates = Mandate.objects.all()
        if organisation is not None:
            mandates = mandates.filter(organisation=organisation)
        mandates = mandates.select_related("person", "organisation").order_by(
            "organisation__name", "person__last_name", "pk"
        )
        kwargs.setdefault("label", "Représentant")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "Les mandats en cours de l'organisation d'abord ; son nom et sa fonction seront "
            "repris.",
        )
        super().__init__(queryset=mandates, **kwargs)
        current = {
            m.pk
            for m in mandates
            if (m.start_date is None or m.start_date <= today)
            and (m.end_date is None or today <= m.end_date)
        }
        groups: dict[str, list] = {}
        organisation_of = {}
        for mandate in sorted(mandates, key=lambda m: (m.organisation.name, m.pk not in current)):
            label = f"{mandate.person.full_name} — {mandate.title}"
            if mandate.pk not in current:
                until = f" jusqu'au {french_date(mandate.end_date)}" if mandate.end_date else ""
                label += f" (ancien mandat{until})"
            groups.setdefault(mandate.organisation.name, []).append((mandate.pk, label))
            organisation_of[str(mandate.pk)] = mandate.organisation_id
        choices = [("", "---------")]
        if organisation is not None:
            choices += [choice for group in groups.values() for choice in group]
        else:
            choices += list(groups.items())
        self.widget = MandateSelect(
            organisation_of=organisation_of,
            attrs={"data-follows": "organisation"} if organisation is None else {},
        )
        self.choices = choices


# The convention ----------------------------------------------------------------------------


class ConventionForm(VersionMixin, ModelForm):
    class Meta:
        model = Convention
        fields = [
            "reference",
            "title",
            "short_title",
            "kind",
            "parent",
            "parent_article",
            "referent",
            "preamble",
            "effective_date",
            "duration_months",
            "school_years",
            "fixed_last_day",
            "term_unknown",
            "notice_months",
            "provisional_months",
            "tacit_renewal",
            "renewal_months",
            "max_renewals",
            "requires_initials",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "preamble": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Convention.objects.exclude(kind__in=CHILD_KINDS).order_by("reference")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["referent"].queryset = staff_users()
        self.fields["preamble"].help_text = (
            "Paragraphes séparés par une ligne vide ; lignes commençant par « - » pour une "
            "liste ; **gras**, *italique*."
        )
        self.add_version_field()

    def clean(self):
        data = super().clean()
        if data.get("kind") in CHILD_KINDS and not data.get("parent"):
            self.add_error(
                "parent",
                "Une convention d'application ou locale doit avoir une convention parente.",
            )
        return data

    def validate_constraints(self):
        # `clean` (the form's and the model's) reports these rules next to their field.
        if "parent" not in self.errors and "duration_months" not in self.errors:
            super().validate_constraints()


class WordingForm(VersionMixin, ModelForm):
    """The text around the articles as it will be signed: title, cover, formulas, closing,
    letterhead (the house ones by default)."""

    class Meta:
        model = Convention
        fields = [
            "document_title",
            "has_cover",
            "cover",
            "with_letterhead",
            "letterhead",
            "parties_intro",
            "parties_outro",
            "preamble_heading",
            "articles_intro",
            "intro_after_preamble",
            "closing",
            "signatures_per_party",
        ]
        widgets = {
            "cover": forms.Textarea(attrs={"rows": 5}),
            "closing": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letterhead"].queryset = Letterhead.objects.select_related(
            "organisation"
        ).order_by("organisation__name", "-valid_from")
        self.fields["letterhead"].label_from_instance = lambda head: (
            f"{head.organisation} — {head.name} (depuis le {french_date(head.valid_from)})"
        )
        self.fields["letterhead"].widget.attrs["class"] = "fr-select"
        self.add_version_field()

    def validate_unique(self):
        pass


class PartyChoiceForm(Form):
    """One party of a new convention: an organisation and its representative."""

    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("-is_academy", "name"),
        widget=FastSelect,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate"] = MandateChoiceField(today=today)
        for name in ("organisation", "mandate"):
            self.fields[name].widget.attrs["class"] = "fr-select"
            self.fields[name].widget.group_class = "fr-select-group"

    def clean(self):
        data = super().clean()
        organisation, mandate = data.get("organisation"), data.get("mandate")
        if organisation and mandate and mandate.organisation_id != organisation.pk:
            self.add_error(
                "mandate", "Ce représentant n'exerce pas de mandat dans cette organisation."
            )
        return data


class PartyForm(ModelForm):
    """How a party is named in the text, and who represents it."""

    class Meta:
        model = Party
        fields = [
            "organisation",
            "name_as_written",
            "description",
            "designation",
            "group",
            "address",
            "printed_block",
            "signature_heading",
            "signature_mention",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "printed_block": forms.Textarea(attrs={"rows": 4}),
            "signature_heading": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, convention, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        if self.instance.pk:
            del self.fields["organisation"]
            signatory = self.instance.signatories.filter(amendment=None).first()
            self.fields["mandate"] = MandateChoiceField(
                today=today,
                organisation=self.instance.organisation,
                initial=signatory.mandate_id if signatory else None,
            )
        else:
            self.fields["organisation"].queryset = Organisation.objects.exclude(
                pk__in=convention.parties.values("organisation")
            ).order_by("-is_academy", "name")
            self.fields["mandate"] = MandateChoiceField(today=today)
        self.fields["mandate"].widget.attrs["class"] = "fr-select"
        self.fields["mandate"].widget.group_class = "fr-select-group"

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation") or (
            self.instance.organisation if self.instance.pk else None
        )
        mandate = data.get("mandate")
        if organisation and mandate and mandate.organisation_id != organisation.pk:
            self.add_error(
                "mandate", "Ce représentant n'exerce pas de mandat dans cette organisation."
            )
        return data

    def validate_unique(self):
        # The service adds the convention and position; it checks the organisation itself.
        pass


class ArticleForm(VersionMixin, ModelForm):
    class Meta:
        model = Article
        fields = ["kind", "heading", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "kind": "« Titre 2 », « Article 1 » ou numéro seul « 1.3.1 ».",
            "body": "Paragraphes séparés par une ligne vide ; lignes commençant par « - » ou "
            "« 1. » pour une liste ; un tableau en lignes « | cellule | cellule | », la "
            "première suivie de « |---|---| » pour l'en-tête ; **gras**, *italique*. Pas de HTML.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_field()

    def clean(self):
        data = super().clean()
        if not (data.get("heading") or "").strip() and not (data.get("body") or "").strip():
            self.add_error("heading", "Indiquez un intitulé ou un texte.")
        return data

    def validate_unique(self):
        pass


class AnnexForm(ModelForm):
    class Meta:
        model = Annex
        fields = ["kind", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def validate_unique(self):
        pass


# Signatures --------------------------------------------------------------------------------


class SignatureForm(Form):
    signed_on = date_field("Date de signature")
    place = forms.CharField(label="Lieu de signature", max_length=120)
    name = forms.CharField(
        label="Nom du signataire",
        max_length=200,
        required=False,
        help_text="Vide quand le texte ne nomme que la fonction.",
    )
    title = forms.CharField(label="Fonction du signataire", max_length=500, required=False)
    delegation = forms.CharField(
        label="Signe par délégation",
        max_length=200,
        required=False,
        help_text="« Pour le recteur et par délégation » ; vide s'il signe en son nom.",
    )
    delegation_act = forms.CharField(
        label="Acte de délégation",
        max_length=300,
        required=False,
        help_text="Facultatif : « arrêté du 1er septembre 2020 ».",
    )

    def __init__(self, *args, signatory: Signatory, today, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "signed_on": signatory.signed_on or today,
                "place": signatory.place,
                "name": signatory.name,
                "title": signatory.title,
                "delegation": signatory.delegation,
                "delegation_act": signatory.delegation_act,
            },
        )
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["mandate"] = MandateChoiceField(
            today=today,
            organisation=signatory.party.organisation,
            help_text="Si un autre représentant signe : son nom et sa fonction remplacent "
            "ceux ci-dessous.",
        )
        self.fields["mandate"].widget.attrs["class"] = "fr-select"
        self.fields["mandate"].widget.group_class = "fr-select-group"
        self.order_fields(
            ["signed_on", "place", "mandate", "name", "title", "delegation", "delegation_act"]
        )

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > self.today:
            raise ValidationError("La date de signature ne peut pas être dans le futur.")
        return value

    def clean(self):
        data = super().clean()
        if not data.get("mandate") and not data.get("title"):
            self.add_error(
                "title",
                "Choisissez un représentant ou indiquez sa fonction (et son nom si le texte le "
                "donne).",
            )
        return data


# Avenants ----------------------------------------------------------------------------------


class AmendmentForm(ModelForm):
    class Meta:
        model = Amendment
        fields = ["title", "body", "effective_date", "new_duration_months", "new_last_day"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "body": "Exposé de l'avenant. Les articles remplacés, ajoutés ou supprimés se "
            "saisissent ensuite, un par un.",
            "effective_date": "Vide : l'avenant prend effet à sa signature.",
        }

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention

    def clean_effective_date(self):
        from ..services.lifecycle import amendment_date_error

        value = self.cleaned_data.get("effective_date")
        if value and (refused := amendment_date_error(self.convention, value, signing=False)):
            raise ValidationError(refused)
        return value

    def clean(self):
        data = super().clean()
        if data.get("new_duration_months") and data.get("new_last_day"):
            self.add_error(
                "new_last_day",
                "Un avenant fixe une nouvelle durée ou un nouveau dernier jour, pas les deux.",
            )
        if (months := data.get("new_duration_months")) and (
            refused := notice_exceeds_term(self.convention.notice_months, months)
        ):
            self.add_error("new_duration_months", refused)
        # A new avenant of a convention that has ended: only one recorded afterwards, taking
        # effect while it applied (a new one would be refused at its signature).
        ended = self.convention.ended_before(timezone.localdate())
        if not self.instance.pk and ended and not data.get("effective_date"):
            self.add_error(
                "effective_date",
                f"La convention a pris fin le {french_date(self.convention.ends_on)} : un "
                "avenant ne la modifie plus. Pour enregistrer un avenant passé, indiquez sa "
                "date d'effet.",
            )
        last_day = data.get("new_last_day")
        since = data.get("effective_date") or self.convention.start_date
        if last_day and since and last_day < since:
            self.add_error(
                "new_last_day",
                f"Le nouveau dernier jour doit suivre le {french_date(since)}.",
            )
        return data

    def validate_constraints(self):
        if "new_last_day" not in self.errors:
            super().validate_constraints()

    def validate_unique(self):
        pass


class ExternalReferenceForm(ModelForm):
    class Meta:
        model = ExternalReference
        fields = ["label", "value"]

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention


class ParentArticleForm(ModelForm):
    class Meta:
        model = Convention
        fields = ["parent_article"]

    def validate_unique(self):
        pass


class CompletionForm(ModelForm):
    """The facts a signed convention « à compléter » lacked, found since: its date of
    signature, its term (one of duration, school years, last day)."""

    TERM_FIELDS = ["duration_months", "school_years", "fixed_last_day"]

    class Meta:
        model = Convention
        fields = ["signed_on", "duration_months", "school_years", "fixed_last_day"]
        help_texts = {
            "duration_months": "Une seule des trois : mois, années scolaires ou dernier jour."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.signed_on_unknown:
            del self.fields["signed_on"]
        else:
            self.fields["signed_on"].required = True
            self.fields["signed_on"].help_text = "Celle de la dernière partie qui a signé."
        if not self.instance.term_unknown:
            for name in self.TERM_FIELDS:
                del self.fields[name]

    def clean_signed_on(self):
        value = self.cleaned_data.get("signed_on")
        if value and value > timezone.localdate():
            raise ValidationError("La date de signature ne peut pas être dans le futur.")
        return value

    def clean(self):
        data = super().clean()
        if "signed_on" in self.fields:
            self.instance.signed_on_unknown = False
        if "duration_months" in self.fields:
            if not any(data.get(f) for f in self.TERM_FIELDS) and not self.errors:
                raise ValidationError(
                    "Indiquez la durée (en mois ou en années scolaires) ou le dernier jour."
                )
            self.instance.term_unknown = False
        return data

    def validate_constraints(self):
        if "duration_months" not in self.errors:
            super().validate_constraints()

    def validate_unique(self):
        pass


class ArticleChangeForm(Form):
    kind = forms.ChoiceField(label="Modification", choices=ArticleChangeKind.choices)
    article = forms.TypedChoiceField(
        label="Article visé",
        coerce=int,
        required=False,
        help_text="L'article remplacé ou supprimé ; pour un ajout, celui après lequel le "
        "nouvel article s'insère (vide : à la fin).",
    )
    heading = forms.CharField(label="Intitulé", max_length=500, required=False)
    body = forms.CharField(
        label="Nouveau texte",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Vide pour une suppression.",
    )

    def __init__(self, *args, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.articles = {a.pk: a for a in articles}
        self.fields["article"].choices = [("", "---------")] + [
            (a.pk, f"{'  ' * a.depth}{Article.label(a.kind, a.number)} {a.heading}".rstrip())
            for a in articles
        ]

    def clean_article(self):
        value = self.cleaned_data.get("article")
        return self.articles.get(value) if value not in (None, "") else None

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (ArticleChangeKind.REPLACE, ArticleChangeKind.REMOVE) and not data.get(
            "article"
        ):
            self.add_error("article", "Choisissez l'article remplacé ou supprimé.")
        if (
            kind in (ArticleChangeKind.REPLACE, ArticleChangeKind.ADD)
            and not (data.get("body") or "").strip()
        ):
            self.add_error("body", "Indiquez le texte de l'article.")
        return data


# Renewal and events ------------------------------------------------------------------------


class RenewForm(Form):
    reference = Convention._meta.get_field("reference").formfield()
    title = Convention._meta.get_field("title").formfield(widget=forms.Textarea(attrs={"rows": 2}))
    short_title = Convention._meta.get_field("short_title").formfield()

    def clean_reference(self):
        value = self.cleaned_data["reference"]
        if Convention.objects.filter(reference=value).exists():
            raise ValidationError("Une convention porte déjà cette référence.")
        return value


class TerminationForm(ModelForm):
    class Meta:
        model = Termination
        fields = [
            "kind",
            "party",
            "received_on",
            "requested_on",
            "cured_on",
            "agreed_last_day",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        self.fields["party"].queryset = convention.parties.select_related("organisation").order_by(
            "position"
        )
        self.fields["party"].label_from_instance = lambda party: party.display_name
        self.fields["kind"].choices = TerminationKind.choices

    def clean(self):
        from ..services.lifecycle import check_termination

        data = super().clean()
        probe = Termination(
            kind=data.get("kind") or "",
            party=data.get("party"),
            received_on=data.get("received_on"),
            requested_on=data.get("requested_on"),
            cured_on=data.get("cured_on"),
            agreed_last_day=data.get("agreed_last_day"),
        )
        try:
            check_termination(probe)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return data

    def validate_constraints(self):
        pass  # `clean` checks the same rules and reports them next to the fields


class RenewalDecisionForm(ModelForm):
    class Meta:
        model = RenewalDecision
        fields = ["decided_on", "renew", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = today or timezone.localdate()
