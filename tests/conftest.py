import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import flask_migrate
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import text

from app import create_app
from app.catalog import search
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.config import database_uri
from app.geo import load_states
from app.models import db

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"
GEODATA = ROOT / "geodata"


def _backends() -> list:
    backends = ["sqlite"]
    if os.environ.get("TEST_POSTGRES_URL"):
        backends.append("postgresql")
    return backends


def _make_app(url: str):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "MAP_TILES": "none"})


@pytest.fixture
def states():
    return load_states(str(GEODATA))


@pytest.fixture
def catalog_dir(tmp_path) -> Path:
    """A writable copy of the fixture catalog, for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_CATALOG, target)
    return target


def _database_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return database_uri(os.environ["TEST_POSTGRES_URL"])


def migrate_schema(app: Flask) -> None:
    """Create the schema as production does: run the migrations up to head."""
    with app.app_context():
        flask_migrate.upgrade()


def drop_schema() -> None:
    """Drop the catalog tables, the search index and Alembic's record of the revision.

    Runs in an app context. The index goes first: on PostgreSQL it refers to the
    initiatives.
    """
    with db.engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {search.TABLE}"))
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=_backends())
def empty_app(request, tmp_path):
    """An app on a migrated, empty database, once per backend (SQLite, and PostgreSQL if set)."""
    app = _make_app(_database_url(request.param, tmp_path))
    with app.app_context():
        drop_schema()  # what an interrupted run left on PostgreSQL
    migrate_schema(app)
    yield app
    with app.app_context():
        db.session.remove()
        drop_schema()
        db.engine.dispose()


def load_into(app: Flask, catalog: Path, states) -> None:
    """Check and load the catalog folder ``catalog`` into ``app``'s database."""
    with app.app_context():
        load_catalog(db.session, read_catalog(catalog, states))
        db.session.remove()


@pytest.fixture
def any_app(empty_app, states):
    """An app with the fixture catalog loaded, once per backend."""
    load_into(empty_app, FIXTURE_CATALOG, states)
    return empty_app


@pytest.fixture
def hostile_app(empty_app, states, tmp_path):
    """An app whose catalog carries the payloads of tests/hostile.py, once per backend."""
    from tests.hostile import write_hostile_catalog  # it reads this module's paths

    load_into(empty_app, write_hostile_catalog(tmp_path / "data"), states)
    return empty_app


@pytest.fixture
def app(tmp_path, states):
    """An app on SQLite with the fixture catalog loaded by the production loader."""
    app = _make_app(_database_url("sqlite", tmp_path))
    migrate_schema(app)
    with app.app_context():
        load_catalog(db.session, read_catalog(FIXTURE_CATALOG, states))
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def edited_catalog(target: Path, edit: Callable[[list[dict]], list[dict] | None]) -> Path:
    """Copy the fixture catalog to ``target`` with its features changed by ``edit``.

    ``edit`` gets the list of features and changes it in place or returns a new one.
    """
    shutil.copytree(FIXTURE_CATALOG, target)
    path = target / "catalog.geojson"
    collection = json.loads(path.read_text())
    edited = edit(collection["features"])
    if edited is not None:
        collection["features"] = edited
    path.write_text(json.dumps(collection))
    return target


def smaller_catalog(tmp_path: Path) -> Path:
    """The fixture catalog less its Redwood City record (7 initiatives in 6 communities).

    A second version of the catalog to load over the first.
    """
    return edited_catalog(
        tmp_path / "smaller",
        lambda features: [f for f in features if not f["properties"]["id"].startswith("redwood")],
    )


def soup(response) -> BeautifulSoup:
    """Parse an HTML response."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
