"""One-time codes by email: the weakest way to vote, with a self-declared address and age.

Only a keyed hash of a code is kept, in the cache, for 15 minutes; a code takes at most five
tries. Requests are throttled per client and per address, so guessing a six-digit code or
flooding someone's inbox does not pay.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.template.loader import render_to_string

from config.counters import count_in_window

CODE_TTL = 15 * 60
MAX_TRIES = 5  # per code
# (requests, seconds): how often one client or one address may ask for a code or try one.
SENDS_PER_ADDRESS = (3, 60 * 60)
SENDS_PER_CLIENT = (10, 60 * 60)
CHECKS_PER_CLIENT = (20, 15 * 60)


def address_normalise(address: str) -> str:
    return address.strip().casefold()


def _digest(kind: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _keys(round_id: int, address: str) -> tuple[str, str]:
    who = _digest("email-address", f"{round_id}:{address}")
    return f"email-code:{who}", f"email-code-tries:{who}"


def throttled(bucket: str, who: str, limit: tuple[int, int]) -> bool:
    """Count one more request of `who` in `bucket`; True when it is over the limit."""
    count, seconds = limit
    return count_in_window(f"throttle:{bucket}:{_digest('throttle', who)}", seconds) > count


def code_issue(*, round_id: int, address: str) -> str:
    """A new six-digit code for the address in this round; the previous one stops working."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    code_key, tries_key = _keys(round_id, address)
    cache.set(code_key, _digest("email-code", f"{round_id}:{address}:{code}"), CODE_TTL)
    cache.set(tries_key, 0, CODE_TTL)
    return code


def code_check(*, round_id: int, address: str, code: str) -> str | None:
    """None when the code is right (it is then used up), else a reason code."""
    code_key, tries_key = _keys(round_id, address)
    stored = cache.get(code_key)
    if stored is None:
        return "email_code_expired"
    try:
        tries = cache.incr(tries_key)
    except ValueError:
        return "email_code_expired"
    if tries > MAX_TRIES:
        cache.delete_many([code_key, tries_key])
        return "email_code_too_many_tries"
    given = _digest("email-code", f"{round_id}:{address}:{code.strip()}")
    if not hmac.compare_digest(stored, given):
        if tries == MAX_TRIES:
            cache.delete_many([code_key, tries_key])
            return "email_code_too_many_tries"
        return "email_code_wrong"
    cache.delete_many([code_key, tries_key])
    return None


def code_send(*, address: str, code: str, round_title: str) -> None:
    """Mail the code now, in the visitor's language. Not through Celery: the code must not wait in
    the broker's queue, and the voter is waiting for it."""
    tenant = getattr(connection, "tenant", None)
    context = {"code": code, "round_title": round_title, "municipality": tenant, "minutes": CODE_TTL // 60}
    subject = render_to_string("emails/vote-code-subject.txt", context).strip()
    text = render_to_string("emails/vote-code-body.txt", context)
    html = render_to_string("emails/vote-code-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    message.attach_alternative(html, "text/html")
    message.send()
