"""The map on a 390×844 phone, and every community findable from the first view."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serving
from tests.browser.test_map import open_map
from tests.conftest import ROOT

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    """The site over the real catalog in data/."""
    with serving(ROOT / "data", tmp_path_factory.mktemp("real")) as url:
        yield url


def test_on_a_phone_the_map_comes_first_and_filters_wait_behind_a_button(phone, live_server):
    open_map(phone, live_server + "/?state=TN&category=municipal-offices")
    top = phone.locator(".map-frame").bounding_box()["y"]
    assert top < 844 - 200, f"the map starts {top} px down"
    toggle = phone.locator(".filters-toggle")
    expect(toggle).to_have_text("Filters 2 active")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(phone.locator("#filters-form")).to_be_hidden()
    toggle.click()
    expect(phone.locator("#filters-form")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    phone.screenshot(path=str(ROOT / "instance" / "phone-filters.png"))


def test_on_a_phone_the_list_is_cards_that_fit_the_column(phone, live_server):
    phone.goto(live_server + "/")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    row = phone.locator("table.initiatives tbody tr").first
    assert row.bounding_box()["width"] <= 360
    labels = (
        phone.locator("table.initiatives tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map((c) => getComputedStyle(c, '::before').content)")
    )
    assert labels == ['"Community"', '"Initiative"', '"Kind"', '"Started"']


def test_the_map_cannot_be_dragged_off_the_country(page, live_server):
    open_map(page, live_server + "/")
    page.evaluate("() => window.atlasMap.map.panBy([0, 4000], {animate: false})")
    centre = page.evaluate("() => window.atlasMap.map.getCenter()")
    assert 5 <= centre["lat"] <= 75 and -180 <= centre["lng"] <= -55


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE["viewport"]])
def test_every_community_is_findable_from_the_first_view(browser, real_server, viewport):
    """'161 communities' means 161 pins: in view, in clusters, or a button away."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    open_map(page, real_server + "/")
    total = page.evaluate("() => window.atlasMap.count")

    def in_view() -> int:
        return page.evaluate(
            """() => {
              const {map, cluster} = window.atlasMap;
              const bounds = map.getBounds();
              return cluster._featureGroup.getLayers()
                .filter((layer) => bounds.contains(layer.getLatLng()))
                .reduce((n, layer) => n + (layer.getChildCount ? layer.getChildCount() : 1), 0);
            }"""
        )

    first = in_view()
    away = page.locator(".atlas-away button")
    expect(away.first).to_be_visible()
    found = 0
    for n in range(away.count()):
        label = away.nth(n).inner_text()  # "Alaska (2)"
        found += int(label.rsplit("(", 1)[1].rstrip(")"))
    assert first + found == total
    away.filter(has_text="Hawaii").click()
    page.wait_for_function("() => window.atlasMap.map.getCenter().lng < -150")
    expect(page.locator(".atlas-pin[title*=', HI:']").first).to_be_visible()
    context.close()


def test_one_finger_over_the_map_scrolls_the_page(phone, live_server):
    open_map(phone, live_server + "/?state=TN")
    assert phone.evaluate("() => window.atlasMap.map.dragging.enabled()") is False
    centre = phone.evaluate("() => window.atlasMap.map.getCenter()")
    box = phone.locator(".map-frame").bounding_box()
    session = phone.context.new_cdp_session(phone)
    x, y = box["x"] + box["width"] / 2, min(box["y"] + 100, 800)
    # a real one-finger swipe upwards, as the touch screen reports it
    session.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
    )
    for step in range(1, 16):
        point = {"x": x, "y": y - step * 20}
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    assert phone.evaluate("() => window.scrollY") > 100
    assert phone.evaluate("() => window.atlasMap.map.getCenter()") == centre
