"""Guessing a staff password: after too many failures the console, the Django admin and the
platform admin refuse even the right password for a while; other people and other
municipalities are not affected."""

import re

from config import login_throttle
from tests.conftest import ADMIN, host_client

CONSOLE_LOGIN = "/admin-konsol/log-ind/"
BLOCKED = "For mange mislykkede login"
WRONG = "Brugernavnet eller adgangskoden er forkert."


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_console_blocks_a_username_after_ten_failures_even_with_the_right_password(db, aarhus):
    guesser = host_client("aarhus.localhost")
    for _ in range(login_throttle.FAILURES_PER_USERNAME):
        wrong = guesser.post(CONSOLE_LOGIN, {"username": ADMIN.username, "password": "forkert"})
        assert wrong.status_code == 200 and BLOCKED not in _text(wrong) and WRONG in _text(wrong)
    right = guesser.post(CONSOLE_LOGIN, {"username": ADMIN.username, "password": ADMIN.password})
    assert BLOCKED in _text(right) and not _logged_in(guesser)

    # The same name from another address is blocked too: the limit is on the username.
    elsewhere = host_client("aarhus.localhost")
    elsewhere.defaults["REMOTE_ADDR"] = "10.1.2.3"
    refused = elsewhere.post(CONSOLE_LOGIN, {"username": ADMIN.username.upper(), "password": ADMIN.password})
    assert BLOCKED in _text(refused) and not _logged_in(elsewhere)

    # Kolding's admin of the same name is not Aarhus' admin.
    kolding = host_client("kolding.localhost")
    assert (
        kolding.post(CONSOLE_LOGIN, {"username": ADMIN.username, "password": ADMIN.password}).status_code
        == 302
    )
    assert _logged_in(kolding)


def test_a_mistyped_password_now_and_then_never_blocks(db, aarhus):
    client = host_client("aarhus.localhost")
    for _ in range(3):
        client.post(CONSOLE_LOGIN, {"username": ADMIN.username, "password": "forkert"})
    response = client.post(CONSOLE_LOGIN, {"username": ADMIN.username, "password": ADMIN.password})
    assert response.status_code == 302 and _logged_in(client)


def test_one_address_trying_many_usernames_is_blocked(db, aarhus):
    client = host_client("aarhus.localhost")
    for n in range(login_throttle.FAILURES_PER_CLIENT):
        client.post(CONSOLE_LOGIN, {"username": f"navn{n}", "password": "forkert"})
    response = client.post(CONSOLE_LOGIN, {"username": ADMIN.username, "password": ADMIN.password})
    assert BLOCKED in _text(response) and not _logged_in(client)


def test_the_django_admin_and_the_platform_admin_are_throttled_too(db, aarhus):
    for host, path in (("aarhus.localhost", "/django-admin/login/"), ("localhost", "/platform-admin/login/")):
        client = host_client(host)
        for _ in range(login_throttle.FAILURES_PER_USERNAME):
            client.post(path, {"username": "platform", "password": "forkert"})
        response = client.post(path, {"username": "platform", "password": "forkert"})
        assert BLOCKED in _text(response), host
