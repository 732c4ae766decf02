"""Offline geocoding: a community name and state to a point, from geodata/.

Nothing here reaches the network. A name the gazetteer does not hold is an
error with suggestions, never a guess.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from app.geo import StateIndex

# which gazetteer kinds answer for each catalog place_type, best first
KIND_ORDER = {
    "county": ("county", "city"),
    "state": ("state",),
    "city-county": ("city", "county"),
}
DEFAULT_KIND_ORDER = ("city", "county")
_ABBREVIATIONS = [
    (r"\bst\b", "saint"),
    (r"\bste\b", "sainte"),
    (r"\bft\b", "fort"),
    (r"\bmt\b", "mount"),
]


class GeocodeError(ValueError):
    """A place that cannot be put on the map."""


@dataclass(frozen=True)
class Location:
    name: str
    state: str
    kind: str
    longitude: float
    latitude: float
    population: int
    ref: str


def normalize(name: str) -> str:
    """Fold a place name for matching: no accents, case or punctuation."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = re.sub(r"[^a-z0-9 ]+", " ", ascii_name.lower())
    for pattern, replacement in _ABBREVIATIONS:
        folded = re.sub(pattern, replacement, folded)
    return " ".join(folded.split())


def _variants(name: str) -> list[str]:
    """Return the spellings to try, the name as given first."""
    key = normalize(name)
    variants = [key, re.sub(r"^(city|town|village) of ", "", key)]
    variants.append(re.sub(r" (city|town)$", "", variants[-1]))
    return list(dict.fromkeys(variants))


class Gazetteer:
    """US cities, counties and states with a point for each."""

    def __init__(self, locations: list[Location]) -> None:
        self._index: dict[tuple[str, str], list[Location]] = defaultdict(list)
        for location in locations:
            self._index[normalize(location.name), location.state].append(location)

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        """Read ``geodata/gazetteer.csv`` as written by ``scripts/build_geodata.py``."""
        with Path(path).open(encoding="utf-8", newline="") as handle:
            return cls(
                [
                    Location(
                        name=row["name"],
                        state=row["state"],
                        kind=row["kind"],
                        longitude=float(row["longitude"]),
                        latitude=float(row["latitude"]),
                        population=int(row["population"] or 0),
                        ref=row["ref"],
                    )
                    for row in csv.DictReader(handle)
                ]
            )

    def lookup(self, name: str, state: str, place_type: str | None = None) -> Location:
        """Return the best match for ``name`` in ``state``.

        :raise GeocodeError: when no entry of a fitting kind has that name.
        """
        kinds = KIND_ORDER.get(place_type or "", DEFAULT_KIND_ORDER)
        for variant in _variants(name):
            found = [loc for loc in self._index.get((variant, state), []) if loc.kind in kinds]
            if found:
                return min(found, key=lambda loc: (kinds.index(loc.kind), -loc.population))
        raise GeocodeError(f"{name!r} is not in the gazetteer for {state}{self._hint(name, state)}")

    def _hint(self, name: str, state: str) -> str:
        names = [key for key, st in self._index if st == state]
        close = difflib.get_close_matches(normalize(name), names, n=3, cutoff=0.75)
        return f" (close: {', '.join(close)})" if close else ""


def geocode(
    gazetteer: Gazetteer, states: StateIndex, name: str, state: str, place_type: str | None
) -> Location:
    """Resolve a community to a point and check that it lies in its state.

    :raise GeocodeError: for unknown names and for points outside ``state``.
    """
    if state not in states:
        raise GeocodeError(f"{state!r} is not a USPS state code")
    location = gazetteer.lookup(name, state, place_type)
    if not states.contains(state, location.longitude, location.latitude):
        raise GeocodeError(f"{name!r} resolved to a point outside {state}")
    return location


def fill_missing_points(
    features: list[dict], gazetteer: Gazetteer, states: StateIndex
) -> tuple[int, list[str]]:
    """Give every feature without geometry the point of its place.

    A place that already has a point in another feature keeps that point, so
    all records of one community share one pin.

    :return: how many features were filled, and one message per failure.
    """
    known = {
        (f["properties"]["place"], f["properties"]["state"]): f["geometry"]
        for f in features
        if f.get("geometry")
    }
    filled, errors = 0, []
    for index, feature in enumerate(features):
        if feature.get("geometry"):
            continue
        props = feature["properties"]
        key = (props["place"], props["state"])
        if key not in known:
            try:
                # ``geocode_as`` names a city or county, whatever the place's own type
                alias = props.get("geocode_as")
                location = geocode(
                    gazetteer,
                    states,
                    alias or props["place"],
                    props["state"],
                    None if alias else props.get("place_type"),
                )
            except GeocodeError as error:
                errors.append(f"feature {index} ({props.get('id')}): {error}")
                continue
            known[key] = {
                "type": "Point",
                "coordinates": [round(location.longitude, 5), round(location.latitude, 5)],
            }
        feature["geometry"] = known[key]
        filled += 1
    return filled, errors
