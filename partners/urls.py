from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("suggestions/", views.organisation_suggestions, name="suggestions"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/portail/inviter/", views.member_invite, name="member_invite"),
    path("<int:pk>/portail/<int:user_pk>/revoquer/", views.member_revoke, name="member_revoke"),
]
