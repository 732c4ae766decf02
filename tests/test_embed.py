"""Embed and share: the framable map, its snippet, canonical URLs and link previews.

Parsed HTML on SQLite and PostgreSQL (``any_app``). Only ``/embed`` may be framed
by other sites; every other route keeps ``frame-ancestors 'none'``.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string
from flask import url_for

from app import create_app
from app.cache import cache
from app.catalog import queries
from app.catalog.files import place_slug
from tests.conftest import migrate_schema
from tests.conftest import soup
from tests.hostile import TEMPLATE_PAYLOAD
from tests.hostile import hostile

# a value for each kind of path argument, to request every route of the app
SAMPLE_ARGS = {
    "slug": "nashville-tn",
    "code": "TN",
    "record_id": "nashville-tn-office",
    "filename": "css/site.css",
    "suggestion_id": 1,
}
# every page type: (path, its canonical URL on the test client's host)
PAGE_TYPES = [
    ("/", "http://localhost/"),
    ("/places/nashville-tn", "http://localhost/places/nashville-tn"),
    ("/categories/", "http://localhost/categories/"),
    ("/categories/municipal-offices", "http://localhost/categories/municipal-offices"),
    ("/case-studies/", "http://localhost/case-studies/"),
    ("/case-studies/nashville", "http://localhost/case-studies/nashville"),
    ("/states/", "http://localhost/states/"),
    ("/states/TN", "http://localhost/states/TN"),
    ("/about/", "http://localhost/about/"),
    ("/about/data", "http://localhost/about/data"),
]


def frame_policy(response) -> tuple[str, str | None]:
    """Return the response's frame-ancestors directive and its X-Frame-Options."""
    policy = response.headers["Content-Security-Policy"].split("; ")
    (ancestors,) = [part for part in policy if part.startswith("frame-ancestors")]
    return ancestors, response.headers.get("X-Frame-Options")


def meta(page: BeautifulSoup, key: str) -> str | None:
    """Return the content of the meta tag named ``key`` (``og:...`` by property)."""
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def every_route_url(app) -> list[str]:
    """Return one URL per route of ``app`` (the embed's included), GET-able."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" in rule.methods:
                urls.append(url_for(rule.endpoint, **{a: SAMPLE_ARGS[a] for a in rule.arguments}))
    return urls


def test_only_the_embed_may_be_framed(any_app):
    client = any_app.test_client()
    urls = every_route_url(any_app)
    assert "/embed" in urls
    for url in [*urls, "/no-such-page", "/?state=ZZ", "/places/nowhere"]:
        response = client.get(url)
        if url == "/embed":
            assert frame_policy(response) == ("frame-ancestors *", None), url
        else:
            assert frame_policy(response) == ("frame-ancestors 'none'", "DENY"), url


def test_the_embed_keeps_the_rest_of_the_policy(any_app):
    response = any_app.test_client().get("/embed?state=TN")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    for directive in ["object-src 'none'", "base-uri 'none'", "form-action 'self'"]:
        assert directive in policy
    scripts = policy.split("script-src ")[1].split(";")[0].split()
    nonce = soup(response).select_one("script[nonce]")["nonce"]
    assert scripts == ["'self'", f"'nonce-{nonce}'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_embed_policy_follows_each_apps_tiles(tmp_path):
    """The embed's policy is built per request from the app's settings, not kept from the first."""
    for tiles, images in [
        ("openstreetmap", "img-src 'self' data: https://tile.openstreetmap.org"),
        ("none", "img-src 'self' data:"),
    ]:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / tiles}.sqlite3",
                "MAP_TILES": tiles,
            }
        )
        migrate_schema(app)
        policy = app.test_client().get("/embed").headers["Content-Security-Policy"]
        assert images in policy.split("; ")
        assert "frame-ancestors *" in policy.split("; ")


def test_embed_shows_map_key_attribution_and_link_back(any_app):
    response = any_app.test_client().get("/embed?state=tn&category=municipal-offices")
    assert response.status_code == 200
    page = soup(response)
    # the map, started with the page's filter
    assert page.select_one(".map-frame .folium-map")
    settings = json.loads(page.select_one("script#atlas-map-settings").string)
    assert settings["pins_url"] == "/api/places.geojson?state=TN&category=municipal-offices"
    assert settings["state"] == "TN"
    # the key: the kinds on the map, with icon and count
    key = page.select(".map-key .facets li")
    assert [li.select_one(".facet-name").get_text() for li in key] == ["Municipal offices"]
    assert key[0].select_one(".cat-icon svg use")["href"] == "#icon-building-columns"
    assert key[0].select_one(".count").get_text() == "1"
    assert page.select_one("#icon-building-columns")  # the sprite the icons use
    # the attribution, and the link back to this view on the site, in a new tab
    assert "Welcoming Atlas" in page.select_one(".embed-attribution").get_text()
    assert page.select_one(".embed-attribution a")["href"] == "/about/"
    back = page.select_one("a.embed-link")
    assert back["href"] == "http://localhost/?state=TN&category=municipal-offices"
    assert back["target"] == "_blank" and "noopener" in back["rel"]
    assert page.select_one("base")["target"] == "_blank"  # popups' links too
    # no site chrome, and not indexed: the map page is the view's page
    assert not page.select("header.site-header, nav, .filters, .list")
    assert meta(page, "robots") == "noindex"
    assert page.select_one("link[rel=canonical]")["href"] == back["href"]
    assert page.title.get_text() == (
        "Welcoming Atlas map of initiatives in Tennessee · Municipal offices"
    )
    assert page.select_one(".embed-summary").get_text() == (
        "1 community, 1 initiative in Tennessee · Municipal offices"
    )


def test_embed_without_filter_shows_every_kind_with_records(any_app):
    page = soup(any_app.test_client().get("/embed"))
    names = [n.get_text() for n in page.select(".map-key .facet-name")]
    with any_app.app_context():
        counts = queries.category_facets(queries.Filters())
    assert names == [item.label for item in counts if item.count]
    assert page.select_one("a.embed-link")["href"] == "http://localhost/"


def test_embed_of_an_empty_view_says_so(any_app):
    page = soup(any_app.test_client().get("/embed?state=WY"))
    assert not page.select(".map-key .facets")
    assert "No initiative" in page.select_one(".map-key .empty").get_text()


@pytest.mark.parametrize(
    ("query", "param"),
    [("state=ZZ", "state"), ("category=nope", "category"), ("mechanism=nope", "mechanism")],
)
def test_embed_answers_unknown_filter_values_with_400(any_app, query, param):
    response = any_app.test_client().get(f"/embed?{query}")
    assert response.status_code == 400
    assert param in soup(response).select_one(".error-message").get_text()


def test_embed_takes_every_filter_of_the_map(any_app):
    query = "state=TN&category=municipal-offices&status=active&from=2000&to=2030&q=Nashville"
    page = soup(any_app.test_client().get(f"/embed?{query}"))
    settings = json.loads(page.select_one("script#atlas-map-settings").string)
    for arg in query.split("&"):
        assert arg in settings["pins_url"]
    assert "matching “Nashville”" in page.title.get_text()


def test_embed_spellings_share_one_cache_entry(any_app):
    client = any_app.test_client()
    with any_app.app_context():
        cache.clear()
    bodies = [client.get(url) for url in ["/embed?state=tn", "/embed?state=TN&x=1"]]
    assert all(response.status_code == 200 for response in bodies)
    with any_app.app_context():
        keys = [key for key in cache.cache._cache if ":embed:" in key]
    assert len(keys) == 1
    # each copy has its own nonce, the one its header allows
    for response in bodies:
        nonce = soup(response).select_one("script[nonce]")["nonce"]
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def render_control(app, filters: queries.Filters) -> BeautifulSoup:
    """Render the ``embed_control`` macro as the map page would, and parse it."""
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_share.html" import embed_control %}{{ embed_control(filters) }}',
            filters=filters,
        )
    return BeautifulSoup(html, "html.parser")


def test_embed_control_gives_the_iframe_of_the_view(any_app):
    filters = queries.Filters(state="TN", categories=("municipal-offices",))
    control = render_control(any_app, filters)
    share = control.select_one("#share")
    assert share.select_one("details > summary").get_text() == "Embed this map"
    field = share.select_one("details textarea")
    assert field.has_attr("readonly")
    label = share.select_one(f"label[for={field['id']}]")
    assert "Paste this HTML" in label.get_text()
    # what the field holds is HTML: the iframe to paste
    frame = BeautifulSoup(field.get_text(), "html.parser").select("iframe")
    assert len(frame) == 1
    assert frame[0]["src"] == "http://localhost/embed?state=TN&category=municipal-offices"
    assert frame[0]["title"] == (
        "Welcoming Atlas map of initiatives in Tennessee · Municipal offices"
    )
    assert (frame[0]["width"], frame[0]["height"], frame[0]["loading"]) == ("100%", "480", "lazy")
    assert share.select_one("a")["href"] == "/embed?state=TN&category=municipal-offices"


def test_embed_control_escapes_what_it_quotes(any_app):
    control = render_control(any_app, queries.Filters(q='"><script>alert(1)</script>'))
    assert not control.select("script")
    frame = BeautifulSoup(control.textarea.get_text(), "html.parser").select("iframe")
    assert len(frame) == 1 and not frame[0].select("script")
    assert frame[0]["src"].startswith("http://localhost/embed?q=")
    assert '"><script>' in frame[0]["title"]


def test_map_page_carries_the_embed_control_of_its_view(any_app):
    page = soup(any_app.test_client().get("/?state=TN"))
    field = page.select_one("#share details textarea")
    frame = BeautifulSoup(field.get_text(), "html.parser").iframe
    assert frame["src"] == "http://localhost/embed?state=TN"


@pytest.mark.parametrize(("path", "canonical"), PAGE_TYPES)
def test_every_page_type_has_open_graph_and_a_canonical_url(any_app, path, canonical):
    response = any_app.test_client().get(path)
    assert response.status_code == 200
    page = soup(response)
    links = page.select("link[rel=canonical]")
    assert [link["href"] for link in links] == [canonical]
    assert meta(page, "og:url") == canonical
    assert meta(page, "og:title") == page.title.get_text()
    assert meta(page, "og:description") == meta(page, "description")
    assert meta(page, "og:description")
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:site_name") == "Welcoming Atlas"
    assert meta(page, "twitter:card") == "summary"


def test_open_graph_text_comes_from_the_page(any_app):
    page = soup(any_app.test_client().get("/places/nashville-tn"))
    assert meta(page, "og:title") == "Nashville, Tennessee · Welcoming Atlas"
    assert meta(page, "og:description") == (
        "Immigrant-inclusion initiatives in Nashville, Tennessee, with their sources."
    )


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/places/nashville-tn?state=TN&category=municipal-offices", "/places/nashville-tn"),
        ("/categories/?utm_source=x", "/categories/"),
        ("/states/TN?page=2", "/states/TN"),
    ],
)
def test_canonical_urls_leave_stray_arguments_out(any_app, path, canonical):
    page = soup(any_app.test_client().get(path))
    assert page.select_one("link[rel=canonical]")["href"] == "http://localhost" + canonical


def test_map_page_canonical_keeps_its_normalised_filter(any_app):
    page = soup(any_app.test_client().get("/?category=municipal-offices&state=tn&x=1"))
    expected = "http://localhost/?state=TN&category=municipal-offices"
    assert page.select_one("link[rel=canonical]")["href"] == expected
    assert meta(page, "og:url") == expected


@pytest.mark.parametrize("path", ["/no-such-page", "/?state=ZZ", "/places/nowhere"])
def test_error_pages_name_no_canonical_url(any_app, path):
    response = any_app.test_client().get(path)
    assert response.status_code in (400, 404)
    page = soup(response)
    assert not page.select("link[rel=canonical]")
    assert meta(page, "og:url") is None
    assert meta(page, "og:title") == page.title.get_text()


def test_a_page_cached_for_one_host_names_no_other(any_app):
    client = any_app.test_client()
    client.get("/places/nashville-tn", base_url="http://one.example")
    page = soup(client.get("/places/nashville-tn", base_url="http://two.example"))
    assert page.select_one("link[rel=canonical]")["href"] == (
        "http://two.example/places/nashville-tn"
    )


def test_the_embed_cached_for_one_host_names_no_other(any_app):
    client = any_app.test_client()
    client.get("/embed?state=TN", base_url="http://one.example")
    page = soup(client.get("/embed?state=TN", base_url="http://two.example"))
    assert page.select_one("a.embed-link")["href"] == "http://two.example/?state=TN"


def test_embed_and_previews_show_hostile_text_literally(hostile_app):
    client = hostile_app.test_client()
    page = soup(client.get("/embed?state=TN"))
    # one inline script, Folium's set-up; the catalog's text is in the JSON settings
    assert len(page.select("script:not([type]):not([src])")) == 1
    assert "window.pwned" not in page.select_one("script[nonce]").get_text()
    nashville = place_slug(hostile("Nashville"), "TN")
    response = client.get(f"/places/{nashville}")
    preview = soup(response)
    assert TEMPLATE_PAYLOAD in meta(preview, "og:title")
    assert meta(preview, "og:url") == f"http://localhost/places/{nashville}"
    assert "<script>window.pwned" not in response.get_data(as_text=True).split("<body")[0]
