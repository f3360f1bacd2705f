"""The settings an operator gets from the environment alone: a clear error without SECRET_KEY, and a
production configuration that passes Django's deployment checklist (`check --deploy`).

Each case starts manage.py in a fresh process with its own environment; the database URL points
at a closed port because these checks must not need a database."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_DATABASE = "postgresql://nobody@127.0.0.1:1/none"
CHECK_DEPLOY = ("check", "--deploy", "--fail-level", "WARNING")
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-Xq9#fV2!mZ8@pL4$wR7^tY1&uI3*oP6(aS5)dF0_gH",
    "BASE_DOMAIN": "borgerbudget.dk",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONDONTWRITEBYTECODE")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, "DATABASE_URL": NO_DATABASE, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_secret_key_and_debug_off_the_start_fails_with_a_clear_message():
    done = _manage("check", DEBUG="0")
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_with_debug_on_a_missing_secret_key_is_allowed_for_development():
    done = _manage("check", DEBUG="1")
    assert done.returncode == 0, done.stderr


def test_a_production_environment_passes_the_deployment_checklist():
    done = _manage(*CHECK_DEPLOY, **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_plain_http_on_a_real_domain_is_flagged_by_the_checklist():
    # HTTPS=0 turns off the redirect, HSTS and secure cookies; Django's checklist must notice.
    done = _manage(*CHECK_DEPLOY, **PRODUCTION, HTTPS="0", SECURE_COOKIES="0")
    assert done.returncode != 0
    assert "SECURE_SSL_REDIRECT" in done.stderr and "SESSION_COOKIE_SECURE" in done.stderr
