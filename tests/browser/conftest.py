"""Browser tests: Debian's Chromium, driven by Playwright, against a live server for Browserby.

pytest-django's `live_server` is not used: it flushes the database after each test, which would
wipe the tenant rows. Instead one LiveServerThread (with static files, as Django's
StaticLiveServerTestCase serves them) runs while the browser tests run (package scope: it all
ends before the rest of the suite), Browserby is provisioned and seeded once
(tests/browser/world.py), and every test commits for real (`committed_db`), so the server's
threads see what the test wrote. One browser for all browser tests; a fresh context per page.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import cache
from django.db import connection
from django.test.testcases import LiveServerThread

from tests.browser.world import SUBDOMAIN, World, world_build, world_discard

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    # WCAG 1.4.10 Reflow: content must work at 320 CSS pixels without scrolling sideways.
    "narrow": {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True},
}
LANGUAGES = ("da", "en")
# Where a failing test leaves a screenshot of each of its pages, to see what the browser saw.
FAILURES = Path(
    os.environ.get("BROWSER_FAILURES_DIR", Path(tempfile.gettempdir()) / "borgerbudget-browser-failures")
)
_pages_of_test: list = []


@contextlib.contextmanager
def orm_beside_playwright() -> Iterator[None]:
    """Let the test thread use the ORM while Playwright's sync API is active.

    Playwright runs its event loop in a greenlet of this thread, so Django sees a running loop
    and refuses synchronous queries. The test's own queries are synchronous and alone on this
    thread; the server answers in its own threads, which never see that loop.
    """
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def _assert_test_database() -> None:
    assert connection.settings_dict["NAME"].startswith("test_"), (
        "refusing to commit outside the test database"
    )


@pytest.fixture(scope="package")
def browser_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Browserby with its rounds, for all browser tests; removed after them, also after a failure."""
    with django_db_blocker.unblock(), orm_beside_playwright():
        _assert_test_database()
        world = world_build()
    try:
        yield world
    finally:
        with django_db_blocker.unblock(), orm_beside_playwright():
            world_discard()


@pytest.fixture(scope="package")
def live_server_port(browser_world) -> Iterator[int]:
    """An HTTP server on 127.0.0.1 and a free port, in a thread of this process (so mail.outbox
    and the local-memory cache are the tests' own)."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield server.port
    server.terminate()


@pytest.fixture(scope="package")
def tenant_url(live_server_port) -> Callable[[str], str]:
    """tenant_url("/runder/x/") -> "http://browserby.localhost:<port>/runder/x/".

    Chromium resolves every *.localhost name to 127.0.0.1 by itself."""

    def url(path: str = "/") -> str:
        return f"http://{SUBDOMAIN}.localhost:{live_server_port}{path}"

    return url


@pytest.fixture(autouse=True)
def _browser_test_database(committed_db) -> Iterator[None]:
    """Every browser test commits (the server's threads cannot see a test transaction), may use
    the ORM beside Playwright, and starts with empty throttles (all requests come from 127.0.0.1)."""
    with orm_beside_playwright():
        cache.clear()
        yield
        cache.clear()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    FAILURES.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(_pages_of_test):
        target = FAILURES / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', item.name)}-{n}.png"
        with contextlib.suppress(Exception):  # a closed or crashed page has nothing to show
            page.screenshot(path=str(target), full_page=True)
            report.sections.append(("browser", f"{page.url}\nscreenshot: {target}"))


@pytest.fixture(autouse=True)
def _pages_forget() -> Iterator[None]:
    _pages_of_test.clear()
    yield
    _pages_of_test.clear()


def chromium_executable(playwright) -> str | None:
    """Debian's Chromium; elsewhere the one `playwright install chromium` downloaded."""
    for candidate in (CHROMIUM, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    bundled = playwright.chromium.executable_path
    return bundled if bundled and Path(bundled).exists() else None


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all browser tests. Fails (never skips) when Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright is not installed: run `make test` (or pip install playwright).", pytrace=False
        )
    with sync_playwright() as playwright:
        executable = chromium_executable(playwright)
        if executable is None:
            pytest.fail(
                f"Chromium is missing ({CHROMIUM} not found): run `make chromium` "
                "(apt-get install -y chromium on Debian), or `make test`, which does it.",
                pytrace=False,
            )
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _context(browser, tenant_url, viewport: str, language: str):
    context = browser.new_context(**VIEWPORTS[viewport], locale="da-DK")
    context.set_default_timeout(10_000)
    _language_choose(context, tenant_url, language)
    return context


def _language_choose(context, tenant_url, language: str) -> None:
    """As a visitor keeps it: the `django_language` cookie (Danish is the default)."""
    if language != "da":
        context.add_cookies([{"name": "django_language", "value": language, "url": tenant_url()}])


@pytest.fixture
def new_page(browser, tenant_url):
    """new_page("phone", "en"): a page in a fresh browser context (own cookies), closed after the test."""
    contexts = []

    def make(viewport: str = "desktop", language: str = "da"):
        contexts.append(_context(browser, tenant_url, viewport, language))
        _pages_of_test.append(contexts[-1].new_page())
        return _pages_of_test[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="package")
def _kept_pages(browser) -> Iterator[dict]:
    pages: dict = {}
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.fixture
def kept_page(_kept_pages, browser, tenant_url):
    """kept_page("phone", "en"): one page per viewport and language for all browser tests, its
    cookies cleared for each test. Several times faster than a new context for short visits:
    the renderer and its compiled scripts (axe-core) stay warm."""

    def get(viewport: str = "desktop", language: str = "da"):
        key = (viewport, language)
        if key not in _kept_pages:
            _kept_pages[key] = _context(browser, tenant_url, viewport, language).new_page()
        page = _kept_pages[key]
        page.context.clear_cookies()
        _language_choose(page.context, tenant_url, language)
        _pages_of_test.append(page)
        return page

    return get


@pytest.fixture
def page(new_page):
    """A desktop page (1280x800), Danish."""
    return new_page("desktop")


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (390x844, mobile, touch), Danish."""
    return new_page("phone")
