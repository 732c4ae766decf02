"""The map by keyboard and screen reader, and what its popups and labels carry."""

import re
import time

from playwright.sync_api import expect

from tests.browser.test_map import open_map


def active_title(page) -> str:
    return page.evaluate(
        "() => document.activeElement.getAttribute('title') || document.activeElement.className"
    )


def open_boise_by_keyboard(page, live_server):
    """Open Boise's popup from its focused pin with Enter; return the pin."""
    open_map(page, live_server + "/?state=ID")
    pin = page.locator(".atlas-pin[title^='Boise, ID']")
    pin.focus()
    page.keyboard.press("Enter")
    return pin


def expect_closed_with_focus_on(page, pin):
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(pin).to_be_focused()


def test_escape_closes_the_popup_and_returns_to_its_pin(page, live_server):
    pin = open_boise_by_keyboard(page, live_server)
    expect(page.locator(".atlas-popup h3 a")).to_be_focused()
    page.keyboard.press("Escape")  # from inside the popup
    expect_closed_with_focus_on(page, pin)
    pin.click()  # opened with the mouse, closed from the pin
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    pin.focus()
    page.keyboard.press("Escape")
    expect_closed_with_focus_on(page, pin)


def test_the_close_button_returns_to_the_pin_and_is_easy_to_hit(page, live_server):
    pin = open_boise_by_keyboard(page, live_server)
    close = page.locator(".leaflet-popup-close-button")
    box = close.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    close.focus()
    page.keyboard.press("Enter")
    expect_closed_with_focus_on(page, pin)


def test_tab_reaches_the_zoom_controls_then_the_pins_from_west_to_east(page, live_server):
    open_map(page, live_server + "/?state=TN")
    page.locator(".leaflet-container").focus()
    stops = []
    for _ in range(5):
        page.keyboard.press("Tab")
        stops.append(active_title(page))
    assert stops[:2] == ["Zoom in", "Zoom out"]
    pins = [stop for stop in stops[2:] if re.match(r"\w+, TN", stop)]
    # Memphis lies west of Nashville; Knoxville's cluster follows
    assert pins[0].startswith("Memphis, TN") and pins[1].startswith("Nashville, TN")


def test_enter_on_a_cluster_zooms_and_keeps_the_focus_on_the_map(page, live_server):
    open_map(page, live_server + "/")
    cluster = page.locator(".atlas-cluster").first
    label = cluster.get_attribute("aria-label")
    assert re.fullmatch(r"\d+ communities around .+, [A-Z]{2}", label)
    zoom = page.evaluate("() => window.atlasMap.map.getZoom()")
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.atlasMap.map.getZoom() > {zoom}")
    page.wait_for_function(
        "() => document.activeElement.matches('.atlas-pin, .atlas-cluster')", timeout=5_000
    )


def test_the_focused_map_shows_a_ring(page, live_server):
    open_map(page, live_server + "/")
    page.locator(".leaflet-container").focus()
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.boxShadow]; }"
    )
    assert ring[0] == "solid" and ring[1] != "none"


def test_reduced_motion_turns_off_zoom_animation(page, live_server):
    page.emulate_media(reduced_motion="reduce")
    open_map(page, live_server + "/")
    assert page.evaluate("() => window.atlasMap.map._zoomAnimated") is False


def test_a_popup_says_it_is_loading_then_lists_the_initiatives(page, live_server):
    open_map(page, live_server + "/?state=ID")

    def slow(route):
        time.sleep(0.8)
        route.continue_()

    page.route(re.compile(r".*/api/places/boise-id\.json.*"), slow)
    page.locator(".atlas-pin[title^='Boise, ID']").click()
    expect(page.locator(".atlas-popup-loading")).to_have_text("Loading its initiatives…")
    expect(page.locator(".atlas-popup-item")).to_have_count(1)
    expect(page.locator(".atlas-popup-loading")).to_have_count(0)
    expect(page.locator(".atlas-popup-kind")).to_have_text(re.compile(r"^Certified Welcoming · "))


def test_community_names_show_beside_pins_once_zoomed_to_a_region(page, live_server):
    open_map(page, live_server + "/")
    expect(page.locator(".atlas-label").first).to_be_hidden()
    open_map(page, live_server + "/?state=TN")
    expect(page.locator(".atlas-label", has_text="Memphis")).to_be_visible()


def test_a_popup_fits_inside_the_map_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    open_map(page, live_server + "/?state=GA")
    page.locator(".atlas-pin[title^='Atlanta, GA']").click()
    expect(page.locator(".atlas-popup-item")).to_have_count(1)
    page.wait_for_timeout(400)  # the pan that brings the popup into view
    frame = page.locator(".map-frame").bounding_box()
    popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    close = page.locator(".leaflet-popup-close-button").bounding_box()
    for box in (popup, close):
        assert box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    page.screenshot(path="/tmp/phone-popup.png")
    context.close()
