"""Suggesting in Chromium, with JavaScript and without: errors by their fields, then success.

These tests serve a site of their own (a copy of the fixture catalog it may write to, a
curator account, room for many suggestions from 127.0.0.1), also when ATLAS_BASE_URL
points the rest of the browser suite at another server.
"""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.geo import load_states
from app.models import db
from app.suggestions.models import Suggestion
from tests.browser.test_map import serious_violations
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import GEODATA
from tests.conftest import migrate_schema
from tests.hostile import TEMPLATE_PAYLOAD
from tests.test_suggestions import HTML_PAYLOAD

CURATOR = ("curator@example.org", "correct horse battery")
SOURCE = "https://www.cityofboise.org/departments/mayor/community-engagement/"


@contextmanager
def suggestion_site(tmp: Path):
    """Serve the fixture catalog from a writable copy; yield (base URL, app, catalog dir)."""
    catalog_dir = tmp / "data"
    shutil.copytree(FIXTURE_CATALOG, catalog_dir)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'atlas.sqlite3'}",
            "MAP_TILES": "none",
            "CATALOG_DIR": str(catalog_dir),
            "SUGGESTIONS_RATE_LIMIT": "1000 per hour",
            "LOGIN_FAILURE_DELAY": 0,
        }
    )
    migrate_schema(app)
    with app.app_context():
        load_catalog(db.session, read_catalog(catalog_dir, load_states(str(GEODATA))))
        db.session.remove()
    result = app.test_cli_runner().invoke(
        args=["curator", "add", CURATOR[0]], input=CURATOR[1] + "\n"
    )
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}", app, catalog_dir
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium_path):
    with suggestion_site(tmp_path_factory.mktemp("suggest")) as served:
        yield served


def stored(app) -> list[Suggestion]:
    with app.app_context():
        rows = db.session.scalars(select(Suggestion).order_by(Suggestion.id)).all()
        db.session.expunge_all()
        return rows


def summary_links(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator(".error-summary a").all()]


def test_a_new_initiative_errors_then_success(site, tab):
    base, app, _ = site
    before = len(stored(app))
    page = tab
    page.goto(base + "/suggest")
    expect(page.locator("h1")).to_have_text("Tell us what’s missing")
    page.get_by_label("Name of the initiative").fill("Office <b>of</b> Community Engagement")
    page.get_by_role("button", name="Send the suggestion").click()
    # the summary lists every problem, linked to its field, and takes the focus
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert summary_links(page) == ["#place", "#state", "#category", "#summary", "#sources-0"]
    expect(page).to_have_title("Error: Suggest an initiative or a correction · Welcoming Atlas")
    expect(page.locator("#summary-error")).to_contain_text("Say what it is")
    # what was typed is kept
    expect(page.get_by_label("Name of the initiative")).to_have_value(
        "Office <b>of</b> Community Engagement"
    )
    page.locator(".error-summary a[href='#place']").click()
    assert page.url.endswith("#place")
    page.get_by_label("Community").fill("Boise")
    page.get_by_label("State").select_option("ID")
    page.get_by_label("Kind of initiative").select_option("municipal-offices")
    page.get_by_label("What it is").fill(
        "A city office that connects refugees and immigrants with the city's services."
    )
    page.get_by_label("Source", exact=True).fill("not a web address")
    page.get_by_role("button", name="Send the suggestion").click()
    assert summary_links(page) == ["#sources-0"]
    expect(page.locator("#sources-0-error")).to_contain_text("must be a web address")
    expect(page.get_by_label("Community")).to_have_value("Boise")
    page.get_by_label("Source", exact=True).fill(SOURCE)
    page.get_by_label("Your email address").fill("me@example.org")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you: we have your suggestion")
    expect(page.locator("main")).to_contain_text("What happens next")
    rows = stored(app)
    assert len(rows) == before + 1
    assert (rows[-1].kind, rows[-1].place, rows[-1].sources) == ("new", "Boise", [SOURCE])
    if page.js:
        assert page.watch.errors == []
        assert page.watch.outside(base) == []


def test_a_correction_from_the_community_page_errors_then_success(site, tab):
    base, app, _ = site
    page = tab
    page.goto(base + "/places/nashville-tn")
    page.locator("#nashville-tn-office").get_by_role("link", name="Suggest a correction").click()
    expect(page.locator(".record-box")).to_contain_text("Office of New Americans")
    expect(page.get_by_label("Correction")).to_be_checked()
    expect(page.get_by_label("Community")).to_have_value("Nashville")
    page.get_by_label("Name of the initiative").fill("Mayor's Office of New Americans")
    page.get_by_role("button", name="Send the suggestion").click()
    assert summary_links(page) == ["#sources-0"]
    # still about the same record, with the change kept
    expect(page.locator(".record-box")).to_contain_text("Office of New Americans")
    expect(page.get_by_label("Name of the initiative")).to_have_value(
        "Mayor's Office of New Americans"
    )
    page.get_by_label("Source", exact=True).fill("https://www.nashville.gov/new-americans")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator("h1")).to_have_text("Thank you: we have your suggestion")
    last = stored(app)[-1]
    assert (last.kind, last.record_id, last.title) == (
        "correction",
        "nashville-tn-office",
        "Mayor's Office of New Americans",
    )
    if page.js:
        assert page.watch.errors == []


def test_the_form_with_errors_has_no_serious_accessibility_violation(site, page):
    base, _, _ = site
    page.goto(base + "/suggest?kind=correction&place=nashville-tn")
    expect(page.locator("input[name=record][type=radio]")).to_have_count(2)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert serious_violations(page) == []
    # the honeypot is out of sight and out of the tab order
    box = page.locator("#homepage").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    assert page.locator("#homepage").get_attribute("tabindex") == "-1"


def test_hostile_text_stays_text_in_the_form(site, page):
    base, _, _ = site
    payload = f"{TEMPLATE_PAYLOAD} {HTML_PAYLOAD}"
    page.goto(base + "/suggest")
    page.get_by_label("Name of the initiative").fill(payload[:200])
    page.get_by_label("What it is").fill(payload)
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_label("Name of the initiative")).to_have_value(payload[:200])
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("img[onerror]").count() == 0
    assert page.watch.errors == []
