from django.contrib import admin

from conventions.admin import RefreshesScheduleMixin

from .models import (
    Action,
    ActionAudience,
    ActionContribution,
    ActionPlan,
    ActionReview,
    MeetingAttendance,
    Obligation,
    ObligationDate,
    ObligationFulfilment,
    SteeringMeeting,
)


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0
    fields = ["number", "axis", "title", "objective", "modalities", "start_label", "status"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "convention", "school_year"]
    list_select_related = ["convention"]
    list_filter = ["school_year"]
    search_fields = ["title", "convention__reference"]
    autocomplete_fields = ["convention"]
    raw_id_fields = ["annex"]
    inlines = [ActionInline]


class ContributionInline(admin.StackedInline):
    model = ActionContribution
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            formset.form.base_fields["party"].queryset = obj.plan.convention.parties.select_related(
                "organisation"
            )
        return formset


class AudienceInline(admin.TabularInline):
    model = ActionAudience
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ["party"]


class ReviewInline(admin.TabularInline):
    model = ActionReview
    extra = 0
    raw_id_fields = ["action"]


class FixedDateInline(admin.TabularInline):
    model = ObligationDate
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "axis", "plan", "status", "start_label"]
    list_select_related = ["plan__convention"]
    list_filter = ["status", "axis"]
    search_fields = ["title", "objective", "plan__convention__reference"]
    raw_id_fields = ["plan", "carried_from"]
    inlines = [ContributionInline, AudienceInline]


@admin.register(ActionContribution)
class ActionContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "action"]
    list_select_related = ["party__organisation", "action"]
    raw_id_fields = ["action", "party"]


@admin.register(SteeringMeeting)
class SteeringMeetingAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["__str__", "convention", "place", "minutes_shared"]
    list_select_related = ["convention"]
    list_filter = ["minutes_shared"]
    date_hierarchy = "held_on"
    search_fields = ["convention__reference", "place"]
    autocomplete_fields = ["convention"]
    raw_id_fields = ["adopted_plan", "reviewed_plan"]
    inlines = [AttendanceInline, ReviewInline]


@admin.register(Obligation)
class ObligationAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["title", "convention", "party", "rhythm"]
    list_select_related = ["convention", "party__organisation"]
    list_filter = ["rhythm"]
    search_fields = ["title", "convention__reference"]
    autocomplete_fields = ["convention"]
    raw_id_fields = ["party"]
    inlines = [FixedDateInline]


@admin.register(ObligationFulfilment)
class ObligationFulfilmentAdmin(RefreshesScheduleMixin, admin.ModelAdmin):
    list_display = ["obligation", "due_on", "delivered_on"]
    list_select_related = ["obligation__convention"]
    date_hierarchy = "due_on"
    search_fields = ["obligation__title", "obligation__convention__reference"]
    raw_id_fields = ["obligation"]

    def convention_of(self, obj):
        return obj.obligation.convention
