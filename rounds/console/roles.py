"""Console roles, kept as Django groups in the municipality's own schema.

- ``tenant_admin``: everything (a superuser counts as one);
- ``case_worker``: assesses proposals for the departments they belong to; a department is a
  group named ``department:<name>`` (e.g. ``department:Teknik og Miljø``);
- ``moderator``: hides and restores comments with a public reason;
- ``voting_day``: paper-ballot entry and the live count on a voting day, nothing else.

Groups are created on demand (no data migration): ``role_group`` gets or creates them. Users,
groups and sessions live in each municipality's schema, so a role in Aarhus means nothing in
Kolding.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

TENANT_ADMIN = "tenant_admin"
CASE_WORKER = "case_worker"
MODERATOR = "moderator"
VOTING_DAY = "voting_day"
ROLES = (TENANT_ADMIN, CASE_WORKER, MODERATOR, VOTING_DAY)
ROLE_LABELS = {
    TENANT_ADMIN: _("Tenant admin"),
    CASE_WORKER: _("Case worker"),
    MODERATOR: _("Moderator"),
    VOTING_DAY: _("Voting-day staff"),
}
DEPARTMENT_PREFIX = "department:"


def role_group(role: str) -> Group:
    if role not in ROLES:
        raise ValueError(f"{role} is not a console role")
    return Group.objects.get_or_create(name=role)[0]


def department_group(department: str) -> Group:
    name = " ".join(department.split())
    if not name:
        raise ValueError("a department needs a name")
    return Group.objects.get_or_create(name=f"{DEPARTMENT_PREFIX}{name}")[0]


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_console_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._console_groups = cached
    return cached


def user_roles(user) -> frozenset[str]:
    """The console roles a user has; a tenant admin (or superuser) has every role."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if user.is_superuser or TENANT_ADMIN in _group_names(user):
        return frozenset(ROLES)
    return frozenset(_group_names(user) & set(ROLES))


def user_departments(user) -> list[str]:
    """The departments a user assesses for, sorted."""
    if not user.is_authenticated:
        return []
    return sorted(
        n.removeprefix(DEPARTMENT_PREFIX) for n in _group_names(user) if n.startswith(DEPARTMENT_PREFIX)
    )


def departments_all() -> list[str]:
    """Every department of the municipality (its ``department:<name>`` groups), sorted."""
    names = Group.objects.filter(name__startswith=DEPARTMENT_PREFIX).values_list("name", flat=True)
    return sorted(n.removeprefix(DEPARTMENT_PREFIX) for n in names)


def role_required(*roles: str) -> Callable:
    """Let a view through for users with any of `roles` (tenant admins always); anonymous users
    go to the console's login page, other logged-in users get 403."""
    wanted = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("console:login"))
            if not user_roles(request.user) & wanted:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.console_roles = wanted
        return wrapped

    return decorator
