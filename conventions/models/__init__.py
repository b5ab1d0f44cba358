"""The models of a convention, by aggregate; import them from here (`conventions.models`)."""

from .amendments import Amendment, ArticleChange, RenewalDecision, Termination
from .convention import Annex, Article, Convention, ConventionQuerySet
from .money import FinancialCommitment, FinancialCommitmentQuerySet, Instalment, Ledger, Payment
from .parties import (
    Party,
    PartyQuerySet,
    PartyWithdrawal,
    Signatory,
    parties_with_signatories,
)
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
    "PartyWithdrawal",
    "Payment",
    "RenewalDecision",
    "Signatory",
    "Termination",
    "parties_with_signatories",
]
