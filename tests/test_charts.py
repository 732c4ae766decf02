"""The Certified Welcoming guide's progress chart: against the goal, each point a link."""

import shutil

import pytest

from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.models import db
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import soup

PROGRESS = """goal:
  count: 50
  by: 2026
  source: https://example.org/goal
  title: The goal
reported_counts:
  - date: "2019-04"
    count: 4
    source: https://example.org/count-2019
    title: Four places
  - date: "2025-09"
    count: 32
    source: https://example.org/count-2025
    title: Thirty-two places
"""


@pytest.fixture
def chart_app(empty_app, states, tmp_path):
    """The fixture catalog whose Certified Welcoming guide has a goal and two counts."""
    target = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, target)
    guide = target / "categories" / "certified-welcoming.md"
    text = guide.read_text()
    guide.write_text(text.replace("sources:\n", PROGRESS + "sources:\n", 1))
    with empty_app.app_context():
        load_catalog(db.session, read_catalog(target, states))
        db.session.remove()
    return empty_app


def test_the_chart_shows_the_goal_the_counts_and_the_records(chart_app):
    page = soup(chart_app.test_client().get("/categories/certified-welcoming"))
    section = page.select_one("section.progress")
    assert section.h2.get_text() == "Progress toward 50 by 2026"
    assert "The latest count a source gives is 32 (September 2025" in section.get_text()
    svg = section.select_one("svg[role=img]")
    assert svg.select_one(".goal-label").get_text() == "Goal: 50 by 2026"
    reported = [a["href"] for a in svg.select("a:has(rect.reported-point)")]
    assert reported == ["https://example.org/count-2019", "https://example.org/count-2025"]
    records = [a["href"] for a in svg.select("a:has(circle.record-point)")]
    assert records == ["/places/boise-id#boise-id-certified"]
    # the same points as a table, for those who do not see the chart
    rows = section.select("details table tbody tr")
    assert len(rows) == 3


def test_a_guide_without_a_goal_has_no_chart(any_app):
    client = any_app.test_client()
    assert not soup(client.get("/categories/certified-welcoming")).select("section.progress")
    assert not soup(client.get("/categories/municipal-offices")).select("section.progress")
