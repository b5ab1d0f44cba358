from django.contrib import admin

from .models import OidcIdentity


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Read-only: links are made by signing in; deleting one lets the account be linked
    again (by its e-mail address) at its next sign-in through ProConnect."""

    list_display = ["user", "email", "sub", "issuer", "linked_at"]
    search_fields = ["user__username", "user__email", "email", "sub"]
    list_select_related = ["user"]
    readonly_fields = ["user", "issuer", "sub", "email", "linked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
