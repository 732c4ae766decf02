"""The OpenAPI 3.1 description of the API and the downloads, written as data.

Written by hand rather than generated from the views: the routes are few, their answers are
plain dicts, and a spec as data is easy to read next to the code it describes. The suite keeps
the two together: ``openapi-spec-validator`` checks the document, a test compares its paths
with the app's routes, and schemathesis sends requests made from it and checks each answer
against it. Valid values of the filters are listed (``enum``): the categories come from the
loaded catalog, everything else from ``app/catalog/schema.py``.

``paths`` holds the routes, parameters and answers, ``schemas`` the bodies, ``page`` what the
/api/ page needs to show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import exports
from app.openapi.page import fields
from app.openapi.page import operations
from app.openapi.page import type_text
from app.openapi.parts import FILTERS
from app.openapi.paths import headers
from app.openapi.paths import parameters
from app.openapi.paths import paths
from app.openapi.paths import responses
from app.openapi.schemas import schemas

__all__ = ["FILTERS", "document", "fields", "operations", "type_text"]

LICENCE_SENTENCE = (
    "The records and summaries are Welcoming Atlas's under CC BY 4.0; the sources they cite "
    "remain their publishers'."
)


def document(categories: Mapping[str, str], states: Mapping[str, str]) -> dict[str, Any]:
    """Return the OpenAPI 3.1 document, with the valid values of this catalog."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Welcoming Atlas API",
            "version": "1",
            "summary": "US local immigrant-inclusion initiatives, with their sources.",
            "description": (
                "Read-only, no key, any origin (CORS `*`). Filters are those of the map's "
                "address (`/?state=TN&category=municipal-offices`); an unknown value answers "
                "400 naming the valid ones. Errors under `/api/` are JSON `{error, message}`; the "
                "downloads, which people open from the site's pages, answer errors as pages. "
                + LICENCE_SENTENCE
            ),
            "license": {"name": exports.LICENCE["name"], "url": exports.LICENCE_URL},
        },
        "tags": [
            {"name": "Records", "description": "The catalog's records, with sources."},
            {"name": "Downloads", "description": "The map's view as a CSV, GeoJSON or JSON file."},
            {"name": "Map", "description": "What the map draws: pins, popups, outlines."},
            {"name": "About the API", "description": "This description."},
        ],
        "paths": paths(),
        "components": {
            "parameters": parameters(categories, states),
            "schemas": schemas(categories),
            "responses": responses(),
            "headers": headers(),
        },
    }
