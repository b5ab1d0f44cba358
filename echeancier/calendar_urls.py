from django.urls import path

from . import calendar_views

app_name = "calendrier"

urlpatterns = [
    path("", calendar_views.index, name="index"),
    path("nouvelle-adresse/", calendar_views.regenerate, name="regenerate"),
    path("revoquer/", calendar_views.revoke, name="revoke"),
    path("<str:token>.ics", calendar_views.feed, name="feed"),
]
