"""Offline geocoding: known names resolve, unknown names are refused, never guessed."""

import pytest

from app.geocode import Gazetteer
from app.geocode import GeocodeError
from app.geocode import Location
from app.geocode import fill_missing_points
from app.geocode import geocode
from app.geocode import normalize
from tests.conftest import GEODATA


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_csv(GEODATA / "gazetteer.csv")


@pytest.mark.parametrize(
    ("name", "state", "place_type", "kind", "lat", "lon"),
    [
        ("Nashville", "TN", "city-county", "city", 36.166, -86.784),
        ("San José", "CA", "city", "city", 37.339, -121.895),
        ("St. Louis", "MO", "city", "city", 38.627, -90.198),
        ("New York City", "NY", "city", "city", 40.714, -74.006),
        ("Washington", "DC", "district", "city", 38.895, -77.036),
        ("Graton", "CA", "town", "city", 38.436, -122.869),
        ("Santa Clara County", "CA", "county", "county", 37.233, -121.697),
        ("Miami-Dade County", "FL", "county", "county", 25.61, -80.50),
        ("City of Oakley", "CA", "city", "city", 37.997, -121.712),
        ("Ohio", "OH", "state", "state", 40.2, -82.7),
    ],
)
def test_known_places_resolve(gazetteer, states, name, state, place_type, kind, lat, lon):
    location = geocode(gazetteer, states, name, state, place_type)
    assert location.kind == kind
    assert location.state == state
    assert location.latitude == pytest.approx(lat, abs=0.3)
    assert location.longitude == pytest.approx(lon, abs=0.3)


def test_same_name_picks_the_most_populous_in_the_state(gazetteer, states):
    # Portland, OR is far larger than any other Portland in Oregon's table
    assert geocode(gazetteer, states, "Portland", "OR", "city").population > 500_000


def test_unknown_name_is_refused_with_suggestions(gazetteer, states):
    with pytest.raises(GeocodeError, match=r"'Nashvile' is not in the gazetteer for TN.*nashville"):
        geocode(gazetteer, states, "Nashvile", "TN", "city")


def test_name_in_another_state_is_not_guessed(gazetteer, states):
    with pytest.raises(GeocodeError, match="not in the gazetteer for WY"):
        geocode(gazetteer, states, "Boise", "WY", "city")


def test_unknown_state_is_refused(gazetteer, states):
    with pytest.raises(GeocodeError, match="'XX' is not a USPS state code"):
        geocode(gazetteer, states, "Boise", "XX", "city")


def test_a_point_outside_its_state_is_refused(states):
    wrong = Location("Springfield", "IL", "city", -72.59, 42.10, 1, "test")  # in Massachusetts
    with pytest.raises(GeocodeError, match="outside IL"):
        geocode(Gazetteer([wrong]), states, "Springfield", "IL", "city")


def test_normalize_folds_accents_case_and_abbreviations():
    assert normalize("San José") == "san jose"
    assert normalize("St. Paul") == "saint paul"
    assert normalize("Winston-Salem") == "winston salem"


def test_fill_missing_points_shares_a_point_per_place(gazetteer, states):
    features = [
        {
            "geometry": None,
            "properties": {"id": "a", "place": "Boise", "state": "ID", "place_type": "city"},
        },
        {
            "geometry": {"type": "Point", "coordinates": [-116.2, 43.6]},
            "properties": {"id": "b", "place": "Boise", "state": "ID", "place_type": "city"},
        },
        {
            "geometry": None,
            "properties": {
                "id": "c",
                "place": "Twin Cities",
                "state": "MN",
                "place_type": "region",
                "geocode_as": "Minneapolis",
            },
        },
        {
            "geometry": None,
            "properties": {
                "id": "e",
                "place": "South Carolina",
                "state": "SC",
                "place_type": "state",
                "geocode_as": "Columbia",
            },
        },
        {
            "geometry": None,
            "properties": {"id": "d", "place": "Qqqxyz", "state": "FL", "place_type": "city"},
        },
    ]
    filled, errors = fill_missing_points(features, gazetteer, states)
    assert filled == 3
    assert features[0]["geometry"]["coordinates"] == [-116.2, 43.6]
    assert features[2]["geometry"]["coordinates"] == pytest.approx([-93.26, 44.98], abs=0.05)
    # a state-wide record placed by geocode_as goes to that city, not the state's middle
    assert features[3]["geometry"]["coordinates"] == pytest.approx([-81.03, 34.0], abs=0.05)
    assert features[4]["geometry"] is None
    assert errors == ["feature 4 (d): 'Qqqxyz' is not in the gazetteer for FL"]
