"""The schemas of every answer: records, the map's data and errors."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from app import exports
from app.catalog.schema import MEMBER_TYPES
from app.catalog.schema import PLACE_TYPES
from app.catalog.schema import STATUSES
from app.openapi.parts import FILTERS
from app.openapi.parts import NULLABLE_TEXT
from app.openapi.parts import closed
from app.openapi.parts import date
from app.openapi.parts import ref
from app.openapi.parts import text


def record_schema() -> dict[str, Any]:
    """Return the schema of one record, described by the CSV's column list."""
    said = dict(exports.COLUMNS)
    types: dict[str, Any] = {
        "latitude": {"type": "number"},
        "longitude": {"type": "number"},
        "place_type": {"type": "string", "enum": list(PLACE_TYPES)},
        "year": {"type": ["integer", "null"]},
        "mechanism": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": list(STATUSES)},
        "member_type": {"type": ["string", "null"], "enum": [*MEMBER_TYPES, None]},
        "unconfirmed": {"type": "array", "items": {"type": "string"}},
        "sources": {"type": "array", "minItems": 1, "items": ref("schemas", "Source")},
        "conflicts": {"type": "array", "items": ref("schemas", "Conflict")},
        "added": {"type": "string", "format": "date"},
        "last_verified": {"type": "string", "format": "date"},
    }
    nullable = (
        "started",
        "mechanism_detail",
        "lead_organization",
        "website",
        "contact_url",
        "contact_phone",
        "contact_email",
        "status_date",
    )
    said["sources"] = "The public sources checked."
    said["conflicts"] = "Facts on which sources disagree, each with its source."
    said["url"] = "The record on Welcoming Atlas (a site path; absolute in downloads)."
    properties: dict[str, Any] = {}
    for name, _ in exports.COLUMNS:
        name = "conflicts" if name == "sources_disagree" else name
        schema = types.get(name, NULLABLE_TEXT if name in nullable else {"type": "string"})
        properties[name] = {**copy.deepcopy(schema), "description": said[name]}
    return closed(properties)


# a community's pin, and the point of each record in the GeoJSON download
POINT = closed(
    {
        "type": {"const": "Point"},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2},
    }
)


def schemas(categories: Mapping[str, str]) -> dict[str, Any]:
    """Return the schemas of every answer."""
    return {**error_schemas(), **record_schemas(), **map_schemas(categories)}


def error_schemas() -> dict[str, Any]:
    """Return the error body every route under /api/ answers with."""
    properties = {
        "error": text("The HTTP status in words."),
        "message": text("What went wrong, in a sentence."),
        "param": text("The query parameter that was refused."),
        "value": text("Its value."),
        "choices": {"type": "array", "items": {"type": "string"}},
        "hint": NULLABLE_TEXT,
    }
    return {"Error": {"type": "object", "required": ["error", "message"], "properties": properties}}


def about_records() -> dict[str, Any]:
    """Return what every list of records says first: licence, catalog digest and filter."""
    filters = {name: {"type": "string"} for name in ("state", "from", "to", "q")}
    many = {"type": "array", "items": {"type": "string"}}
    filters |= {name: many for name in FILTERS if name not in filters}
    return {
        "licence": ref("schemas", "Licence"),
        "catalog": text("Digest of the loaded catalog: it changes with every update."),
        "filters": {**closed(filters, required=[]), "description": "The filter, as parsed."},
    }


def record_schemas() -> dict[str, Any]:
    """Return the records, a page of them, and the JSON and GeoJSON downloads."""
    record = record_schema()
    about = about_records()
    records = {"type": "array", "items": ref("schemas", "Record")}
    located = {k: v for k, v in record["properties"].items() if k not in ("latitude", "longitude")}
    feature = {"type": {"const": "Feature"}, "id": text(), "geometry": POINT}
    feature["properties"] = closed(located)
    page = {
        "total": {"type": "integer", "description": "Records in the filter."},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
        "pages": {"type": "integer"},
        "next": {**NULLABLE_TEXT, "description": "The next page's address, or null."},
        "prev": {**NULLABLE_TEXT, "description": "The previous page's address, or null."},
    }
    return {
        "Licence": closed({k: {"type": "string"} for k in exports.LICENCE}),
        "Source": closed(
            {"url": text(), "title": text(), "publisher": NULLABLE_TEXT, "seen": date()}
        ),
        "Conflict": closed(
            {"field": text(), "value": text(), "source": text(), "note": NULLABLE_TEXT}
        ),
        "Record": record,
        "RecordPage": closed({**about, **page, "initiatives": records}),
        "RecordList": closed({**about, "total": {"type": "integer"}, "initiatives": records}),
        "RecordCollection": closed(
            {
                "type": {"const": "FeatureCollection"},
                **about,
                "features": {"type": "array", "items": closed(feature)},
            }
        ),
    }


def _texts(*names: str) -> dict[str, Any]:
    return {name: text() for name in names}


def map_schemas(categories: Mapping[str, str]) -> dict[str, Any]:
    """Return what the map and the search box read: pins, popups, outlines, suggestions."""
    kinds = {"type": "array", "items": {"type": "string", "enum": list(categories)}}
    pin = {**_texts("slug", "name", "state"), "categories": kinds}
    pin["count"] = {"type": "integer", "minimum": 1}
    popup_item = {
        **_texts("id", "title", "category", "category_name"),
        "started": NULLABLE_TEXT,
        "started_label": text("The start in words, or that no source confirms it."),
        "status": {"type": "string", "enum": list(STATUSES)},
        "status_label": text(),
        "contact_url": {
            "type": ["string", "null"],
            "description": "The community page's Contact block for it, or null.",
        },
        "summary": text("The summary's first sentence, at most about two lines."),
        "url": text(),
    }
    popup = {
        **_texts("slug", "name", "state"),
        "url": text("The community's page, keeping the filter."),
        "initiatives": {"type": "array", "items": ref("schemas", "PopupInitiative")},
    }
    suggestions = {
        "query": text("The query as read: spaces collapsed, at most 200 characters."),
        "search_url": text("The map filtered by the whole query."),
        "communities": _list(_texts("slug", "name", "state", "state_name", "url")),
        "initiatives": _list(_texts("id", "title", "place", "state", "category_name", "url")),
    }
    outline = {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}},
    }
    return {
        "Pins": _collection(closed(pin), POINT),
        "Popup": closed(popup),
        "PopupInitiative": closed(popup_item),
        "Suggestions": closed(suggestions),
        "States": _collection(closed(_texts("usps", "fips", "name")), outline),
    }


def _list(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": closed(properties)}


def _collection(properties: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection schema with these feature properties."""
    item = closed({"type": {"const": "Feature"}, "geometry": geometry, "properties": properties})
    return closed(
        {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": item}}
    )
