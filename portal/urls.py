"""The portal's pages: read-only, every one behind `portal.access.portal_view` (but the
calendar feed, whose token is its credential). `portal/tests/test_security.py` walks each."""

from django.urls import path

from . import views

app_name = "portal"

convention = "conventions/<slug:reference>"

urlpatterns = [
    path("", views.home, name="home"),
    path(f"{convention}/", views.convention_detail, name="convention"),
    path(f"{convention}/pdf/", views.convention_pdf, name="convention_pdf"),
    path(f"{convention}/avenants/<int:number>/pdf/", views.amendment_pdf, name="amendment_pdf"),
    path(f"{convention}/documents/<int:pk>/", views.document_download, name="document"),
    path("agenda/", views.calendar, name="calendar"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
