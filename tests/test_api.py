"""The JSON API: the same filter and the same set as the pages."""

import json
import re

import pytest
from sqlalchemy import delete
from sqlalchemy import select

from app.catalog.pins import pins_geojson
from app.catalog.pins import place_pins
from app.catalog.queries import Filters
from app.models import PinsSnapshot
from app.models import db
from tests.conftest import ROOT
from tests.conftest import soup


def pin_slugs(client, query: str) -> set[str]:
    response = client.get(f"/api/places.geojson?{query}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    return {f["properties"]["slug"] for f in response.get_json()["features"]}


def listed_slugs(client, query: str) -> set[str]:
    page = soup(client.get(f"/?{query}"))
    return {
        a["href"].removeprefix("/places/")
        for a in page.select("table.initiatives tbody td:first-child a")
    }


def test_pins_are_one_feature_per_community(client):
    body = client.get("/api/places.geojson?state=TN").get_json()
    assert body["type"] == "FeatureCollection"
    nashville = next(f for f in body["features"] if f["properties"]["slug"] == "nashville-tn")
    assert nashville == {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-86.78444, 36.16589]},
        "properties": {
            "slug": "nashville-tn",
            "name": "Nashville",
            "state": "TN",
            "categories": ["municipal-offices", "g4g-communities"],
            "count": 2,
        },
    }
    assert len(body["features"]) == 2


@pytest.mark.parametrize(
    "query",
    [
        "",
        "state=TN",
        "category=municipal-offices",
        "category=strategic-plans&category=case-stories",
        "state=CA&category=welcoming-network",
        "state=WY",
    ],
)
def test_pins_and_the_list_show_the_same_set(client, query):
    assert pin_slugs(client, query) == listed_slugs(client, query)


def test_pins_reject_unknown_filters_with_a_json_error(client):
    response = client.get("/api/places.geojson?category=parks")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "Bad Request"
    assert (body["param"], body["value"]) == ("category", "parks")
    assert body["choices"][:2] == ["case-stories", "certified-welcoming"]


def test_popup_lists_the_initiatives_in_the_filter(client):
    body = client.get("/api/places/nashville-tn.json?category=g4g-communities").get_json()
    assert body["name"] == "Nashville"
    # the community page keeps the filter, so its breadcrumb leads back to this view
    assert body["url"] == "/places/nashville-tn?category=g4g-communities"
    [initiative] = body["initiatives"]
    assert initiative == {
        "id": "nashville-tn-g4g",
        "title": "Gateways for Growth award",
        "category": "g4g-communities",
        "category_name": "Gateways for Growth",
        "started": "2016",
        "started_label": "2016",
        "status": "active",
        "status_label": "Active",
        "contact_url": None,
        "summary": initiative["summary"],
        "url": "/places/nashville-tn?category=g4g-communities#nashville-tn-g4g",
    }
    # one line: the first sentence, at most ONE_LINE_LIMIT characters
    assert initiative["summary"].endswith((".", "…")) and len(initiative["summary"]) <= 140
    everything = client.get("/api/places/nashville-tn.json").get_json()
    assert [i["id"] for i in everything["initiatives"]] == [
        "nashville-tn-office",
        "nashville-tn-g4g",
    ]


def test_popup_for_an_unknown_place_is_a_json_404(client):
    response = client.get("/api/places/atlantis-zz.json")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "Not Found",
        "message": "No community has the slug 'atlantis-zz'.",
    }


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


def test_state_outlines_are_served_from_geodata(client):
    response = client.get("/api/states.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert len(response.get_json()["features"]) == 52
    response.close()


def test_every_api_route_is_documented_in_the_readme(app):
    readme = (ROOT / "README.md").read_text()
    rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    assert rules
    for rule in rules:
        documented = re.sub(r"<(\w+:)?(\w+)>", r"<\2>", rule)
        assert f"`{documented}" in readme, rule


def test_the_page_carries_no_pins_only_the_url_to_fetch_them(client):
    html = client.get("/?state=TN").get_data(as_text=True)
    assert "-86.78444" not in html  # Nashville's pin stays in the API
    assert "/api/places.geojson?state=TN" in html


def test_pins_carry_an_etag_and_answer_304_when_unchanged(client):
    first = client.get("/api/places.geojson?state=TN")
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = client.get("/api/places.geojson?state=TN", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/api/places.geojson?state=GA", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_a_new_load_replaces_cached_pins_and_pages(app, client, runner, catalog_dir):
    assert pin_slugs(client, "state=TN") == {"memphis-tn", "nashville-tn"}
    assert listed_slugs(client, "state=TN") == {"memphis-tn", "nashville-tn"}
    etag = client.get("/api/places.geojson?state=TN").headers["ETag"]
    path = catalog_dir / "catalog.geojson"
    path.write_text(
        path.read_text()
        .replace('"place": "Memphis"', '"place": "Nashville"')
        .replace(
            '"place_type": "city",\n        "state": "TN"',
            '"place_type": "city-county",\n        "state": "TN"',
        )
    )
    collection = json.loads(path.read_text())
    for feature in collection["features"]:
        if feature["properties"]["place"] == "Nashville":
            feature["geometry"]["coordinates"] = [-86.78444, 36.16589]
    path.write_text(json.dumps(collection))
    result = runner.invoke(args=["catalog", "load", "--data", str(catalog_dir)])
    assert result.exit_code == 0, result.output
    assert pin_slugs(client, "state=TN") == {"nashville-tn"}
    assert listed_slugs(client, "state=TN") == {"nashville-tn"}
    assert client.get("/api/places.geojson?state=TN").headers["ETag"] != etag
    # the unfiltered pins come from the snapshot the new load stored
    assert "memphis-tn" not in pin_slugs(client, "")
    assert pin_slugs(client, "") == listed_slugs(client, "")


def test_unfiltered_pins_come_from_the_loads_snapshot(app, client):
    with app.app_context():
        stored = db.session.scalar(select(PinsSnapshot.body))
        assert json.loads(stored) == json.loads(pins_geojson(place_pins(Filters())))
        # a database written without the loader has no snapshot: the query answers
        db.session.execute(delete(PinsSnapshot))
        db.session.commit()
    assert client.get("/api/places.geojson").get_json() == json.loads(stored)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("A short one. And more.", "A short one."),
        ("No full stop", "No full stop."),
        ("word " * 60, ("word " * 28).strip() + "…"),
    ],
)
def test_a_popup_line_is_the_first_sentence_within_the_limit(text, line):
    from app.formatting import one_line

    assert one_line(text) == line


def test_a_start_no_source_confirms_says_so():
    from app.formatting import started_label

    assert started_label(None) == "Year not confirmed"
    assert started_label("2014-09") == "September 2014"
