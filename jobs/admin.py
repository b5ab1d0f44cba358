from django.contrib import admin

from .models import Export, Render


@admin.register(Render)
class RenderAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "state", "attempts", "updated_at"]
    list_filter = ["kind", "state"]
    readonly_fields = ["key", "kind", "file", "created_at", "updated_at"]
    exclude = ["source"]


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = ["filename", "user", "state", "rows", "updated_at"]
    list_filter = ["kind", "state"]
    readonly_fields = ["user", "kind", "params", "filename", "file", "created_at", "updated_at"]
