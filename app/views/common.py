"""Helpers the blueprints share: state names, the map of a filter, cached pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import current_app
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import assets
from app import maps
from app.cache import cache
from app.catalog import queries
from app.geo import WEB_OUTLINES_FILE
from app.geo import load_states
from app.geocode import normalize
from app.i18n import current_language
from app.i18n import plural_forms

# a place page's map: about 100 miles around the community
PLACE_SPAN_DEG = (0.9, 1.2)


# the states whose name another language writes its own way (the rest keep their names)
LOCAL_STATE_NAMES = {
    "DC": _l("District of Columbia"),
    "HI": _l("Hawaii"),
    "LA": _l("Louisiana"),
    "MI": _l("Michigan"),
    "MO": _l("Missouri"),
    "MS": _l("Mississippi"),
    "NC": _l("North Carolina"),
    "ND": _l("North Dakota"),
    "NH": _l("New Hampshire"),
    "NJ": _l("New Jersey"),
    "NM": _l("New Mexico"),
    "NY": _l("New York"),
    "OR": _l("Oregon"),
    "PA": _l("Pennsylvania"),
    "SC": _l("South Carolina"),
    "SD": _l("South Dakota"),
    "WV": _l("West Virginia"),
}


def state_names() -> dict[str, str]:
    """Return ``{code: name}`` for the states, DC and PR in the page's language, by name."""
    names = load_states(current_app.config["GEODATA_DIR"]).names()
    local = {code: str(LOCAL_STATE_NAMES.get(code, name)) for code, name in names.items()}
    return dict(sorted(local.items(), key=lambda item: normalize(item[1])))


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
            {"slug": c.slug, "name": c.display_name, "colour": c.colour, "icon": c.icon}
            for c in queries.list_categories()
        ],
        state=filters.state,
        focus=focus,
        bounds=bounds,
        messages=map_messages(),
    )
    built = maps.build_map(
        bounds=bounds,
        tiles=current_app.config["MAP_TILES"],
        asset_url=lambda path: url_for("static", filename=path),
    )
    return maps.render_parts(built, layers)


def map_messages() -> dict[str, Any]:
    """Return what the map's script says, in the page's language (``%(name)s`` placeholders)."""
    names = state_names()
    return {
        "language": current_language(),
        "communities": plural_forms("%(count)s community", "%(count)s communities"),
        "initiatives": plural_forms("%(count)s initiative", "%(count)s initiatives"),
        "cluster": _("%(communities)s around %(place)s"),
        "pin": _("%(place)s: %(initiatives)s (%(kinds)s)"),
        "loading": _("Loading its initiatives…"),
        "contact": _("Contact"),
        "contact_label": _("Contact: %(title)s"),
        "popup_failed": _("The initiatives could not be loaded; the community page has them all."),
        "outlines_failed": _("The state outlines could not be loaded."),
        "pins_failed": _("The map pins could not be loaded; the list below has every result."),
        "shows": _("The map shows %(communities)s."),
        "two_fingers": _("Use two fingers to move the map"),
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "away": {code: names[code] for code in ("AK", "HI", "PR")},
        "away_button": _("%(state)s (%(count)s)"),
    }


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
    full_key = f"html:{version}:{static}:{request.host_url}:{current_language()}:{key}"
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
