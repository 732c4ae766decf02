"""Each kind of bad catalog input gets a clear problem naming file, record and field."""

import json

import pytest

from app.catalog.files import CatalogError
from app.catalog.files import read_catalog


def edit_features(catalog_dir, change):
    """Apply ``change`` to the fixture's list of Features and write it back."""
    path = catalog_dir / "catalog.geojson"
    collection = json.loads(path.read_text())
    change(collection["features"])
    path.write_text(json.dumps(collection))


def problems_of(catalog_dir, states) -> list[tuple[str, str, str]]:
    with pytest.raises(CatalogError) as raised:
        read_catalog(catalog_dir, states)
    return [(p.file, p.record, p.field) for p in raised.value.problems]


def messages_of(catalog_dir, states) -> list[str]:
    with pytest.raises(CatalogError) as raised:
        read_catalog(catalog_dir, states)
    return [str(p) for p in raised.value.problems]


def test_fixture_catalog_is_valid(catalog_dir, states):
    catalog = read_catalog(catalog_dir, states)
    assert len(catalog.records) == 8
    assert [c.slug for c in catalog.categories] == [
        "municipal-offices",
        "strategic-plans",
        "welcoming-network",
        "certified-welcoming",
        "g4g-communities",
        "case-stories",
    ]
    assert [s.slug for s in catalog.case_studies] == ["nashville"]


def test_missing_field_names_the_record_and_field(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"].pop("title"))
    assert problems_of(catalog_dir, states) == [
        ("data/catalog.geojson", "feature 0 (atlanta-ga-office)", "title")
    ]


def test_bad_state_code_is_refused(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"].update(state="XX"))
    [message] = messages_of(catalog_dir, states)
    assert message == (
        "data/catalog.geojson: feature 0 (atlanta-ga-office): state: "
        "'XX' is not a USPS code of a state, DC or PR"
    )


def test_unknown_category_lists_the_known_ones(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[1]["properties"].update(category="parks"))
    [message] = messages_of(catalog_dir, states)
    assert message.startswith(
        "data/catalog.geojson: id boise-id-certified: category: unknown category 'parks'"
    )
    assert "municipal-offices" in message


def test_duplicate_id_is_refused(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[1]["properties"].update(id="atlanta-ga-office"))
    assert ("data/catalog.geojson", "id atlanta-ga-office", "id") in problems_of(
        catalog_dir, states
    )


def test_record_without_sources_is_refused(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[2]["properties"].update(sources=[]))
    [message] = messages_of(catalog_dir, states)
    assert message.startswith("data/catalog.geojson: feature 2 (dayton-oh-plan): sources: ")
    assert "at least 1 item" in message


def test_point_outside_its_state_says_where_it_is(catalog_dir, states):
    # Boise's record moved to Salt Lake City's coordinates
    edit_features(
        catalog_dir, lambda fs: fs[1]["geometry"].update(coordinates=[-111.89105, 40.76078])
    )
    [message] = messages_of(catalog_dir, states)
    assert message == (
        "data/catalog.geojson: feature 1 (boise-id-certified): geometry: "
        "point (-111.89105, 40.76078) is not in ID: it lies in UT"
    )


def test_malformed_json_gives_line_and_column(catalog_dir, states):
    path = catalog_dir / "catalog.geojson"
    text = path.read_text()
    path.write_text(text.replace('"title": "Certified Welcoming",', '"title": "Certified"', 1))
    [(file, record, field)] = problems_of(catalog_dir, states)
    assert (file, record) == ("data/catalog.geojson", "(file)")
    assert field.startswith("line ")


def test_missing_coordinates_point_to_the_geocoder(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[0].update(geometry=None))
    [message] = messages_of(catalog_dir, states)
    assert "scripts/geocode.py" in message


@pytest.mark.parametrize("started", ["2014-13", "14", "2014-02-30", "September 2014"])
def test_started_must_be_a_real_partial_date(catalog_dir, states, started):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"].update(started=started))
    assert problems_of(catalog_dir, states) == [
        ("data/catalog.geojson", "feature 0 (atlanta-ga-office)", "started")
    ]


def test_conflict_source_must_be_listed_in_sources(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"]["sources"].pop())
    assert problems_of(catalog_dir, states) == [
        ("data/catalog.geojson", "id atlanta-ga-office", "conflicts.0.source")
    ]


def test_same_place_category_and_title_twice_is_a_duplicate(catalog_dir, states):
    def duplicate(features):
        copy = json.loads(json.dumps(features[0]))
        copy["properties"]["id"] = "atlanta-ga-office-again"
        features.append(copy)

    edit_features(catalog_dir, duplicate)
    assert problems_of(catalog_dir, states) == [
        ("data/catalog.geojson", "id atlanta-ga-office-again", "title")
    ]


def test_every_problem_is_reported_at_once(catalog_dir, states):
    def break_three(features):
        features[0]["properties"]["state"] = "ZZ"
        features[1]["properties"].pop("summary")
        features[2]["properties"]["category"] = "unknown"

    edit_features(catalog_dir, break_three)
    (catalog_dir / "categories" / "case-stories.md").unlink()
    assert sorted(problems_of(catalog_dir, states)) == [
        ("data/catalog.geojson", "feature 0 (atlanta-ga-office)", "state"),
        ("data/catalog.geojson", "feature 1 (boise-id-certified)", "summary"),
        ("data/catalog.geojson", "id dayton-oh-plan", "category"),
        ("data/categories/case-stories.md", "case-stories", "(file)"),
    ]


def test_case_study_must_reference_existing_initiatives(catalog_dir, states):
    path = catalog_dir / "case_studies" / "nashville.md"
    path.write_text(path.read_text().replace("nashville-tn-g4g]", "nashville-tn-nothing]"))
    assert problems_of(catalog_dir, states) == [
        ("data/case_studies/nashville.md", "nashville", "initiatives.1")
    ]


def test_case_study_event_without_source_is_refused(catalog_dir, states):
    path = catalog_dir / "case_studies" / "nashville.md"
    text = path.read_text().replace(
        "    sources:\n      - url: https://example.org/vote\n        title: Vote source\n", ""
    )
    path.write_text(text)
    assert problems_of(catalog_dir, states) == [
        ("data/case_studies/nashville.md", "nashville", "timeline.0.sources")
    ]


def test_invalid_yaml_front_matter_is_reported(catalog_dir, states):
    path = catalog_dir / "categories" / "strategic-plans.md"
    path.write_text(path.read_text().replace("order: 2", "order: [2"))
    [(file, record, field)] = problems_of(catalog_dir, states)
    assert (file, record, field) == (
        "data/categories/strategic-plans.md",
        "strategic-plans",
        "(front matter)",
    )
