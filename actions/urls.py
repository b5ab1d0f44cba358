from django.urls import path

from . import edit_views, views

app_name = "actions"

convention = "<str:reference>"
plan = f"{convention}/plans/<int:year>"
meeting = f"{convention}/comites/<int:pk>"
obligation = f"{convention}/engagements/<int:pk>"
fulfilment = f"{convention}/livraisons/<int:pk>"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.export, name="export"),
    path(f"{convention}/", views.partnership, name="partnership"),
    # Plans and their actions
    path(f"{convention}/plans/ajouter/", edit_views.plan_create, name="plan_create"),
    path(f"{plan}/", views.plan_detail, name="plan"),
    path(f"{plan}/modifier/", edit_views.plan_edit, name="plan_edit"),
    path(f"{plan}/supprimer/", edit_views.plan_delete, name="plan_delete"),
    path(f"{plan}/reconduire/", edit_views.plan_carry_over, name="plan_carry_over"),
    path(f"{plan}/actions/ajouter/", edit_views.action_add, name="action_add"),
    path(f"{plan}/actions/<int:number>/", edit_views.action_edit, name="action_edit"),
    path(f"{plan}/actions/<int:number>/supprimer/", edit_views.action_delete, name="action_delete"),
    # Steering meetings and their reviews
    path(f"{convention}/comites/ajouter/", edit_views.meeting_create, name="meeting_create"),
    path(f"{meeting}/", views.meeting_detail, name="meeting"),
    path(f"{meeting}/modifier/", edit_views.meeting_edit, name="meeting_edit"),
    path(f"{meeting}/supprimer/", edit_views.meeting_delete, name="meeting_delete"),
    path(f"{meeting}/bilan/<int:action_pk>/", edit_views.action_review, name="action_review"),
    # Obligations and their deliveries
    path(
        f"{convention}/engagements/ajouter/",
        edit_views.obligation_create,
        name="obligation_create",
    ),
    path(f"{obligation}/", views.obligation_detail, name="obligation"),
    path(f"{obligation}/modifier/", edit_views.obligation_edit, name="obligation_edit"),
    path(f"{obligation}/supprimer/", edit_views.obligation_delete, name="obligation_delete"),
    path(f"{obligation}/livraisons/ajouter/", edit_views.fulfilment_add, name="fulfilment_add"),
    path(f"{fulfilment}/modifier/", edit_views.fulfilment_edit, name="fulfilment_edit"),
    path(f"{fulfilment}/supprimer/", edit_views.fulfilment_delete, name="fulfilment_delete"),
    path(f"{fulfilment}/fichier/", views.fulfilment_file, name="fulfilment_file"),
]
