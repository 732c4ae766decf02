"""Map building is pure: settings in, a Folium map with local assets out."""

import folium
import pytest
from folium.map import FitBounds

from app import maps
from app.maps import AtlasLayers

LAYERS = maps.Layers(
    pins_url="/api/places.geojson?state=TN",
    popup_url="/api/places/__slug__.json?state=TN",
    place_url="/places/__slug__",
    outlines_url="/api/states.geojson",
    categories=[
        {
            "slug": "municipal-offices",
            "name": "Municipal offices",
            "colour": "#0072B2",
            "icon": "building-columns",
        }
    ],
    state="TN",
)


def build(tiles="none", bounds=maps.US_BOUNDS):
    return maps.build_map(bounds=bounds, tiles=tiles, asset_url=lambda p: f"/static/{p}")


def children_of(m, kind):
    return [child for child in m._children.values() if isinstance(child, kind)]


def test_map_without_tiles_has_no_tile_layer_and_bounded_zoom():
    m = build()
    assert children_of(m, folium.TileLayer) == []
    assert (m.options["minZoom"], m.options["maxZoom"]) == (maps.MIN_ZOOM, maps.MAX_ZOOM)
    fit = children_of(m, FitBounds)
    assert [f.bounds for f in fit] == [[[24.4, -125.0], [49.4, -66.9]]]
    # the page opens on its view: no zoom animation under the first clicks
    assert "fitBounds(" in (html := m.get_root().render())
    assert '{"animate": false}' in html


def test_openstreetmap_tiles_carry_their_attribution():
    [tiles] = children_of(build("openstreetmap"), folium.TileLayer)
    assert "openstreetmap.org" in tiles.tiles
    assert "OpenStreetMap" in tiles.options["attribution"]


def test_pins_are_not_folium_markers_but_one_layer_reading_its_settings():
    m = build()
    assert children_of(m, folium.Marker) == []
    [layers] = children_of(m, AtlasLayers)
    assert layers.settings_id == maps.SETTINGS_ID
    parts = maps.render_parts(m, LAYERS)
    assert parts.settings["pins_url"] == "/api/places.geojson?state=TN"
    assert parts.settings["state"] == "TN"
    assert parts.settings_id == maps.SETTINGS_ID


def test_catalog_text_never_reaches_the_folium_script():
    """branca renders element output as a template again: data must stay out of it."""
    hostile = "Offices {{ 7*7 }} {% raw %} {# </script><script>alert(1)</script>"
    layers = maps.Layers(
        **{**LAYERS.__dict__, "categories": [{**LAYERS.categories[0], "name": hostile}]}
    )
    parts = maps.render_parts(build(), layers)
    for rendered in (parts.header, parts.html, parts.script):
        assert "Offices" not in rendered
        assert "7*7" not in rendered
    assert parts.settings["categories"][0]["name"] == hostile


def test_rendered_parts_use_only_local_assets():
    parts = maps.render_parts(build(), LAYERS)
    assert "http" not in parts.header
    assert parts.header.count("/static/vendor/") == 4
    assert "user-scalable=no" not in parts.header
    assert "html, body" not in parts.header
    assert 'class="folium-map"' in parts.html
    assert "AtlasMap.init(" in parts.script
    assert "fitBounds" in parts.script


@pytest.mark.parametrize(
    ("code", "south", "west", "north", "east"),
    [("TN", 34.9, -90.4, 36.7, -81.6), ("AK", 51.2, -179.2, 71.4, -129.9)],
)
def test_state_bounds(states, code, south, west, north, east):
    (s, w), (n, e) = maps.state_bounds(states[code].geometry)
    assert (s, w, n, e) == pytest.approx((south, west, north, east), abs=0.2)
