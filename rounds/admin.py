"""Django's admin inside a municipality (/django-admin/): a fallback for staff until the console.

Changes that carry rules (phases, assessments, decisions) go through the services in the
console; here those records are read-only so the audit log and notifications are never bypassed.
"""

from django.contrib import admin

from rounds import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PhaseInline(admin.TabularInline):
    model = models.Phase
    extra = 0
    fields = ("position", "kind", "starts_at", "ends_at", "state")
    readonly_fields = fields
    can_delete = False


@admin.register(models.Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "process_model", "is_published", "created_at")
    inlines = [PhaseInline]


@admin.register(models.Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("title", "round", "status", "cost", "votes", "funded_amount")
    list_filter = ("round", "status")
    search_fields = ("title", "author_name")


@admin.register(models.Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "author_name", "is_hidden", "created_at")


@admin.register(models.AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_id")
    date_hierarchy = "at"


for model in (
    models.Assessment,
    models.Decision,
    models.ImplementationUpdate,
    models.Evaluation,
    models.Meeting,
):
    admin.site.register(model, ReadOnlyAdmin)
