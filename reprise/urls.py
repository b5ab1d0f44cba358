"""The reprise pages: /reprise/ (upload and list), a review page per import, its original."""

from django.urls import path

from . import views

app_name = "reprise"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_review, name="review"),
    path("<int:pk>/rejeter/", views.import_reject_view, name="reject"),
    path("<int:pk>/verifier/", views.import_review_anyway_view, name="review_anyway"),
    path("<int:pk>/original/", views.import_original, name="original"),
]
