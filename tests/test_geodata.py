"""The committed geodata: complete, valid, and consistent with known places."""

import csv
import json

import pytest
import shapely
from shapely.geometry import Point
from shapely.geometry import shape

from tests.conftest import GEODATA


@pytest.fixture(scope="module")
def features():
    return json.loads((GEODATA / "us-states.geojson").read_text())["features"]


def test_states_cover_50_states_dc_and_puerto_rico(features):
    codes = [f["properties"]["usps"] for f in features]
    assert len(codes) == 52 == len(set(codes))
    assert {"DC", "PR", "AK", "HI", "TN"} <= set(codes)
    tennessee = next(f["properties"] for f in features if f["properties"]["usps"] == "TN")
    assert tennessee == {"usps": "TN", "fips": "47", "name": "Tennessee"}


def test_state_geometries_are_valid_polygons(features):
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid, feature["properties"]["usps"]
        assert geometry.geom_type in {"Polygon", "MultiPolygon"}


def test_states_file_is_small_enough_to_serve(features):
    assert (GEODATA / "us-states.geojson").stat().st_size < 400_000


@pytest.mark.parametrize(
    ("lon", "lat", "state"),
    [
        (-86.7844, 36.1659, "TN"),  # Nashville
        (-121.895, 37.3394, "CA"),  # San Jose
        (-84.1916, 39.7589, "OH"),  # Dayton
        (-116.2035, 43.6135, "ID"),  # Boise
        (-149.9003, 61.2181, "AK"),  # Anchorage
        (-157.8583, 21.3069, "HI"),  # Honolulu
        (-77.0364, 38.8951, "DC"),  # Washington
        (-66.1057, 18.4655, "PR"),  # San Juan
    ],
)
def test_known_cities_fall_inside_their_state(states, lon, lat, state):
    assert states.locate(lon, lat) == state
    geometry = shape(
        next(f for f in states_features() if f["properties"]["usps"] == state)["geometry"]
    )
    assert geometry.contains(Point(lon, lat))


def states_features():
    return json.loads((GEODATA / "us-states.geojson").read_text())["features"]


def test_every_gazetteer_entry_lies_in_its_state_within_tolerance(states):
    with (GEODATA / "gazetteer.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 20_000
    assert {r["kind"] for r in rows} == {"city", "county", "state"}
    outside = [
        (r["name"], r["state"])
        for r in rows
        if not states.contains(r["state"], float(r["longitude"]), float(r["latitude"]))
    ]
    assert outside == []


def test_county_points_lie_inside_the_state_outline(states):
    with (GEODATA / "gazetteer.csv").open(encoding="utf-8") as handle:
        counties = [r for r in csv.DictReader(handle) if r["kind"] == "county"]
    assert len(counties) > 3_100
    points = shapely.points([(float(r["longitude"]), float(r["latitude"])) for r in counties])
    inside = sum(
        states[r["state"]].geometry.contains(p) for r, p in zip(counties, points, strict=True)
    )
    # 1:10m outlines are simplified: a few coastal county centroids may sit in the water
    assert inside / len(counties) > 0.99


@pytest.fixture(scope="module")
def web_features():
    return json.loads((GEODATA / "us-states-web.geojson").read_text())["features"]


def test_the_map_s_outlines_are_light_and_keep_every_state_and_island(features, web_features):
    """us-states-web.geojson (what /api/states.geojson serves) loses vertices, never a part."""
    assert (GEODATA / "us-states-web.geojson").stat().st_size < 0.7 * (
        GEODATA / "us-states.geojson"
    ).stat().st_size
    full = {f["properties"]["usps"]: f for f in features}
    assert [f["properties"] for f in web_features] == [f["properties"] for f in features]
    for feature in web_features:
        code = feature["properties"]["usps"]
        light, detailed = shape(feature["geometry"]), shape(full[code]["geometry"])
        assert light.is_valid, code
        parts = len(getattr(light, "geoms", [light]))
        assert parts == len(getattr(detailed, "geoms", [detailed])), code
        assert abs(light.area / detailed.area - 1) < 0.03, code
    alaska = shape(next(f for f in web_features if f["properties"]["usps"] == "AK")["geometry"])
    # the Aleutians reach across the 180th meridian
    assert alaska.bounds[0] < -179 and alaska.bounds[2] > 179


def test_neighbours_share_one_border_in_the_map_s_outlines(web_features):
    """Simplified as one coverage: no gap or overlap shows between two states."""
    shapes = [shape(f["geometry"]) for f in web_features]
    assert shapely.coverage_is_valid(shapes, gap_width=0.01)
