from django.contrib import admin

from .models import DocumentDownload


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(admin.ModelAdmin):
    """The download log, read-only: it records what happened."""

    list_display = ["downloaded_at", "username", "convention", "file_name"]
    list_select_related = ["convention"]
    list_filter = ["downloaded_at"]
    search_fields = ["username", "convention__reference", "file_name"]
    date_hierarchy = "downloaded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
