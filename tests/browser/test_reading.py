"""Reading pages in Chromium: the practitioner's path, printing, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_map import open_map
from tests.browser.test_map import serious_violations


def test_map_to_pin_to_community_to_case_study_to_guide_and_back(page, live_server):
    open_map(page, live_server + "/?state=TN&category=municipal-offices")
    page.locator(".atlas-pin[title^='Nashville, TN']").click()
    expect(page.locator(".atlas-popup[data-ready=true]")).to_have_count(1)  # done panning
    page.locator(".atlas-popup h3 a").click()
    expect(page.locator("h1")).to_have_text("Nashville, Tennessee")
    page.get_by_role("link", name="Nashville: a fixture case study").click()
    expect(page.locator("h1")).to_have_text("Nashville: a fixture case study")
    page.locator(".initiative-list a", has_text="Office of New Americans").click()
    expect(page).to_have_url(re.compile(r"/places/nashville-tn#nashville-tn-office$"))
    page.get_by_role("link", name="Municipal offices: what it is and how to start").click()
    expect(page.locator("h1")).to_have_text("Municipal offices")
    page.get_by_role("link", name="Show every initiative of this kind on the map").click()
    expect(page).to_have_url(re.compile(r"/\?category=municipal-offices$"))
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    for _ in range(5):  # map, community, case study, community, guide
        page.go_back()
    expect(page).to_have_url(re.compile(r"/\?state=TN&category=municipal-offices$"))
    assert page.watch.errors == []
    assert page.watch.outside(live_server) == []


def test_a_case_study_prints_without_the_navigation(page, live_server):
    page.goto(live_server + "/case-studies/nashville")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".crumbs")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".timeline .event")).to_have_count(2)
    expect(page.locator(".timeline .event").first).to_be_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_the_place_page_map_marks_the_community(page, live_server):
    open_map(page, live_server + "/places/nashville-tn")
    expect(page.locator(".atlas-pin-focus[title^='Nashville, TN']")).to_have_count(1)


@pytest.mark.parametrize(
    "path",
    [
        "/places/nashville-tn",
        "/categories/",
        "/categories/strategic-plans",
        "/case-studies/",
        "/case-studies/nashville",
        "/states/",
        "/states/TN",
        "/states/WY",
        "/about/",
        "/places/nowhere-zz",
    ],
)
def test_no_serious_accessibility_violations_on_reading_pages(page, live_server, path):
    page.goto(live_server + path)
    if page.locator(".folium-map").count():
        page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    assert serious_violations(page) == []
