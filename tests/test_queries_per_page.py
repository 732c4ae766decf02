"""Queries per page: a guard against N+1 loading (deterministic, unlike timings)."""

import pytest
from sqlalchemy import event

from app.cache import cache
from app.models import db

# (cold, cached) queries of each page with the fixture catalog: a page whose
# count grew with the catalog would exceed these at once. Cached pages read the
# digest, and the filtered ones the category slugs to check the filter with.
# The map page counts every facet: state, kind, mechanism, status, place type, and the
# span of years the year fields offer.
BUDGETS = {
    "/": (12, 2),
    "/?state=TN&category=municipal-offices": (12, 2),
    "/places/nashville-tn": (12, 2),  # reads the filter it came from, too
    "/categories/municipal-offices": (5, 1),  # the feed's title names the kind
    "/case-studies/nashville": (5, 1),
    "/states/TN": (9, 1),
    "/about/data": (5, 1),
    "/api/places.geojson?state=TN": (4, 2),
    "/api/places/nashville-tn.json": (4, 4),  # a popup is small and not cached
}


@pytest.fixture
def count_queries(app):
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        if statement != "BEGIN":  # SQLite's transaction start (app/database.py)
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("url", BUDGETS)
def test_a_page_runs_a_bounded_number_of_queries(client, count_queries, url):
    with client.application.app_context():
        cache.clear()
    cold, cached = BUDGETS[url]
    assert client.get(url).status_code == 200
    assert len(count_queries) <= cold, count_queries
    count_queries.clear()
    assert client.get(url).status_code == 200
    assert len(count_queries) <= cached, count_queries
