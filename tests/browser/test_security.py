"""In Chromium: catalog payloads run nothing, and no page breaks its own CSP."""

import base64

import pytest
from playwright.sync_api import expect

from app.catalog.files import place_slug
from tests.browser.conftest import serving
from tests.conftest import FIXTURE_CATALOG
from tests.hostile import hostile
from tests.hostile import write_hostile_catalog

# records every violation of the page's policy, from before its first script
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
# a 1x1 transparent PNG answers every tile request: the test never reaches the network
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PAGES = [
    "/",
    "/?state=TN",
    "/places/nashville-tn",
    "/categories/",
    "/categories/municipal-offices",
    "/case-studies/",
    "/case-studies/nashville",
    "/states/",
    "/states/TN",
    "/about/",
    "/about/data",
    "/no-such-page",
    "/?state=ZZ",
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    with serving(write_hostile_catalog(tmp / "data"), tmp) as url:
        yield url


@pytest.fixture(scope="module")
def tiles_server(tmp_path_factory):
    with serving(FIXTURE_CATALOG, tmp_path_factory.mktemp("tiles"), "openstreetmap") as url:
        yield url


@pytest.fixture
def watched(page):
    """A page that records CSP violations and every dialog a script opens."""
    page.add_init_script(WATCH_CSP)
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    return page


def violations(page) -> list[str]:
    return page.evaluate("() => window.cspViolations")


def open_popup(page, title_start: str) -> None:
    page.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    page.locator(f".atlas-pin[title^='{title_start}']").first.click()
    expect(page.locator(".leaflet-popup .atlas-popup li a").first).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/categories/municipal-offices",
        "/case-studies/nashville",
        f"/places/{place_slug(hostile('Nashville'), 'TN')}",
        "/?state=TN",
    ],
)
def test_payloads_in_the_catalog_run_no_script(watched, hostile_server, path):
    watched.goto(hostile_server + path)
    watched.wait_for_load_state("load")
    # every handler a payload could have left behind, fired on every element
    watched.evaluate(
        """() => document.querySelectorAll("main *").forEach((element) => {
          for (const type of ["mouseover", "focus", "load", "error"]) {
            element.dispatchEvent(new Event(type));
          }
        })"""
    )
    if path.startswith("/?"):
        open_popup(watched, hostile("Nashville")[:20])
        expect(watched.locator(".atlas-popup h3 a")).to_contain_text("{{ 7*7 }}")
    assert watched.evaluate("() => window.pwned") is None
    assert watched.dialogs == []
    assert violations(watched) == []


@pytest.mark.parametrize("path", PAGES)
def test_no_page_violates_its_content_security_policy(watched, live_server, path):
    response = watched.goto(live_server + path)
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    watched.wait_for_load_state("load")
    if watched.locator(".folium-map").count():
        watched.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    assert violations(watched) == []
    assert watched.watch.errors == [] or path in ("/no-such-page", "/?state=ZZ")


def test_map_with_a_popup_open_keeps_to_the_policy(watched, live_server):
    watched.goto(live_server + "/?state=TN")
    open_popup(watched, "Nashville, TN")
    watched.keyboard.press("Tab")
    assert violations(watched) == []


def test_openstreetmap_tiles_are_allowed_and_nothing_else_is(watched, tiles_server):
    tiles: list[str] = []

    def fulfil(route):
        tiles.append(route.request.url)
        route.fulfill(body=TILE, content_type="image/png")

    watched.route("https://tile.openstreetmap.org/**", fulfil)
    watched.goto(tiles_server + "/?state=TN")
    open_popup(watched, "Nashville, TN")
    expect(watched.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert tiles
    assert violations(watched) == []
    assert watched.watch.outside(tiles_server) == tiles
