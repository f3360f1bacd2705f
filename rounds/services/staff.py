"""Console staff: accounts of the municipality's own schema and their roles (see rounds/console/roles.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from rounds.console.roles import ROLES, department_group, role_group
from rounds.services.audit import audit_record


@transaction.atomic
def staff_create(*, username: str, password: str, actor, email: str = ""):
    """Create a staff account in this municipality. Raises ValidationError for a weak password."""
    user_model = get_user_model()
    user = user_model(username=username, email=email, is_staff=False)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=actor, action="staff_create", obj=user, new={"username": username})
    return user


@transaction.atomic
def staff_roles_set(*, user, roles: list[str], departments: list[str], actor) -> None:
    """Give a user exactly these console roles and departments (others are taken away)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    old = sorted(user.groups.values_list("name", flat=True))
    kept = [g for g in user.groups.all() if g.name not in ROLES and not g.name.startswith("department:")]
    wanted = kept + [role_group(r) for r in roles] + [department_group(d) for d in departments if d.strip()]
    user.groups.set(wanted)
    user.__dict__.pop("_console_groups", None)
    new = sorted(g.name for g in wanted)
    audit_record(actor=actor, action="staff_roles_set", obj=user, old=old, new=new)
