from django import forms

from conventions.models import Amendment

from .signed import check_scan


class ScanUploadForm(forms.Form):
    """The scan of a paper copy signed by hand: a real PDF, within the size limit."""

    file = forms.FileField(
        label="Scan signé (PDF)",
        error_messages={
            "required": "Choisissez le fichier PDF du scan.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n'a pas pu être lu : déposez-le à nouveau.",
        },
    )
    amendment = forms.ModelChoiceField(
        label="Document signé",
        queryset=Amendment.objects.none(),
        required=False,
        empty_label="La convention elle-même",
        widget=forms.Select(attrs={"class": "fr-select"}),
        error_messages={"invalid_choice": "Choisissez un avenant de cette convention."},
    )

    shared_with_partners = forms.BooleanField(
        label="Partager ce scan avec les partenaires",
        required=False,
        help_text="Les partenaires parties à la convention le téléchargeront sur leur portail. "
        "Laissez décoché si l'exemplaire porte des annotations internes.",
    )

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.fields["amendment"].queryset = Amendment.objects.filter(
            convention=convention
        ).order_by("number")
        self.fields["amendment"].label_from_instance = lambda a: f"Avenant N°{a.number}"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["data"] = check_scan(upload)
        return upload
