from __future__ import annotations

from typing import Any

from django.db import models

from rounds.models import AuditEntry


def audit_record(*, actor, action: str, obj: models.Model, old: Any = None, new: Any = None) -> AuditEntry:
    """Record who changed what, and the old and new value. `actor` is a user, or None for the system."""
    is_user = actor is not None and getattr(actor, "pk", None) is not None
    label = (actor.get_username() if is_user else str(actor)) if actor is not None else "system"
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_label=label,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        old_value=old,
        new_value=new,
    )
