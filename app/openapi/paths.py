"""The routes of the OpenAPI document: parameters, answers and headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import exports
from app.catalog.queries import YEAR_RANGE
from app.catalog.schema import MECHANISMS
from app.catalog.schema import PLACE_TYPES
from app.catalog.schema import STATUSES
from app.openapi.parts import FILTERS
from app.openapi.parts import GEOJSON
from app.openapi.parts import JSON
from app.openapi.parts import NO_NUL
from app.openapi.parts import ref


def _many(name: str, values: list[str], what: str) -> dict[str, Any]:
    """Return a repeatable filter parameter (``?category=a&category=b``)."""
    return {
        "name": name,
        "in": "query",
        "description": f"{what} Repeat it for several (any of them matches).",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string", "enum": values}},
    }


def _year(name: str, what: str) -> dict[str, Any]:
    low, high = YEAR_RANGE
    return {
        "name": name,
        "in": "query",
        "description": f"{what} (four digits). `from` after `to` answers 400.",
        "schema": {"type": "integer", "minimum": low, "maximum": high},
    }


def parameters(categories: Mapping[str, str], states: Mapping[str, str]) -> dict[str, Any]:
    """Return the parameters: the filters the pages read, paging and path values."""
    return {
        "state": {
            "name": "state",
            "in": "query",
            "description": "USPS code of a state, DC or PR (any case).",
            "schema": {"type": "string", "enum": sorted(states)},
        },
        "category": _many("category", list(categories), "Kind of initiative."),
        "mechanism": _many("mechanism", list(MECHANISMS), "How it was established."),
        "status": _many("status", list(STATUSES), "Whether it is still running."),
        "place_type": _many("place_type", list(PLACE_TYPES), "Kind of community."),
        "from": _year("from", "Started in this year or later"),
        "to": _year("to", "Started in this year or earlier"),
        "q": {
            "name": "q",
            "in": "query",
            "description": (
                "Full-text search of titles, places, summaries, lead organisations and "
                'mechanism details; accents and case ignored; "phrases", `or` and `-word`.'
            ),
            "schema": {"type": "string", "pattern": NO_NUL},
        },
        "page": {
            "name": "page",
            "in": "query",
            "description": "Page number, from 1. A page past the last answers 404.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 999_999, "default": 1},
        },
        "per_page": {
            "name": "per_page",
            "in": "query",
            "description": "Records per page.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
        },
        "slug": _path("slug", "A community's identifier, e.g. `nashville-tn`."),
        "record_id": _path("record_id", "An initiative's id, e.g. `nashville-tn-office`."),
        "v": {
            "name": "v",
            "in": "query",
            "description": "The file's fingerprint: with the current one, cached for a year.",
            "schema": {"type": "string", "pattern": NO_NUL},
        },
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1, "pattern": NO_NUL},
    }


def headers() -> dict[str, Any]:
    """Return the response headers the API promises."""
    return {
        "AccessControlAllowOrigin": {
            "description": "Any site's scripts may read the answer (CORS).",
            "required": True,
            "schema": {"const": "*"},
        },
        "Link": {
            "description": f'`<{exports.LICENCE_URL}>; rel="license"`, and the next and '
            "previous pages of a list (RFC 8288).",
            "required": True,
            "schema": {"type": "string", "pattern": 'rel="license"'},
        },
        "ContentDisposition": {
            "description": "`attachment` and a file name that says the filter.",
            "required": True,
            "schema": {
                "type": "string",
                "pattern": '^attachment; filename="?welcoming-atlas[A-Za-z0-9-]*[.][a-z]+"?$',
            },
        },
        "ETag": {"description": "Send it back in `If-None-Match` to get a 304.", "schema": {}},
        "RetryAfter": {"description": "Seconds to wait.", "schema": {"type": "string"}},
    }


def _answer(description: str, media: str | None, schema: Any, **named: str) -> dict[str, Any]:
    """Return a response object; every answer carries the CORS header, others by name."""
    heads = {"Access-Control-Allow-Origin": ref("headers", "AccessControlAllowOrigin")}
    heads |= {header: ref("headers", component) for header, component in named.items()}
    answer: dict[str, Any] = {"description": description, "headers": heads}
    if media:
        answer["content"] = {media: {"schema": schema}}
    return answer


def responses() -> dict[str, Any]:
    """Return the answers shared by several routes: the errors, and 304."""
    error = ref("schemas", "Error")
    html = {"type": "string"}
    return {
        "BadRequest": _answer(
            "A value the filter does not know (named, with the valid `choices`), a bad page "
            "number or a NUL character.",
            JSON,
            error,
        ),
        "NotFound": _answer("No such record, community or page.", JSON, error),
        "Unavailable": _answer(
            "The catalog is not loaded yet.", JSON, error, **{"Retry-After": "RetryAfter"}
        ),
        "NotModified": _answer("The copy named by `If-None-Match` is current.", None, None),
        "BadDownload": _answer(
            "The filter page: the value refused and the valid ones.", "text/html", html
        ),
        "DownloadUnavailable": _answer(
            "The catalog is not loaded yet (a page).",
            "text/html",
            html,
            **{"Retry-After": "RetryAfter"},
        ),
    }


def _params(*names: str) -> list[dict[str, str]]:
    return [ref("parameters", name) for name in names]


def _errors(*codes: str, download: bool = False) -> dict[str, Any]:
    """Return the error answers of a route: 503 always, and the codes given."""
    names = {"304": "NotModified", "400": "BadRequest", "404": "NotFound", "503": "Unavailable"}
    if download:
        names |= {"400": "BadDownload", "503": "DownloadUnavailable"}
    return {code: ref("responses", names[code]) for code in (*codes, "503")}


def _get(tag: str, summary: str, description: str, example: str, **parts: Any) -> dict[str, Any]:
    """Return a path item with one GET operation; ``x-example`` is a request to try."""
    operation = {"tags": [tag], "summary": summary, "description": description, **parts}
    return {"get": {**operation, "x-example": example}}


def _download(extension: str, media: str, schema: Any, what: str) -> dict[str, Any]:
    name, label = {
        "csv": ("Csv", "CSV"),
        "geojson": ("GeoJson", "GeoJSON"),
        "json": ("Json", "JSON"),
    }[extension]
    answer = _answer(
        f"Every initiative in the filter, {what}.",
        media,
        schema,
        **{"Content-Disposition": "ContentDisposition", "Link": "Link", "ETag": "ETag"},
    )
    return _get(
        "Downloads",
        f"Download the filtered catalog as {label}",
        f"The map's view as a file: the same filter as `/`, every record (no paging), {what}.",
        f"/downloads/initiatives.{extension}?state=TN",
        operationId=f"download{name}",
        parameters=_params(*FILTERS),
        responses={"200": answer, **_errors("304", "400", download=True)},
    )


def paths() -> dict[str, Any]:
    """Return every route under /api/ and /downloads/ with its parameters and answers."""
    return {**_record_paths(), **_map_paths(), **_about_paths(), **_download_paths()}


def _record_paths() -> dict[str, Any]:
    """Return the records' routes: a page of them, one, and suggestions."""
    listed = {"Link": "Link", "ETag": "ETag"}
    return {
        "/api/initiatives.json": _get(
            "Records",
            "List the initiatives in a filter, a page at a time",
            "Records in the map list's order (state, community, kind, title). `next` and "
            "`prev` give the neighbouring pages (also in `Link`); `total` counts them all.",
            "/api/initiatives.json?state=TN&per_page=2",
            operationId="listInitiatives",
            parameters=_params(*FILTERS, "page", "per_page"),
            responses={
                "200": _answer(
                    "One page of records.", JSON, ref("schemas", "RecordPage"), **listed
                ),
                **_errors("304", "400", "404"),
            },
        ),
        "/api/initiatives/{record_id}.json": _get(
            "Records",
            "Get one initiative",
            "One record with its sources and conflicts.",
            "/api/initiatives/nashville-tn-office.json",
            operationId="getInitiative",
            parameters=_params("record_id"),
            responses={
                "200": _answer("The record.", JSON, ref("schemas", "Record"), Link="Link"),
                **_errors("400", "404"),
            },
        ),
        "/api/search.json": _get(
            "Records",
            "Suggest communities and initiatives for what is being typed",
            "What the search box offers: each word typed starts a word of the match "
            '("san jo" finds San José), at most six of each kind, best first.',
            "/api/search.json?q=nash",
            operationId="suggest",
            parameters=_params("q"),
            responses={
                "200": _answer("The suggestions.", JSON, ref("schemas", "Suggestions")),
                **_errors("400"),
            },
        ),
    }


def _map_paths() -> dict[str, Any]:
    """Return what the map reads: pins, popups and outlines."""
    return {
        "/api/places.geojson": _get(
            "Map",
            "List the map's pins: one per community in the filter",
            "Properties `slug`, `name`, `state`, `categories` (map-key order) and `count`.",
            "/api/places.geojson?state=TN",
            operationId="listPins",
            parameters=_params(*FILTERS),
            responses={
                "200": _answer("The pins.", GEOJSON, ref("schemas", "Pins"), ETag="ETag"),
                **_errors("304", "400"),
            },
        ),
        "/api/places/{slug}.json": _get(
            "Map",
            "Get one community and its initiatives in the filter (a popup)",
            "The community and, per initiative in the filter, what its popup shows.",
            "/api/places/nashville-tn.json?category=municipal-offices",
            operationId="getPlace",
            parameters=_params("slug", *FILTERS),
            responses={
                "200": _answer("The community.", JSON, ref("schemas", "Popup")),
                **_errors("400", "404"),
            },
        ),
        "/api/states.geojson": _get(
            "Map",
            "Get the outlines of the states, DC and Puerto Rico",
            "Simplified for the map (`geodata/us-states-web.geojson`).",
            "/api/states.geojson",
            operationId="getStates",
            parameters=_params("v"),
            responses={
                "200": _answer("The outlines.", GEOJSON, ref("schemas", "States")),
                **_errors("304"),
            },
        ),
    }


def _about_paths() -> dict[str, Any]:
    """Return the description itself, as data and as a page."""
    return {
        "/api/openapi.json": _get(
            "About the API",
            "Get this description",
            "OpenAPI 3.1; valid filter values come from the loaded catalog.",
            "/api/openapi.json",
            operationId="getOpenApi",
            responses={
                "200": _answer("This document.", JSON, {"type": "object", "required": ["openapi"]}),
                **_errors(),
            },
        ),
        "/api/": _get(
            "About the API",
            "Read this description as a page",
            "The same description, as HTML.",
            "/api/",
            operationId="getApiPage",
            responses={"200": _answer("The page.", "text/html", {"type": "string"}), **_errors()},
        ),
    }


def _download_paths() -> dict[str, Any]:
    """Return the three downloads of the filtered catalog."""
    return {
        "/downloads/initiatives.csv": _download(
            "csv", "text/csv", {"type": "string"}, "one row per initiative (UTF-8 with BOM)"
        ),
        "/downloads/initiatives.geojson": _download(
            "geojson", GEOJSON, ref("schemas", "RecordCollection"), "one Point per initiative"
        ),
        "/downloads/initiatives.json": _download(
            "json", JSON, ref("schemas", "RecordList"), "as records"
        ),
    }
