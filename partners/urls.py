from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nouveau/", views.organisation_create, name="create"),
    path("nouveau.json", views.organisation_create_inline, name="create_inline"),
    path("suggestions/", views.organisation_suggestions, name="suggestions"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/modifier/", views.organisation_edit, name="edit"),
    path("<int:pk>/historique/", views.organisation_history, name="history"),
    path("<int:pk>/personnes/ajouter/", views.person_add_view, name="person_add"),
    path("<int:pk>/personnes/<int:person_pk>/modifier/", views.person_edit, name="person_edit"),
    path("<int:pk>/mandats/ajouter/", views.mandate_add, name="mandate_add"),
    path("<int:pk>/mandats/<int:mandate_pk>/modifier/", views.mandate_edit, name="mandate_edit"),
    path("<int:pk>/fusionner/", views.merge_choose, name="merge_choose"),
    path("<int:pk>/fusionner/<int:duplicate_pk>/", views.merge_confirm, name="merge"),
    path("<int:pk>/portail/inviter/", views.member_invite, name="member_invite"),
    path("<int:pk>/portail/<int:user_pk>/revoquer/", views.member_revoke, name="member_revoke"),
]
