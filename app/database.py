"""Engine settings that give every request one consistent snapshot of the catalog.

A page reads the catalog's digest and then its rows; a load that commits in
between must not mix the old count sentence with the new rows. Each request
runs in one transaction (Flask-SQLAlchemy's session lasts until the request
ends), and the engines are set so that a transaction sees one snapshot:

* PostgreSQL: ``REPEATABLE READ`` (the default ``READ COMMITTED`` takes a new
  snapshot per statement).
* SQLite: the driver starts no transaction before reading, so each ``SELECT``
  would see the latest commit; SQLAlchemy's documented recipe hands ``BEGIN``
  back to SQLAlchemy. WAL journaling lets readers keep their snapshot while a
  load writes, instead of waiting for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine import make_url


def engine_options(url: str) -> dict[str, Any]:
    """Return the engine options for a database URL."""
    if make_url(url).get_backend_name() == "postgresql":
        return {"isolation_level": "REPEATABLE READ", "pool_pre_ping": True}
    return {}


def sqlite_file(url: str) -> Path | None:
    """Return the file of a SQLite URL, or ``None`` for other databases and memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def init_app(app: Flask, engine: Engine) -> None:
    """Register the SQLite transaction recipe on ``engine`` (nothing to do elsewhere)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        # the driver's own transaction handling would BEGIN only before writes
        dbapi_connection.isolation_level = None
        if sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"]) is not None:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")
