"""The printed documents, under the pages they print: a convention's PDF, its avenants', its
signed documents, and the yearly review of its action plan."""

from django.urls import path

from . import views

app_name = "documents"

convention = "conventions/<slug:reference>"

urlpatterns = [
    path(f"{convention}/pdf/", views.convention_pdf, name="pdf"),
    path(f"{convention}/avenants/<int:number>/pdf/", views.amendment_pdf, name="amendment_pdf"),
    path(f"{convention}/documents/", views.upload_scan, name="upload_scan"),
    path(f"{convention}/documents/<int:pk>/", views.document_download, name="document_download"),
    path("actions/<str:reference>/bilan/<int:year>/pdf/", views.review_pdf, name="review_pdf"),
]
