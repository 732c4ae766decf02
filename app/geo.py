"""US state outlines for point-in-state checks, read from ``geodata/``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import shapely
from shapely.geometry import Point
from shapely.geometry import shape

# how far (in degrees, about 5 km) a point may sit outside its state's
# simplified 1:10m outline: coastal towns and border cities fall just outside
STATE_TOLERANCE_DEG = 0.05
# the lighter outlines the map draws (/api/states.geojson); never used for a check
WEB_OUTLINES_FILE = "us-states-web.geojson"


@dataclass(frozen=True)
class State:
    code: str
    fips: str
    name: str
    geometry: shapely.Geometry


class StateIndex:
    """The states, DC and Puerto Rico with their outlines, keyed by USPS code."""

    def __init__(self, states: list[State]) -> None:
        self._states = {state.code: state for state in states}
        for state in states:
            shapely.prepare(state.geometry)

    @classmethod
    def from_geojson(cls, path: Path) -> StateIndex:
        """Read ``us-states.geojson`` as written by ``scripts/build_geodata.py``."""
        collection = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            [
                State(
                    code=feature["properties"]["usps"],
                    fips=feature["properties"]["fips"],
                    name=feature["properties"]["name"],
                    geometry=shape(feature["geometry"]),
                )
                for feature in collection["features"]
            ]
        )

    @property
    def codes(self) -> list[str]:
        return sorted(self._states)

    def __contains__(self, code: object) -> bool:
        return code in self._states

    def __getitem__(self, code: str) -> State:
        return self._states[code]

    def names(self) -> dict[str, str]:
        """Return ``{code: name}`` sorted by name, as filters list them."""
        ordered = sorted(self._states.values(), key=lambda state: state.name)
        return {state.code: state.name for state in ordered}

    def contains(
        self, code: str, lon: float, lat: float, tolerance: float = STATE_TOLERANCE_DEG
    ) -> bool:
        """Tell whether the point lies in the state, allowing ``tolerance`` degrees."""
        geometry = self._states[code].geometry
        point = Point(lon, lat)
        return geometry.contains(point) or geometry.distance(point) <= tolerance

    def locate(self, lon: float, lat: float) -> str | None:
        """Return the code of the state containing the point, if any."""
        point = Point(lon, lat)
        for code, state in self._states.items():
            if state.geometry.contains(point):
                return code
        return None


@cache
def load_states(geodata_dir: str) -> StateIndex:
    """Return the state index for a geodata folder, read once per process."""
    return StateIndex.from_geojson(Path(geodata_dir) / "us-states.geojson")
