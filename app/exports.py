"""What the catalog looks like outside the site: records, CSV, GeoJSON and JSON downloads.

One record format (``record``) serves the records API, the JSON and GeoJSON downloads and,
flattened, the CSV rows, so a column never means two things. These functions are pure: the
views pass them the initiatives and the URLs; nothing here reads a request.

CSV choices, for the spreadsheets a council memo is written in:

- UTF-8 **with a byte-order mark**: Excel reads a CSV without one in the machine's legacy code
  page, so "San José" turns into "San JosÃ©"; with it, Excel, LibreOffice, Google Sheets,
  pandas and R read UTF-8. Python reads it with ``encoding="utf-8-sig"``.
- RFC 4180: comma-separated, CRLF line ends, fields quoted only when they need it.
- **Formula injection neutralised**: a text cell beginning with ``= + - @``, a tab or a carriage
  return would run as a formula in a spreadsheet (``=HYPERLINK(...)``), so it gets a leading
  apostrophe, which spreadsheets read as "this is text". Numbers (coordinates, years) are
  written as numbers: ``-86.78`` is a number, not a formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import lazyload
from sqlalchemy.orm import selectinload

from app.i18n import N_
from app.models import Initiative
from app.models import db

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = {
    "name": "CC BY 4.0",
    "url": LICENCE_URL,
    "attribution": "Welcoming Atlas",
    "notice": (
        "The records, their summaries and their selection are Welcoming Atlas's, under the "
        "Creative Commons Attribution 4.0 licence: share and adapt them, naming Welcoming Atlas. "
        "The sources they cite remain their publishers', under their own terms."
    ),
}
# RFC 8288 link relation "license" (RFC 4946): the licence of every download and API answer
LICENCE_LINK = f'<{LICENCE_URL}>; rel="license"'

CSV_MIMETYPE = "text/csv"
# the first characters a spreadsheet reads as the start of a formula (OWASP's list)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

# the CSV's columns, in order, with what each holds (README and /api/ show this list). The
# names are the record's keys (JSON, GeoJSON, the English CSV); the meanings stay English in
# the OpenAPI document, and the /api/ page translates them (app/openapi/page.py)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", N_("The record's stable identifier, e.g. nashville-tn-office.")),
    ("title", N_("The initiative's name.")),
    ("category", N_("The kind of initiative, as a slug (municipal-offices, ...).")),
    ("category_name", N_("The kind of initiative, in words.")),
    ("place", N_("The community's name.")),
    ("place_slug", N_("The community's identifier, as in /places/<place_slug>.")),
    ("place_type", N_("city, county, city-county, town, region, state or district.")),
    ("state", N_("USPS code of the state, DC or PR.")),
    ("latitude", N_("The community's pin (WGS 84), not an address.")),
    ("longitude", N_("The community's pin (WGS 84), not an address.")),
    ("started", N_("When it started, as precise as the sources say: 2014, 2014-09 or 2014-09-22.")),
    ("year", N_("The year it started, or empty when no source confirms it.")),
    ("mechanism", N_("How it was established (ordinance, executive-order, ...), or empty.")),
    ("mechanism_detail", N_("Details of how it was established, or empty.")),
    ("lead_organization", N_("Who leads it, or empty.")),
    ("website", N_("Its website, or empty.")),
    ("contact_url", N_("The public contact page of whoever runs it, or empty.")),
    ("contact_phone", N_("The phone number it publishes for the public, or empty.")),
    ("contact_email", N_("The email address it publishes for the public, or empty.")),
    ("status", N_("active, ended, renamed, merged, lapsed or unknown.")),
    (
        "status_date",
        N_("When the status changed (ended, renamed, ...), as precise as known, or empty."),
    ),
    ("member_type", N_("For Welcoming network records: government, nonprofit or programme.")),
    ("summary", N_("Our own summary (CC BY 4.0).")),
    ("unconfirmed", N_("Fields no source confirms, separated by spaces.")),
    ("sources", N_("The URLs of the public sources checked, separated by spaces.")),
    ("sources_disagree", N_("Fields on which sources disagree, separated by spaces.")),
    ("added", N_("The date a curator first saw the record (YYYY-MM-DD).")),
    ("last_verified", N_("The date the record was last checked against its sources (YYYY-MM-DD).")),
    ("url", N_("The record on Welcoming Atlas.")),
)

# the CSV's header row in the language of the page it is downloaded from (/es/downloads/...):
# in English, the column names themselves, so the English CSV is the records' keys
CSV_HEADERS = {
    "id": _l("id"),
    "title": _l("title"),
    "category": _l("category"),
    "category_name": _l("category_name"),
    "place": _l("place"),
    "place_slug": _l("place_slug"),
    "place_type": _l("place_type"),
    "state": _l("state"),
    "latitude": _l("latitude"),
    "longitude": _l("longitude"),
    "started": _l("started"),
    "year": _l("year"),
    "mechanism": _l("mechanism"),
    "mechanism_detail": _l("mechanism_detail"),
    "lead_organization": _l("lead_organization"),
    "website": _l("website"),
    "contact_url": _l("contact_url"),
    "contact_phone": _l("contact_phone"),
    "contact_email": _l("contact_email"),
    "status": _l("status"),
    "status_date": _l("status_date"),
    "member_type": _l("member_type"),
    "summary": _l("summary"),
    "unconfirmed": _l("unconfirmed"),
    "sources": _l("sources"),
    "sources_disagree": _l("sources_disagree"),
    "added": _l("added"),
    "last_verified": _l("last_verified"),
    "url": _l("url"),
}

# name parts: a value of these filters stands alone (TN, municipal-offices); others
# say what they are (from-2010, search-san-jose)
_BARE_PARAMS = ("state", "category", "mechanism", "status", "place_type")
_PREFIXES = {"q": "search"}
_STEM_MAX = 100
_SEARCH_MAX = 40
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")
# ids per query when loading sources: well under every database's limit of parameters
_BATCH = 500


def with_sources(initiatives: Sequence[Initiative]) -> Sequence[Initiative]:
    """Load the sources and conflicts of ``initiatives`` in a few queries, not one per row.

    The rows come from ``queries.list_initiatives`` (one filter, one order for the page,
    the API and the downloads); this selects them again by id with ``selectinload``, which
    fills the same objects' collections: three queries per 500 records.
    """
    ids = [initiative.id for initiative in initiatives]
    for start in range(0, len(ids), _BATCH):
        statement = (
            select(Initiative)
            .where(Initiative.id.in_(ids[start : start + _BATCH]))
            .options(selectinload(Initiative.sources), selectinload(Initiative.conflicts))
            # the rows have their place and category already: no joins for them again
            .options(lazyload(Initiative.place), lazyload(Initiative.category))
        )
        db.session.scalars(statement).unique().all()
    return initiatives


def record(initiative: Initiative, url: str) -> dict[str, Any]:
    """Return one initiative in the public record format; ``url`` is its page."""
    place = initiative.place
    contact = initiative.contact or {}
    return {
        "id": initiative.id,
        "title": initiative.title,
        "category": initiative.category_slug,
        "category_name": initiative.category.name,
        "place": place.name,
        "place_slug": place.slug,
        "place_type": place.kind,
        "state": place.state,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "started": initiative.started,
        "year": initiative.year,
        "mechanism": initiative.mechanism,
        "mechanism_detail": initiative.mechanism_detail,
        "lead_organization": initiative.lead_organization,
        "website": initiative.website,
        "contact_url": contact.get("url"),
        "contact_phone": contact.get("phone"),
        "contact_email": contact.get("email"),
        "status": initiative.status,
        "status_date": initiative.status_date,
        "member_type": initiative.member_type,
        "summary": initiative.summary,
        "unconfirmed": list(initiative.unconfirmed),
        "sources": [
            {
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "seen": source.seen.isoformat(),
            }
            for source in initiative.sources
        ],
        "conflicts": [
            {
                "field": conflict.field,
                "value": conflict.value,
                "source": conflict.source_url,
                "note": conflict.note,
            }
            for conflict in initiative.conflicts
        ],
        "added": initiative.added.isoformat(),
        "last_verified": initiative.last_verified.isoformat(),
        "url": url,
    }


def records(
    initiatives: Iterable[Initiative], url: Callable[[Initiative], str]
) -> list[dict[str, Any]]:
    """Return ``initiatives`` as records, each with the page ``url`` gives it."""
    return [record(initiative, url(initiative)) for initiative in initiatives]


def neutralise(cell: str) -> str:
    """Return text a spreadsheet shows as text: a would-be formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_row(item: dict[str, Any]) -> list[Any]:
    """Flatten a record into the CSV's columns; text is neutralised, numbers stay numbers."""
    flat = dict(item)
    flat["unconfirmed"] = " ".join(item["unconfirmed"])
    flat["sources"] = " ".join(source["url"] for source in item["sources"])
    flat["sources_disagree"] = " ".join(dict.fromkeys(c["field"] for c in item["conflicts"]))
    row = [flat[name] for name, _ in COLUMNS]
    return ["" if v is None else neutralise(v) if isinstance(v, str) else v for v in row]


def csv_body(items: Iterable[dict[str, Any]]) -> bytes:
    """Return the CSV of ``items``: a header row, then one row per record (see module doc).

    The header row is in the request's language (``CSV_HEADERS``): English, the column
    names, outside a request and on an English page.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the "excel" dialect: RFC 4180 with CRLF
    writer.writerow([str(CSV_HEADERS.get(name, name)) for name, _ in COLUMNS])
    writer.writerows(csv_row(item) for item in items)
    return (BOM + buffer.getvalue()).encode("utf-8")


def feature(item: dict[str, Any]) -> dict[str, Any]:
    """Return a record as a GeoJSON Feature: the community's pin and the other fields."""
    properties = {k: v for k, v in item.items() if k not in ("latitude", "longitude")}
    return {
        "type": "Feature",
        "id": item["id"],
        "geometry": {"type": "Point", "coordinates": [item["longitude"], item["latitude"]]},
        "properties": properties,
    }


def about(filters: dict[str, Any], catalog: str) -> dict[str, Any]:
    """Return what every JSON download and list says first: licence, catalog and filter."""
    return {"licence": LICENCE, "catalog": catalog, "filters": filters}


def geojson_body(items: list[dict[str, Any]], filters: dict[str, Any], catalog: str) -> bytes:
    """Return the GeoJSON download: a FeatureCollection with the licence as a foreign member."""
    body = {"type": "FeatureCollection", **about(filters, catalog)}
    body["features"] = [feature(item) for item in items]
    return dumps(body)


def json_body(items: list[dict[str, Any]], filters: dict[str, Any], catalog: str) -> bytes:
    """Return the JSON download: the licence, the filter, the count and the records."""
    return dumps({**about(filters, catalog), "total": len(items), "initiatives": items})


def dumps(body: Any) -> bytes:
    """Encode ``body`` as compact UTF-8 JSON, keys in the order they were written."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def filename(args: dict[str, Any], extension: str) -> str:
    """Name a download after its filter: ``welcoming-atlas-TN-municipal-offices.csv``.

    ``args`` is ``Filters.args()``, so a new filter names itself. Only ASCII letters,
    digits and hyphens; a name that would be too long is cut and ends with a digest of
    the filter, so two filters never share a name.
    """
    parts = ["welcoming-atlas"]
    for param, value in args.items():
        values = value if isinstance(value, list) else [value]
        if param not in _BARE_PARAMS:
            parts.append(_PREFIXES.get(param, _safe(param)))
        limit = _SEARCH_MAX if param == "q" else _STEM_MAX
        parts.extend(_safe(str(v), lower=param == "q")[:limit].strip("-") for v in values)
    stem = "-".join(part for part in parts if part)
    if len(stem) > _STEM_MAX:
        digest = hashlib.sha256(json.dumps(args, sort_keys=True).encode()).hexdigest()[:8]
        stem = stem[: _STEM_MAX - 9].rstrip("-") + "-" + digest
    return f"{stem}.{extension}"


def _safe(value: str, *, lower: bool = False) -> str:
    """Return ``value`` in ASCII letters, digits and hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    safe = _UNSAFE.sub("-", ascii_text).strip("-")
    return safe.lower() if lower else safe
