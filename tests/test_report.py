"""The data-quality report, on the command line and at /about/data."""

import json

from tests.conftest import soup


def test_report_command_gives_counts_gaps_domains_and_conflicts(runner):
    result = runner.invoke(args=["catalog", "report"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "8 initiatives in 5 states, DC or Puerto Rico"
    assert "  Municipal offices: 2" in lines
    assert "  Strategic plans: started 1, mechanism 1, lead_organization 2, website 2" in lines
    assert "  example.org: 9" in lines
    assert "Oldest last_verified: 2026-11-20 (8 records)" in lines
    assert "Records where sources disagree: 1" in lines
    assert "  atlanta-ga-office: started" in lines
    assert "Mirror-site sources to replace with the publisher's URL: 0" in lines


def test_mirror_sites_are_flagged(app, runner, catalog_dir):
    path = catalog_dir / "catalog.geojson"
    collection = json.loads(path.read_text())
    collection["features"][1]["properties"]["sources"][0]["url"] = (
        "https://docslib.org/doc/123/boise-certified"
    )
    path.write_text(json.dumps(collection))
    assert runner.invoke(args=["catalog", "load", "--data", str(catalog_dir)]).exit_code == 0
    lines = runner.invoke(args=["catalog", "report"]).output.splitlines()
    assert "Mirror-site sources to replace with the publisher's URL: 1" in lines
    assert "  boise-id-certified: https://docslib.org/doc/123/boise-certified" in lines


def test_data_page_shows_the_figures(client):
    page = soup(client.get("/about/data"))
    assert page.h1.get_text() == "The data: coverage and quality"
    kinds = {
        row.select("td")[0].get_text(): row.select("td")[1].get_text()
        for row in page.select("#by-kind ~ table tbody tr")
    }
    assert kinds["Municipal offices"] == "2" and kinds["Case stories"] == "1"
    conflicts = page.select("#conflicts ~ ul li a")
    assert [a.get_text() for a in conflicts] == ["Office of Immigrant Affairs"]
    assert conflicts[0]["href"] == "/places/initiatives/atlanta-ga-office"
    redirect = client.get(conflicts[0]["href"])
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == "/places/atlanta-ga#atlanta-ga-office"
