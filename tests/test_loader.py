"""Loading is all or nothing and repeatable, on SQLite and PostgreSQL."""

import json

import pytest
from sqlalchemy import select

from app.catalog import loader
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.models import Base
from app.models import CaseStudy
from app.models import Initiative
from app.models import Place
from app.models import db
from tests.conftest import FIXTURE_CATALOG


def dump() -> dict[str, list[tuple]]:
    """Return every row of every table, sorted, to compare databases whole."""
    tables = {}
    for table in Base.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        tables[table.name] = sorted(
            tuple(json.dumps(v, sort_keys=True, default=str) for v in row) for row in rows
        )
    return tables


def test_loads_every_kind_of_record(any_app):
    with any_app.app_context():
        assert db.session.scalar(select(db.func.count(Initiative.id))) == 8
        assert db.session.scalar(select(db.func.count(Place.slug))) == 7
        nashville = db.session.get(Place, "nashville-tn")
        assert (nashville.name, nashville.state, nashville.kind) == (
            "Nashville",
            "TN",
            "city-county",
        )
        assert [i.id for i in nashville.initiatives] == ["nashville-tn-g4g", "nashville-tn-office"]
        office = db.session.get(Initiative, "atlanta-ga-office")
        assert office.year == 2015
        assert [s.url for s in office.sources] == [
            "https://example.org/atlanta-ga-office",
            "https://example.org/atlanta-ga-office/other",
        ]
        assert [(c.field, c.value) for c in office.conflicts] == [("started", "2017")]
        study = db.session.get(CaseStudy, "nashville")
        assert [e.date for e in study.events] == ["2009-01-22", "2014-09-22"]
        assert study.events[1].alt_dates == [
            {"date": "2014-09", "source": "https://example.org/other"}
        ]
        assert [i.id for i in study.initiatives] == ["nashville-tn-g4g", "nashville-tn-office"]


def test_loading_twice_gives_the_same_database(any_app, states):
    with any_app.app_context():
        before = dump()
        load_catalog(db.session, read_catalog(FIXTURE_CATALOG, states))
        assert dump() == before


@pytest.mark.parametrize(
    "breakage",
    [
        lambda p: p.update(state="XX"),
        lambda p: p.pop("category"),
        lambda p: p.update(sources=[]),
    ],
    ids=["bad-state", "missing-field", "no-source"],
)
def test_a_bad_catalog_leaves_the_database_unchanged(any_app, catalog_dir, breakage):
    path = catalog_dir / "catalog.geojson"
    collection = json.loads(path.read_text())
    breakage(collection["features"][3]["properties"])
    collection["features"].pop(0)
    path.write_text(json.dumps(collection))
    with any_app.app_context():
        before = dump()
    result = any_app.test_cli_runner().invoke(args=["catalog", "load", "--data", str(catalog_dir)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    with any_app.app_context():
        assert dump() == before


def test_a_database_error_rolls_back_everything(any_app, states, monkeypatch):
    catalog = read_catalog(FIXTURE_CATALOG, states)
    original = loader._rows

    def rows_with_a_duplicate_key(catalog):
        rows = original(catalog)
        return [
            *rows,
            Place(
                slug="nashville-tn", name="X", state="TN", kind="city", longitude=0.0, latitude=0.0
            ),
        ]

    monkeypatch.setattr(loader, "_rows", rows_with_a_duplicate_key)
    with any_app.app_context():
        before = dump()
        with pytest.raises(Exception, match="(?i)unique|duplicate|identity"):
            load_catalog(db.session, catalog)
        assert dump() == before


def test_load_command_reports_what_it_loaded(empty_app):
    result = empty_app.test_cli_runner().invoke(
        args=["catalog", "load", "--data", str(FIXTURE_CATALOG)]
    )
    assert result.exit_code == 0, result.output
    assert "Loaded 8 initiatives in 7 places, 6 categories, 1 case studies" in result.output
