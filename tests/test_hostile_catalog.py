"""Catalog text is data on every page: template syntax, markup and scripts show literally.

The catalog is written by people, and soon by suggestions: a field must never
become template source (branca renders element output as Jinja2 a second
time) nor unescaped markup.
"""

import json

import pytest

from app.catalog.files import place_slug
from tests.conftest import soup
from tests.hostile import TEMPLATE_PAYLOAD
from tests.hostile import hostile

NASHVILLE = place_slug(hostile("Nashville"), "TN")
ATLANTA = place_slug(hostile("Atlanta"), "GA")
# every page type, with the slugs the poisoned names make
PAGES = [
    "/",
    "/?state=TN",
    "/?category=municipal-offices",
    f"/places/{NASHVILLE}",
    f"/places/{ATLANTA}",
    "/categories/",
    "/categories/municipal-offices",
    "/case-studies/",
    "/case-studies/nashville",
    "/states/",
    "/states/TN",
    "/about/",
    "/about/data",
]
# pages that show counts and state names, not records
WITHOUT_RECORD_TEXT = {"/states/", "/about/"}
API = ["/api/places.geojson", f"/api/places/{NASHVILLE}.json"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_shows_catalog_text_literally(hostile_app, url):
    response = hostile_app.test_client().get(url)
    assert response.status_code == 200
    page = soup(response)
    if url not in WITHOUT_RECORD_TEXT:
        text = page.get_text(" ")
        assert TEMPLATE_PAYLOAD in text
        assert "window.pwned" in text  # shown as text...
    for script in page.select("script"):
        body = script.string or ""
        if script.get("type") == "application/json":
            # ...and as data, parsed back to the very same characters
            assert TEMPLATE_PAYLOAD in json.dumps(json.loads(body), ensure_ascii=False)
            assert "</script" not in body
        else:
            assert "pwned" not in body and "7*7" not in body
    # no element came from the payload: only the site's own scripts and frames
    assert not page.select("iframe, object, svg[onload], img[onerror], [onmouseover]")
    assert not page.select(
        'a[href^="javascript:"], a[href^="data:"], form[action^="https://example"]'
    )


@pytest.mark.parametrize("url", API)
def test_the_api_returns_catalog_text_as_json_strings(hostile_app, url):
    response = hostile_app.test_client().get(url)
    assert response.status_code == 200
    assert TEMPLATE_PAYLOAD in json.dumps(response.get_json(), ensure_ascii=False)


def test_guides_keep_their_safe_links_and_lose_the_rest(hostile_app):
    page = soup(hostile_app.test_client().get("/categories/municipal-offices"))
    links = {a.get_text(): a.get("href") for a in page.select("main a")}
    assert links.get("a relative link") == "/places/atlanta-ga"
    assert links.get("a web link") == "https://example.org/"
    assert links.get("a markdown link") is None
    assert links.get("raw link") is None
