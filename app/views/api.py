"""The JSON API: map pins, popups and state outlines, filtered like the pages."""

import hashlib
from pathlib import Path

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import request
from flask import send_file
from flask import url_for

from app.cache import cache
from app.catalog import queries
from app.catalog.pins import pins_body
from app.formatting import STATUS_LABELS
from app.formatting import one_line
from app.formatting import started_label
from app.views.common import state_names

bp = Blueprint("api", __name__, url_prefix="/api")

GEOJSON = "application/geo+json"


@bp.get("/places.geojson")
def places():
    """Return one Point per community matching the filter, as the map's pins.

    The body is cached per catalog version and filter, and carries an ETag so
    a browser that has it gets a 304.
    """
    filters = queries.parse_filters(request.args, state_names())
    version = queries.catalog_version()
    key = f"pins:{version}:{filters.key()}"
    body = cache.get(key)
    if body is None:
        body = pins_body(filters)
        cache.set(key, body)
    response = Response(body, mimetype=GEOJSON)
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/places/<slug>.json")
def place(slug: str):
    """Return one community and its initiatives matching the filter, for a popup."""
    filters = queries.parse_filters(request.args, state_names())
    place = queries.get_place(slug)
    if place is None:
        abort(404, description=f"No community has the slug {slug!r}.")
    # the community page keeps the filter, so its breadcrumb leads back to this view
    args = filters.args()
    return {
        "slug": place.slug,
        "name": place.name,
        "state": place.state,
        "url": url_for("places.detail", slug=place.slug, **args),
        "initiatives": [
            {
                "id": initiative.id,
                "title": initiative.title,
                "category": initiative.category_slug,
                "category_name": initiative.category.name,
                "started": initiative.started,
                "started_label": started_label(initiative.started),
                "status": initiative.status,
                "status_label": STATUS_LABELS.get(initiative.status, initiative.status),
                "summary": one_line(initiative.summary),
                "url": url_for("places.detail", slug=place.slug, _anchor=initiative.id, **args),
            }
            for initiative in queries.place_initiatives(place, filters)
        ],
    }


@bp.get("/states.geojson")
def states():
    """Return the outlines of the states, DC and Puerto Rico, simplified for the map.

    The map draws ``geodata/us-states-web.geojson`` (the full outlines stay for the
    geocoder and the validator), compressed once per process. The map asks for it
    with the file's fingerprint (``?v=``), and that URL is cached for a year.
    """
    from app import assets
    from app.geo import WEB_OUTLINES_FILE

    path = Path(current_app.config["GEODATA_DIR"]) / WEB_OUTLINES_FILE
    fingerprinted = request.args.get("v") == assets.file_hash(path)
    max_age = assets.IMMUTABLE_SECONDS if fingerprinted else 86400
    response = send_file(path, mimetype=GEOJSON, max_age=max_age)
    response.cache_control.immutable = fingerprinted
    return assets.compress_file(response, path)
