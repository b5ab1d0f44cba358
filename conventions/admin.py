from django.contrib import admin

from config.pagination import AdminPaginator
from partners.models import Contact

from .extensions import convention_changed
from .models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    Convention,
    FinancialCommitment,
    Instalment,
    Party,
    Payment,
    RenewalDecision,
    Signatory,
    Termination,
)


class RefreshesScheduleMixin:
    """An edit in the admin may move a convention's dates or events: recompute its schedule
    afterwards, as the staff views do (`conventions.extensions.convention_changed`)."""

    def convention_of(self, obj):
        return obj.convention

    def _refresh(self, conventions):
        """Recompute these conventions (those still existing) and the ones they renew."""
        conventions = [c for c in conventions if c is not None]
        pks = {c.pk for c in conventions} | {c.renews_id for c in conventions if c.renews_id}
        for convention in Convention.objects.filter(pk__in=pks).order_by("pk"):
            convention_changed.send(sender=Convention, convention=convention)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._refresh([self.convention_of(form.instance)])

    def delete_model(self, request, obj):
        convention = self.convention_of(obj)
        super().delete_model(request, obj)
        self._refresh([convention])

    def delete_queryset(self, request, queryset):
        conventions = [self.convention_of(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        self._refresh(conventions)


# The text of a signed convention or avenant is frozen (the database refuses changes:
# migration 0007); the admin shows it read-only instead of offering a form that would fail.
CONVENTION_TEXT_FIELDS = [
    "reference", "title", "short_title", "kind", "parent", "preamble", "signature_place",
    "signed_on", "effective_date", "duration_months", "notice_months", "provisional_months",
    "tacit_renewal", "renewal_months", "max_renewals", "requires_initials",
]  # fmt: skip
AMENDMENT_TEXT_FIELDS = ["convention", "number", "title", "body", "signature_place",
                         "signed_on", "effective_date", "new_duration_months"]  # fmt: skip


def _signed(convention) -> bool:
    return convention is not None and convention.is_signed


class FrozenWhenSignedInline:
    """An inline of a convention's text: read-only once the convention is signed."""

    def has_add_permission(self, request, obj=None):
        return not _signed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _signed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _signed(obj) and super().has_delete_permission(request, obj)


class FrozenWhenSignedAdmin:
    """A piece of a convention's text, edited on its own page: read-only once signed."""

    def _frozen(self, obj):
        return obj is not None and _signed(obj.convention)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class CachedChoicesMixin:
    """Evaluate the choices of `cached_choice_fields` once per request, not once per inline
    form: without it a convention of 40 articles costs 40 identical queries."""

    cached_choice_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in self.cached_choice_fields and field is not None:
            cache = request.__dict__.setdefault("_admin_choices", {})
            key = (type(self).__name__, db_field.name)
            if key not in cache:
                cache[key] = list(field.choices)
            field.choices = cache[key]
        return field


class PartyInline(FrozenWhenSignedInline, CachedChoicesMixin, admin.StackedInline):
    model = Party
    extra = 0
    show_change_link = True  # its signatories are edited on the party's page
    cached_choice_fields = ("organisation",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class SignatoryInline(admin.TabularInline):
    """Signatures of a party: on the convention (no avenant) and on each avenant."""

    model = Signatory
    extra = 0
    fields = ["amendment", "mandate", "name", "title", "signed_on", "place"]
    autocomplete_fields = ["mandate"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["amendment"].queryset = obj.convention.amendments.all()
        return formset


class AmendmentSignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    fields = ["party", "mandate", "name", "title", "signed_on", "place"]
    autocomplete_fields = ["mandate"]
    verbose_name_plural = "signatures de l'avenant"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["party"].queryset = obj.convention.parties.select_related(
                "organisation"
            )
        return formset


class ArticleInline(FrozenWhenSignedInline, CachedChoicesMixin, admin.StackedInline):
    model = Article
    extra = 0
    fields = ["parent", "position", "kind", "heading", "body"]
    ordering = ["parent_id", "position"]

    def get_queryset(self, request):
        # Read-only (signed) rows print their parent: loaded with them, not one per row.
        return super().get_queryset(request).select_related("parent")

    cached_choice_fields = ("parent",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Only this convention's articles can be a parent.
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Article.objects.filter(convention_id=object_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnnexInline(FrozenWhenSignedInline, admin.StackedInline):
    model = Annex
    extra = 0


class AmendmentInline(admin.TabularInline):
    model = Amendment
    fk_name = "convention"
    extra = 0
    fields = ["number", "title", "signed_on", "effective_date", "new_duration_months"]
    show_change_link = True


class ContactInline(admin.TabularInline):
    """Listed here; added and changed on the correspondent's own page (with search)."""

    model = Contact
    extra = 0
    fields = ["role", "person", "organisation", "title"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organisation")

    def has_add_permission(self, request, obj=None):
        return False


class TerminationInline(CachedChoicesMixin, admin.TabularInline):
    model = Termination
    extra = 0
    fields = ["kind", "party", "received_on", "requested_on", "cured_on", "agreed_last_day"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["party"].queryset = obj.parties.select_related("organisation")
        return formset


class RenewalDecisionInline(admin.TabularInline):
    model = RenewalDecision
    extra = 0


@admin.register(Convention)
class ConventionAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["reference", "short_title", "kind", "status", "signed_on", "referent"]
    list_filter = ["kind", "status", "tacit_renewal"]
    list_select_related = ["referent"]
    search_fields = ["reference", "title", "short_title", "parties__organisation__name"]
    # No date_hierarchy: its DISTINCT over every signature date costs more than the page at
    # 10,000 conventions (make bench); the staff list filters by year of signature.
    list_per_page = 50
    # Counted up to 1 000 (« plus de 1 000 conventions »), and once: two exact COUNT(*) of
    # 100,000 conventions cost more than the page (make bench).
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return AdminPaginator(
            queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            # The long columns the list never shows.
            queryset = queryset.defer("preamble", "search_document")
        return queryset

    autocomplete_fields = ["parent", "renews", "referent"]
    readonly_fields = [
        "status",
        "term_start",
        "current_term_end",
        "notice_deadline",
        "provisional_end",
        "ends_on",
        "schedule_computed_on",
        "next_refresh_on",
        "created_at",
        "updated_at",
    ]

    def convention_of(self, obj):
        return obj

    fieldsets = [
        (None, {"fields": ["reference", "title", "short_title", "kind", "status", "referent"]}),
        ("Liens", {"fields": ["parent", "renews"]}),
        ("Texte", {"fields": ["preamble", "requires_initials"]}),
        (
            "Signature et durée",
            {
                "fields": [
                    "signature_place",
                    "sent_for_signature_on",
                    "signed_on",
                    "effective_date",
                    "duration_months",
                    "notice_months",
                    "provisional_months",
                    "tacit_renewal",
                    "renewal_months",
                    "max_renewals",
                    "yearly_steering_meeting",
                ]
            },
        ),
        (
            "Échéances (calculées)",
            {
                "fields": [
                    "term_start",
                    "current_term_end",
                    "notice_deadline",
                    "provisional_end",
                    "ends_on",
                    "schedule_computed_on",
                    "next_refresh_on",
                ]
            },
        ),
        ("Suivi", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        PartyInline,
        ArticleInline,
        AnnexInline,
        ContactInline,
        AmendmentInline,
        TerminationInline,
        RenewalDecisionInline,
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _signed(obj):
            fields += [f for f in CONVENTION_TEXT_FIELDS if f not in fields]
        return fields

    def has_delete_permission(self, request, obj=None):
        # A signed convention is a legal record: it ends, it is not deleted.
        return not _signed(obj) and super().has_delete_permission(request, obj)


@admin.register(Party)
class PartyAdmin(FrozenWhenSignedAdmin, RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["__str__", "convention", "position", "designation"]
    list_select_related = ["organisation", "convention"]
    search_fields = ["organisation__name", "convention__reference", "designation"]
    autocomplete_fields = ["convention", "organisation"]
    inlines = [SignatoryInline]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "party", "amendment", "signed_on", "place"]
    list_select_related = ["party__organisation", "amendment"]
    search_fields = ["name", "party__convention__reference"]
    raw_id_fields = ["party", "amendment", "mandate"]

    def _frozen(self, obj):
        if obj is None:
            return False
        if obj.amendment_id is not None:
            return obj.amendment.signed_on is not None
        return _signed(obj.party.convention)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Article)
class ArticleAdmin(FrozenWhenSignedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "convention", "parent", "position", "kind"]
    list_select_related = ["convention", "parent"]
    list_filter = ["kind"]
    search_fields = ["heading", "body", "convention__reference"]
    raw_id_fields = ["convention", "parent"]


@admin.register(Annex)
class AnnexAdmin(FrozenWhenSignedAdmin, admin.ModelAdmin):
    list_display = ["title", "convention", "position", "kind"]
    list_select_related = ["convention"]
    list_filter = ["kind"]
    search_fields = ["title", "convention__reference"]
    raw_id_fields = ["convention"]


class ArticleChangeInline(FrozenWhenSignedInline, admin.StackedInline):
    """What an avenant changes: read-only once the avenant is signed (`obj` is the avenant,
    whose `signed_on` the mixin reads)."""

    model = ArticleChange
    extra = 0
    raw_id_fields = ["article"]


@admin.register(Amendment)
class AmendmentAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["__str__", "convention", "signed_on", "effective_date"]
    list_select_related = ["convention"]
    search_fields = ["title", "convention__reference"]
    autocomplete_fields = ["convention", "application"]
    inlines = [AmendmentSignatoryInline, ArticleChangeInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.signed_on is not None:
            fields += [f for f in AMENDMENT_TEXT_FIELDS if f not in fields]
        return fields

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.signed_on is None) and super().has_delete_permission(
            request, obj
        )


@admin.register(Termination)
class TerminationAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["kind", "convention", "party", "received_on", "requested_on"]
    list_select_related = ["convention", "party__organisation"]
    list_filter = ["kind"]
    search_fields = ["convention__reference"]
    raw_id_fields = ["convention", "party"]


@admin.register(RenewalDecision)
class RenewalDecisionAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["__str__", "convention", "decided_on"]
    list_select_related = ["convention"]
    search_fields = ["convention__reference"]
    raw_id_fields = ["convention"]


# Money: not part of the signed text, editable whatever the convention's state.


class InstalmentInline(admin.TabularInline):
    model = Instalment
    extra = 0


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0


@admin.register(FinancialCommitment)
class FinancialCommitmentAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["label", "convention", "payer", "payee", "amount", "period"]
    list_select_related = ["convention", "payer__organisation", "payee__organisation"]
    list_filter = ["period"]
    search_fields = ["convention__reference", "label", "imputation"]
    raw_id_fields = ["convention", "payer", "payee", "amendment"]
    inlines = [InstalmentInline, PaymentInline]
