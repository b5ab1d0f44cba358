from django.urls import path

from . import placeholder_views

app_name = "conventions"

urlpatterns = [
    # PLACEHOLDER on the schedule branch; the real page comes from the conventions views.
    path("<str:reference>/", placeholder_views.detail, name="detail"),
]
