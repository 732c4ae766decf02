"""The filter set as data: copies, URLs and cache keys derive from its fields."""

from dataclasses import fields
from dataclasses import replace
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.catalog import queries
from app.catalog.queries import Filters
from app.catalog.schema import MECHANISMS
from app.catalog.schema import PLACE_TYPES
from app.catalog.schema import STATUSES
from tests.conftest import soup

STATES = {"TN": "Tennessee", "GA": "Georgia", "CA": "California"}
CATEGORIES = ["municipal-offices", "strategic-plans", "case-stories"]


def ordered_subset(values):
    return st.lists(st.sampled_from(values), unique=True).map(
        lambda chosen: tuple(v for v in values if v in chosen)
    )


FILTERS = st.builds(
    Filters,
    state=st.none() | st.sampled_from(list(STATES)),
    categories=ordered_subset(CATEGORIES),
    mechanisms=ordered_subset(list(MECHANISMS)),
    statuses=ordered_subset(list(STATUSES)),
    place_types=ordered_subset(list(PLACE_TYPES)),
    year_from=st.none() | st.integers(1900, 1999),
    year_to=st.none() | st.integers(2000, 2100),
    q=st.none() | st.from_regex(r"[a-zé]{1,8}( [a-z]{1,8})?", fullmatch=True),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], database=None)
@given(filters=FILTERS)
def test_a_filter_survives_its_own_url(app, filters):
    # every field reaches the query string and comes back: none is dropped from a copy
    with app.test_request_context():
        queries.g.category_choices = {slug: slug for slug in CATEGORIES}
        args = MultiDict(parse_qsl(filters.key()))
        assert queries.parse_filters(args, STATES) == filters


@given(filters=FILTERS, other=FILTERS)
def test_different_filters_have_different_keys(filters, other):
    assert (filters.key() == other.key()) == (filters == other)


def test_every_field_declares_its_query_argument():
    params = [spec.metadata["param"] for spec in fields(Filters)]
    assert params == ["state", "category", "mechanism", "status", "place_type", "from", "to", "q"]
    full = Filters("TN", ("case-stories",), ("ordinance",), ("active",), ("city",), 2001, 2010, "x")
    assert set(full.args()) == set(params)
    assert replace(full, q=None).args().keys() == set(params) - {"q"}


@pytest.mark.parametrize(
    ("url", "param", "named"),
    [
        ("/?mechanism=decree", "mechanism", "ordinance"),
        ("/?status=closed", "status", "active"),
        ("/?place_type=village", "place_type", "county"),
        ("/api/places.geojson?mechanism=decree", "mechanism", "ordinance"),
    ],
)
def test_unknown_values_answer_400_naming_the_valid_ones(client, url, param, named):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        body = response.get_json()
        assert body["param"] == param and named in body["choices"]
    else:
        assert named in [c.get_text() for c in soup(response).select(".choices code")]


@pytest.mark.parametrize("url", ["/?from=14", "/?to=2101", "/?from=2016&to=2010"])
def test_years_outside_the_range_say_what_a_year_is(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert soup(response).select_one(".hint").get_text()
    body = client.get("/api" + url.replace("/?", "/places.geojson?")).get_json()
    assert body["hint"]


def test_each_facet_item_leads_where_selecting_it_goes(client):
    page = soup(client.get("/?state=TN&q=office&status=active"))
    key = {a["data-category"]: a["href"] for a in page.select(".map-key a[data-category]")}
    # from every kind shown, a kind shows only it, keeping the other filters
    assert key["municipal-offices"] == (
        "/?state=TN&category=municipal-offices&status=active&q=office"
    )
    statuses = {i["value"]: i for i in page.select("#filters-form input[name=status]")}
    assert "checked" in statuses["active"].attrs
    counts = {
        label["for"]: label.select_one(".count").get_text()
        for label in page.select("#filters-form label[for^=status-]")
    }
    assert counts["status-active"] == "(1)"


def test_facet_toggle_urls_add_and_remove_values():
    filters = Filters(state="TN", statuses=("active",))
    assert filters.toggled_value("statuses", "ended", STATUSES).statuses == ("active", "ended")
    assert filters.toggled_value("statuses", "active", STATUSES).statuses == ()
    assert filters.toggled_value("statuses", "ended", STATUSES).state == "TN"
