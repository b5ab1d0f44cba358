"""Forms of money: a financial commitment, an instalment, a payment; amounts typed in French.

An amount is typed as people write it: « 12 500,00 », « 12500.00 », « 12500 », with spaces
or non-breaking spaces between the thousands and a decimal comma or point
(`rules.money.parse_amount`); what is refused is shown again as typed, with a French error.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from ..models import FinancialCommitment
from ..rules import money
from . import Form, ModelForm, date_field


class AmountInput(forms.TextInput):
    """A text input (a number input would refuse « 12 500,00 » in the browser), shown with a
    decimal keyboard on phones; a stored amount is shown in French, « 12 500,00 »."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return money.amount_fr(value)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """An amount in euros, > 0, at most ten digits before the comma and two after."""

    widget = AmountInput
    default_error_messages = {
        "invalid": money.AMOUNT_EXAMPLE,
        "min_value": "Le montant doit être supérieur à zéro.",
        "max_digits": f"Le montant dépasse {money.euros(money.MAX_AMOUNT)}.",
        "max_whole_digits": f"Le montant dépasse {money.euros(money.MAX_AMOUNT)}.",
        "max_decimal_places": "Indiquez au plus deux décimales (les centimes).",
    }

    def __init__(self, **kwargs):
        kwargs.update(max_digits=12, decimal_places=2, min_value=money.CENT)
        kwargs.pop("max_value", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return money.parse_amount(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class CommitmentForm(ModelForm):
    class Meta:
        model = FinancialCommitment
        fields = ["payer", "payee", "label", "amount", "period", "amendment", "imputation"]
        field_classes = {"amount": AmountField}
        help_texts = {
            "amount": "En euros, par exemple 12 500,00 : le montant total s'il est versé une "
            "fois, sinon le montant par an ou par année scolaire."
        }

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.convention = convention
        parties = convention.parties.select_related("organisation").order_by("position", "pk")
        for name in ("payer", "payee"):
            self.fields[name].queryset = parties
            self.fields[name].label_from_instance = lambda party: party.display_name
        amendments = convention.amendments.order_by("number")
        if amendments.exists():
            self.fields["amendment"].queryset = amendments
            self.fields["amendment"].label_from_instance = lambda amendment: (
                f"Avenant N°{amendment.number} — {amendment.title}"
            )
            self.fields["amendment"].empty_label = "La convention elle-même"
        else:
            del self.fields["amendment"]

    def validate_constraints(self):
        pass  # the model's `clean` checks the same rules and names the field


class InstalmentForm(Form):
    due_on = date_field("Échéance")
    amount = AmountField(label="Montant (€)", help_text="Par exemple 10 000,00.")


class PaymentForm(Form):
    paid_on = date_field("Versé le")
    amount = AmountField(label="Montant (€)", help_text="Par exemple 10 000,00.")
    reference = forms.CharField(
        label="Référence",
        required=False,
        max_length=120,
        help_text="Numéro de mandat, de virement ou de titre de recette (facultatif).",
    )
