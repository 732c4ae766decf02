"""Downloads of what a visitor sees: CSV, GeoJSON and JSON, read back as a user's tools do."""

from __future__ import annotations

import csv
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event

from app import exports
from app.cache import cache
from app.catalog import queries
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.catalog.schema import MECHANISMS
from app.models import Initiative
from app.models import db
from tests.conftest import smaller_catalog
from tests.conftest import soup

NAMES = [name for name, _ in exports.COLUMNS]
LICENCE_LINK = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
# what a spreadsheet shows in a cell: any text, less the lone surrogates no file can hold
CELL_TEXT = st.text(st.characters(exclude_categories=["Cs"]))


def read_csv(response) -> list[dict[str, str]]:
    """Read a CSV download as Python's csv module (and Excel) would: BOM, then RFC 4180."""
    text = response.get_data().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == NAMES
    return list(reader)


def listed_ids(app, query: dict) -> list[str]:
    """Return the ids of the map list for ``query``, in its order."""
    with app.test_request_context(query_string=query):
        from flask import request

        from app.views.common import state_names

        filters = queries.parse_filters(request.args, state_names())
        return [initiative.id for initiative in queries.list_initiatives(filters)]


def test_the_csv_has_one_row_per_initiative_with_the_documented_columns(any_app):
    response = any_app.test_client().get("/downloads/initiatives.csv?state=TN")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params == {"charset": "utf-8", "header": "present"}
    rows = read_csv(response)
    assert [row["id"] for row in rows] == listed_ids(any_app, {"state": "TN"})
    office = next(row for row in rows if row["id"] == "nashville-tn-office")
    assert office == {
        "id": "nashville-tn-office",
        "title": "Office of New Americans",
        "category": "municipal-offices",
        "category_name": "Municipal offices",
        "place": "Nashville",
        "place_slug": "nashville-tn",
        "place_type": "city-county",
        "state": "TN",
        "latitude": "36.16589",
        "longitude": "-86.78444",  # a number, not a would-be formula: no apostrophe
        "started": "2014-09-22",
        "year": "2014",
        "mechanism": "executive-order",
        "mechanism_detail": "",
        "lead_organization": "",
        "website": "https://example.org/nashville-office",
        "contact_url": "https://example.org/nashville-office/contact",
        "contact_phone": "(615) 555-0100",
        "contact_email": "office@example.org",
        "status": "active",
        "status_date": "",
        "member_type": "",
        "summary": office["summary"],
        "unconfirmed": "",
        "sources": "https://example.org/nashville-tn-office",
        "sources_disagree": "",
        "added": office["added"],
        "last_verified": "2026-11-20",
        "url": "http://localhost/places/nashville-tn#nashville-tn-office",
    }
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", office["added"])


def test_the_csv_lists_every_source_and_where_sources_disagree(client):
    rows = {row["id"]: row for row in read_csv(client.get("/downloads/initiatives.csv"))}
    atlanta = rows["atlanta-ga-office"]
    assert atlanta["sources"].split(" ") == [
        "https://example.org/atlanta-ga-office",
        "https://example.org/atlanta-ga-office/other",
    ]
    assert atlanta["sources_disagree"] == "started"
    assert rows["memphis-tn-plan"]["unconfirmed"] == "started"
    assert len(rows) == 8


def test_the_csv_is_utf8_with_a_byte_order_mark_and_crlf_lines(client):
    body = client.get("/downloads/initiatives.csv").get_data()
    assert body.startswith(b"\xef\xbb\xbfid,title,")
    assert body.count(b"\r\n") == 9  # header and eight rows
    assert b"\n" not in body.replace(b"\r\n", b"")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(start):
    assert exports.neutralise(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


@pytest.mark.parametrize("text", ["Nashville", "", " =1", "'quoted", "a=b", "1+1", "San José"])
def test_other_text_is_left_alone(text):
    assert exports.neutralise(text) == text


def one_record(**fields) -> dict:
    """A record as ``exports.record`` makes them, with some fields replaced."""
    record = {name: "" for name in NAMES}
    record.update(unconfirmed=[], sources=[], conflicts=[], latitude=36.1, longitude=-86.7)
    record.update(fields)
    return record


@given(title=CELL_TEXT, summary=CELL_TEXT)
def test_any_text_comes_back_from_the_csv_module_neutralised_and_nothing_else(title, summary):
    body = exports.csv_body([one_record(title=title, summary=summary)])
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1
    cells = rows[0]
    assert cells["title"] == exports.neutralise(title)
    assert cells["summary"] == exports.neutralise(summary)
    for cell in (cells["title"], cells["summary"]):
        assert not cell.startswith(exports.FORMULA_STARTS)
    # nothing is lost: the apostrophe is the only change
    assert cells["title"] in (title, "'" + title)
    assert cells["longitude"] == "-86.7"


def test_a_hostile_record_cannot_run_a_formula(client, app):
    """A catalog record whose title is a formula comes out as text."""
    with app.app_context():
        initiative = db.session.get(Initiative, "nashville-tn-office")
        initiative.title = '=HYPERLINK("https://evil.example","x")'
        initiative.summary = "@SUM(1+1)"
        db.session.commit()
        cache.clear()
    rows = read_csv(client.get("/downloads/initiatives.csv?state=TN"))
    office = next(row for row in rows if row["id"] == "nashville-tn-office")
    assert office["title"] == "'" + '=HYPERLINK("https://evil.example","x")'
    assert office["summary"] == "'@SUM(1+1)"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("", "welcoming-atlas"),
        ("state=TN", "welcoming-atlas-TN"),
        ("state=tn&category=municipal-offices", "welcoming-atlas-TN-municipal-offices"),
        (
            "category=case-stories&category=municipal-offices",
            "welcoming-atlas-municipal-offices-case-stories",
        ),
    ],
)
@pytest.mark.parametrize("extension", ["csv", "geojson", "json"])
def test_the_file_name_says_the_filter(client, query, name, extension):
    response = client.get(f"/downloads/initiatives.{extension}?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}.{extension}"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ({"q": "San José"}, "welcoming-atlas-search-san-jose.csv"),
        ({"from": "2010", "to": "2020"}, "welcoming-atlas-from-2010-to-2020.csv"),
        (
            {"mechanism": ["ordinance"], "status": ["active"]},
            "welcoming-atlas-ordinance-active.csv",
        ),
        ({"place_type": ["city-county"]}, "welcoming-atlas-city-county.csv"),
        ({"q": '"; rm -rf / ..\\x'}, "welcoming-atlas-search-rm-rf-x.csv"),
    ],
)
def test_a_file_name_is_short_and_safe_ascii(args, name):
    assert exports.filename(args, "csv") == name


def test_a_long_filter_is_cut_and_still_names_one_filter():
    every = list(MECHANISMS)
    one = exports.filename({"state": "TN", "mechanism": every}, "csv")
    other = exports.filename({"state": "TN", "mechanism": every[:-2] + ["other"]}, "csv")
    assert len(one) <= 104 and len(other) <= 104
    assert one != other
    assert re.fullmatch(r"welcoming-atlas-TN-[a-z-]+-[0-9a-f]{8}\.csv", one)


@given(query=CELL_TEXT, state=CELL_TEXT)
def test_any_filter_gives_a_file_name_of_letters_digits_and_hyphens(query, state):
    name = exports.filename({"state": state, "q": query}, "csv")
    assert re.fullmatch(r"welcoming-atlas(-[A-Za-z0-9]+)*\.csv", name)
    assert len(name) <= 104


def test_the_geojson_download_is_a_feature_collection_with_the_licence(any_app):
    response = any_app.test_client().get("/downloads/initiatives.geojson?state=TN")
    assert response.mimetype == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    assert body["licence"] == exports.LICENCE
    assert body["filters"] == {"state": "TN"}
    assert [f["id"] for f in body["features"]] == listed_ids(any_app, {"state": "TN"})
    office = next(f for f in body["features"] if f["id"] == "nashville-tn-office")
    assert office["geometry"] == {"type": "Point", "coordinates": [-86.78444, 36.16589]}
    assert office["properties"]["sources"] == [
        {
            "url": "https://example.org/nashville-tn-office",
            "title": "Source for Office of New Americans",
            "publisher": "Example",
            "seen": "2026-11-20",
        }
    ]
    assert "latitude" not in office["properties"]


def test_the_json_download_holds_every_record_with_the_licence(any_app):
    body = any_app.test_client().get("/downloads/initiatives.json").get_json()
    assert body["licence"]["name"] == "CC BY 4.0"
    assert "sources they cite remain their publishers'" in body["licence"]["notice"]
    assert body["total"] == 8
    assert [r["id"] for r in body["initiatives"]] == listed_ids(any_app, {})
    atlanta = next(r for r in body["initiatives"] if r["id"] == "atlanta-ga-office")
    assert atlanta["conflicts"] == [
        {
            "field": "started",
            "value": "2017",
            "source": "https://example.org/atlanta-ga-office/other",
            "note": "A second source dates it later.",
        }
    ]
    assert atlanta["url"] == "http://localhost/places/atlanta-ga#atlanta-ga-office"


@pytest.mark.parametrize("extension", ["csv", "geojson", "json"])
def test_every_download_names_its_licence_and_may_be_read_from_any_origin(client, extension):
    response = client.get(f"/downloads/initiatives.{extension}?state=GA")
    assert response.headers["Link"] == LICENCE_LINK
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Disposition" in response.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("extension", ["csv", "geojson", "json"])
def test_an_unknown_filter_value_answers_400_naming_the_valid_ones(any_app, extension):
    response = any_app.test_client().get(f"/downloads/initiatives.{extension}?category=parks")
    assert response.status_code == 400
    page = soup(response)
    assert "parks" in page.select_one(".error-message").get_text()
    choices = [code.get_text() for code in page.select("ul.choices code")]
    assert "municipal-offices" in choices and len(choices) == 6


def test_a_bad_filter_takes_no_cache_entry(client, app):
    with app.app_context():
        cache.clear()
        assert client.get("/downloads/initiatives.csv?state=ZZ").status_code == 400
        assert not [k for k in cache.cache._cache if "download" in k]


def test_a_download_is_cached_per_filter_and_answers_304_to_its_etag(client):
    first = client.get("/downloads/initiatives.csv?state=TN")
    again = client.get(
        "/downloads/initiatives.csv?state=tn", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    other = client.get("/downloads/initiatives.csv?state=GA")
    assert other.headers["ETag"] != first.headers["ETag"]
    assert (
        client.get("/downloads/initiatives.json?state=TN").headers["ETag"] != first.headers["ETag"]
    )


def test_a_new_load_changes_what_is_downloaded(client, app, states, tmp_path):
    before = client.get("/downloads/initiatives.csv")
    with app.app_context():
        load_catalog(db.session, read_catalog(smaller_catalog(tmp_path), states))
    after = client.get("/downloads/initiatives.csv")
    assert len(read_csv(before)) == 8 and len(read_csv(after)) == 7
    assert before.headers["ETag"] != after.headers["ETag"]


@pytest.mark.parametrize(
    ("query", "ids", "name"),
    [
        ("mechanism=executive-order", {"nashville-tn-office"}, "welcoming-atlas-executive-order"),
        ("place_type=county", {"santa-clara-county-ca-network"}, "welcoming-atlas-county"),
        (
            "from=2016&to=2019",
            {"nashville-tn-g4g", "boise-id-certified"},
            "welcoming-atlas-from-2016-to-2019",
        ),
        (
            "q=Nashville",
            {"nashville-tn-office", "nashville-tn-g4g"},
            "welcoming-atlas-search-nashville",
        ),
        ("status=ended", set(), "welcoming-atlas-ended"),
    ],
)
def test_every_filter_of_the_map_reaches_the_downloads(any_app, query, ids, name):
    response = any_app.test_client().get(f"/downloads/initiatives.csv?{query}")
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}.csv"
    rows = read_csv(response)
    assert [row["id"] for row in rows] == listed_ids(
        any_app, dict(p.split("=") for p in query.split("&"))
    )
    assert {row["id"] for row in rows} == ids


@pytest.fixture
def statements(app):
    """Record the SQL statements the app runs."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        if statement != "BEGIN":
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("query", ["", "state=TN", "category=municipal-offices"])
def test_a_download_runs_the_same_few_queries_however_many_rows(client, statements, query):
    """Sources and conflicts are loaded per 500 records, not per record (no N+1)."""
    with client.application.app_context():
        cache.clear()
    assert client.get(f"/downloads/initiatives.csv?{query}").status_code == 200
    assert len(statements) <= 8, statements
    statements.clear()
    assert client.get(f"/downloads/initiatives.csv?{query}").status_code == 200
    assert len(statements) <= 2, statements  # the digest, and the kinds to check the filter


def test_the_state_page_links_its_downloads(client):
    page = soup(client.get("/states/TN"))
    links = {a["data-format"]: a["href"] for a in page.select(".download-links a")}
    assert links == {
        "csv": "/downloads/initiatives.csv?state=TN",
        "geojson": "/downloads/initiatives.geojson?state=TN",
        "json": "/downloads/initiatives.json?state=TN",
    }
    whole = [a["href"] for a in page.select(".downloads a[data-scope=all]")]
    assert whole == [
        "/downloads/initiatives.csv",
        "/downloads/initiatives.geojson",
        "/downloads/initiatives.json",
    ]
    assert page.select_one(".downloads a[href='/about/#licence']").get_text() == "CC BY 4.0"


def test_the_category_guide_links_its_downloads(client):
    page = soup(client.get("/categories/municipal-offices"))
    csv_link = page.select_one(".downloads a[data-format=csv]")
    assert csv_link["href"] == "/downloads/initiatives.csv?category=municipal-offices"
    rows = read_csv(client.get(csv_link["href"]))
    assert {row["category"] for row in rows} == {"municipal-offices"}


def test_the_about_page_states_the_licence(client):
    page = soup(client.get("/about/"))
    heading = page.select_one("h2#licence")
    assert heading.get_text() == "Licence"
    text = heading.find_next("p").get_text(" ", strip=True)
    assert "CC BY 4.0" in text and "remain their publishers'" in text
    assert page.select_one("a[rel=license]")["href"] == exports.LICENCE_URL
    assert page.select_one("a[href='/downloads/initiatives.csv']")
