"""Forms of the yearly cycle (DSFR markup, French errors next to the fields, what the user
typed kept when refused). Each form gets its convention (or plan, meeting, obligation)
explicitly and narrows its choices there.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from conventions.forms import Form, ModelForm, validate_plausible_date

from .enums import ActionStatus, Audience, Rhythm
from .models import (
    Action,
    ActionPlan,
    Obligation,
    ObligationFulfilment,
    SteeringMeeting,
    school_year_label,
)

# A fulfilment's attached file: what partners send (a PDF, a spreadsheet, a table, a
# picture), recognised by its name AND its first bytes, within the size limit.
FILE_MAX_BYTES = getattr(settings, "OBLIGATION_FILE_MAX_BYTES", 10 * 1024 * 1024)
_ZIP = b"PK\x03\x04"
FILE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".xlsx": (_ZIP,),
    ".docx": (_ZIP,),
    ".odt": (_ZIP,),
    ".ods": (_ZIP,),
    ".zip": (_ZIP,),
    ".csv": None,  # text: checked as such
    ".txt": None,
}


def check_attachment(upload) -> None:
    """Refuses, in French, a file too large, of another type, or whose content is not what
    its name says (a renamed executable)."""
    if upload.size > FILE_MAX_BYTES:
        raise ValidationError(
            "Le fichier pèse %(size)s : la limite est de %(limit)s.",
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(FILE_MAX_BYTES)},
        )
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in FILE_SIGNATURES:
        raise ValidationError(
            "Type de fichier non accepté. Formats acceptés : PDF, tableur ou document "
            "(xlsx, ods, docx, odt), CSV, texte, image (PNG, JPEG) ou archive ZIP.",
            code="type",
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = FILE_SIGNATURES[extension]
    if signatures is None:
        if b"\x00" in head:  # binary content under a text name
            raise ValidationError("Ce fichier n'est pas un fichier texte lisible.", code="content")
    elif not head.startswith(signatures):
        raise ValidationError(
            "Le contenu du fichier ne correspond pas à son extension : déposez le fichier "
            "d'origine.",
            code="content",
        )


class AudiencesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Publics visés",
            choices=Audience.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choisissez des publics de la liste."},
            **kwargs,
        )


# Plans ---------------------------------------------------------------------------------------


class PlanForm(ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["school_year", "title"]
        error_messages = {
            "school_year": {
                "invalid": "Saisissez l'année de la rentrée, par exemple 2024 pour 2024-2025."
            }
        }

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        self.fields["school_year"].min_value = 1990
        self.fields["school_year"].max_value = 2100
        self.fields["school_year"].widget.attrs.update({"min": 1990, "max": 2100})

    def clean_school_year(self):
        year = self.cleaned_data["school_year"]
        if not 1990 <= year <= 2100:
            raise ValidationError("Saisissez une année entre 1990 et 2100.")
        taken = ActionPlan.objects.filter(
            convention=self.instance.convention, school_year=year
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(f"La convention a déjà un plan pour {school_year_label(year)}.")
        return year

    def validate_constraints(self):
        pass  # clean_school_year reports the same rules next to the field


class CarryOverForm(Form):
    title = forms.CharField(
        label="Titre du nouveau plan",
        max_length=255,
        required=False,
        help_text="Laisser vide pour reprendre le titre de ce plan.",
    )


# Actions -------------------------------------------------------------------------------------


class ActionForm(ModelForm):
    """An action's wording, with one text per party ("Pour la CRESS PACA : ...")."""

    audiences = AudiencesField()

    class Meta:
        model = Action
        fields = [
            "number",
            "axis",
            "title",
            "objective",
            "modalities",
            "start_label",
            "start_date",
            "status",
            "pupils_reached",
            "events_held",
            "results_comment",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "objective": forms.Textarea(attrs={"rows": 3}),
            "modalities": forms.Textarea(attrs={"rows": 3}),
            "results_comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.plan = plan
        self.parties = parties
        self.fields["number"].required = False
        self.fields["number"].min_value = 1
        self.fields["number"].help_text = "Laisser vide : le numéro suivant."
        self.fields["axis"].widget.attrs["list"] = "axes"
        self.fields["status"].choices = ActionStatus.choices
        existing = {}
        if self.instance.pk:
            self.fields["audiences"].initial = [a.audience for a in self.instance.audiences.all()]
            existing = {c.party_id: c.text for c in self.instance.contributions.all()}
        for party in parties:
            self.fields[f"party_{party.pk}"] = forms.CharField(
                label=f"Pour {party.display_name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=existing.get(party.pk, ""),
                help_text="Ce que fait cette partie ; une ligne « 1. » par engagement.",
            )

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is not None:
            taken = self.plan.actions.filter(number=number).exclude(pk=self.instance.pk)
            if taken.exists():
                raise ValidationError(f"L'action n°{number} existe déjà dans ce plan.")
        return number

    def validate_constraints(self):
        pass  # clean_number reports the numbering rule next to the field

    def contributions(self) -> dict[int, str]:
        return {party.pk: self.cleaned_data.get(f"party_{party.pk}", "") for party in self.parties}


class ActionResultsForm(ModelForm):
    """What an action became (its wording is frozen in a signed annex)."""

    audiences = AudiencesField()

    class Meta:
        model = Action
        fields = ["status", "pupils_reached", "events_held", "results_comment"]
        widgets = {"results_comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ActionStatus.choices
        self.fields["audiences"].initial = [a.audience for a in self.instance.audiences.all()]


# Steering meetings ---------------------------------------------------------------------------


class MeetingForm(ModelForm):
    class Meta:
        model = SteeringMeeting
        fields = [
            "held_on",
            "place",
            "agenda",
            "minutes",
            "decisions",
            "minutes_shared",
            "reviewed_plan",
            "adopted_plan",
        ]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, convention, parties, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        self.parties = parties
        for name in ("reviewed_plan", "adopted_plan"):
            self.fields[name].queryset = plans
            self.fields[name].label_from_instance = lambda p: f"Plan {p.school_year_label}"
            self.fields[name].error_messages["invalid_choice"] = (
                "Choisissez un plan de cette convention."
            )
        self.fields["reviewed_plan"].help_text = "Le plan de l'année écoulée, action par action."
        self.fields["adopted_plan"].help_text = "Le plan de l'année à venir, adopté ce jour."
        existing = {}
        if self.instance.pk:
            existing = {a.party_id: a.attendees for a in self.instance.attendances.all()}
        for party in parties:
            self.fields[f"attendees_{party.pk}"] = forms.CharField(
                label=f"Participants pour {party.display_name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.get(party.pk, ""),
                help_text="Noms et fonctions, un par ligne.",
            )

    def attendees(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"attendees_{p.pk}", "") for p in self.parties}


class ReviewForm(Form):
    status = forms.ChoiceField(label="État constaté", choices=ActionStatus.choices)
    pupils_reached = forms.IntegerField(
        label="Élèves touchés", required=False, min_value=0, max_value=10_000_000
    )
    events_held = forms.IntegerField(
        label="Événements réalisés", required=False, min_value=0, max_value=100_000
    )
    assessment = forms.CharField(
        label="Bilan du comité",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui a été fait, ce qui reste à faire, les suites décidées.",
    )


# Obligations ---------------------------------------------------------------------------------


class ObligationForm(ModelForm):
    fixed_dates = forms.CharField(
        label="Dates fixes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pour le rythme « à dates fixes » : une date par ligne (jj/mm/aaaa).",
    )

    class Meta:
        model = Obligation
        fields = ["party", "title", "description", "rhythm"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        self.fields["party"].queryset = convention.parties.select_related("organisation").order_by(
            "position", "pk"
        )
        self.fields["party"].label_from_instance = lambda party: party.display_name
        self.fields["party"].error_messages["invalid_choice"] = (
            "Choisissez une partie de la convention."
        )
        self.fields["rhythm"].choices = Rhythm.choices
        if self.instance.pk and not self.is_bound:
            self.initial["fixed_dates"] = "\n".join(
                f"{d.due_on:%d/%m/%Y}" for d in self.instance.fixed_dates.all()
            )

    def clean_fixed_dates(self):
        dates, wrong = [], []
        for line in self.cleaned_data["fixed_dates"].splitlines():
            text = line.strip()
            if not text:
                continue
            value = None
            for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    value = datetime.datetime.strptime(text, pattern).date()
                    break
                except ValueError:
                    continue
            if value is None:
                wrong.append(text)
                continue
            try:
                validate_plausible_date(value)
            except ValidationError:
                wrong.append(text)
                continue
            dates.append(value)
        if wrong:
            raise ValidationError(
                "Dates non reconnues : %(wrong)s. Saisissez une date par ligne (jj/mm/aaaa).",
                params={"wrong": ", ".join(wrong)},
            )
        return dates

    def clean(self):
        data = super().clean()
        missing = data.get("rhythm") == Rhythm.FIXED_DATES and not data.get("fixed_dates")
        if missing and "fixed_dates" not in self.errors:
            self.add_error("fixed_dates", "Indiquez au moins une date d'échéance.")
        return data


class FulfilmentForm(ModelForm):
    """A delivery for one due occurrence, chosen among the obligation's due dates."""

    due_on = forms.TypedChoiceField(
        label="Échéance concernée",
        coerce=datetime.date.fromisoformat,
        error_messages={"invalid_choice": "Choisissez une échéance de cet engagement."},
    )

    class Meta:
        model = ObligationFulfilment
        fields = ["due_on", "delivered_on", "description", "file"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"description": "Ce qui a été livré"}

    def __init__(self, *args, obligation, occurrences, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.obligation = obligation
        taken = set(
            obligation.fulfilments.exclude(pk=self.instance.pk).values_list("due_on", flat=True)
        )
        from conventions.rules.formatting import french_date

        choices = [
            (o.due_on.isoformat(), f"N°{o.number} — {french_date(o.due_on)} ({o.status_label})")
            for o in occurrences
            if o.due_on not in taken
        ]
        if self.instance.pk and self.instance.due_on not in {o.due_on for o in occurrences}:
            choices.insert(0, (self.instance.due_on.isoformat(), french_date(self.instance.due_on)))
        self.fields["due_on"].choices = [("", "---------"), *choices]
        self.fields["delivered_on"].initial = today
        self.fields[
            "description"
        ].help_text = "Par exemple : « Données emploi du 1er semestre 2024, par quartier QPV »."
        self.fields["file"].help_text = (
            f"Facultatif. PDF, tableur, document, CSV, image ou ZIP ; "
            f"{filesizeformat(FILE_MAX_BYTES)} au plus."
        )
        self.fields["file"].error_messages.update(
            {
                "empty": "Le fichier est vide.",
                "invalid": "Le fichier n'a pas pu être lu : déposez-le à nouveau.",
            }
        )
        self.today = today
        if self.instance.pk and not self.is_bound:
            self.initial["due_on"] = self.instance.due_on.isoformat()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size") and not getattr(upload, "_committed", False):
            check_attachment(upload)
        return upload

    def clean_delivered_on(self):
        value = self.cleaned_data["delivered_on"]
        if value and value > self.today:
            raise ValidationError("La date de livraison ne peut pas être dans le futur.")
        return value

    def validate_constraints(self):
        pass  # the service refuses a second delivery for the same due date, on its field
