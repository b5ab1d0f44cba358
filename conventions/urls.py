from django.urls import path

from . import document_views

app_name = "conventions"

urlpatterns = []

# --- The printed convention and its signed documents (branch pdf) -------------------------
urlpatterns += [
    path("<slug:reference>/pdf/", document_views.convention_pdf, name="pdf"),
    path(
        "<slug:reference>/avenants/<int:number>/pdf/",
        document_views.amendment_pdf,
        name="amendment_pdf",
    ),
    path("<slug:reference>/documents/", document_views.upload_scan, name="upload_scan"),
    path(
        "<slug:reference>/documents/<int:pk>/",
        document_views.document_download,
        name="document_download",
    ),
]
