"""Forms of an avenant that changes who is bound: a party that leaves, a party that signs
it after all (a party that joins is typed in `PartyForm`)."""

from django import forms

from ..models import PartyWithdrawal
from . import Form, ModelForm


def party_choices(field, parties) -> None:
    """A party chosen among `parties`, shown by the name the text gives it."""
    field.queryset = parties
    field.label_from_instance = lambda party: party.display_name
    field.widget.attrs["class"] = "fr-select"
    field.widget.group_class = "fr-select-group"


class WithdrawalForm(ModelForm):
    """Which party leaves the convention by this avenant, and from when."""

    class Meta:
        model = PartyWithdrawal
        fields = ["party", "on"]

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        party_choices(self.fields["party"], parties)

    def validate_unique(self):
        # The service says why a party cannot leave (already leaving, too few would remain).
        pass


class SigningPartyForm(Form):
    """A party bound by the convention that signs this avenant after all."""

    party = forms.ModelChoiceField(queryset=None, label="Partie", empty_label="---------")

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        party_choices(self.fields["party"], parties)
