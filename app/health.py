"""Is the catalog there? A clear 503 until it is loaded, and ``/healthz`` for monitors."""

from __future__ import annotations

from flask import Blueprint
from flask import Flask
from flask import current_app
from flask import request
from flask_babel import gettext
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable

from app import database
from app.catalog import queries
from app.i18n import N_
from app.models import db

bp = Blueprint("health", __name__)

NOT_LOADED = N_(
    "The catalog is not loaded yet. An administrator loads it with "
    "`flask --app app db upgrade` and then `flask --app app catalog load`."
)
# answered without looking at the catalog
_EXEMPT = {None, "static", "health.healthz"}


def init_app(app: Flask) -> None:
    """Register ``/healthz`` and the check that runs before every page."""
    app.register_blueprint(bp)
    app.before_request(require_catalog)


def loaded_digest() -> str | None:
    """Return the loaded catalog's digest, or ``None`` when there is no catalog to read.

    A SQLite file that does not exist is reported, not created by connecting to it.
    """
    path = database.sqlite_file(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if path is not None and not path.is_file():
        return None
    try:
        return queries.catalog_version() or None
    except SQLAlchemyError:
        # no tables yet (or the database is down): the transaction is unusable
        db.session.rollback()
        return None


def require_catalog() -> None:
    """Answer 503 for every page while no catalog is loaded."""
    if request.endpoint in _EXEMPT:
        return
    if loaded_digest() is None:
        # in the page's language; /healthz answers monitors in English
        raise ServiceUnavailable(description=gettext(NOT_LOADED), retry_after=60)


@bp.get("/healthz")
def healthz():
    """Report 200 with the catalog digest when the site can serve it, else 503."""
    digest = loaded_digest()
    if digest is None:
        return {"status": "unavailable", "message": NOT_LOADED}, 503
    return {"status": "ok", "catalog": digest}
