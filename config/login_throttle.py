"""Password logins (the console, each municipality's Django admin, the platform admin) refuse
further tries after too many failures, per client address and per username.

Only failures count: staff who mistype once or twice are never slowed down, while guessing a
password is stopped after FAILURES_PER_USERNAME tries in WINDOW seconds whatever the address, and
one address is stopped after FAILURES_PER_CLIENT tries whatever the usernames. A correct password
is refused too while the limit holds, so the attacker learns nothing. The counters live in the
cache, whose keys carry the municipality's schema: a block in Aarhus is no block in Kolding.
"""

from __future__ import annotations

import hashlib

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.counters import count_in_window

WINDOW = 15 * 60
FAILURES_PER_USERNAME = 10
FAILURES_PER_CLIENT = 30
TOO_MANY = _(
    "Too many failed logins. Wait 15 minutes and try again. If you have forgotten your password, ask "
    "an administrator to set a new one."
)


def _key(kind: str, who: str) -> str:
    return f"login-failures:{kind}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"


class ThrottledLoginMixin:
    """For an AuthenticationForm: refuse while the username or the client has failed too often."""

    def clean(self):
        username = (self.data.get("username") or "").strip().lower()
        client = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        keys = [_key("username", username)] if username else []
        keys.append(_key("client", client))
        limits = [FAILURES_PER_USERNAME] * (len(keys) - 1) + [FAILURES_PER_CLIENT]
        if any((cache.get(key) or 0) >= limit for key, limit in zip(keys, limits, strict=True)):
            raise ValidationError(TOO_MANY, code="too_many_failures")
        try:
            return super().clean()
        except ValidationError:
            for key in keys:
                count_in_window(key, WINDOW)
            raise


class ThrottledLoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
