"""The OpenAPI document as the /api/ page shows it: references followed, types in words."""

from __future__ import annotations

from typing import Any


def resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Follow a ``$ref`` inside ``spec`` (one level: components never chain)."""
    if "$ref" not in item:
        return item
    _, kind, name = item["$ref"].removeprefix("#/").split("/")
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
        return f"one of {shown}" + (", …" if len(schema["enum"]) > 8 else "")
    kinds = schema.get("type", "any")
    kind = " or ".join(kinds) if isinstance(kinds, list) else kinds
    if kind == "array":
        return f"list of {type_text(schema.get('items', {}))}"
    if schema.get("format"):
        kind += f" ({schema['format']})"
    if "minimum" in schema and "maximum" in schema:
        kind += f", {schema['minimum']} to {schema['maximum']}"
    return kind


def fields(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return ``(name, type, description)`` for each property of an object schema."""
    return [
        (name, type_text(prop), prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]
