"""In Chromium: the embeddable map inside an <iframe> on another site, and only that page.

The framing page is served by a second tiny server, on another port and asked for
as ``localhost`` (the site is ``127.0.0.1``): another origin and another site, as
a newspaper or a city's page that embeds the map would be.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# records every violation of each frame's policy, from before its first script
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A city's page</title></head>
<body><h1>Welcoming work in our region</h1>
<iframe src="{src}" title="Welcoming Atlas map" width="100%" height="480"></iframe>
</body></html>"""


@contextmanager
def framing_site() -> Iterator[str]:
    """Serve ``/?src=URL``: a page that frames URL. Yield its base URL on ``localhost``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            src = parse_qs(urlsplit(self.path).query).get("src", [""])[0]
            body = HOST_PAGE.format(src=src.replace('"', "&quot;")).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def other_site() -> Iterator[str]:
    with framing_site() as url:
        yield url


@pytest.fixture
def framing(page, other_site):
    """Open the other site's page framing ``path`` of the live server; return its frame."""
    page.add_init_script(WATCH_CSP)  # runs in every frame, the embedded one included

    def open_frame(url: str):
        page.goto(f"{other_site}/?src={url}")
        expect(page.locator("iframe")).to_be_attached()
        return page.locator("iframe").element_handle().content_frame()

    return open_frame


def test_the_embed_shows_its_pins_inside_another_sites_frame(page, live_server, framing):
    assert not live_server.startswith("http://localhost")  # the frame is another origin
    frame = framing(f"{live_server}/embed?state=TN")
    frame.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    expected = page.request.get(f"{live_server}/api/places.geojson?state=TN").json()
    names = sorted(feature["properties"]["name"] for feature in expected["features"])
    assert names  # Tennessee has communities in the fixture catalog
    pins = frame.locator(".leaflet-marker-pane .atlas-pin")
    expect(pins).to_have_count(len(names))
    titles = sorted(pins.nth(i).get_attribute("title").split(",")[0] for i in range(len(names)))
    assert titles == names
    expect(frame.locator(".map-key .facet").first).to_be_visible()
    expect(frame.locator(".embed-attribution")).to_contain_text("Welcoming Atlas")
    assert frame.evaluate("() => window.cspViolations") == []
    assert page.evaluate("() => window.cspViolations") == []
    assert page.watch.errors == []


def test_the_embeds_links_open_the_site_in_a_new_tab(page, context, live_server, framing):
    frame = framing(f"{live_server}/embed?state=TN")
    frame.wait_for_function("() => document.documentElement.dataset.pins === 'ready'")
    with context.expect_page() as opened:
        frame.locator("a.embed-link").click()
    site = opened.value
    site.wait_for_load_state()
    assert site.url == f"{live_server}/?state=TN"
    expect(site.locator("header.site-header")).to_be_visible()
    site.close()
    # a popup's link too: inside the frame the community page would refuse to show
    frame.locator(".atlas-pin[title^='Nashville, TN']").click()
    link = frame.locator(".leaflet-popup .atlas-popup h3 a")
    expect(link).to_have_text("Nashville, TN")
    with context.expect_page() as opened:
        link.click()
    community = opened.value
    community.wait_for_load_state()
    assert community.url.startswith(f"{live_server}/places/nashville-tn")
    assert frame.url == f"{live_server}/embed?state=TN"  # the frame stayed on the map


def test_other_pages_refuse_to_be_framed(live_server, framing):
    for path in ["/?state=TN", "/places/nashville-tn"]:
        # the other site's page has loaded (goto waits for its frames): in place of a
        # page that forbids framing, Chromium shows its own error page
        frame = framing(live_server + path)
        assert frame.url.startswith("chrome-error://"), path
        assert frame.evaluate("() => document.querySelector('header.site-header')") is None
