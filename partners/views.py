"""Partner organisations, for the staff: who they are, who represents them, their conventions."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from conventions.models import Convention, Party
from users.perms import staff_required

from .models import Contact, Mandate, Organisation, Person

PAGE_SIZE = 25


@staff_required
def organisation_list(request):
    text = request.GET.get("q", "").strip()[:200]
    organisations = Organisation.objects.annotate(convention_count=Count("parties"))
    if text:
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(address__icontains=text)
        )
    page = Paginator(organisations.order_by("-is_academy", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "partners/list.html", {"page": page, "q": text})


@staff_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    people = (
        Person.objects.filter(
            Exists(Mandate.objects.filter(person=OuterRef("pk"), organisation=organisation))
            | Exists(Contact.objects.filter(person=OuterRef("pk"), organisation=organisation))
        )
        .prefetch_related(
            Prefetch(
                "mandates",
                queryset=Mandate.objects.filter(organisation=organisation).order_by(
                    "-start_date", "pk"
                ),
                to_attr="mandates_here",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
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
    page = Paginator(conventions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/detail.html",
        {
            "organisation": organisation,
            "people": people,
            "page": page,
        },
    )
