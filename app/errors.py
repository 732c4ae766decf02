"""Error pages: a clear message for every bad request, never a traceback.

Pages answer HTML and the API answers JSON, whatever the ``Accept`` header
says, so the answer to a URL never depends on a request header.
"""

from __future__ import annotations

from flask import Flask
from flask import render_template
from flask import request
from flask.globals import request_ctx
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException

from app.catalog.queries import FilterError
from app.models import db


def init_app(app: Flask) -> None:
    """Register the error handlers and the check of unreadable input."""
    app.before_request(reject_nul)
    app.register_error_handler(FilterError, bad_filter)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(500, server_error)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def reject_nul() -> None:
    """Answer 400 for a NUL character in the path or the query.

    No page has one in its address, and PostgreSQL refuses them in text.
    """
    if "\x00" in request.path or any("\x00" in k + v for k, v in request.args.items(multi=True)):
        raise BadRequest(description="The address contains a NUL character (%00).")


def bad_filter(error: FilterError):
    """Answer an unknown filter value with 400, naming it and the valid choices."""
    if _wants_json():
        body = {
            "error": "Bad Request",
            "message": str(error),
            "param": error.param,
            "value": error.value,
            "choices": sorted(error.choices),
        }
        if error.hint:
            body["hint"] = error.hint
        return body, 400
    return render_template("errors/400.html", error=error), 400


def _headers(error: HTTPException) -> list[tuple[str, str]]:
    """Keep what an error says in its headers (``Allow``, ``Retry-After``), not its type."""
    return [(name, value) for name, value in error.get_headers() if name != "Content-Type"]


def http_error(error: HTTPException):
    """Render any HTTP error as a page (or JSON for API clients)."""
    if _wants_json():
        return {"error": error.name, "message": error.description}, error.code, _headers(error)
    if request_ctx.url_adapter is None:
        # an untrusted Host: no URL can be built for it, so the page has no links
        return render_template("errors/plain.html", error=error), error.code, _headers(error)
    return render_template("errors/http.html", error=error), error.code, _headers(error)


def server_error(error: Exception):
    """Roll back and apologise; the details go to the log, not the visitor."""
    db.session.rollback()
    if _wants_json():
        return {"error": "Internal Server Error", "message": "Something went wrong."}, 500
    return render_template("errors/500.html"), 500
