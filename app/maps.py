"""Folium maps as pure functions: settings in, map components out.

Nothing here touches the database or the request. Pins never become Folium
objects (0.85 ms and 780 bytes each, see the tech spike): the page's script
fetches them as GeoJSON and clusters them in the browser (static/js/atlas-map.js).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import folium
from branca.element import MacroElement
from folium.map import FitBounds
from jinja2 import Template
from markupsafe import Markup

# pins mark communities, not addresses: zoom 8 shows a metro region, and pins
# that still overlap there form a cluster that spiderfies on click, so every
# community stays reachable. markercluster keeps a grid per zoom level and the
# deepest levels cost the most (most pins are still single there): in an empty
# page 10,000 pins cluster in about 120 ms at levels 3-8, 200 ms at 3-9 and
# 265 ms at 3-10 (Chromium 156, 2 cores)
MIN_ZOOM = 3
MAX_ZOOM = 8
# the 48 contiguous states; Alaska, Hawaii and Puerto Rico are a pan away
US_BOUNDS = ((24.4, -125.0), (49.4, -66.9))

# every asset is served by the site itself (scripts/vendor_assets.py)
ASSETS_JS = [
    ("leaflet", "vendor/leaflet/leaflet.js"),
    ("markercluster", "vendor/markercluster/leaflet.markercluster.js"),
    ("atlas_map", "js/atlas-map.js"),
]
ASSETS_CSS = [
    ("leaflet_css", "vendor/leaflet/leaflet.css"),
    ("markercluster_css", "vendor/markercluster/MarkerCluster.css"),
]


Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Layers:
    """What the browser needs to draw pins, popups and state outlines."""

    pins_url: str
    popup_url: str
    place_url: str
    outlines_url: str
    categories: list[dict[str, str]]
    state: str | None = None
    focus: str | None = None
    bounds: Bounds | None = None
    # what the script says (app/views/common.py, map_messages), in the page's language
    messages: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MapParts:
    """A rendered map split for a page template: head assets, map div, script, settings.

    ``header``, ``html`` and ``script`` are Folium's output and hold no catalog
    data; ``settings`` is data the page writes as JSON (``tojson``) beside the
    script, which reads it from the element with the id ``SETTINGS_ID``.
    """

    header: Markup
    html: Markup
    script: Markup
    settings: dict[str, Any]
    settings_id: str = "atlas-map-settings"


SETTINGS_ID = MapParts.settings_id


class AtlasLayers(MacroElement):
    """Calls ``AtlasMap.init`` on the map; the settings stay out of the script.

    branca renders each element's output once more as a Jinja2 template, so
    anything in it that came from the catalog would run as template code. The
    script therefore names only the map and the id of the settings element.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        AtlasMap.init({{ this._parent.get_name() }}, "{{ this.settings_id }}");
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "AtlasLayers"
        self.settings_id = SETTINGS_ID


class FitBoundsAtOnce(FitBounds):
    """Folium's ``FitBounds`` without the zoom animation: the page opens on its view.

    An animated fit from the starting zoom is still running when a small set of
    pins is ready, and markercluster redraws its pins when it ends, so a pin
    selected during it could vanish under the pointer.
    """

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__(bounds)
        self.options["animate"] = False


def build_map(
    *,
    bounds: Bounds,
    tiles: str,
    asset_url: Callable[[str], str],
) -> folium.Map:
    """Return a Folium map fitted to ``bounds`` that starts the atlas's layers.

    The map holds no catalog data: ``render_parts`` pairs it with the ``Layers``.

    :param tiles: ``openstreetmap`` or ``none`` (the state outlines are the basemap).
    :param asset_url: turns a path under ``static/`` into its URL.
    """
    m = folium.Map(
        location=_centre(bounds),
        zoom_start=4,
        tiles=None,
        minZoom=MIN_ZOOM,
        maxZoom=MAX_ZOOM,
        control_scale=True,
    )
    # a fixed name instead of a random one: the same page renders to the same bytes in every
    # worker, so its ETag (app/responses.py) holds across workers and renders
    m._id = "atlas"
    m.default_js = [(name, asset_url(path)) for name, path in ASSETS_JS]
    m.default_css = [(name, asset_url(path)) for name, path in ASSETS_CSS]
    if tiles == "openstreetmap":
        folium.TileLayer("OpenStreetMap", max_zoom=MAX_ZOOM, control=False).add_to(m)
    FitBoundsAtOnce([list(corner) for corner in bounds]).add_to(m)
    AtlasLayers().add_to(m)
    return m


def render_parts(m: folium.Map, layers: Layers) -> MapParts:
    """Render a map into the parts a page template places itself."""
    root = m.get_root()
    root.render()
    # folium's own head block sets page-wide CSS and a viewport tag that blocks
    # zooming; the site's layout owns both, so keep only the asset links
    root.header._children.pop(m.get_name(), None)
    root.header._children.pop("meta_http", None)
    return MapParts(
        header=Markup(root.header.render()),
        html=Markup(root.html.render()),
        script=Markup(root.script.render()),
        settings=asdict(layers),
    )


def _centre(bounds: Bounds) -> list[float]:
    (south, west), (north, east) = bounds
    return [(south + north) / 2, (west + east) / 2]


def state_bounds(geometry: Any) -> Bounds:
    """Return ``((south, west), (north, east))`` of a state outline.

    Alaska's Aleutians cross the 180th meridian; parts east of it are left out
    so the map does not zoom out to the whole world.
    """
    parts = list(getattr(geometry, "geoms", [geometry]))
    west_parts = [part for part in parts if part.centroid.x < 0]
    minx, miny, maxx, maxy = _union_bounds(west_parts or parts)
    return (miny, minx), (maxy, maxx)


def _union_bounds(parts: list[Any]) -> tuple[float, float, float, float]:
    boxes = [part.bounds for part in parts]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
