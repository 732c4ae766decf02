"""Helpers the blueprints share: state names, the map of a filter, cached pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import current_app
from flask import request
from flask import url_for

from app import assets
from app import maps
from app.cache import cache
from app.catalog import queries
from app.geo import WEB_OUTLINES_FILE
from app.geo import load_states

# a place page's map: about 100 miles around the community
PLACE_SPAN_DEG = (0.9, 1.2)


def state_names() -> dict[str, str]:
    """Return ``{code: name}`` for the states, DC and PR, sorted by name."""
    return load_states(current_app.config["GEODATA_DIR"]).names()


def web_outlines() -> Path:
    """Return the file of the outlines the map draws."""
    return Path(current_app.config["GEODATA_DIR"]) / WEB_OUTLINES_FILE


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
    if bounds is None:
        bounds = state_bounds(filters.state) if filters.state else maps.US_BOUNDS
    args = filters.args()
    layers = maps.Layers(
        pins_url=url_for("api.places", **args),
        popup_url=url_for("api.place", slug="__slug__", **args),
        place_url=url_for("places.detail", slug="__slug__", **args),
        # fingerprinted like a static file: cached for a year (api.states)
        outlines_url=url_for("api.states", v=assets.file_hash(web_outlines())),
        categories=[
            {"slug": c.slug, "name": c.name, "colour": c.colour, "icon": c.icon}
            for c in queries.list_categories()
        ],
        state=filters.state,
        focus=focus,
        bounds=bounds,
    )
    built = maps.build_map(
        bounds=bounds,
        tiles=current_app.config["MAP_TILES"],
        asset_url=lambda path: url_for("static", filename=path),
    )
    return maps.render_parts(built, layers)


def cached_html(key: str, render: Callable[[], Any], *, store: bool = True) -> Any:
    """Return the page ``render`` makes, cached per catalog digest and ``key``.

    ``key`` must be normalised (parsed filters, not the raw query string), so
    spellings of one page share one entry. Only pages are cached: a redirect
    that ``render`` returns passes through. A cached page keeps the CSP nonce it
    was rendered with; each response gets its own nonce in its place. The old
    nonce cannot occur in the page otherwise: the attribute's quotes would be
    escaped in any text that came from the catalog. The key also holds the
    version of the static files: a page names their fingerprinted URLs. With
    ``store`` false the page is rendered and not kept (free-text searches).
    """
    # pages name their absolute URL (canonical, og:url, the embed snippet): keyed by host,
    # a forged Host header can only spoil its own entry
    version, static = queries.catalog_version(), assets.static_version()
    full_key = f"html:{version}:{static}:{request.host_url}:{key}"
    nonce = request.csp_nonce
    hit = cache.get(full_key) if store else None
    if hit is None:
        html = render()
        if isinstance(html, str) and store:
            cache.set(full_key, (nonce, html))
        return html
    cached_nonce, html = hit
    return html.replace(f'nonce="{cached_nonce}"', f'nonce="{nonce}"')


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Cache a view that reads only its URL's path (no query arguments)."""

    @wraps(view)
    def wrapper(**kwargs: Any) -> Any:
        key = f"{request.endpoint}:{sorted(kwargs.items())!r}"
        return cached_html(key, lambda: view(**kwargs))

    return wrapper
