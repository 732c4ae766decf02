"""The migrations own the schema; ``catalog load`` only replaces the catalog tables' rows.

Every test runs on SQLite, and on PostgreSQL too when TEST_POSTGRES_URL is set.
"""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import Column
from sqlalchemy import Integer
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import inspect
from sqlalchemy import select

from app.catalog import search
from app.catalog.files import read_catalog
from app.catalog.loader import SchemaMissing
from app.catalog.loader import load_catalog
from app.models import Initiative
from app.models import db
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import drop_schema

SCHEMA_MISSING = "The database has no catalog tables: run `flask --app app db upgrade` first."


def table_names() -> set[str]:
    """The tables the models define, less the search index (its shape is the database's)."""
    return {name for name in inspect(db.engine).get_table_names() if not search.owns_table(name)}


def differences() -> list:
    """What autogenerate would put in a new revision: nothing, if models and migrations agree."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": search.include_in_autogenerate}
        )
        return compare_metadata(context, db.metadata)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def revisions_oldest_first() -> list[str]:
    config = current_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def test_upgrade_creates_the_schema_the_models_define(empty_app):
    with empty_app.app_context():
        assert table_names() == set(db.metadata.tables) | {"alembic_version"}
        assert differences() == []
        assert current_revision() == revisions_oldest_first()[-1]


def test_downgrade_to_base_then_upgrade_one_revision_at_a_time(empty_app):
    with empty_app.app_context():
        flask_migrate.downgrade(revision="base")
        assert table_names() == {"alembic_version"}
        assert current_revision() is None
        for revision in revisions_oldest_first():
            flask_migrate.upgrade(revision=revision)
            assert current_revision() == revision
        assert differences() == []


def test_a_loaded_database_at_the_first_revision_upgrades_and_loads_again(empty_app, states):
    # a catalog loaded before revision 0002 (its rows made by loading now and
    # stepping back: today's loader writes columns 0001 lacks)
    catalog = read_catalog(FIXTURE_CATALOG, states)
    with empty_app.app_context():
        load_catalog(db.session, catalog)
        flask_migrate.downgrade(revision=revisions_oldest_first()[0])
        flask_migrate.upgrade()
        assert differences() == []
        # the rows survived, each added on the day it was last verified until the next load
        rows = db.session.execute(select(Initiative.added, Initiative.last_verified)).all()
        assert len(rows) == 8
        assert all(added == verified for added, verified in rows)
        load_catalog(db.session, catalog)
        assert db.session.scalar(select(func.count()).select_from(Initiative)) == 8


def test_a_load_leaves_other_tables_intact(empty_app, states):
    # a table no model knows, as a later feature's data would be
    keep_me = Table(
        "keep_me", MetaData(), Column("id", Integer, primary_key=True), Column("note", String)
    )
    catalog = read_catalog(FIXTURE_CATALOG, states)
    with empty_app.app_context():
        keep_me.create(db.engine)
        try:
            with db.engine.begin() as connection:
                connection.execute(insert(keep_me).values(id=1, note="not catalog data"))
            load_catalog(db.session, catalog)
            load_catalog(db.session, catalog)
            assert db.session.execute(select(keep_me)).all() == [(1, "not catalog data")]
        finally:
            db.session.remove()
            keep_me.drop(db.engine)


def test_loading_without_the_schema_says_to_upgrade(empty_app, states):
    with empty_app.app_context():
        drop_schema()
        with pytest.raises(SchemaMissing) as raised:
            load_catalog(db.session, read_catalog(FIXTURE_CATALOG, states))
        assert str(raised.value) == SCHEMA_MISSING
        assert table_names() == set()
    result = empty_app.test_cli_runner().invoke(
        args=["catalog", "load", "--data", str(FIXTURE_CATALOG)]
    )
    assert result.exit_code == 1
    assert result.output == f"Error: {SCHEMA_MISSING}\n"
