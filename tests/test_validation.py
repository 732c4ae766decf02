"""Each kind of bad catalog input gets a clear problem naming file, record and field."""

import errno
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.catalog.files import CatalogError
from app.catalog.files import read_catalog
from app.models import Initiative
from app.models import db

ATLANTA = "feature 0 (atlanta-ga-office)"


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


def test_one_community_spelled_two_ways_is_refused(catalog_dir, states):
    def respell(features):
        copy = json.loads(json.dumps(features[0]))
        copy["properties"]["id"] = "atlanta-ga-plan"
        copy["properties"]["title"] = "Another initiative"
        copy["properties"]["place"] = copy["properties"]["place"].upper()
        features.append(copy)

    edit_features(catalog_dir, respell)
    assert messages_of(catalog_dir, states) == [
        "data/catalog.geojson: id atlanta-ga-plan: place: 'ATLANTA' is spelled 'Atlanta' in "
        "another record of the same community; use one spelling"
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


# Hostile files: each gives one problem in the documented form, never a traceback.


def validate(runner, catalog_dir):
    """Run ``flask catalog validate`` on ``catalog_dir``, as a curator does."""
    return runner.invoke(args=["catalog", "validate", "--data", str(catalog_dir)])


def test_catalog_not_in_utf8_names_the_byte(catalog_dir, states):
    path = catalog_dir / "catalog.geojson"
    path.write_bytes(path.read_bytes().replace(b"Atlanta", "Atl\u00e1nta".encode("latin-1"), 1))
    [message] = messages_of(catalog_dir, states)
    assert message == (
        "data/catalog.geojson: (file): (file): is not UTF-8: byte 0xE1 at offset 344 (line 14) "
        "cannot be decoded; save the file as UTF-8"
    )


def test_markdown_not_in_utf8_names_the_byte(catalog_dir, states):
    path = catalog_dir / "categories" / "strategic-plans.md"
    path.write_bytes(path.read_bytes() + "Caf\u00e9\n".encode("latin-1"))
    [message] = messages_of(catalog_dir, states)
    assert message.startswith(
        "data/categories/strategic-plans.md: strategic-plans: (file): is not UTF-8: byte 0xE9"
    )
    assert message.endswith("save the file as UTF-8")


def test_deeply_nested_json_is_a_problem_not_a_recursion_error(catalog_dir, states):
    (catalog_dir / "catalog.geojson").write_text("[" * 100_000)
    [message] = messages_of(catalog_dir, states)
    assert message.startswith("data/catalog.geojson: (file): (file): invalid JSON: ")
    assert "nested" in message


def test_deeply_nested_front_matter_is_refused_before_yaml_recurses(catalog_dir, states):
    path = catalog_dir / "categories" / "strategic-plans.md"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(path.read_text().replace("order: 2", f"order: {deep}"))
    [message] = messages_of(catalog_dir, states)
    # the 20th "[" is the 21st level, counting the front matter's own mapping
    assert message == (
        "data/categories/strategic-plans.md: strategic-plans: (front matter): invalid YAML at "
        "line 5, column 27: lists and mappings are nested more than 20 levels deep"
    )


def test_integer_of_thousands_of_digits_is_a_problem(catalog_dir, states):
    path = catalog_dir / "catalog.geojson"
    # Python refuses to convert integers this long, with a ValueError of its own
    path.write_text(
        path.read_text().replace('"coordinates": [', f'"coordinates": [{"9" * 5_000}, ', 1)
    )
    assert problems_of(catalog_dir, states) == [("data/catalog.geojson", "(file)", "(file)")]


def test_symlink_loop_as_catalog_is_reported_by_validate(runner, catalog_dir):
    path = catalog_dir / "catalog.geojson"
    path.unlink()
    path.symlink_to("catalog.geojson")
    result = validate(runner, catalog_dir)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "data/catalog.geojson: (file): (file): is a symbolic link that loops back on itself; "
        "replace it with the file"
    )


def test_folder_in_place_of_catalog_is_reported_by_validate(runner, catalog_dir):
    path = catalog_dir / "catalog.geojson"
    path.unlink()
    path.mkdir()
    result = validate(runner, catalog_dir)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "data/catalog.geojson: (file): (file): is a folder, not a file"
    )


def test_folder_named_like_a_category_file(catalog_dir, states):
    path = catalog_dir / "categories" / "case-stories.md"
    path.unlink()
    path.mkdir()
    assert messages_of(catalog_dir, states) == [
        "data/categories/case-stories.md: case-stories: (file): is a folder, not a file"
    ]


def test_symlink_loop_as_case_study(catalog_dir, states):
    path = catalog_dir / "case_studies" / "nashville.md"
    path.unlink()
    path.symlink_to("nashville.md")
    assert problems_of(catalog_dir, states) == [
        ("data/case_studies/nashville.md", "nashville", "(file)")
    ]


def test_broken_symlink_names_its_target(catalog_dir, states):
    path = catalog_dir / "catalog.geojson"
    path.unlink()
    path.symlink_to("elsewhere.geojson")
    assert messages_of(catalog_dir, states) == [
        "data/catalog.geojson: (file): (file): is a symbolic link to elsewhere.geojson, "
        "which does not exist"
    ]


def test_pipe_in_place_of_a_category_is_not_read(catalog_dir, states):
    path = catalog_dir / "categories" / "strategic-plans.md"
    path.unlink()
    os.mkfifo(path)  # opening it would wait for a writer for ever
    assert messages_of(catalog_dir, states) == [
        "data/categories/strategic-plans.md: strategic-plans: (file): "
        "is a device, pipe or socket, not a file"
    ]


def test_unreadable_file_says_permission_denied(catalog_dir, states, monkeypatch):
    # chmod cannot stop root, who may run the suite, so the refusal is simulated
    def refuse(path: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    messages = messages_of(catalog_dir, states)
    assert messages[0] == (
        "data/catalog.geojson: (file): (file): cannot be read: permission denied; make it readable"
    )


def test_nul_in_a_title_is_refused_and_the_database_is_unchanged(runner, app, catalog_dir):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"].update(title="Office\u0000 of"))
    with app.app_context():
        before = db.session.scalars(select(Initiative.title).order_by(Initiative.id)).all()
    result = runner.invoke(args=["catalog", "load", "--data", str(catalog_dir)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"data/catalog.geojson: {ATLANTA}: title: "
        "contains a control character (U+0000) at position 7; remove it"
    )
    with app.app_context():
        assert db.session.scalars(select(Initiative.title).order_by(Initiative.id)).all() == before


def test_ten_megabyte_title_is_refused(catalog_dir, states):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"].update(title="x" * 10_000_000))
    assert messages_of(catalog_dir, states) == [
        f"data/catalog.geojson: {ATLANTA}: title: is 10,000,000 characters long; the limit is 200"
    ]


def test_control_character_in_a_summary_is_located(catalog_dir, states):
    def ring_a_bell(features):
        features[0]["properties"]["summary"] = "Two lines,\nthe second with a bell \u0007 in it."

    edit_features(catalog_dir, ring_a_bell)
    assert messages_of(catalog_dir, states) == [
        f"data/catalog.geojson: {ATLANTA}: summary: "
        "contains a control character (U+0007) at line 2, column 24; remove it"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A\ttitle", "contains a tab (U+0009) at position 2; replace it with a space"),
        ("Two\nlines", "contains a line break (U+000A) at position 4; replace it with a space"),
        ("DEL\u007f", "contains a control character (U+007F) at position 4; remove it"),
        ("\ud800 escape", "contains an unpaired surrogate (U+D800) at position 1"),
    ],
)
def test_one_line_fields_refuse_every_control_character(catalog_dir, states, text, message):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"]["sources"][0].update(title=text))
    [problem] = messages_of(catalog_dir, states)
    assert problem.startswith(f"data/catalog.geojson: {ATLANTA}: sources.0.title: {message}")


def test_control_character_in_a_guide_body_is_located_in_the_file(catalog_dir, states):
    path = catalog_dir / "categories" / "strategic-plans.md"
    lines = path.read_text().splitlines(keepends=True)
    lines[11] = "## What it is\x1b[0m\n"
    path.write_text("".join(lines))
    assert messages_of(catalog_dir, states) == [
        "data/categories/strategic-plans.md: strategic-plans: (body): "
        "contains a control character (U+001B) at line 12, column 14; remove it"
    ]


def test_case_study_body_has_a_length_limit(catalog_dir, states):
    path = catalog_dir / "case_studies" / "nashville.md"
    path.write_text(path.read_text() + "word " * 50_000)
    [message] = messages_of(catalog_dir, states)
    assert message.startswith("data/case_studies/nashville.md: nashville: (body): is 2")
    assert message.endswith("characters long; the limit is 200,000")


def test_front_matter_keys_that_are_not_names(catalog_dir, states):
    path = catalog_dir / "categories" / "strategic-plans.md"
    path.write_text(path.read_text().replace("order: 2", "order: 2\n1: one"))
    assert problems_of(catalog_dir, states) == [
        ("data/categories/strategic-plans.md", "strategic-plans", "1")
    ]


def test_markdown_without_front_matter_says_how_it_starts(catalog_dir, states):
    (catalog_dir / "categories" / "strategic-plans.md").write_text("## What it is\n")
    [message] = messages_of(catalog_dir, states)
    assert message.startswith(
        "data/categories/strategic-plans.md: strategic-plans: (front matter): missing: "
    )


# any character, with the troublesome ones (controls, surrogates, whitespace) often
_TITLE_TEXT = st.text(
    st.characters(codec=None)
    | st.characters(categories=["Cc", "Cs", "Zs", "Zl"])
    | st.sampled_from(" \t\n\r\x00\x85\ufeff"),
    max_size=260,  # beyond the limit of 200
)


@settings(
    max_examples=100,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=_TITLE_TEXT)
def test_any_title_is_accepted_or_is_a_title_problem(catalog_dir, states, title):
    edit_features(catalog_dir, lambda fs: fs[0]["properties"].update(title=title))
    try:
        catalog = read_catalog(catalog_dir, states)
    except CatalogError as error:
        assert {(p.file, p.record, p.field) for p in error.problems} == {
            ("data/catalog.geojson", ATLANTA, "title")
        }
    else:
        [record] = [r for r in catalog.records if r.properties.id == "atlanta-ga-office"]
        assert record.properties.title == title.strip()
