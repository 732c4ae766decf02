"""What Chromium fetches for ``/`` on a phone: a first visit within budget, a repeat from cache.

Counted from Chromium's DevTools protocol (``tests/browser/network.py``): bytes received,
headers included, and whether an answer came from the browser's cache or the server.
"""

from urllib.parse import urlsplit

from tests.browser.conftest import PageWatch
from tests.browser.network import PHONE_CONTEXT
from tests.browser.network import NetworkLog
from tests.test_page_weight import BUDGET_BYTES
from tests.test_page_weight import BUDGET_REQUESTS

READY = (
    "() => document.documentElement.dataset.pins === 'ready'"
    " && document.documentElement.dataset.outlines === 'ready'"
)


def visit(page, url: str) -> None:
    """Open ``url`` and wait for the pins and outlines and for the network to settle."""
    page.goto(url)
    page.wait_for_function(READY)
    page.wait_for_load_state("networkidle")


def test_a_first_visit_fits_the_budget_and_a_repeat_visit_asks_for_no_static_file(
    browser, live_server
):
    context = browser.new_context(**PHONE_CONTEXT)
    page = context.new_page()
    watch = PageWatch(page)
    log = NetworkLog.attach(page)
    visit(page, live_server + "/")
    fetched = [f"{f.status} {f.encoded_bytes} {f.url}" for f in log.network]
    assert len(log.network) <= BUDGET_REQUESTS, fetched
    assert log.transferred <= BUDGET_BYTES, fetched
    assert all(f.url.startswith(live_server) for f in log.network), fetched
    assert len(log.urls("/static/")) >= 5, fetched
    assert all(f.finished and f.status == 200 for f in log.network), fetched

    # coming back (a new navigation, not a reload): fingerprinted files are not asked for;
    # the page and the pins are revalidated (304, headers only) and the map still runs, so
    # the 304's Content-Security-Policy allows the nonce of the page the browser kept
    log.clear()
    page.goto("about:blank")
    visit(page, live_server + "/")
    fetched = [f"{f.status} {f.encoded_bytes} {f.url}" for f in log.network]
    assert log.urls("/static/") == [], fetched
    assert {urlsplit(f.url).path for f in log.network} <= {"/", "/api/places.geojson"}, fetched
    assert log.transferred < 4_000, fetched
    assert page.locator(".leaflet-marker-pane .atlas-pin, .atlas-cluster").count() > 0
    assert watch.errors == []
    context.close()


def test_pins_and_key_draw_their_icons_from_the_inline_sprite(page, live_server):
    visit(page, live_server + "/?state=TN")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll(
              '.atlas-pin svg.icon, .facets .cat-icon svg.icon')].map((svg) => {
            const use = svg.querySelector('use');
            const symbol = document.querySelector(use.getAttribute('href'));
            const box = use.getBBox();
            return [Boolean(symbol), Math.round(box.width), Math.round(box.height)];
        })"""
    )
    assert sizes
    # every icon names a symbol of the page and draws something
    assert all(found and width > 0 and height > 0 for found, width, height in sizes), sizes
