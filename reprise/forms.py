"""The upload of documents, and the review of a proposed convention.

The review form carries the facts staff check; `to_format` turns them, with what the form
does not show (preamble, articles, annexes as read), into a document of the interchange
format, which the loader validates as it validates any file (`services.import_confirm`).
"""

import datetime

from django import forms
from django.conf import settings

from config.widgets import FastSelect
from conventions.enums import ConventionKind
from conventions.forms import DateInput, Form, validate_plausible_date
from interchange.reader import dotted
from partners.models import Organisation

from .extraction import extract
from .review import ARTICLE

NEW = ""  # the organisation choice « nouvelle organisation »
EXTENSIONS = ".docx,.odt,.pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EXTENSIONS}))
        # An empty file is refused with the others' messages (`services.check_file`), not by
        # refusing the whole upload.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UploadForm(Form):
    files = MultipleFileField(
        label="Documents à importer",
        help_text="Word (.docx), OpenDocument (.odt), PDF (texte ou scan), images JPEG ou "
        "PNG ; plusieurs fichiers à la fois.",
        required=False,
        error_messages={"invalid": "Un fichier n'a pas pu être lu : déposez-le à nouveau."},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Choisissez au moins un fichier.")
        if len(files) > settings.REPRISE_MAX_FILES:
            raise forms.ValidationError(
                f"{len(files)} fichiers : déposez-en {settings.REPRISE_MAX_FILES} au plus à la "
                "fois."
            )
        return files


def int_field(label, *, max_value, required=False, help_text=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=max_value,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "fr-input"}),
        error_messages={"invalid": "Saisissez un nombre entier."},
    )


def date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        validators=[validate_plausible_date],
        error_messages={"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
    )


TERM_CHOICES = [
    ("duration", "Une durée en mois"),
    ("ends_on", "Une date de fin"),
    ("school_years", "Un nombre d'années scolaires"),
    ("parent", "La durée de la convention parente"),
    ("unknown", "Inconnue : la convention sera « à compléter »"),
]


class ReviewForm(Form):
    """The facts of the convention proposed from a document, as staff correct them."""

    reference = forms.CharField(
        label="Référence à donner",
        max_length=40,
        help_text="Lettres sans accent, chiffres, tirets : « CRESS-PACA-2010 ».",
    )
    title = forms.CharField(label="Titre", max_length=500, widget=forms.Textarea({"rows": 2}))
    short_title = forms.CharField(
        label="Titre court", max_length=120, help_text="Rappelé en pied de chaque page imprimée."
    )
    kind = forms.ChoiceField(label="Nature", choices=ConventionKind.choices)
    parent = forms.CharField(
        label="Convention parente (référence)",
        max_length=40,
        required=False,
        help_text="Pour une convention d'application ou locale.",
    )
    signature_place = forms.CharField(label="Lieu de signature", max_length=120, required=False)
    signed_on = date_field("Date de signature")
    signed_on_unknown = forms.BooleanField(
        label="Date de signature inconnue (la convention sera « à compléter »)", required=False
    )
    effective_date = date_field("Date d'effet, si elle n'est pas la signature")
    term = forms.ChoiceField(
        label="Terme", choices=TERM_CHOICES, widget=forms.RadioSelect, initial="unknown"
    )
    duration_months = int_field("Durée (mois)", max_value=1200)
    ends_on = date_field("Date de fin (dernier jour)")
    school_years = int_field("Années scolaires", max_value=100)
    notice_months = int_field("Préavis (mois)", max_value=120)
    tacit_renewal = forms.BooleanField(label="Reconduction tacite", required=False)
    renewal_months = int_field(
        "Durée d'une reconduction (mois)", max_value=1200, help_text="Vide : la durée initiale."
    )
    max_renewals = int_field(
        "Nombre maximal de reconductions", max_value=100, help_text="Vide : sans limite."
    )
    provisional_months = int_field("Application provisoire après le terme (mois)", max_value=120)
    preamble = forms.CharField(
        label="Préambule (tel que lu)",
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text="« Vu … », « Considérant … » ; corrigez ce que la lecture a mal lu.",
    )
    articles_text = forms.CharField(
        label="Articles (tels que lus)",
        required=False,
        widget=forms.Textarea({"rows": 12}),
        help_text="Corrigez ici ce que la lecture a mal lu. Chaque article commence par une "
        "ligne « Article N – intitulé » (« Titre N – … » pour un titre), un sous-article par "
        "« N.M intitulé » ; une ligne vide sépare les paragraphes.",
    )

    def clean(self):
        data = super().clean()
        if data.get("signed_on") and data.get("signed_on_unknown"):
            self.add_error(
                "signed_on_unknown", "Une date est donnée : décochez « inconnue », ou videz-la."
            )
        elif not (
            data.get("signed_on") or data.get("signed_on_unknown") or self.has_error("signed_on")
        ):
            self.add_error("signed_on", "Indiquez la date de signature, ou cochez « inconnue ».")
        needed = {
            "duration": "duration_months",
            "ends_on": "ends_on",
            "school_years": "school_years",
        }
        field = needed.get(data.get("term"))
        if field and data.get(field) in (None, "") and field not in self.errors:
            self.add_error(field, "Indiquez-la, ou choisissez un autre terme.")
        if field == "duration_months" and data.get(field) == 0:
            self.add_error(field, "Une durée est d'au moins un mois.")
        if data.get("term") == "parent" and not data.get("parent"):
            self.add_error("parent", "Indiquez la convention parente dont elle prend la durée.")
        return data


class PartyForm(Form):
    """A party as the text names it, the organisation it is, and who signed for it."""

    organisation = forms.ChoiceField(
        label="Organisation",
        required=False,
        widget=FastSelect(attrs={"class": "fr-select"}),
        help_text="Trouvée par nom, sigle ou SIRET ; sinon « nouvelle organisation ».",
    )
    new_name = forms.CharField(
        label="Nom de la nouvelle organisation", max_length=255, required=False
    )
    new_short_name = forms.CharField(label="Sigle", max_length=60, required=False)
    new_siret = forms.CharField(label="SIRET", max_length=14, required=False)
    name_as_written = forms.CharField(label="Nom dans le texte", max_length=500, required=False)
    description = forms.CharField(label="Qualité", max_length=500, required=False)
    designation = forms.CharField(label="Désignation (ci-après)", max_length=120, required=False)
    address = forms.CharField(
        label="Adresse dans le texte", required=False, widget=forms.Textarea({"rows": 2})
    )
    signatory_name = forms.CharField(label="Signataire", max_length=200, required=False)
    signatory_title = forms.CharField(label="Qualité du signataire", max_length=500, required=False)

    def __init__(self, *args, organisation_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in self.fields)

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        if not data.get("organisation") and not data.get("new_name"):
            self.add_error(
                "new_name", "Choisissez l'organisation, ou donnez le nom de la nouvelle."
            )
        return data


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [f.cleaned_data.get("organisation") for f in self.forms if not f.is_blank()]
        chosen = [c for c in chosen if c]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Une organisation ne peut être partie qu'une fois.")


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=1)


def organisation_choices() -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The choices « nouvelle organisation », then every organisation, the académie first;
    and each organisation's name by its id (one query, shared by the forms of every party)."""
    rows = list(
        Organisation.objects.order_by("-is_academy", "name", "pk").values_list(
            "pk", "name", "short_name"
        )
    )
    choices = [(NEW, "— Nouvelle organisation —")] + [
        (str(pk), f"{name} ({short})" if short else name) for pk, name, short in rows
    ]
    return choices, {str(pk): name for pk, name, _ in rows}


# --- From the proposal to the forms, and from the forms to the format ---------------------


def articles_as_text(articles: list[dict]) -> str:
    """The proposed articles as staff read and correct them, in the shape the extraction
    reads back (`reprise.extraction.extract`): « Article 2 – Durée », « 2.1 Reconduction »."""
    blocks = []

    def walk(nodes, prefix):
        for number, node in enumerate(nodes, start=1):
            label = f"{prefix}.{number}" if prefix else str(number)
            heading = node.get("heading") or ""
            if not prefix:
                word = "Titre" if node.get("kind") == "title" else "Article"
                line = f"{word} {label}" + (f" – {heading}" if heading else "")
            else:
                line = f"{label} {heading}".rstrip()
            blocks.append("\n".join(filter(None, [line, node.get("body") or ""])))
            walk(node.get("children") or [], label)

    walk(articles, "")
    return "\n\n".join(blocks)


def _same_text(a: str, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def review_initial(convention: dict, reference: str, short_title: str) -> dict:
    """The form's initial values from a proposed convention (format keys)."""
    signed_on = convention.get("signed_on")
    term = "unknown"
    for key, name in (
        ("duration_months", "duration"),
        ("ends_on", "ends_on"),
        ("school_years", "school_years"),
    ):
        if convention.get(key) not in (None, "unknown"):
            term = name
    if convention.get("kind") in ("application", "local") and term == "unknown":
        term = "parent"
    initial = {
        "reference": reference,
        "title": convention.get("title", ""),
        "short_title": short_title,
        "kind": convention.get("kind", ConventionKind.PARTNERSHIP),
        "signature_place": convention.get("signature_place", ""),
        "signed_on": signed_on if signed_on not in (None, "unknown") else None,
        "signed_on_unknown": signed_on == "unknown",
        "effective_date": convention.get("effective_date"),
        "term": term,
        "tacit_renewal": bool(convention.get("tacit_renewal")),
        "preamble": convention.get("preamble") or "",
        "articles_text": articles_as_text(convention.get("articles") or []),
    }
    for key in (
        "duration_months", "ends_on", "school_years", "notice_months", "renewal_months",
        "max_renewals", "provisional_months",
    ):  # fmt: skip
        if convention.get(key) not in (None, "unknown"):
            initial[key] = convention[key]
    return initial


def party_initial(party: dict, organisation_id: int | None, hint: dict) -> dict:
    signatory = party.get("signatory") or {}
    name = hint.get("name") or ARTICLE.sub("", party.get("name_as_written", "")).strip()
    return {
        "organisation": str(organisation_id) if organisation_id else NEW,
        "new_name": "" if organisation_id else name[:1].upper() + name[1:],
        "new_short_name": "" if organisation_id else hint.get("acronym", ""),
        "new_siret": "" if organisation_id else hint.get("siret", ""),
        "name_as_written": party.get("name_as_written", ""),
        "description": party.get("description", ""),
        "designation": party.get("designation", ""),
        "address": party.get("address", ""),
        "signatory_name": signatory.get("name", ""),
        "signatory_title": signatory.get("title", ""),
    }


def to_format(form: ReviewForm, parties: list[PartyForm], proposal: dict, names: dict):
    """The document of the interchange format for the reviewed facts: `organisations` (the
    new ones) and `conventions` (one), and, for each party of the list, the form it came from
    (to put a problem beside its field). `names`: organisation id → name."""
    data = form.cleaned_data
    signed_on = data["signed_on"] or ("unknown" if data["signed_on_unknown"] else None)
    convention = {
        "reference": data["reference"],
        "title": data["title"],
        "short_title": data["short_title"],
        "kind": data["kind"],
        "parent": data["parent"] or None,
        "preamble": data["preamble"] or None,
        "signature_place": data["signature_place"],
        "signed_on": _iso(signed_on),
        "effective_date": _iso(data["effective_date"]),
        "notice_months": data["notice_months"] or 0,
        "provisional_months": data["provisional_months"] or 0,
        "tacit_renewal": data["tacit_renewal"],
        "renewal_months": data["renewal_months"],
        "max_renewals": data["max_renewals"],
    }
    term = data["term"]
    if term == "duration":
        convention["duration_months"] = data["duration_months"]
    elif term == "ends_on":
        convention["ends_on"] = _iso(data["ends_on"])
    elif term == "school_years":
        convention["school_years"] = data["school_years"]
    elif term == "unknown":
        convention["duration_months"] = "unknown"
    organisations, party_rows, sources = [], [], []
    for party_form in parties:
        if party_form.is_blank():
            continue
        party = party_form.cleaned_data
        if party["organisation"]:
            name = names.get(party["organisation"], "")
        else:
            name = party["new_name"]
            organisations.append(
                {
                    "name": name,
                    "short_name": party["new_short_name"] or None,
                    "siret": party["new_siret"] or None,
                    "address": party["address"] or None,
                }
            )
            sources.append(("organisation", party_form))
        row = {
            "organisation": name,
            "name_as_written": party["name_as_written"] or None,
            "description": party["description"] or None,
            "designation": party["designation"] or None,
            "address": party["address"] or None,
        }
        if party["signatory_name"] or party["signatory_title"]:
            signatory = {"name": party["signatory_name"], "title": party["signatory_title"]}
            if isinstance(signed_on, datetime.date):
                # Signed together, as « Fait à …, le … » says.
                signatory["signed_on"] = _iso(signed_on)
                signatory["place"] = data["signature_place"]
            row["signatory"] = signatory
        party_rows.append(row)
        sources.append(("party", party_form))
    convention["parties"] = party_rows
    # The articles as read, unless staff corrected their text: then read again from it.
    proposed = proposal.get("articles") or []
    typed = data["articles_text"]
    if _same_text(typed, articles_as_text(proposed)):
        convention["articles"] = proposed
    else:
        convention["articles"] = extract(typed).convention.get("articles") or []
    convention["annexes"] = proposal.get("annexes") or []
    document = {
        "organisations": organisations,
        "conventions": [{k: v for k, v in convention.items() if v is not None}],
    }
    return (
        document,
        [f for kind, f in sources if kind == "organisation"],
        [f for kind, f in sources if kind == "party"],
    )


def _iso(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


# Where a problem of the loader goes on the forms: the key of the convention → the field.
CONVENTION_FIELDS = {
    "reference", "title", "short_title", "kind", "parent", "signature_place", "signed_on",
    "effective_date", "duration_months", "ends_on", "school_years", "notice_months",
    "tacit_renewal", "renewal_months", "max_renewals", "provisional_months",
}  # fmt: skip
PARTY_FIELDS = {
    "organisation": "organisation",
    "name_as_written": "name_as_written",
    "description": "description",
    "designation": "designation",
    "address": "address",
}
SIGNATORY_FIELDS = {"name": "signatory_name", "title": "signatory_title"}
ORGANISATION_FIELDS = {"name": "new_name", "short_name": "new_short_name", "siret": "new_siret"}


def place_problems(problems, form, new_organisations, party_forms) -> None:
    """Each problem of the loader beside the field it is about; the others above the form
    (with their key path)."""
    for path, message in problems:
        target, field = form, None
        if path[:2] == ("conventions", 0) and len(path) >= 3:
            rest = path[2:]
            if rest[0] in CONVENTION_FIELDS and len(rest) == 1:
                field = rest[0]
            elif rest[0] == "parties" and len(rest) >= 3 and rest[1] < len(party_forms):
                party_form = party_forms[rest[1]]
                if rest[2] == "signatory" and len(rest) == 4:
                    if rest[3] in SIGNATORY_FIELDS:
                        target, field = party_form, SIGNATORY_FIELDS[rest[3]]
                    elif rest[3] == "place":
                        field = "signature_place"
                    elif rest[3] == "signed_on":
                        field = "signed_on"
                elif rest[2] in PARTY_FIELDS and len(rest) == 3:
                    target, field = party_form, PARTY_FIELDS[rest[2]]
                    if field == "organisation" and not party_form.cleaned_data["organisation"]:
                        field = "new_name"
        elif (
            path[:1] == ("organisations",)
            and len(path) == 3
            and path[1] < len(new_organisations)
            and path[2] in ORGANISATION_FIELDS
        ):
            target, field = new_organisations[path[1]], ORGANISATION_FIELDS[path[2]]
        if field is not None and field in target.fields:
            target.add_error(field, message)
        else:
            where = dotted(path[2:] if path[:2] == ("conventions", 0) else path)
            form.add_error(None, f"{where} : {message}" if where else message)
