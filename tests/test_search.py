"""Full-text search: one query function, the same answers on SQLite FTS5 and PostgreSQL.

The catalog here is the fixture catalog plus a record in San José, CA (with its
accent), so that folding can be seen; every test runs on both databases.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.catalog import queries
from app.catalog import search
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.models import db
from tests.conftest import edited_catalog
from tests.conftest import soup

SAN_JOSE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [-121.89496, 37.33939]},
    "properties": {
        "id": "san-jose-ca-office",
        "title": "Office of Immigrant Affairs",
        "category": "municipal-offices",
        "place": "San José",
        "place_type": "city",
        "state": "CA",
        "summary": "A city office that coordinates the Welcoming San José plan with partners.",
        "started": "2015",
        "mechanism": "council-vote",
        "mechanism_detail": "Created with the Welcoming San José plan",
        "lead_organization": "City Manager's Office",
        "website": None,
        "status": "active",
        "sources": [
            {
                "url": "https://example.org/san-jose",
                "title": "Source for the San José office",
                "seen": "2026-11-20",
            }
        ],
        "added": "2026-11-20",
        "last_verified": "2026-11-20",
    },
}


@pytest.fixture
def search_app(empty_app, states, tmp_path):
    """The fixture catalog and San José, loaded on each backend."""
    target = edited_catalog(tmp_path / "with-san-jose", lambda features: features.append(SAN_JOSE))
    with empty_app.app_context():
        load_catalog(db.session, read_catalog(target, states))
        db.session.remove()
    return empty_app


def found(app, q: str, **other: str) -> set[str]:
    """The ids of the initiatives a search (with other filters) matches."""
    with app.test_request_context():
        filters = queries.parse_filters(MultiDict({"q": q, **other}), {"CA": "California"})
        return {initiative.id for initiative in queries.list_initiatives(filters)}


@pytest.mark.parametrize("q", ["San Jose", "san josé", "SAN JOSÉ", "San-Jose", "josé"])
def test_accents_and_case_do_not_matter(search_app, q):
    assert found(search_app, q) == {"san-jose-ca-office"}


def test_words_are_stemmed_the_same_way_on_both_databases(search_app):
    # "offices" finds the Office of Immigrant Affairs, "affair" finds it too
    assert "san-jose-ca-office" in found(search_app, "immigrant offices")
    assert "san-jose-ca-office" in found(search_app, "affair")


def test_the_search_box_language(search_app):
    assert found(search_app, '"city manager"') == {"san-jose-ca-office"}
    assert found(search_app, '"manager city"') == set()
    without = found(search_app, "office") - found(search_app, "immigrant")
    assert found(search_app, "office -immigrant") == without != set()
    either = found(search_app, "josé or redwood")
    assert either == found(search_app, "josé") | found(search_app, "redwood")
    assert len(either) == 2


def test_search_reads_titles_places_states_organisations_and_details(search_app):
    assert found(search_app, "california") >= {"san-jose-ca-office", "redwood-city-ca-story"}
    assert found(search_app, "city manager") == {"san-jose-ca-office"}
    assert found(search_app, "welcoming san jose plan") == {"san-jose-ca-office"}


def test_search_combines_with_the_other_filters(search_app):
    assert found(search_app, "california", category="case-stories") == {"redwood-city-ca-story"}
    assert found(search_app, "california", status="active", mechanism="council-vote") == {
        "san-jose-ca-office"
    }
    assert found(search_app, "california", **{"from": "2016"}) == set()


@pytest.mark.parametrize("q", ["!!!", "-", '"', "or", "-josé", "*", "a:* & !b", "NEAR(a b)"])
def test_queries_of_syntax_alone_match_nothing_and_fail_nothing(search_app, q):
    assert found(search_app, q) == set()


def test_suggestions_match_prefixes_communities_first(search_app):
    with search_app.test_request_context():
        typed = queries.suggest("san jo", {"CA": "California"})
        assert [p.slug for p in typed.places] == ["san-jose-ca"]
        assert [i.id for i in typed.initiatives] == ["san-jose-ca-office"]
        states = {"TN": "Tennessee"}
        nashville = queries.suggest("nash", states)
        assert [p.slug for p in nashville.places] == ["nashville-tn"]
        assert {i.place_slug for i in nashville.initiatives} == {"nashville-tn"}
        # the state's name and code find its communities too
        assert {p.state for p in queries.suggest("tenn", states).places} == {"TN"}


def test_a_title_match_ranks_above_a_summary_match(search_app):
    with search_app.test_request_context():
        ranked = search.suggest_initiatives(db.session, "welcoming", 10)
    # both mention "Welcoming"; the one titled so comes first
    assert ranked[0] != "san-jose-ca-office"
    assert "san-jose-ca-office" in ranked


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)
@given(q=st.text(max_size=40) | st.sampled_from(['"a', "a OR", "-", "::", "NOT", "a*"]))
def test_any_typed_text_is_a_search_or_nothing(search_app, q):
    q = q.replace("\x00", "")
    with search_app.test_request_context():
        queries.suggest(q, {})
        db.session.rollback()
    client = search_app.test_client()
    response = client.get("/", query_string={"q": q})
    assert response.status_code == 200
    assert client.get("/api/search.json", query_string={"q": q}).status_code == 200


def test_fts5_queries_quote_every_word():
    assert search.fts5_query("San José") == '"san" AND "jose"'
    assert search.fts5_query('"new americans" -office') == '("new americans") NOT "office"'
    assert search.fts5_query("a or b c") == '("a" OR "b") AND "c"'
    assert search.fts5_query("san jo", prefix=True) == '"san"* AND "jo"*'
    # a word run together with punctuation is a phrase of its parts, never an operator
    assert search.fts5_query("NEAR(x)") == '"near x"'


def test_the_map_page_searches_and_says_when_nothing_matches(search_app):
    client = search_app.test_client()
    page = soup(client.get("/?q=San+Jose"))
    rows = page.select("table.initiatives tbody tr")
    assert [row["data-id"] for row in rows] == ["san-jose-ca-office"]
    assert "“San Jose”" in page.select_one("#filter-summary").get_text()
    # the filter panel's search field keeps the query; the header's box starts a new search
    assert page.select_one("#filters-form input[name=q]")["value"] == "San Jose"
    assert page.select_one("header form[role=search] input[name=q]").get("value") is None
    empty = soup(client.get("/?q=zzzzqqq&state=CA"))
    message = empty.select_one(".list .empty")
    assert "zzzzqqq" in message.get_text()
    assert message.select_one("a[href='/']").get_text(strip=True) == "clear every filter"


def test_the_suggestion_api(search_app):
    client = search_app.test_client()
    body = client.get("/api/search.json?q=san+jo").get_json()
    assert body["query"] == "san jo"
    assert [c["name"] for c in body["communities"]] == ["San José"]
    assert body["communities"][0]["url"] == "/places/san-jose-ca"
    assert [i["id"] for i in body["initiatives"]] == ["san-jose-ca-office"]
    assert body["initiatives"][0]["url"] == "/places/san-jose-ca#san-jose-ca-office"
    assert body["search_url"] == "/?q=san+jo"
    assert client.get("/api/search.json").get_json()["communities"] == []


def test_searches_take_no_cache_entry(search_app):
    # what people type has no end; the cache holds 500 entries, which searches must not evict
    from app.cache import cache

    client = search_app.test_client()
    for url in (
        "/",
        "/api/places.geojson",
        "/api/initiatives.json",
        "/downloads/initiatives.csv",
        "/embed",
        "/feeds/initiatives.atom",
    ):
        assert client.get(url, query_string={"q": "josé", "state": "CA"}).status_code == 200
        assert client.get(url, query_string={"state": "CA"}).status_code == 200
    with search_app.app_context():
        keys = list(cache.cache._cache)
    assert any("state=CA" in key for key in keys)
    assert not [key for key in keys if "q=" in key]
