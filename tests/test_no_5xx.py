"""No request gets a 5xx: property-based tests over every route (hypothesis).

Each route gets a few hundred requests with odd path values, every query
parameter the site reads (and unknown ones), odd methods and headers, on
SQLite and on PostgreSQL. Every answer is a page or a documented error: 400,
404 or 405, as an HTML page, or as a JSON body under ``/api/``.
"""

from __future__ import annotations

from urllib.parse import quote
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from app import create_app
from tests.conftest import soup

# the catalog's own values, so that some requests get past the filters
STATES = ["TN", "tn", "GA", " CA ", "ZZ", ""]
CATEGORIES = ["municipal-offices", "g4g-communities", "case-stories", "nope", ""]
SLUGS = ["nashville-tn", "Nashville_TN", "atlanta-ga", "san-jose-ca", "nashville", "TN", "x"]
PAGE_NUMBERS = ["1", "2", "01", "001", "0", "-1", "²", "١", "1e3", "9" * 5000, " 1", ""]

# the search box's language and the syntax of both databases' full-text queries
SEARCHES = [
    "San Jose",
    "nash",
    '"new americans"',
    "-office",
    "or",
    "a or",
    "*",
    "a:* & !b",
    "NEAR(x)",
]
YEARS = ["2014", "1899", "2101", "14", "2014.0", "٢٠١٤", ""]

# any text a URL can carry (lone surrogates cannot be sent)
ODD_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
VALUES = {
    "state": st.sampled_from(STATES) | ODD_TEXT,
    "category": st.sampled_from(CATEGORIES) | ODD_TEXT,
    "page": st.sampled_from(PAGE_NUMBERS) | ODD_TEXT,
    "per_page": st.sampled_from(["1", "50", "200", "201", "0", "x"]) | ODD_TEXT,
    "q": st.sampled_from(SEARCHES) | ODD_TEXT,
    "mechanism": st.sampled_from(["ordinance", "award", "Ordinance", "nope", ""]) | ODD_TEXT,
    "status": st.sampled_from(["active", "ended", "unknown", "closed", ""]) | ODD_TEXT,
    "place_type": st.sampled_from(["city", "county", "city-county", "village"]) | ODD_TEXT,
    "from": st.sampled_from(YEARS) | ODD_TEXT,
    # the year filter's end, and the language switch's language
    "to": st.sampled_from([*YEARS, "es", "en", "EN"]) | ODD_TEXT,
    # what links to the suggestion form and the curators' sign-in carry
    "kind": st.sampled_from(["new", "correction", "ended", "x"]) | ODD_TEXT,
    "record": st.sampled_from(["nashville-tn-office", "/places/atlanta-ga#x"]) | ODD_TEXT,
    "place": st.sampled_from(["nashville-tn", "boise-id", "x"]) | ODD_TEXT,
    "next": st.sampled_from(["/curate/", "//evil.example", "https://evil.example/"]) | ODD_TEXT,
}
QUERY = st.lists(st.tuples(st.sampled_from([*VALUES, "x", "state[]", ""]), st.data()), max_size=4)
METHODS = st.sampled_from(
    ["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Accept": st.sampled_from(
            [
                "*/*",
                "application/json",
                "text/html",
                "text/html;q=0, */*;q=0.1",
                "image/png",
                "\x7f",
            ]
        ),
        "Accept-Language": st.sampled_from(["es", "en-US,en;q=0.9", "*", "zz;q=x"]),
        "If-None-Match": st.sampled_from(['"abc"', "*", 'W/"x"', ""]),
        "Cookie": st.sampled_from(["session=garbage", "a=b; c", "\x01", "lang=es", "lang=\x7f"]),
        "Content-Type": st.sampled_from(["application/json", "multipart/form-data", "x/y"]),
        "X-Forwarded-Host": st.sampled_from(["evil.example", ""]),
    },
)

# each route's path with a strategy for its variable part
ROUTES = {
    "/": st.just("/"),
    "/about/": st.just("/about/"),
    "/about/data": st.just("/about/data"),
    "/healthz": st.just("/healthz"),
    "/places/<slug>": st.builds(lambda s: f"/places/{s}", st.sampled_from(SLUGS) | ODD_TEXT),
    "/places/initiatives/<id>": st.builds(
        lambda s: f"/places/initiatives/{s}", st.sampled_from(["nashville-tn-office"]) | ODD_TEXT
    ),
    "/categories/": st.just("/categories/"),
    "/categories/<slug>": st.builds(
        lambda s: f"/categories/{s}", st.sampled_from(CATEGORIES) | ODD_TEXT
    ),
    "/case-studies/": st.just("/case-studies/"),
    "/case-studies/<slug>": st.builds(
        lambda s: f"/case-studies/{s}", st.sampled_from(["nashville", "Nashville"]) | ODD_TEXT
    ),
    "/states/": st.just("/states/"),
    "/states/<code>": st.builds(lambda s: f"/states/{s}", st.sampled_from(STATES) | ODD_TEXT),
    "/api/places.geojson": st.just("/api/places.geojson"),
    "/api/places/<slug>.json": st.builds(
        lambda s: f"/api/places/{s}.json", st.sampled_from(SLUGS) | ODD_TEXT
    ),
    "/api/states.geojson": st.just("/api/states.geojson"),
    "/api/": st.just("/api/"),
    "/api/openapi.json": st.just("/api/openapi.json"),
    "/api/initiatives.json": st.just("/api/initiatives.json"),
    "/api/initiatives/<id>.json": st.builds(
        lambda s: f"/api/initiatives/{s}.json",
        st.sampled_from(["nashville-tn-office", "Nashville-TN-Office"]) | ODD_TEXT,
    ),
    "/downloads/initiatives.csv": st.just("/downloads/initiatives.csv"),
    "/downloads/initiatives.geojson": st.just("/downloads/initiatives.geojson"),
    "/downloads/initiatives.json": st.just("/downloads/initiatives.json"),
    "/embed": st.just("/embed"),
    "/feeds/initiatives.atom": st.just("/feeds/initiatives.atom"),
    "/sitemap.xml": st.just("/sitemap.xml"),
    "/robots.txt": st.just("/robots.txt"),
    "/api/search.json": st.just("/api/search.json"),
    "/static/<path>": st.builds(
        lambda s: f"/static/{s}", st.sampled_from(["css/site.css"]) | ODD_TEXT
    ),
    "/suggest": st.just("/suggest"),
    "/suggest/thanks": st.just("/suggest/thanks"),
    "/curate/": st.just("/curate/"),
    "/curate/login": st.just("/curate/login"),
    "/curate/logout": st.just("/curate/logout"),
    "/curate/log": st.just("/curate/log"),
    "/curate/suggestions/<int:suggestion_id>": st.builds(
        lambda s: f"/curate/suggestions/{s}", st.sampled_from(["1", "0", "999999999999"]) | ODD_TEXT
    ),
    "/curate/suggestions/<int:suggestion_id>/accept": st.builds(
        lambda s: f"/curate/suggestions/{s}/accept", st.sampled_from(["1", "-1"]) | ODD_TEXT
    ),
    "/curate/suggestions/<int:suggestion_id>/reject": st.builds(
        lambda s: f"/curate/suggestions/{s}/reject", st.sampled_from(["1", "x"]) | ODD_TEXT
    ),
    "/language": st.just("/language"),
    # every page in Spanish too (app/i18n.py)
    "/es/...": st.builds(
        lambda s: "/es" + s,
        st.sampled_from(["", "/", "/places/nashville-tn", "/api/places.geojson", "/suggest", "/es"])
        | ODD_TEXT.map(lambda s: "/" + s),
    ),
    "anything else": ODD_TEXT.map(lambda s: "/" + s),
}


def test_every_route_is_covered():
    app = create_app({"TESTING": True})
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    named = {
        path.replace("<id>", "<record_id>").replace("<path>", "<path:filename>") for path in ROUTES
    }
    assert rules <= named


def check_answer(response, path: str) -> None:
    """A page, a redirect, or one of the documented errors in the documented form."""
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code < 400 or response.request.method == "HEAD":
        return
    assert response.status_code in (400, 404, 405)
    if response.status_code == 405:
        assert response.headers["Allow"]
    if path.removeprefix("/es").startswith("/api/"):
        body = response.get_json()
        assert body["error"] and body["message"]
    elif path != "/healthz":
        assert response.mimetype == "text/html"
        page = soup(response)
        assert page.h1.get_text(strip=True)
        assert page.select_one("header nav")


@pytest.mark.parametrize("route", list(ROUTES))
def test_no_request_gets_a_5xx(any_app, route):
    client = any_app.test_client()

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(path=ROUTES[route], query=QUERY, method=METHODS, headers=HEADERS)
    def check(path, query, method, headers):
        pairs = [(name, data.draw(VALUES.get(name, ODD_TEXT))) for name, data in query]
        url = quote(path, safe="/") + ("?" + urlencode(pairs) if pairs else "")
        response = client.open(url, method=method, headers=headers)
        try:
            check_answer(response, path)
        finally:
            response.close()  # files sent from disk stay open until closed

    check()
