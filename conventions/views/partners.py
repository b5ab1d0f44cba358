"""What the conventions app adds to the partners' pages (`partners.extensions`): the number
of conventions of each organisation in the list, an organisation's conventions, and what it
pays and receives under them; and, when an organisation is merged into another, the names
its signed conventions keep."""

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils import timezone

from config.pagination import BoundedSubqueryCount, as_bounded_count
from partners.extensions import DetailSection, ListColumn, MergeKeep, register_merge_keep

from ..models import Convention, FinancialCommitment, Party
from ..models.money import ledger, summary
from ..rules.money import YearTotal

PAGE_SIZE = 25


def with_convention_count(organisations):
    """The number of conventions as a subquery, computed for the 25 rows of the page only (a
    join grouped over every organisation cost 30 ms at 2,000 organisations), and counted up
    to 1,000 only: an académie is party to thousands (make bench, 100,000 conventions)."""
    return organisations.annotate(
        convention_count=BoundedSubqueryCount(
            Party.objects.filter(organisation=OuterRef("pk")).values("pk")
        )
    )


def organisation_conventions(request, organisation) -> dict:
    conventions = (
        Convention.objects.filter(
            Exists(Party.objects.filter(convention=OuterRef("pk"), organisation=organisation))
        )
        .select_related("referent")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organisation").order_by("position", "pk"),
            )
        )
        .order_by(F("signed_on").desc(nulls_last=True), "reference")
    )
    return {"page": Paginator(conventions, PAGE_SIZE).get_page(request.GET.get("page"))}


def organisation_money(request, organisation) -> dict:
    """The commitments in which the organisation pays or receives, the totals of each side
    and by year: three queries, whatever their number."""
    money = ledger(
        FinancialCommitment.objects.involving([organisation]), today=timezone.localdate()
    )
    pays = [c for c in money.commitments if c.payer.organisation_id == organisation.pk]
    receives = [c for c in money.commitments if c.payee.organisation_id == organisation.pk]
    pays_totals, pays_years = summary(pays)
    receives_totals, receives_years = summary(receives)
    years = {}
    for side, rows in (("pays", pays_years), ("receives", receives_years)):
        for row in rows:
            years.setdefault(row.year, {"year": row.year})[side] = row
    by_year = [
        {
            "year": year,
            "pays": row.get("pays", YearTotal(year)),
            "receives": row.get("receives", YearTotal(year)),
        }
        for year, row in sorted(years.items())
    ]
    return {
        "organisation_money": {
            "commitments": money.commitments,
            "pays": pays_totals if pays else None,
            "receives": receives_totals if receives else None,
            "by_year": by_year,
        }
    }


CONVENTION_COUNT = ListColumn(
    header="Conventions",
    attribute="convention_count",
    annotate=with_convention_count,
    display=as_bounded_count,
)
ORGANISATION_CONVENTIONS = DetailSection(
    template="conventions/_organisation_section.html", context=organisation_conventions
)
ORGANISATION_MONEY = DetailSection(
    template="conventions/_organisation_money.html", context=organisation_money
)


def parties_printing_current_name(parties):
    """Among `parties`, those of signed conventions that print their organisation's current
    name and address: signed before migration 0014 kept them (NULL)."""
    return parties.filter(
        signed_organisation_name__isnull=True, convention__in=Convention.objects.signed()
    )


def names_as_printed(organisation) -> dict:
    return {
        "signed_organisation_name": organisation.name,
        "signed_organisation_address": organisation.address,
    }


# A party of a signed convention moved to the organisation kept by a merge keeps the name
# and address it printed; the database refuses the move otherwise (conventions.models.
# triggers.PARTY_MOVE). Registered when `ConventionsConfig.ready()` imports this module,
# with the sections above.
SIGNED_PARTY_NAMES = MergeKeep(
    model="conventions.party", rows=parties_printing_current_name, values=names_as_printed
)
register_merge_keep(SIGNED_PARTY_NAMES)
