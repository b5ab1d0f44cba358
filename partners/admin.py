from django.contrib import admin

from .models import Contact, Letterhead, Mandate, Organisation, Person


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "legal_form", "is_academy", "siret"]
    list_filter = ["legal_form", "is_academy"]
    search_fields = ["name", "short_name", "siret"]
    filter_horizontal = ["members"]
    inlines = [MandateInline]


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ["organisation", "name", "valid_from", "valid_until"]
    list_filter = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "phone"]
    search_fields = ["last_name", "first_name", "email"]
    inlines = [MandateInline]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "organisation", "start_date", "end_date"]
    list_filter = ["organisation__legal_form"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__last_name", "title", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "organisation", "convention"]
    list_filter = ["role"]
    list_select_related = ["person", "organisation", "convention"]
    search_fields = ["person__last_name", "organisation__name", "convention__reference"]
    autocomplete_fields = ["convention", "organisation", "person"]
