"""Browser tests: the real site served on 127.0.0.1, driven in Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium (the
``chromium`` package). Without it the tests skip, unless REQUIRE_BROWSER=1
(CI), where a missing browser is a failure.
"""

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app import create_app
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.geo import load_states
from app.models import db
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import GEODATA
from tests.conftest import migrate_schema

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# CI shares two cores between Chromium, the site and the test runner: give
# assertions room beyond Playwright's 5 s default
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (REQUIRE_BROWSER=1)")
    pytest.skip(message)


@contextmanager
def serving(catalog: Path, tmp: Path, tiles: str = "none"):
    """Serve ``catalog`` on a free port of 127.0.0.1; yield the base URL."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'atlas.sqlite3'}",
            "MAP_TILES": tiles,
        }
    )
    migrate_schema(app)
    with app.app_context():
        load_catalog(db.session, read_catalog(catalog, load_states(str(GEODATA))))
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the fixture catalog on a free port of 127.0.0.1; yield its base URL.

    With ATLAS_BASE_URL set, the tests run against that server instead: CI
    serves the fixture catalog with gunicorn, PostgreSQL and Redis there.
    """
    if os.environ.get("ATLAS_BASE_URL"):
        yield os.environ["ATLAS_BASE_URL"].rstrip("/")
        return
    with serving(FIXTURE_CATALOG, tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Records console errors and every request a page makes."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def outside(self, base_url: str) -> list[str]:
        return [url for url in self.requests if not url.startswith(base_url)]


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.watch = PageWatch(page)
    return page


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def tab(request, browser):
    """A page with JavaScript on, then off: forms must work both ways."""
    context = browser.new_context(java_script_enabled=request.param)
    page = context.new_page()
    page.watch = PageWatch(page)
    page.js = request.param
    yield page
    context.close()
