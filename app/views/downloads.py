"""Downloads of what a visitor sees: the filtered catalog as CSV, GeoJSON or JSON.

``/downloads/initiatives.csv?state=TN`` is the map's ``/?state=TN`` as a file: the same
filter parser, the same records in the same order, one row per initiative. A download is a
file that leaves the site, so its links are absolute. Bodies are cached per catalog digest,
site address and filter, and carry an ETag, like the map's pins.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Blueprint
from flask import Response
from flask import request
from flask import url_for

from app import exports
from app.cache import remembered
from app.catalog import queries
from app.models import Initiative
from app.views.common import state_names

bp = Blueprint("downloads", __name__, url_prefix="/downloads")

GEOJSON = "application/geo+json"
# format: (media type, how the body is made)
FORMATS: dict[str, tuple[str, Callable[..., bytes]]] = {
    "csv": (exports.CSV_MIMETYPE, lambda items, args, catalog: exports.csv_body(items)),
    "geojson": (GEOJSON, exports.geojson_body),
    "json": ("application/json", exports.json_body),
}


def page_url(initiative: Initiative) -> str:
    """Return the absolute address of an initiative on its community's page."""
    return url_for(
        "places.detail", slug=initiative.place_slug, _anchor=initiative.id, _external=True
    )


def download(extension: str) -> Response:
    """Answer the download of the filtered catalog in format ``extension``.

    The filter is parsed before anything is cached, so a bad value answers 400
    (naming the valid ones) and takes no cache entry.
    """
    filters = queries.parse_filters(request.args, state_names())
    version = queries.catalog_version()
    # the site's address is in the body (absolute links), so it is in the key
    key = f"download:{version}:{extension}:{request.url_root}:{filters.key()}"
    body = remembered(key, lambda: render(extension, filters, version), keep=not filters.q)
    mimetype, _ = FORMATS[extension]
    response = Response(body, mimetype=mimetype)
    if extension == "csv":
        response.content_type = f"{mimetype}; charset=utf-8; header=present"
    filename = exports.filename(filters.args(), extension)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Link"] = exports.LICENCE_LINK
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def render(extension: str, filters: queries.Filters, version: str) -> bytes:
    """Make the body of one download: every initiative in the filter, in the list's order."""
    initiatives = exports.with_sources(queries.list_initiatives(filters))
    items = exports.records(initiatives, page_url)
    _, make = FORMATS[extension]
    return make(items, filters.args(), version)


@bp.get("/initiatives.csv")
def csv():
    """Download the filtered catalog as CSV, one row per initiative."""
    return download("csv")


@bp.get("/initiatives.geojson")
def geojson():
    """Download the filtered catalog as GeoJSON, one Point per initiative."""
    return download("geojson")


@bp.get("/initiatives.json")
def json():
    """Download the filtered catalog as JSON records."""
    return download("json")
