"""Error pages: a clear message for every bad request, never a traceback.

Pages answer HTML and the API answers JSON, whatever the ``Accept`` header
says, so the answer to a URL never depends on a request header.
"""

from __future__ import annotations

from flask import Flask
from flask import render_template
from flask import request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import HTTPException

from app.catalog.queries import FilterError
from app.models import db

# what each error is called on its page, and what it says when the view gave no reason
# (Werkzeug's own names and descriptions are English)
NAMES = {
    400: _l("Bad Request"),
    403: _l("Forbidden"),
    404: _l("Not Found"),
    405: _l("Method Not Allowed"),
    413: _l("Request Entity Too Large"),
    414: _l("Request URI Too Large"),
    429: _l("Too Many Requests"),
    431: _l("Request Header Fields Too Large"),
    500: _l("Internal Server Error"),
    503: _l("Service Unavailable"),
}
DESCRIPTIONS = {
    400: _l("The site could not understand this request."),
    403: _l("This page is not open to you."),
    404: _l("There is no page at this address. It may have moved, or the address may be mistyped."),
    405: _l("This address does not answer that kind of request."),
    413: _l("The request sends more data than the site accepts."),
    414: _l("The address is longer than the site accepts."),
    429: _l("Too many requests came from your connection. Please wait a little and try again."),
    431: _l("The request's headers are larger than the site accepts."),
    503: _l("The site cannot answer just now. Please try again in a minute."),
}
# the heading of a page about an unknown value of each filter
FILTER_HEADINGS = {
    "state": _l("We don't know that state"),
    "category": _l("We don't know that category"),
    "mechanism": _l("We don't know that way of establishing an initiative"),
    "status": _l("We don't know that status"),
    "place_type": _l("We don't know that kind of community"),
    "from": _l("That is not a year we can use"),
    "to": _l("That is not a year we can use"),
}


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
        raise BadRequest(description=_("The address contains a NUL character (%00)."))


def bad_filter(error: FilterError):
    """Answer an unknown filter value with 400, naming it and the valid choices."""
    if _wants_json():
        body = {
            "error": "Bad Request",
            "message": _(
                "Unknown %(param)s %(value)s.", param=error.param, value=repr(error.value)
            ),
            "param": error.param,
            "value": error.value,
            "choices": sorted(error.choices),
        }
        if error.hint:
            body["hint"] = error.hint
        return body, 400
    heading = FILTER_HEADINGS.get(error.param, _l("We don't know that value"))
    return render_template("errors/400.html", error=error, heading=heading), 400


def _headers(error: HTTPException) -> list[tuple[str, str]]:
    """Keep what an error says in its headers (``Allow``, ``Retry-After``), not its type."""
    return [(name, value) for name, value in error.get_headers() if name != "Content-Type"]


def describe(error: HTTPException) -> tuple[str, str]:
    """Return the error's name and what it says, in the page's language."""
    name = str(NAMES.get(error.code or 500, error.name))
    description = error.description
    if not description or description == type(error).description:
        # Werkzeug's general wording: this site's own, translated
        description = DESCRIPTIONS.get(error.code or 500, description)
    return name, str(description)


def http_error(error: HTTPException):
    """Render any HTTP error as a page (or JSON for API clients)."""
    name, description = describe(error)
    if _wants_json():
        return {"error": error.name, "message": description}, error.code, _headers(error)
    template = "errors/http.html"
    if request_ctx.url_adapter is None:
        # an untrusted Host: no URL can be built for it, so the page has no links
        template = "errors/plain.html"
    page = render_template(template, error=error, name=name, description=description)
    return page, error.code, _headers(error)


def server_error(error: Exception):
    """Roll back and apologise; the details go to the log, not the visitor."""
    db.session.rollback()
    if _wants_json():
        return {"error": "Internal Server Error", "message": _("Something went wrong.")}, 500
    return render_template("errors/500.html"), 500
