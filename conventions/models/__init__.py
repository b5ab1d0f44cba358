"""The models of a convention, by aggregate; import them from here (`conventions.models`)."""

from .amendments import Amendment, ArticleChange, RenewalDecision, Termination
from .convention import Annex, Article, Convention, ConventionQuerySet
from .money import FinancialCommitment, FinancialCommitmentQuerySet, Instalment, Ledger, Payment
from .parties import Party, PartyQuerySet, Signatory
from .references import ExternalReference

__all__ = [
    "Amendment",
    "Annex",
    "Article",
    "ArticleChange",
    "Convention",
    "ConventionQuerySet",
    "ExternalReference",
    "FinancialCommitment",
    "FinancialCommitmentQuerySet",
    "Instalment",
    "Ledger",
    "Party",
    "PartyQuerySet",
    "Payment",
    "RenewalDecision",
    "Signatory",
    "Termination",
]
