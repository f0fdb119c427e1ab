from django.contrib import admin

from qiao.governance.models import (
    CharterVersion,
    CouncilTerm,
    Decision,
    ExpertMember,
    GoverningMeeting,
    MinutesVersion,
)

# Read-only in the admin: records are added through the governance pages, which keep the
# history (new versions, closed terms) instead of editing in place.
for model in (
    CharterVersion,
    CouncilTerm,
    ExpertMember,
    GoverningMeeting,
    MinutesVersion,
    Decision,
):

    @admin.register(model)
    class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
        def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
            return False

        def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
            return False
