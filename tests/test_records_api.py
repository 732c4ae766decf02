"""The records API: every initiative a page at a time, and one by its id."""

from __future__ import annotations

import pytest

from app.catalog import queries
from app.views.common import state_names

QUERIES = ["", "state=TN", "category=strategic-plans&category=municipal-offices", "state=WY"]


def listed_ids(app, query: str) -> list[str]:
    """Return the ids of the map list for ``query``, in its order."""
    with app.test_request_context(query_string=query):
        from flask import request

        filters = queries.parse_filters(request.args, state_names())
        return [initiative.id for initiative in queries.list_initiatives(filters)]


def walk(client, url: str, direction: str = "next") -> list[dict]:
    """Follow ``next`` (or ``prev``) links from ``url``; return every page's body."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        pages.append(response.get_json())
        url = pages[-1][direction]
        assert len(pages) <= 20
    return pages


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("per_page", [1, 3, 50])
def test_next_links_walk_the_whole_set_exactly_once_in_the_list_order(any_app, query, per_page):
    client = any_app.test_client()
    pages = walk(client, f"/api/initiatives.json?{query}&per_page={per_page}")
    ids = [record["id"] for page in pages for record in page["initiatives"]]
    expected = listed_ids(any_app, query)
    assert ids == expected
    assert len(set(ids)) == len(ids)
    assert {page["total"] for page in pages} == {len(expected)}
    assert [page["page"] for page in pages] == list(range(1, len(pages) + 1))
    assert {page["pages"] for page in pages} == {len(pages)}
    # and back again
    back = walk(client, pages[-1]["prev"], "prev") if pages[-1]["prev"] else []
    assert [p["page"] for p in back] == list(range(len(pages) - 1, 0, -1))


def test_a_page_says_where_the_next_one_is_in_its_body_and_its_link_header(client):
    response = client.get("/api/initiatives.json?state=tn&per_page=1&page=2")
    body = response.get_json()
    assert body["filters"] == {"state": "TN"}
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (3, 2, 1, 3)
    assert body["next"] == "/api/initiatives.json?state=TN&page=3&per_page=1"
    assert body["prev"] == "/api/initiatives.json?state=TN&page=1&per_page=1"
    links = [link.strip() for link in response.headers["Link"].split(",")]
    assert links == [
        f'<{body["next"]}>; rel="next"',
        f'<{body["prev"]}>; rel="prev"',
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"',
    ]
    assert body["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_default_page_holds_fifty_and_its_links_leave_per_page_out(client):
    body = client.get("/api/initiatives.json").get_json()
    assert (body["per_page"], body["pages"], body["next"], body["prev"]) == (50, 1, None, None)
    assert len(body["initiatives"]) == 8


def test_every_filter_of_the_map_reaches_the_records(any_app):
    client = any_app.test_client()
    query = "q=Nashville&mechanism=award&from=2015&status=active&place_type=city-county"
    body = client.get(f"/api/initiatives.json?{query}&per_page=1").get_json()
    assert [r["id"] for r in body["initiatives"]] == ["nashville-tn-g4g"]
    assert body["filters"] == {
        "mechanism": ["award"],
        "status": ["active"],
        "place_type": ["city-county"],
        "from": "2015",
        "q": "Nashville",
    }
    assert body["next"] is None


@pytest.mark.parametrize(
    "query",
    ["per_page=0", "per_page=201", "per_page=x", "per_page=1.5", "page=0", "page=-1", "page=²"],
)
def test_a_bad_page_or_page_size_answers_400_in_json(client, query):
    response = client.get(f"/api/initiatives.json?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Bad Request"
    assert "is not a whole number from 1 to" in body["message"]


def test_a_page_past_the_last_answers_404_in_json(client):
    response = client.get("/api/initiatives.json?state=TN&page=2")
    assert response.status_code == 404
    assert response.get_json()["message"] == "There is no page 2: this list has 1 page."


def test_an_empty_filter_has_one_empty_page(client):
    body = client.get("/api/initiatives.json?state=WY").get_json()
    assert (body["total"], body["pages"], body["initiatives"]) == (0, 1, [])


def test_an_unknown_filter_value_answers_400_naming_the_valid_ones(any_app):
    response = any_app.test_client().get("/api/initiatives.json?mechanism=decree")
    assert response.status_code == 400
    body = response.get_json()
    assert (body["param"], body["value"]) == ("mechanism", "decree")
    assert "ordinance" in body["choices"]


def test_a_record_has_its_sources_and_the_conflicts_between_them(any_app):
    response = any_app.test_client().get("/api/initiatives/atlanta-ga-office.json")
    assert response.status_code == 200
    record = response.get_json()
    assert record["id"] == "atlanta-ga-office"
    assert record["url"] == "/places/atlanta-ga#atlanta-ga-office"
    assert [s["url"] for s in record["sources"]] == [
        "https://example.org/atlanta-ga-office",
        "https://example.org/atlanta-ga-office/other",
    ]
    assert record["conflicts"][0]["field"] == "started"
    assert (
        response.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )


def test_a_record_is_the_same_in_the_list_and_alone(client):
    listed = client.get("/api/initiatives.json").get_json()["initiatives"]
    for record in listed:
        assert client.get(f"/api/initiatives/{record['id']}.json").get_json() == record


@pytest.mark.parametrize(
    "record_id", ["nope", "Nashville-TN-Office", "%20", "nashville-tn-office.json"]
)
def test_an_unknown_id_answers_404_in_json(any_app, record_id):
    response = any_app.test_client().get(f"/api/initiatives/{record_id}.json")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == "Not Found"
    assert body["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "url",
    [
        "/api/initiatives.json",
        "/api/initiatives/nashville-tn-office.json",
        "/api/places.geojson",
        "/api/places/nashville-tn.json",
        "/api/states.geojson",
        "/api/openapi.json",
        "/api/",
        "/api/initiatives.json?state=ZZ",
        "/api/nothing-here",
    ],
)
def test_every_api_answer_may_be_read_from_any_origin(client, url):
    response = client.get(url, headers={"Origin": "https://elsewhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_preflight_is_answered_with_what_cors_asks_for(client):
    response = client.options(
        "/api/initiatives.json?state=TN",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "*"
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_write_answers_405_in_json_with_allow(client):
    response = client.post("/api/initiatives.json")
    assert response.status_code == 405
    assert response.get_json()["error"] == "Method Not Allowed"
    assert "GET" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_pages_are_not_cross_origin(client):
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_a_page_of_records_answers_304_to_its_etag(client):
    first = client.get("/api/initiatives.json?state=TN")
    etag = first.headers["ETag"]
    again = client.get("/api/initiatives.json?state=TN", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/api/initiatives.json?state=TN&page=1&per_page=2")
    assert other.headers["ETag"] != etag


def test_a_page_of_records_runs_a_few_queries(client, app):
    from sqlalchemy import event

    from app.cache import cache
    from app.models import db

    seen: list[str] = []
    with app.app_context():
        cache.clear()
        engine = db.engine

    def record(conn, cursor, statement, *args):
        if statement != "BEGIN":
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/api/initiatives.json?per_page=200").status_code == 200
        cold = len(seen)
        seen.clear()
        assert client.get("/api/initiatives.json?per_page=200").status_code == 200
        cached = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert cold <= 8
    assert cached <= 2
