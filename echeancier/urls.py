from django.urls import path

from . import views

app_name = "echeancier"

urlpatterns = [
    path("", views.index, name="index"),
]
