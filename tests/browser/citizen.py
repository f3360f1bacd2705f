"""What a citizen does in the browser, step by step: open a page, read a code from an email, prove
who they are with a voting code. Every step checks that it landed where a citizen would."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core import mail

Url = Callable[[str], str]


def open_page(page, url: str) -> None:
    """Go to a page and insist it answered 200: a scan of an error page proves nothing."""
    response = page.goto(url)
    assert response is not None, f"no response from {url}"
    assert response.status == 200, f"{url} answered {response.status}"


def code_from_mail(address: str) -> str:
    """The six-digit code in the last email to `address` (the live server shares mail.outbox)."""
    sent = [message for message in mail.outbox if address in message.to]
    assert sent, f"no email to {address}; sent: {[m.to for m in mail.outbox]}"
    return re.search(r"\b(\d{6})\b", sent[-1].body).group(1)


def verify_with_voting_code(page, tenant_url: Url, slug: str, code: str) -> None:
    """Enter the voting code from the letter; the ballot opens."""
    open_page(page, tenant_url(f"/stem/{slug}/kode/"))
    page.locator("input[name=code]").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(tenant_url(f"/stem/{slug}/stemmeseddel/"))
