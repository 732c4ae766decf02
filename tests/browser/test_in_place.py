"""Filters apply in place: no reload, the map keeps its view, the URL and focus follow."""

import re

from playwright.sync_api import expect

from tests.browser.test_map import open_map
from tests.browser.test_map import pins


def wait_for_pins(page):
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")


def mark_the_page(page):
    """A flag that a reload would lose."""
    page.evaluate("() => { window.notReloaded = true; }")


def test_a_key_chip_filters_without_a_reload_and_keeps_the_view_and_focus(page, live_server):
    open_map(page, live_server + "/?state=TN")
    mark_the_page(page)
    view = page.evaluate("() => [window.atlasMap.map.getZoom(), window.atlasMap.map.getCenter()]")
    chip = page.locator(".facets a[data-category=strategic-plans]")
    chip.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?state=TN&category=strategic-plans$"))
    expect(page.locator("#filter-summary")).to_have_text(
        "1 community, 1 initiative in Tennessee · Strategic plans"
    )
    wait_for_pins(page)
    expect(pins(page)).to_have_count(1)
    expect(page.locator("table.initiatives tbody tr")).to_have_count(1)
    assert page.evaluate("() => window.notReloaded") is True
    after = page.evaluate("() => [window.atlasMap.map.getZoom(), window.atlasMap.map.getCenter()]")
    assert after == view  # same state: the map stays where it was
    # focus stays on the chip the visitor chose (it is a new element now)
    expect(page.locator(".facets a[data-category=strategic-plans]")).to_be_focused()
    assert page.locator("#filter-summary").get_attribute("aria-live") == "polite"
    assert page.title() == "Tennessee · Welcoming Atlas"


def test_choosing_a_state_zooms_to_it_without_a_reload(page, live_server):
    open_map(page, live_server + "/")
    mark_the_page(page)
    zoom = page.evaluate("() => window.atlasMap.map.getZoom()")
    page.get_by_label("State", exact=True).select_option("GA")
    expect(page).to_have_url(re.compile(r"/\?state=GA$"))
    wait_for_pins(page)
    expect(page.locator(".atlas-pin[title^='Atlanta, GA']")).to_have_count(1)
    assert page.evaluate("() => window.atlasMap.map.getZoom()") > zoom
    assert page.evaluate("() => window.notReloaded") is True
    expect(page.get_by_label("State", exact=True)).to_be_focused()


def test_back_and_forward_restore_each_view(page, live_server):
    open_map(page, live_server + "/?state=TN")
    mark_the_page(page)
    page.locator(".facets a[data-category=g4g-communities]").click()
    expect(page).to_have_url(re.compile(r"category=g4g-communities$"))
    wait_for_pins(page)
    expect(pins(page)).to_have_count(1)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?state=TN$"))
    expect(page.locator("#filter-summary")).to_have_text(
        "2 communities, 3 initiatives in Tennessee"
    )
    wait_for_pins(page)
    expect(pins(page)).to_have_count(2)
    page.go_forward()
    expect(page.locator("#filter-summary")).to_contain_text("Gateways for Growth")
    assert page.evaluate("() => window.notReloaded") is True


def test_a_checkbox_applies_at_once_and_keeps_its_focus(page, live_server):
    open_map(page, live_server + "/?state=TN")
    box = page.get_by_label("Municipal offices")
    box.focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/\?state=TN&category=municipal-offices$"))
    expect(page.get_by_label("Municipal offices")).to_be_checked()
    expect(page.get_by_label("Municipal offices")).to_be_focused()
    expect(page.locator(".filters-toggle")).to_contain_text("2 active")
