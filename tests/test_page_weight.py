"""Page weight and caching: what a first visit of ``/`` costs, and what a browser may keep.

The budget of the issue "the map on a phone": a first visit of ``/`` transfers at most
200 KB in at most 10 requests. Here the bytes are the compressed bodies the site sends
(deterministic); ``tests/browser/test_page_weight.py`` counts what Chromium receives,
headers included, and that a repeat visit asks the server for no static file.
"""

import gzip
import json
import re
from urllib.parse import urljoin
from urllib.parse import urlsplit

import brotli
import pytest
from bs4 import BeautifulSoup

from app import create_app
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.geo import load_states
from app.models import db
from app.responses import page_digest
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import GEODATA
from tests.conftest import ROOT
from tests.conftest import migrate_schema
from tests.conftest import soup

BUDGET_BYTES = 200 * 1024
BUDGET_REQUESTS = 10
# what Chromium sends, also over plain HTTP to 127.0.0.1
CHROMIUM = "gzip, deflate, br, zstd"
YEAR = "public, max-age=31536000, immutable"
FONT_URL = re.compile(r"url\(['\"]?([^'\")]+\.(?:woff2?|ttf|otf))", re.I)


@pytest.fixture(scope="module")
def real_app(tmp_path_factory):
    """An app on SQLite with the real catalog (data/) loaded by the production loader."""
    database = tmp_path_factory.mktemp("real") / "atlas.sqlite3"
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "MAP_TILES": "none"}
    )
    migrate_schema(app)
    with app.app_context():
        load_catalog(db.session, read_catalog(ROOT / "data", load_states(str(GEODATA))))
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def decoded(response) -> bytes:
    """Return a response's body as the browser reads it."""
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    assert encoding is None, encoding
    return response.data


def first_visit(client, path: str = "/", accept_encoding: str = CHROMIUM) -> dict[str, int]:
    """Return ``{url: compressed body size}`` for a page and all that its first visit fetches.

    That is the page, its scripts, stylesheets, preloads, favicon, images and external
    icon sprites, the fonts its stylesheets name, and what the map fetches as it starts:
    the pins and the state outlines (a popup's JSON waits for a click).
    """
    headers = {"Accept-Encoding": accept_encoding}
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    sizes = {path: len(response.data)}
    page = soup_of(response)
    urls = [tag["src"] for tag in page.select("script[src], img[src]")]
    urls += [tag["href"] for tag in page.select("link[rel~=stylesheet], link[rel~=preload]")]
    urls += [tag["href"] for tag in page.select("link[rel~=icon]")]
    urls += [tag["href"] for tag in page.select("use[href]")]
    settings = page.select_one("script#atlas-map-settings")
    if settings is not None:
        map_settings = json.loads(settings.string)
        urls += [map_settings["pins_url"], map_settings["outlines_url"]]
    pending = [u for u in urls if not u.startswith(("data:", "#"))]
    while pending:
        url = pending.pop(0)
        if url in sizes:
            continue
        asset = client.get(url, headers=headers)
        assert asset.status_code == 200, url
        sizes[url] = len(asset.data)
        if asset.mimetype == "text/css":
            found = FONT_URL.findall(decoded(asset).decode())
            pending += [urljoin(urlsplit(url).path, font) for font in found]
        asset.close()
    return sizes


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(decoded(response).decode(), "html.parser")


def report(sizes: dict[str, int]) -> str:
    return "\n".join(f"{size:>8,} {url}" for url, size in sizes.items())


@pytest.mark.parametrize("accept_encoding", [CHROMIUM, "gzip"])
def test_first_visit_fits_the_budget_with_the_fixture_catalog(client, accept_encoding):
    sizes = first_visit(client, accept_encoding=accept_encoding)
    assert len(sizes) <= BUDGET_REQUESTS, report(sizes)
    assert sum(sizes.values()) <= BUDGET_BYTES, report(sizes)


@pytest.mark.parametrize("accept_encoding", [CHROMIUM, "gzip"])
def test_first_visit_fits_the_budget_with_the_real_catalog(real_app, accept_encoding):
    sizes = first_visit(real_app.test_client(), accept_encoding=accept_encoding)
    assert len(sizes) <= BUDGET_REQUESTS, report(sizes)
    assert sum(sizes.values()) <= BUDGET_BYTES, report(sizes)
    # today: about 110 KB with brotli; the outlines, Leaflet and the page are most of it
    assert sum(sizes.values()) < 150 * 1024, report(sizes)


def test_without_compression_the_page_is_heavier_but_still_complete(client):
    plain = first_visit(client, accept_encoding="identity")
    packed = first_visit(client)
    assert plain.keys() == packed.keys()
    assert sum(packed.values()) * 3 < sum(plain.values())


def test_the_page_uses_no_icon_font_and_every_icon_is_in_its_sprite(client):
    page = soup(client.get("/"))
    assert not page.select("i[class*=fa-]")
    assert not [link for link in page.select("link") if "fontawesome" in link.get("href", "")]
    symbols = {symbol["id"] for symbol in page.select("svg symbol")}
    used = {use["href"].removeprefix("#") for use in page.select("use[href]")}
    assert used and used <= symbols


@pytest.mark.parametrize("catalog", [ROOT / "data", FIXTURE_CATALOG])
def test_every_category_icon_is_in_the_sprite(catalog):
    sprite = (ROOT / "static/vendor/fontawesome/icons.svg").read_text()
    assert "Font Awesome Free 6.2.0" in sprite and "CC BY 4.0" in sprite  # the attribution
    icons = [
        re.search(r"^icon: (\S+)$", path.read_text(), re.M).group(1)
        for path in (catalog / "categories").glob("*.md")
    ]
    assert len(icons) == 6
    missing = [icon for icon in icons if f'<symbol id="icon-{icon}"' not in sprite]
    assert missing == [], "run scripts/vendor_assets.py --force to rebuild the sprite"


def static_urls(client) -> list[str]:
    page = soup(client.get("/"))
    tags = page.select("script[src], link[rel=stylesheet]")
    return [tag.get("src") or tag["href"] for tag in tags]


def test_static_urls_carry_the_file_fingerprint_and_are_kept_for_a_year(client):
    urls = static_urls(client)
    assert len(urls) >= 5
    for url in urls:
        assert url.startswith("/static/") and "?v=" in url, url
        response = client.get(url, headers={"Accept-Encoding": CHROMIUM})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == YEAR, url
        assert response.headers["Content-Encoding"] == "br", url
        assert "Accept-Encoding" in response.headers["Vary"]
        path = ROOT / "static" / urlsplit(url).path.removeprefix("/static/")
        assert decoded(response) == path.read_bytes()
        response.close()


def test_a_static_file_without_its_current_fingerprint_is_revalidated(client):
    [url] = [u for u in static_urls(client) if "site.css" in u]
    for stale in (url.split("?")[0], url.split("?")[0] + "?v=000000000000"):
        response = client.get(stale, headers={"Accept-Encoding": CHROMIUM})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        etag = response.headers["ETag"]
        response.close()
        again = client.get(stale, headers={"Accept-Encoding": CHROMIUM, "If-None-Match": etag})
        assert again.status_code == 304


def test_static_files_are_compressed_with_gzip_for_clients_without_brotli(client):
    [url] = [u for u in static_urls(client) if "leaflet.js" in u]
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert decoded(response) == (ROOT / "static/vendor/leaflet/leaflet.js").read_bytes()
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    response.close()
    plain.close()


def test_a_range_request_gets_the_file_s_own_bytes_uncompressed(client):
    [url] = [u for u in static_urls(client) if "leaflet.js" in u]
    response = client.get(url, headers={"Accept-Encoding": CHROMIUM, "Range": "bytes=0-99"})
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert response.data == (ROOT / "static/vendor/leaflet/leaflet.js").read_bytes()[:100]
    response.close()


@pytest.mark.parametrize(
    "accept_encoding", ["*", "br;q=0, gzip;q=0", "identity;q=0", "x;q=nan", "gzip;q=inf", ","]
)
def test_odd_accept_encodings_get_an_answer(client, accept_encoding):
    for url in ["/", "/api/places.geojson", "/api/states.geojson", *static_urls(client)[:2]]:
        response = client.get(url, headers={"Accept-Encoding": accept_encoding})
        assert response.status_code == 200, (url, accept_encoding)
        assert decoded(response)
        response.close()


@pytest.mark.parametrize(
    ("accept_encoding", "sent"),
    [("br;q=0, gzip", "gzip"), ("br;q=0, gzip;q=0", None), ("gzip;q=0.5, br;q=0.4", "gzip")],
)
def test_an_encoding_the_client_refuses_is_never_sent(client, accept_encoding, sent):
    for url in ["/", "/api/places.geojson", "/api/states.geojson", *static_urls(client)[:2]]:
        response = client.get(url, headers={"Accept-Encoding": accept_encoding})
        assert response.headers.get("Content-Encoding") == sent, url
        response.close()


def test_the_page_revalidates_and_its_304_keeps_the_nonce_of_the_copy_kept(client):
    headers = {"Accept-Encoding": CHROMIUM}
    first = client.get("/?state=TN", headers=headers)
    assert first.headers["Cache-Control"] == "no-cache, private"
    etag = first.headers["ETag"]
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    assert etag == f'"{page_digest(decoded(first), nonce)}.{nonce}:br"'
    assert f'nonce="{nonce}"' in decoded(first).decode()

    again = client.get("/?state=TN", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    # the browser shows its copy with the 304's headers: the nonce must be the copy's
    assert f"'nonce-{nonce}'" in again.headers["Content-Security-Policy"]
    # another page, or a spelling of this one that is another page, is not the copy
    other = client.get("/?state=GA", headers={**headers, "If-None-Match": etag})
    assert other.status_code == 200


def test_the_page_digest_ignores_the_nonce_and_follows_the_content(client):
    one = client.get("/")
    two = client.get("/")
    assert one.headers["ETag"] != two.headers["ETag"]  # each response has its own nonce
    assert one.headers["ETag"].split(".")[0] == two.headers["ETag"].split(".")[0]
    assert (
        client.get("/?state=TN").headers["ETag"].split(".")[0] != one.headers["ETag"].split(".")[0]
    )


@pytest.mark.parametrize(
    "forged",
    [
        "'unsafe-inline'",
        "abc",
        "a" * 100,
        "abcdefghijklmnop' 'unsafe-eval",
    ],
)
def test_a_forged_nonce_in_if_none_match_is_never_echoed(client, forged):
    digest = client.get("/").headers["ETag"].strip('"').split(".")[0]
    response = client.get("/", headers={"If-None-Match": f'"{digest}.{forged}"'})
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    [script_src] = [d for d in policy.split("; ") if d.startswith("script-src ")]
    assert forged not in script_src
    assert re.fullmatch(r"script-src 'self' 'nonce-[\w-]{32}'", script_src)


def test_pins_keep_their_etag_and_304_when_compressed(client):
    headers = {"Accept-Encoding": CHROMIUM}
    # every pin: the answer for one state is too small to compress (under 500 bytes)
    first = client.get("/api/places.geojson", headers=headers)
    assert first.headers["Content-Encoding"] == "br"
    assert first.headers["Vary"] == "Accept-Encoding"
    assert json.loads(decoded(first))["features"]
    again = client.get(
        "/api/places.geojson", headers={**headers, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_outlines_are_the_light_file_fingerprinted_and_compressed(client):
    settings = json.loads(soup(client.get("/")).select_one("script#atlas-map-settings").string)
    url = settings["outlines_url"]
    assert url.startswith("/api/states.geojson?v=")
    response = client.get(url, headers={"Accept-Encoding": CHROMIUM})
    assert response.headers["Cache-Control"] == YEAR
    assert response.headers["Content-Encoding"] == "br"
    assert decoded(response) == (GEODATA / "us-states-web.geojson").read_bytes()
    assert len(response.data) < 40_000
    response.close()
    unversioned = client.get("/api/states.geojson")
    assert "immutable" not in unversioned.headers["Cache-Control"]
    unversioned.close()
