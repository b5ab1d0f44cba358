from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("exports/<int:pk>/", views.export, name="export"),
    path("exports/<int:pk>/fichier/", views.download, name="download"),
]
