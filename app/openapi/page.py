"""The OpenAPI document as the /api/ page shows it: references followed, types in words.

The document itself (``/api/openapi.json``) is a machine's spec and stays in English. The
page shows its words in the page's language: every text of the document the page shows is a
message here (``SPEC_TEXTS``; the CSV's column meanings are messages in ``app.exports``), and
templates/api/index.html translates it as the page is drawn (``_(text)``). A text with no
message stays English there, marked ``lang="en"``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import N_

# every text of the OpenAPI document (app/openapi/) the /api/ page shows, word for word:
# tags, summaries, descriptions of routes, parameters, answers and schema fields
SPEC_TEXTS = frozenset(
    (
        N_("US local immigrant-inclusion initiatives, with their sources."),
        N_(
            "Read-only, no key, any origin (CORS `*`). Filters are those of the map's address "
            "(`/?state=TN&category=municipal-offices`); an unknown value answers 400 naming the "
            "valid ones. Errors under `/api/` are JSON `{error, message}`; the downloads, which "
            "people open from the site's pages, answer errors as pages. The records and summaries "
            "are Welcoming Atlas's under CC BY 4.0; the sources they cite remain their "
            "publishers'."
        ),
        N_("Records"),
        N_("The catalog's records, with sources."),
        N_("Downloads"),
        N_("The map's view as a CSV, GeoJSON or JSON file."),
        N_("Map"),
        N_("What the map draws: pins, popups, outlines."),
        N_("About the API"),
        N_("This description."),
        N_("List the initiatives in a filter, a page at a time"),
        N_(
            "Records in the map list's order (state, community, kind, title). `next` and `prev` "
            "give the neighbouring pages (also in `Link`); `total` counts them all."
        ),
        N_("USPS code of a state, DC or PR (any case)."),
        N_("Kind of initiative. Repeat it for several (any of them matches)."),
        N_("How it was established. Repeat it for several (any of them matches)."),
        N_("Whether it is still running. Repeat it for several (any of them matches)."),
        N_("Kind of community. Repeat it for several (any of them matches)."),
        N_("Started in this year or later (four digits). `from` after `to` answers 400."),
        N_("Started in this year or earlier (four digits). `from` after `to` answers 400."),
        N_(
            "Full-text search of titles, places, summaries, lead organisations and mechanism "
            'details; accents and case ignored; "phrases", `or` and `-word`.'
        ),
        N_("Page number, from 1. A page past the last answers 404."),
        N_("Records per page."),
        N_("One page of records."),
        N_("The copy named by `If-None-Match` is current."),
        N_(
            "A value the filter does not know (named, with the valid `choices`), a bad page number "
            "or a NUL character."
        ),
        N_("No such record, community or page."),
        N_("The catalog is not loaded yet."),
        N_("Get one initiative"),
        N_("One record with its sources and conflicts."),
        N_("An initiative's id, e.g. `nashville-tn-office`."),
        N_("The record."),
        N_("Suggest communities and initiatives for what is being typed"),
        N_(
            'What the search box offers: each word typed starts a word of the match ("san jo" '
            "finds San José), at most six of each kind, best first."
        ),
        N_("The suggestions."),
        N_("List the map's pins: one per community in the filter"),
        N_("Properties `slug`, `name`, `state`, `categories` (map-key order) and `count`."),
        N_("The pins."),
        N_("Get one community and its initiatives in the filter (a popup)"),
        N_("The community and, per initiative in the filter, what its popup shows."),
        N_("A community's identifier, e.g. `nashville-tn`."),
        N_("The community."),
        N_("Get the outlines of the states, DC and Puerto Rico"),
        N_("Simplified for the map (`geodata/us-states-web.geojson`)."),
        N_("The file's fingerprint: with the current one, cached for a year."),
        N_("The outlines."),
        N_("Get this description"),
        N_("OpenAPI 3.1; valid filter values come from the loaded catalog."),
        N_("This document."),
        N_("Read this description as a page"),
        N_("The same description, as HTML."),
        N_("The page."),
        N_("Download the filtered catalog as CSV"),
        N_(
            "The map's view as a file: the same filter as `/`, every record (no paging), one row "
            "per initiative (UTF-8 with BOM)."
        ),
        N_("Every initiative in the filter, one row per initiative (UTF-8 with BOM)."),
        N_("The filter page: the value refused and the valid ones."),
        N_("The catalog is not loaded yet (a page)."),
        N_("Download the filtered catalog as GeoJSON"),
        N_(
            "The map's view as a file: the same filter as `/`, every record (no paging), one Point "
            "per initiative."
        ),
        N_("Every initiative in the filter, one Point per initiative."),
        N_("Download the filtered catalog as JSON"),
        N_(
            "The map's view as a file: the same filter as `/`, every record (no paging), "
            "as records."
        ),
        N_("Every initiative in the filter, as records."),
        N_("The HTTP status in words."),
        N_("What went wrong, in a sentence."),
        N_("The query parameter that was refused."),
        N_("Its value."),
        N_("The public sources checked."),
        N_("Facts on which sources disagree, each with its source."),
        N_("The record on Welcoming Atlas (a site path; absolute in downloads)."),
        N_("Digest of the loaded catalog: it changes with every update."),
        N_("The filter, as parsed."),
        N_("Records in the filter."),
        N_("The next page's address, or null."),
        N_("The previous page's address, or null."),
        N_("The community's page, keeping the filter."),
        N_("The start in words, or that no source confirms it."),
        N_("The community page's Contact block for it, or null."),
        N_("The summary's first sentence, at most about two lines."),
        N_("The query as read: spaces collapsed, at most 200 characters."),
        N_("The map filtered by the whole query."),
    )
)
# where a parameter goes (OpenAPI's "in"), which the page says in words
PARAMETER_PLACES = (N_("query"), N_("path"))
# JSON Schema's types, in words ("null" is JSON's own word and stays)
TYPE_WORDS = {
    "string": _l("string"),
    "integer": _l("integer"),
    "number": _l("number"),
    "object": _l("object"),
    "any": _l("any"),
}


def resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Follow a ``$ref`` inside ``spec`` (one level: components never chain)."""
    if "$ref" not in item:
        return item
    _root, kind, name = item["$ref"].removeprefix("#/").split("/")
    return spec["components"][kind][name]


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the operations of ``spec`` with their references followed, for the /api/ page."""
    result = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            answers = {
                code: resolve(spec, answer) for code, answer in operation["responses"].items()
            }
            result.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "operation": operation,
                    "parameters": [resolve(spec, p) for p in operation.get("parameters", [])],
                    "responses": answers,
                }
            )
    return result


def type_text(schema: dict[str, Any]) -> str:
    """Say in a few words what values a schema allows, for the /api/ page."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "const" in schema:
        return f"{schema['const']!r}"
    if "enum" in schema:
        shown = ", ".join("null" if v is None else str(v) for v in schema["enum"][:8])
        if len(schema["enum"]) > 8:
            return _("one of %(values)s, …", values=shown)
        return _("one of %(values)s", values=shown)
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    # "null" is JSON's own word; the others are said in the page's language
    kind = _(" or ").join(str(TYPE_WORDS.get(k, k)) for k in kinds)
    if kinds == ["array"]:
        return _("list of %(kind)s", kind=type_text(schema.get("items", {})))
    if schema.get("format"):
        kind = _("%(kind)s (%(format)s)", kind=kind, format=schema["format"])
    if "minimum" in schema and "maximum" in schema:
        # the limits as the spec gives them (years among them: no digit grouping)
        kind = _(
            "%(kind)s, %(minimum)s to %(maximum)s",
            kind=kind,
            minimum=schema["minimum"],
            maximum=schema["maximum"],
        )
    return kind


def fields(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return ``(name, type, description)`` for each property of an object schema.

    The type is in the page's language; the description is the document's (English).
    """
    return [
        (name, type_text(prop), prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]
