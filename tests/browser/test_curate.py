"""A curator in Chromium: sign in, accept a suggestion into (a copy of) data/, reject one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.catalog.files import read_features
from tests.browser.test_suggest import CURATOR
from tests.browser.test_suggest import stored
from tests.browser.test_suggest import suggestion_site
from tests.test_suggestions import NEW
from tests.test_suggestions import hostile_suggestion
from tests.test_suggestions import submit


@pytest.fixture
def site(tmp_path, chromium_path):
    with suggestion_site(tmp_path) as served:
        yield served


def sign_in(page, base: str, next_path: str = "/curate/") -> None:
    page.goto(base + next_path)
    expect(page.locator("h1")).to_have_text("Sign in to review suggestions")
    page.get_by_label("Email address").fill(CURATOR[0])
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_contain_text("The email address or the password")
    page.get_by_label("Password").fill(CURATOR[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".curator-bar")).to_contain_text(f"Signed in as {CURATOR[0]}")


def test_accept_one_into_data_and_reject_another(site, tab):
    base, app, catalog_dir = site
    client = app.test_client()
    assert submit(client, NEW).status_code == 303
    assert submit(client, NEW | {"title": "Not a real office"}).status_code == 303
    page = tab
    sign_in(page, base)
    expect(page.locator("h1")).to_have_text("Suggestions")
    expect(page.locator("tbody tr")).to_have_count(2)

    page.get_by_role("link", name=NEW["title"]).click()
    expect(page.locator("h1")).to_contain_text("Suggestion #1")
    expect(page.get_by_role("link", name=NEW["sources-0"])).to_have_attribute(
        "href", NEW["sources-0"]
    )
    accept = page.locator("#accept-form")
    expect(accept.get_by_label("Record id")).to_have_value(
        "boise-id-office-of-community-engagement"
    )
    # the confirmation and the source's title are required
    accept.get_by_role("button", name="Accept and write to data/").click()
    expect(page.locator(".error-summary").first).to_contain_text("The title of source 1 is empty")
    page.locator("#accept-form").get_by_label("Source 1: title of the page or document").fill(
        "Community Engagement"
    )
    page.locator("#accept-form").get_by_label("Kind of community").select_option("city")
    page.get_by_label("I opened the sources and they state these facts").check()
    page.get_by_role("button", name="Accept and write to data/").click()
    expect(page.locator(".confirmation")).to_contain_text("Accepted and written into")
    expect(page.locator("h1 .status")).to_have_text("Accepted")

    features = {f["properties"]["id"]: f for f in read_features(catalog_dir / "catalog.geojson")}
    feature = features["boise-id-office-of-community-engagement"]
    assert feature["geometry"] == features["boise-id-certified"]["geometry"]
    assert feature["properties"]["sources"][0]["title"] == "Community Engagement"
    result = app.test_cli_runner().invoke(args=["catalog", "validate", "--data", str(catalog_dir)])
    assert result.exit_code == 0, result.output

    page.get_by_role("link", name="Suggestions").first.click()
    page.get_by_role("link", name="Not a real office").click()
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("#reason-error")).to_contain_text("Say why")
    page.get_by_label("Why is it rejected?").fill("No source mentions this office.")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator(".confirmation")).to_contain_text("Rejected")
    assert [row.status for row in stored(app)] == ["accepted", "rejected"]

    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("tbody tr").first).to_contain_text("rejected")
    expect(page.locator("tbody")).to_contain_text("accepted")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".notice")).to_have_text("You have signed out.")
    page.goto(base + "/curate/")
    expect(page.locator("h1")).to_have_text("Sign in to review suggestions")
    if page.js:
        assert page.watch.errors == []
        assert page.watch.outside(base) == []


def test_hostile_suggestions_run_nothing_on_curator_pages(site, page):
    base, app, _ = site
    assert submit(app.test_client(), hostile_suggestion("Curate")).status_code == 303
    sign_in(page, base, "/curate/suggestions/1")
    expect(page.locator("h1")).to_contain_text("Suggestion #1")
    expect(page.locator("main")).to_contain_text("{{ 7*7 }}")
    for url in ("/curate/", "/curate/suggestions/1", "/curate/log"):
        page.goto(base + url)
        assert page.evaluate("() => window.pwned") is None
        assert page.locator("main img").count() == 0
    assert page.watch.errors == []
