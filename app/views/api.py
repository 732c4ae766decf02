"""The JSON API: map pins, popups, state outlines and the records, filtered like the pages.

Every answer under ``/api/`` may be read from any origin (CORS ``*``): it is the public
catalog, read-only, and no answer depends on a cookie. ``/api/openapi.json`` describes every
route (``app/openapi/``) and ``/api/`` shows that description as a page.
"""

import hashlib
import re
from pathlib import Path

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import render_template
from flask import request
from flask import send_file
from flask import url_for
from flask_babel import gettext as _

from app import exports
from app import openapi
from app.cache import cache
from app.cache import remembered
from app.catalog import queries
from app.catalog.pins import pins_body
from app.formatting import STATUS_LABELS
from app.formatting import one_line
from app.formatting import started_label
from app.models import Initiative
from app.views.common import cached_page
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
    body = remembered(key, lambda: pins_body(filters), keep=not filters.q)
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
        abort(404, description=_("No community has the slug %(slug)s.", slug=repr(slug)))
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
                "category_name": queries.category_choices()[initiative.category_slug],
                "started": initiative.started,
                "started_label": started_label(initiative.started),
                "status": initiative.status,
                "status_label": str(STATUS_LABELS.get(initiative.status, initiative.status)),
                "summary": one_line(initiative.summary),
                "url": url_for("places.detail", slug=place.slug, _anchor=initiative.id, **args),
                # the community page's Contact block, where it has one
                "contact_url": url_for(
                    "places.detail", slug=place.slug, _anchor=f"{initiative.id}-contact", **args
                )
                if initiative.website or initiative.contact
                else None,
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


PER_PAGE = 50
PER_PAGE_MAX = 200
# ASCII digits, at most six (as the home page's ?page=)
_COUNT = re.compile(r"[0-9]{1,6}")
# what a browser's script may read of an answer from another origin
EXPOSED_HEADERS = "ETag, Link, Content-Disposition, Retry-After"


@bp.after_app_request
def allow_any_origin(response: Response) -> Response:
    """Let any site's scripts read the API and the downloads, and answer CORS preflights.

    Both are public and read-only and send no credentials, so ``*`` is safe. A preflight
    (``OPTIONS`` with ``Access-Control-Request-Method``) gets Flask's usual ``OPTIONS``
    answer (200 with ``Allow``) plus what CORS asks for; a method the route lacks still
    answers 405.
    """
    if not request.path.startswith(("/api/", "/downloads/")):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "*"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def count_arg(name: str, default: int, maximum: int) -> int:
    """Read a positive whole number from the query string, answering 400 when it is not one."""
    raw = request.args.get(name, "").strip() or str(default)
    if not _COUNT.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        abort(
            400,
            description=_(
                "%(name)s=%(value)s is not a whole number from 1 to %(maximum)s.",
                name=name,
                value=repr(shown),
                maximum=maximum,
            ),
        )
    return int(raw)


@bp.get("/initiatives.json")
def initiatives():
    """Return one page of the initiatives matching the filter, in the list's order.

    ``page`` counts from 1, ``per_page`` from 1 to 200 (50 by default); ``next`` and
    ``prev`` are the neighbouring pages' addresses, or null. Cached per catalog
    version, filter and page, with an ETag.
    """
    filters = queries.parse_filters(request.args, state_names())
    number = count_arg("page", 1, 999_999)
    size = count_arg("per_page", PER_PAGE, PER_PAGE_MAX)
    version = queries.catalog_version()
    key = f"records:{version}:{filters.key()}:{number}:{size}"
    body, links = remembered(
        key, lambda: records_page(filters, number, size, version), keep=not filters.q
    )
    response = Response(body, mimetype="application/json")
    response.headers["Link"] = ", ".join([*links, exports.LICENCE_LINK])
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def records_page(
    filters: queries.Filters, number: int, size: int, version: str
) -> tuple[bytes, list[str]]:
    """Return the body of one page of records and its ``Link`` header's next and prev."""
    total = queries.count_matches(filters)[1]
    try:
        page = queries.page_of_initiatives(filters, number, size, total=total)
    except LookupError as error:
        abort(404, description=str(error))
    items = exports.records(exports.with_sources(page.items), record_url)
    urls = {
        "next": page_url(filters, number + 1, size) if number < page.pages else None,
        "prev": page_url(filters, number - 1, size) if number > 1 else None,
    }
    body = {
        **exports.about(filters.args(), version),
        "total": total,
        "page": number,
        "per_page": size,
        "pages": page.pages,
        **urls,
        "initiatives": items,
    }
    links = [f'<{url}>; rel="{rel}"' for rel, url in urls.items() if url]
    return exports.dumps(body), links


def page_url(filters: queries.Filters, number: int, size: int) -> str:
    """Return the address of page ``number`` of the records in ``filters``."""
    extra = {"per_page": size} if size != PER_PAGE else {}
    return url_for("api.initiatives", **filters.args(), page=number, **extra)


def record_url(initiative: Initiative) -> str:
    """Return the site path of an initiative on its community's page."""
    return url_for("places.detail", slug=initiative.place_slug, _anchor=initiative.id)


@bp.get("/initiatives/<record_id>.json")
def initiative(record_id: str):
    """Return one initiative as a record, with its sources and conflicts."""
    found = queries.get_initiative(record_id)
    if found is None:
        abort(404, description=_("No initiative has the id %(id)s.", id=repr(record_id)))
    response = Response(
        exports.dumps(exports.record(found, record_url(found))), mimetype="application/json"
    )
    response.headers["Link"] = exports.LICENCE_LINK
    return response


@bp.get("/openapi.json")
def openapi_document():
    """Return the OpenAPI 3.1 description of the API (valid values from the loaded catalog)."""
    version = queries.catalog_version()
    key = f"openapi:{version}"
    body = cache.get(key)
    if body is None:
        body = exports.dumps(openapi.document(queries.category_choices(), state_names()))
        cache.set(key, body)
    return Response(body, mimetype="application/json")


@bp.get("/")
@cached_page
def index():
    """Show the API's description as a page: every route, parameter and answer."""
    spec = openapi.document(queries.category_choices(), state_names())
    return render_template(
        "api/index.html",
        spec=spec,
        operations=openapi.operations(spec),
        columns=exports.COLUMNS,
        type_text=openapi.type_text,
        fields=openapi.fields,
    )
