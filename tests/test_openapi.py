"""The OpenAPI description: valid, complete, shown as a page, and true (schemathesis)."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import fields

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from app import openapi
from app.catalog.queries import Filters
from app.catalog.schema import MECHANISMS
from app.catalog.schema import PLACE_TYPES
from app.catalog.schema import STATUSES
from tests.conftest import soup

# schemathesis: cases per operation, and the whole run's budget in seconds
MAX_EXAMPLES = 50
RUN_SECONDS = 60
# path values the catalog has, so that generated requests reach real records too
KNOWN = {
    "record_id": ["nashville-tn-office", "atlanta-ga-office", "redwood-city-ca-story"],
    "slug": ["nashville-tn", "atlanta-ga", "santa-clara-county-ca"],
}


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


def test_the_description_is_valid_openapi_3_1(any_app):
    response = any_app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    validate(document)  # raises on any problem
    assert document["openapi"] == "3.1.0"
    assert document["info"]["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_every_route_of_the_api_and_the_downloads_is_described(app, spec):
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/", "/downloads/"))
    }
    assert routes == set(spec["paths"])
    for path, item in spec["paths"].items():
        assert set(item) == {"get"}, path
        for code in item["get"]["responses"]:
            assert code in {"200", "304", "400", "404", "503"}, (path, code)


def test_every_filter_the_pages_read_is_a_parameter_of_every_filtered_route(spec):
    params = {spec_field.metadata["param"] for spec_field in fields(Filters)}
    assert params == set(openapi.FILTERS)
    filtered = [
        path
        for path, item in spec["paths"].items()
        if {"$ref": "#/components/parameters/state"} in item["get"].get("parameters", [])
    ]
    assert len(filtered) == 6
    for path in filtered:
        named = {p["$ref"].rsplit("/", 1)[1] for p in spec["paths"][path]["get"]["parameters"]}
        assert params <= named, path


def test_the_valid_values_are_the_catalogs(spec):
    parameters = spec["components"]["parameters"]

    def values(name):
        schema = parameters[name]["schema"]
        return (schema.get("items") or schema)["enum"]

    assert values("category")[:2] == ["municipal-offices", "strategic-plans"]
    assert len(values("category")) == 6
    assert {"TN", "DC", "PR"} <= set(values("state")) and len(values("state")) == 52
    assert values("mechanism") == list(MECHANISMS)
    assert values("status") == list(STATUSES)
    assert values("place_type") == list(PLACE_TYPES)


def test_the_record_schema_names_every_field_a_record_has(client, spec):
    record = client.get("/api/initiatives/nashville-tn-office.json").get_json()
    schema = spec["components"]["schemas"]["Record"]
    assert list(schema["properties"]) == list(record)
    assert all(prop["description"] for prop in schema["properties"].values())


def operation_sections(page) -> dict[str, dict]:
    """Return each operation on the /api/ page: its heading, parameters and answers."""
    sections = {}
    for section in page.select("section.api-operation"):
        heading = section.h3
        params = [th.get_text() for th in section.select("table.api-parameters tbody th")]
        codes = [th.get_text() for th in section.select("table.api-responses tbody th")]
        example = section.select_one("a[href] code").get_text()
        sections[heading["id"]] = {
            "heading": heading.get_text(),
            "parameters": params,
            "answers": codes,
            "example": example,
        }
    return sections


def test_the_api_page_shows_every_route_parameter_and_answer(client, spec):
    page = soup(client.get("/api/"))
    assert page.h1.get_text() == "The Welcoming Atlas API"
    sections = operation_sections(page)
    described = {
        item["get"]["operationId"]: (path, item["get"]) for path, item in spec["paths"].items()
    }
    assert set(sections) == set(described)
    records = sections["listInitiatives"]
    assert records["heading"] == "GET /api/initiatives.json"
    assert records["parameters"] == [*openapi.FILTERS, "page", "per_page"]
    assert records["answers"] == ["200", "304", "400", "404", "503"]
    fields_shown = [th.get_text() for th in page.select("#schema-Record + .table-wrap tbody th")]
    assert fields_shown == list(spec["components"]["schemas"]["Record"]["properties"])
    for operation_id, (path, _) in described.items():
        example = sections[operation_id]["example"]
        assert example.split("?")[0].startswith(path.split("{")[0])
        assert client.get(example).status_code == 200, example


def test_the_api_page_runs_no_script_and_asks_nothing_of_another_site(client):
    response = client.get("/api/")
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    page = soup(response)
    scripts = page.find_all("script")
    assert all(script.get("nonce") for script in scripts)
    assert not [s for s in scripts if s.get("src")]
    for element in page.select("[src], link[href]"):
        address = element.get("src") or element["href"]
        assert address.startswith(("/", "data:", "http://localhost/")), address


def ordered_years(case) -> bool:
    """Keep ``from`` no later than ``to``: the one rule across parameters, said in words."""
    query = case.query or {}
    return not ("from" in query and "to" in query and int(query["from"]) > int(query["to"]))


def cases(operation):
    """Return the cases of an operation: generated values, and the catalog's own ids."""
    strategy = operation.as_strategy()
    for name, known in KNOWN.items():
        if f"{{{name}}}" in operation.path:
            real = st.sampled_from(known).flatmap(
                lambda value, name=name: operation.as_strategy(path_parameters={name: value})
            )
            strategy = st.one_of(strategy, real)
    return strategy.filter(ordered_years)


def statuses_of(operation) -> Counter:
    """Send ``MAX_EXAMPLES`` cases of one operation; check each answer; count the statuses."""
    statuses: Counter = Counter()

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation))
    def check(case):
        # the transport does not decompress: ask for the plain body
        response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
        statuses[response.status_code] += 1

    check()
    return statuses


def test_every_answer_conforms_to_the_description(any_app, capsys):
    """Schemathesis: requests made from the spec get no 5xx, and answers match it.

    Its default checks: no server error, status code, content type, headers and body as
    documented, and a schema-valid request is not refused.
    """
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", any_app)
    started = time.monotonic()
    figures = {
        result.ok().label: statuses_of(result.ok()) for result in schema.get_all_operations()
    }
    seconds = time.monotonic() - started
    total = sum(sum(counter.values()) for counter in figures.values())
    with capsys.disabled():
        print(f"\nschemathesis: {len(figures)} operations, {total} cases, {seconds:.1f} s")
        for label, counter in figures.items():
            print(f"  {label}: {dict(sorted(counter.items()))}")
    assert len(figures) >= 10
    assert seconds < RUN_SECONDS
    # the generated requests reached real records, not only 4xx answers
    assert all(counter[200] for counter in figures.values())
