from django.urls import path

from . import echeancier_views

app_name = "echeancier"

urlpatterns = [
    path("", echeancier_views.index, name="index"),
]
