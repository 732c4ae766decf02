"""The real catalog in data/ is valid: a bad edit cannot land."""

import pytest

from app.catalog import CATEGORY_SLUGS
from app.catalog.files import read_catalog
from tests.conftest import ROOT

REQUIRED_PLACES = [
    ("Atlanta", "GA"),
    ("Nashville", "TN"),
    ("San Jose", "CA"),
    ("New York City", "NY"),
    ("Boston", "MA"),
    ("Chicago", "IL"),
    ("Baltimore", "MD"),
    ("Houston", "TX"),
    ("Philadelphia", "PA"),
    ("Los Angeles", "CA"),
    ("San Francisco", "CA"),
    ("Seattle", "WA"),
    ("Denver", "CO"),
    ("Dayton", "OH"),
    ("Detroit", "MI"),
    ("Boise", "ID"),
    ("Boulder", "CO"),
    ("Redwood City", "CA"),
    ("Oakley", "CA"),
    ("San Mateo County", "CA"),
    ("Santa Clara County", "CA"),
    ("Pomona", "CA"),
    ("Graton", "CA"),
]


@pytest.fixture(scope="module")
def catalog():
    from app.geo import load_states

    return read_catalog(ROOT / "data", load_states(str(ROOT / "geodata")))


def test_real_catalog_validates(catalog):
    assert len(catalog.records) >= 40


def test_every_category_has_records(catalog):
    assert {r.properties.category for r in catalog.records} == set(CATEGORY_SLUGS)


def test_required_communities_are_present(catalog):
    from app.geocode import normalize

    places = {(normalize(r.properties.place), r.properties.state) for r in catalog.records}
    missing = [p for p in REQUIRED_PLACES if (normalize(p[0]), p[1]) not in places]
    assert missing == []


def test_every_record_has_a_source_seen_on_or_before_its_verification(catalog):
    for record in catalog.records:
        props = record.properties
        assert props.sources, props.id
        assert all(s.seen <= props.last_verified for s in props.sources), props.id
