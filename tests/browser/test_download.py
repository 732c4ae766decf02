"""Downloading what the page shows, in Chromium: the CSV holds the rows the page counts."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_security import WATCH_CSP

CSV_LINK = ".download-links a[data-format=csv]"


def download_csv(page) -> tuple[str, list[dict[str, str]]]:
    """Click the view's CSV link; return the file's name and its rows as a spreadsheet reads."""
    with page.expect_download() as info:
        page.locator(CSV_LINK).click()
    download = info.value
    assert download.failure() is None
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    return download.suggested_filename, list(csv.DictReader(io.StringIO(text, newline="")))


def shown_count(page, selector: str, pattern: str) -> int:
    """Read the number of initiatives the page says it shows."""
    text = page.locator(selector).inner_text()
    found = re.search(pattern, text)
    assert found, text
    return int(found.group(1))


@pytest.mark.parametrize(
    ("path", "selector", "pattern"),
    [
        ("/?state=TN", "#filter-summary", r"(\d+) initiatives?"),
        ("/states/TN", ".lede", r"with (\d+) initiatives?"),
    ],
)
def test_the_csv_of_a_filtered_view_has_the_rows_the_page_counts(
    page, live_server, path, selector, pattern
):
    page.goto(live_server + path)
    expect(page.locator(CSV_LINK)).to_be_visible()
    count = shown_count(page, selector, pattern)
    name, rows = download_csv(page)
    assert name == "welcoming-atlas-TN.csv"
    assert len(rows) == count == 3
    assert {row["state"] for row in rows} == {"TN"}
    assert all(row["sources"] and row["last_verified"] for row in rows)
    assert page.watch.errors == []


def test_the_whole_catalog_downloads_from_a_filtered_view(page, live_server):
    page.goto(live_server + "/states/TN")
    with page.expect_download() as info:
        page.locator(".downloads a[data-format=csv][data-scope=all]").click()
    assert info.value.suggested_filename == "welcoming-atlas.csv"
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text, newline="")))) == 8


def test_the_links_follow_a_filter_chosen_on_the_map_without_a_reload(page, live_server):
    page.goto(live_server + "/")
    page.evaluate("() => { window.stayed = true; }")
    page.locator("select#state").select_option("TN")
    expect(page.locator("#filter-summary")).to_have_text(re.compile(r"in Tennessee"))
    expect(page.locator(CSV_LINK)).to_have_attribute("href", "/downloads/initiatives.csv?state=TN")
    assert page.evaluate("() => window.stayed === true")  # no reload: the links were replaced
    count = shown_count(page, "#filter-summary", r"(\d+) initiatives?")
    name, rows = download_csv(page)
    assert (name, len(rows)) == ("welcoming-atlas-TN.csv", count)


def test_the_api_page_breaks_no_rule_of_the_content_security_policy(page, live_server):
    page.add_init_script(WATCH_CSP)
    page.goto(live_server + "/api/")
    expect(page.locator("h1")).to_have_text("The Welcoming Atlas API")
    page.get_by_role("link", name="GET /api/initiatives.json").first.click()
    expect(page).to_have_url(re.compile(r"/api/#listInitiatives$"))
    assert page.evaluate("() => window.cspViolations") == []
    assert page.watch.errors == []
    assert page.watch.outside(live_server) == []
