"""The map as a practitioner uses it in Chromium: pins, popups, key, list, accessibility."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def open_map(page, url):
    """Load a page and wait until every pin is clustered and the outlines are drawn."""
    page.goto(url)
    page.wait_for_function(
        "() => document.documentElement.dataset.pins === 'ready'"
        " && document.documentElement.dataset.outlines === 'ready'"
    )


def pins(page):
    return page.locator(".leaflet-marker-pane .atlas-pin")


def key_counts(page) -> dict[str, str]:
    return {
        link.get_attribute("data-category"): link.locator(".count").inner_text()
        for link in page.locator(".facets [data-category]").all()
    }


def serious_violations(page) -> list[dict]:
    # evaluated through the DevTools protocol: an inline <script> would (rightly) meet the CSP
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_state_filter_shows_the_nashville_pin_and_its_popup_links_to_its_page(page, live_server):
    open_map(page, live_server + "/?state=TN")
    expect(page.locator(".atlas-pin[title^='Nashville, TN']")).to_have_count(1)
    assert page.locator(".atlas-pin[title^='Nashville, TN']").get_attribute("title") == (
        "Nashville, TN: 2 initiatives (Municipal offices, Gateways for Growth)"
    )
    page.locator(".atlas-pin[title^='Nashville, TN']").click()
    popup = page.locator(".leaflet-popup .atlas-popup")
    expect(popup.locator("h3 a")).to_have_text("Nashville, TN")
    expect(popup.locator("li a:not(.atlas-popup-contact)")).to_have_text(
        ["Office of New Americans", "Gateways for Growth award"]
    )
    # whom to call: the office has a Contact block on the community page, the award none
    contact = popup.locator("a.atlas-popup-contact")
    expect(contact).to_have_count(1)
    expect(contact).to_have_attribute("href", re.compile(r"#nashville-tn-office-contact$"))
    expect(contact).to_have_accessible_name("Contact: Office of New Americans")
    # each line says kind, year and status, and what the initiative is
    expect(popup.locator(".atlas-popup-kind").first).to_have_text(
        "Municipal offices · 22 September 2014 · Active"
    )
    expect(popup.locator(".atlas-popup-summary").first).to_have_text(re.compile(r"\S.{20,}"))
    expect(page.locator(".atlas-popup[data-ready=true]")).to_have_count(1)  # done panning
    popup.locator("li a", has_text="Office of New Americans").click()
    # the community page keeps the filter, and its breadcrumb leads back to the same map
    expect(page).to_have_url(re.compile(r"/places/nashville-tn\?state=TN#nashville-tn-office$"))
    expect(page.locator("h1")).to_have_text("Nashville, Tennessee")
    page.locator(".crumbs a", has_text="Map").click()
    expect(page).to_have_url(re.compile(r"/\?state=TN$"))
    assert page.watch.errors == []


def test_popup_lists_only_initiatives_in_the_filter(page, live_server):
    open_map(page, live_server + "/?state=TN&category=g4g-communities")
    page.locator(".atlas-pin[title^='Nashville, TN']").click()
    expect(page.locator(".atlas-popup li a")).to_have_text(["Gateways for Growth award"])


def test_toggling_a_category_changes_pins_and_key_counts(page, live_server):
    open_map(page, live_server + "/?state=TN")
    expect(pins(page)).to_have_count(2)
    assert key_counts(page) == {
        "municipal-offices": "1",
        "strategic-plans": "1",
        "welcoming-network": "0",
        "certified-welcoming": "0",
        "g4g-communities": "1",
        "case-stories": "0",
    }
    # selecting a kind shows only that kind, as the seed says
    page.locator(".facets a[data-category=strategic-plans]").click()
    expect(page).to_have_url(re.compile(r"/\?state=TN&category=strategic-plans$"))
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    expect(pins(page)).to_have_count(1)
    expect(page.locator(".atlas-pin[title^='Memphis, TN']")).to_have_count(1)
    assert key_counts(page)["municipal-offices"] == "1"
    # a further kind is added
    page.locator(".facets a[data-category=municipal-offices]").click()
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    expect(pins(page)).to_have_count(2)
    # and "Show all kinds" returns to every kind
    page.locator(".facets a.show-all").click()
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    expect(page).to_have_url(re.compile(r"/\?state=TN$"))
    expect(pins(page)).to_have_count(2)
    expect(page.locator(".facets a.show-all")).to_have_count(0)


def test_the_url_restores_the_view_and_the_back_button_returns(page, live_server):
    open_map(page, live_server + "/?state=TN&category=municipal-offices")
    expect(pins(page)).to_have_count(1)
    zoom = page.evaluate("window.atlasMap.map.getZoom()")
    assert zoom >= 6  # zoomed to Tennessee, not the whole country
    page.goto(live_server + "/?state=GA")
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    expect(page.locator(".atlas-pin[title^='Atlanta, GA']")).to_have_count(1)
    page.go_back()
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    expect(page).to_have_url(re.compile(r"state=TN&category=municipal-offices$"))
    expect(page.locator(".atlas-pin[title^='Nashville, TN']")).to_have_count(1)
    assert page.locator("#state").input_value() == "TN"
    assert page.watch.errors == []


def test_clusters_carry_an_accessible_name(page, live_server):
    open_map(page, live_server + "/")
    labels = page.locator(".atlas-cluster").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert labels, "expected the Bay Area communities to cluster at country zoom"
    # named with a place: "2 communities around Redwood City, CA"
    assert all(re.fullmatch(r"\d+ communities around [\w .]+, [A-Z]{2}", label) for label in labels)
    total = sum(int(label.split()[0]) for label in labels) + pins(page).count()
    assert total == 7
    assert page.evaluate("window.atlasMap.count") == 7


def test_pins_that_still_overlap_at_the_deepest_zoom_spread_out_when_selected(page, live_server):
    open_map(page, live_server + "/?state=GA")
    # the catalog has communities at one point (Atlanta and Metro Atlanta): put two
    # more pins on Atlanta's and go to the deepest zoom, where only a spiderfy parts them
    page.evaluate(
        """() => {
        const {map, cluster, markers} = window.atlasMap;
        const atlanta = markers.get("atlanta-ga");
        cluster.addLayers([1, 2].map((n) => L.marker(atlanta.getLatLng(), {
          icon: atlanta.options.icon, title: `Neighbour ${n}`,
        })));
        map.setView(atlanta.getLatLng(), map.getMaxZoom(), {animate: false});
      }"""
    )
    cluster = page.get_by_role("button", name="3 communities")
    expect(cluster).to_have_count(1)
    cluster.click()
    for title in ("Atlanta, GA", "Neighbour 1", "Neighbour 2"):
        expect(page.locator(f".atlas-pin[title^='{title}']")).to_be_visible()
    assert page.evaluate("window.atlasMap.map.getZoom()") == page.evaluate(
        "window.atlasMap.map.getMaxZoom()"
    )


def test_a_place_with_several_categories_shows_it_on_its_pin(page, live_server):
    open_map(page, live_server + "/?state=TN")
    nashville = page.locator(".atlas-pin[title^='Nashville, TN']")
    assert "atlas-pin-multi" in nashville.get_attribute("class")
    expect(nashville.locator(".atlas-pin-more")).to_have_text("+1")
    # the badge is decoration: screen readers get the community and its kinds
    expect(
        page.get_by_role(
            "button",
            name="Nashville, TN: 2 initiatives (Municipal offices, Gateways for Growth)",
            exact=True,
        )
    ).to_have_count(1)
    expect(nashville.locator("use[href='#icon-building-columns']")).to_have_count(1)


def test_choosing_an_item_in_the_list_shows_its_pin_and_popup(page, live_server):
    open_map(page, live_server + "/")
    page.get_by_role("button", name="Show on map: Redwood City").click()
    expect(page.locator(".atlas-popup h3 a")).to_have_text("Redwood City, CA")
    expect(page.locator(".atlas-pin[title^='Redwood City, CA']")).to_be_visible()
    # the popup's first link has focus, so keyboard users land in it
    assert page.evaluate("document.activeElement.textContent") == "Redwood City, CA"


def test_a_pin_opens_from_the_keyboard(page, live_server):
    open_map(page, live_server + "/?state=ID")
    page.locator(".atlas-pin[title^='Boise, ID']").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".atlas-popup h3 a")).to_have_text("Boise, ID")
    assert page.evaluate("document.activeElement.textContent") == "Boise, ID"


def test_no_request_leaves_the_site_with_tiles_off(page, live_server):
    open_map(page, live_server + "/")
    page.locator(".atlas-pin").first.click()
    expect(page.locator(".atlas-popup li").first).to_be_visible()
    assert page.watch.outside(live_server) == []
    assert any("/api/places.geojson" in url for url in page.watch.requests)
    assert page.watch.errors == []


def test_the_list_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/?state=TN")
    links = page.locator("table.initiatives tbody td:first-child a")
    expect(links).to_have_text(["Memphis, TN", "Nashville, TN", "Nashville, TN"])
    expect(page.locator("button.show-on-map").first).to_be_hidden()
    page.locator(".facets a[data-category=g4g-communities]").click()
    expect(links).to_have_text(["Nashville, TN"])
    expect(page.locator(".facets a.is-selected")).to_have_attribute(
        "data-category", "g4g-communities"
    )
    context.close()


@pytest.mark.parametrize("query", ["/", "/?state=TN&category=municipal-offices", "/?state=WY"])
def test_no_serious_accessibility_violations(page, live_server, query):
    open_map(page, live_server + query)
    assert serious_violations(page) == []


def test_no_serious_accessibility_violations_with_a_popup_open(page, live_server):
    open_map(page, live_server + "/?state=TN")
    page.locator(".atlas-pin").first.click()
    expect(page.locator(".atlas-popup li").first).to_be_visible()
    # the popup fades in; check the colours a reader sees once it has
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert serious_violations(page) == []
