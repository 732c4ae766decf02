"""Helpers the blueprints share: state names and the map of a filter."""

from __future__ import annotations

from flask import current_app
from flask import url_for

from app import maps
from app.catalog import queries
from app.geo import load_states

# a place page's map: about 100 miles around the community
PLACE_SPAN_DEG = (0.9, 1.2)


def state_names() -> dict[str, str]:
    """Return ``{code: name}`` for the states, DC and PR, sorted by name."""
    return load_states(current_app.config["GEODATA_DIR"]).names()


def state_bounds(code: str) -> maps.Bounds:
    """Return the map bounds of one state."""
    return maps.state_bounds(load_states(current_app.config["GEODATA_DIR"])[code].geometry)


def place_bounds(longitude: float, latitude: float) -> maps.Bounds:
    """Return map bounds centred on a community."""
    dlat, dlon = PLACE_SPAN_DEG
    return (latitude - dlat, longitude - dlon), (latitude + dlat, longitude + dlon)


def map_for(
    filters: queries.Filters,
    *,
    bounds: maps.Bounds | None = None,
    focus: str | None = None,
) -> maps.MapParts:
    """Build the map of ``filters`` (pins from the API), fitted to ``bounds``.

    Without ``bounds`` the map shows the filter's state, or the whole country.
    ``focus`` is the slug of a community whose pin stands out.
    """
    args = filters.args()
    layers = maps.Layers(
        pins_url=url_for("api.places", **args),
        popup_url=url_for("api.place", slug="__slug__", **args),
        place_url=url_for("places.detail", slug="__slug__"),
        outlines_url=url_for("api.states"),
        categories=[
            {"slug": c.slug, "name": c.name, "colour": c.colour, "icon": c.icon}
            for c in queries.list_categories()
        ],
        state=filters.state,
        focus=focus,
    )
    if bounds is None:
        bounds = state_bounds(filters.state) if filters.state else maps.US_BOUNDS
    built = maps.build_map(
        layers,
        bounds=bounds,
        tiles=current_app.config["MAP_TILES"],
        asset_url=lambda path: url_for("static", filename=path),
    )
    return maps.render_parts(built)
