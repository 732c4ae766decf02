"""The ``flask catalog`` commands as a curator runs them."""

import json

from tests.conftest import FIXTURE_CATALOG

EXPORT_PROPERTIES = {
    "id",
    "title",
    "category",
    "place",
    "state",
    "year",
    "mechanism",
    "sources",
    "last_verified",
    "url",
}


def test_validate_reports_a_valid_catalog(runner):
    result = runner.invoke(args=["catalog", "validate", "--data", str(FIXTURE_CATALOG)])
    assert result.exit_code == 0
    assert result.output.strip() == (
        "Catalog is valid: 8 initiatives, 6 categories, 1 case studies."
    )


def test_validate_prints_every_problem_and_exits_1(runner, catalog_dir):
    path = catalog_dir / "catalog.geojson"
    collection = json.loads(path.read_text())
    collection["features"][0]["properties"]["state"] = "XX"
    collection["features"][4]["properties"].pop("sources")
    path.write_text(json.dumps(collection))
    result = runner.invoke(args=["catalog", "validate", "--data", str(catalog_dir)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        "data/catalog.geojson: feature 0 (atlanta-ga-office): state: "
        "'XX' is not a USPS code of a state, DC or PR",
        "data/catalog.geojson: feature 4 (nashville-tn-g4g): sources: required field is missing",
        f"2 problem(s) in {catalog_dir}; nothing was loaded.",
    ]


def test_validate_refuses_a_folder_that_does_not_exist(runner, tmp_path):
    result = runner.invoke(args=["catalog", "validate", "--data", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "is not a folder" in result.output


def test_export_writes_a_feature_collection_with_the_public_properties(runner):
    result = runner.invoke(args=["catalog", "export"])
    assert result.exit_code == 0
    collection = json.loads(result.output)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 8
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        assert EXPORT_PROPERTIES <= set(feature["properties"])
        assert feature["properties"]["sources"]
    nashville = next(
        f["properties"]
        for f in collection["features"]
        if f["properties"]["id"] == "nashville-tn-office"
    )
    assert nashville["url"] == "/places/nashville-tn#nashville-tn-office"
    assert nashville["sources"] == ["https://example.org/nashville-tn-office"]
    assert (nashville["year"], nashville["mechanism"]) == (2014, "executive-order")


def test_export_urls_resolve_to_pages(runner, client):
    collection = json.loads(runner.invoke(args=["catalog", "export"]).output)
    for feature in collection["features"]:
        path = feature["properties"]["url"].split("#")[0]
        assert client.get(path).status_code == 200, path
