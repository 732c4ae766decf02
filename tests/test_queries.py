"""The catalog queries, without HTTP, on SQLite and PostgreSQL."""

import pytest
from werkzeug.datastructures import MultiDict

from app.catalog import queries
from app.catalog.pins import place_pins
from app.catalog.queries import FilterError
from app.catalog.queries import Filters


@pytest.fixture
def ctx(any_app):
    with any_app.app_context():
        yield


@pytest.fixture
def state_names(states):
    return states.names()


def parse(state_names, **args):
    return queries.parse_filters(MultiDict(args), state_names)


def test_parse_filters_accepts_known_values_in_key_order(ctx, state_names):
    args = MultiDict(
        [("state", "tn"), ("category", "g4g-communities"), ("category", "municipal-offices")]
    )
    assert queries.parse_filters(args, state_names) == Filters(
        "TN", ("municipal-offices", "g4g-communities")
    )


def test_empty_values_mean_no_filter(ctx, state_names):
    assert parse(state_names, state="", category="") == Filters()


@pytest.mark.parametrize(
    ("args", "param", "value"),
    [({"state": "ZZ"}, "state", "ZZ"), ({"category": "parks"}, "category", "parks")],
)
def test_unknown_values_raise_with_the_choices(ctx, state_names, args, param, value):
    with pytest.raises(FilterError) as raised:
        parse(state_names, **args)
    assert (raised.value.param, raised.value.value) == (param, value)
    assert "TN" in raised.value.choices or "municipal-offices" in raised.value.choices


def test_list_initiatives_by_state(ctx):
    rows = queries.list_initiatives(Filters(state="TN"))
    assert [(i.place.name, i.id) for i in rows] == [
        ("Memphis", "memphis-tn-plan"),
        ("Nashville", "nashville-tn-office"),
        ("Nashville", "nashville-tn-g4g"),
    ]


def test_list_initiatives_by_several_categories(ctx):
    rows = queries.list_initiatives(Filters(categories=("municipal-offices", "strategic-plans")))
    assert sorted(i.id for i in rows) == [
        "atlanta-ga-office",
        "dayton-oh-plan",
        "memphis-tn-plan",
        "nashville-tn-office",
    ]


def test_facets_count_each_dimension_under_the_other(ctx, state_names):
    filters = Filters(state="TN", categories=("municipal-offices",))
    categories = {f.value: (f.count, f.selected) for f in queries.category_facets(filters)}
    assert categories == {
        "municipal-offices": (1, True),
        "strategic-plans": (1, False),
        "welcoming-network": (0, False),
        "certified-welcoming": (0, False),
        "g4g-communities": (1, False),
        "case-stories": (0, False),
    }
    by_state = {f.value: f.count for f in queries.state_facets(filters, state_names) if f.count}
    assert by_state == {"GA": 1, "TN": 1}


def test_describe_says_what_is_shown(ctx, state_names):
    filters = Filters(state="TN", categories=("municipal-offices",))
    assert queries.count_matches(filters) == (1, 1)
    assert queries.describe(filters, (1, 1), state_names) == (
        "1 community, 1 initiative in Tennessee · Municipal offices"
    )
    assert queries.count_matches(Filters()) == (7, 8)
    assert queries.describe(Filters(), (7, 8), state_names) == (
        "7 communities, 8 initiatives in the United States"
    )


def test_pins_group_initiatives_by_place_in_key_order(ctx):
    by_slug = {pin.slug: pin for pin in place_pins(Filters(state="TN"))}
    assert sorted(by_slug) == ["memphis-tn", "nashville-tn"]
    assert by_slug["nashville-tn"].categories == ("municipal-offices", "g4g-communities")
    assert by_slug["nashville-tn"].count == 2
    only_g4g = place_pins(Filters(categories=("g4g-communities",)))
    assert [(p.slug, p.categories) for p in only_g4g] == [("nashville-tn", ("g4g-communities",))]


def test_pages_of_initiatives(ctx):
    page = queries.page_of_initiatives(Filters(), 2, 3, total=8)
    assert (page.first, page.last, page.pages) == (4, 6, 3)
    assert len(page.items) == 3
    with pytest.raises(LookupError, match="There is no page 4"):
        queries.page_of_initiatives(Filters(), 4, 3, total=8)


def test_export_collection_has_one_feature_per_initiative(ctx):
    collection = queries.export_collection(lambda i: f"/places/{i.place_slug}#{i.id}")
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 8
    atlanta = next(
        f for f in collection["features"] if f["properties"]["id"] == "atlanta-ga-office"
    )
    assert atlanta["geometry"] == {"type": "Point", "coordinates": [-84.38798, 33.749]}
    assert atlanta["properties"]["year"] == 2015
    assert atlanta["properties"]["url"] == "/places/atlanta-ga#atlanta-ga-office"


EVERY = ("municipal-offices", "strategic-plans", "welcoming-network")


@pytest.mark.parametrize(
    ("shown", "toggle", "expected"),
    [
        # from every kind shown, a kind shows only itself
        ((), "strategic-plans", ("strategic-plans",)),
        # then kinds are added and removed, in the key's order
        (("strategic-plans",), "municipal-offices", ("municipal-offices", "strategic-plans")),
        (("municipal-offices", "strategic-plans"), "strategic-plans", ("municipal-offices",)),
        # removing the last one, or adding the last missing one, shows every kind
        (("municipal-offices",), "municipal-offices", ()),
        (("municipal-offices", "strategic-plans"), "welcoming-network", ()),
    ],
)
def test_toggling_a_kind_in_the_map_key(shown, toggle, expected):
    assert Filters("TN", shown).toggled(toggle, EVERY) == Filters("TN", expected)
