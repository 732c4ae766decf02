"""The pieces every part of the OpenAPI document is built from."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
GEOJSON = "application/geo+json"
# no NUL: the site answers 400 to any address that holds one (app/errors.py)
NO_NUL = "^[^\\x00]*$"
NULLABLE_TEXT = {"type": ["string", "null"]}
# the query arguments of ``Filters`` (tests/test_openapi.py keeps the two equal)
FILTERS = ("state", "category", "mechanism", "status", "place_type", "from", "to", "q")


def ref(kind: str, name: str) -> dict[str, str]:
    """Return a reference to a component."""
    return {"$ref": f"#/components/{kind}/{name}"}


def closed(properties: dict[str, Any], *, required: list[str] | None = None) -> dict[str, Any]:
    """Return an object schema with no other properties; all required unless ``required`` says."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
        "additionalProperties": False,
    }


def text(description: str = "", **extra: Any) -> dict[str, Any]:
    """Return a string schema, with its meaning when there is one to say."""
    return {"type": "string", **({"description": description} if description else {}), **extra}


def date() -> dict[str, str]:
    """Return the schema of an ISO date (YYYY-MM-DD)."""
    return {"type": "string", "format": "date"}
