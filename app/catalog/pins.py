"""The map's pins: one per community, as GeoJSON, and the snapshot each load stores."""

from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.queries import Filters
from app.catalog.queries import filtered
from app.models import Category
from app.models import Initiative
from app.models import PinsSnapshot
from app.models import Place
from app.models import db

_CATEGORY_ORDER = select(Category.slug).order_by(Category.position)

QUOTED_COMMA = '","'


class PlacePin(NamedTuple):
    """One community on the map with the categories it has under the filter."""

    slug: str
    name: str
    state: str
    longitude: float
    latitude: float
    categories: tuple[str, ...]
    count: int


def place_pins(filters: Filters, session: Session | None = None) -> list[PlacePin]:
    """Return one pin per community that has initiatives matching ``filters``.

    One grouped query and no ORM objects: this answers the map's largest request.
    Categories come in map-key order, so a pin's first category is stable.
    """
    session = session or db.session
    order = {slug: n for n, (slug,) in enumerate(session.execute(_CATEGORY_ORDER))}
    statement = filtered(
        select(
            Place.slug,
            Place.name,
            Place.state,
            Place.longitude,
            Place.latitude,
            func.aggregate_strings(Initiative.category_slug, " "),
            func.count(Initiative.id),
        ).join(Initiative.place),
        filters,
    ).group_by(Place.slug)
    # a handful of category combinations recur across thousands of places
    combinations: dict[str, tuple[str, ...]] = {}

    def in_key_order(categories: str) -> tuple[str, ...]:
        if categories not in combinations:
            slugs = set(categories.split())
            combinations[categories] = tuple(sorted(slugs, key=order.__getitem__))
        return combinations[categories]

    return [
        PlacePin(slug, name, state, longitude, latitude, in_key_order(categories), count)
        for slug, name, state, longitude, latitude, categories, count in session.execute(statement)
    ]


def pins_body(filters: Filters) -> str:
    """Return the GeoJSON of the pins matching ``filters``.

    The unfiltered map, the largest and most asked-for answer, comes from the
    snapshot its load stored; a database loaded before snapshots existed, or
    written without the loader, falls back to the query.
    """
    if filters == Filters():
        snapshot = db.session.scalar(select(PinsSnapshot.body))
        if snapshot is not None:
            return snapshot
    return pins_geojson(place_pins(filters))


def store_snapshot(session: Session) -> None:
    """Replace the stored unfiltered pins with those of the session's catalog.

    Call it inside the transaction that writes the catalog, after the rows.
    """
    session.flush()
    session.merge(PinsSnapshot(id=1, body=pins_geojson(place_pins(Filters(), session))))


def pins_geojson(pins: list[PlacePin]) -> str:
    """Write pins as a GeoJSON FeatureCollection.

    Written as text rather than through dicts: at 50,000 pins the dicts cost more
    than the query. Slugs, state codes and categories are ``[a-z0-9-]`` and
    ``[A-Z]``; only names need escaping.
    """
    features = ",".join(
        '{"type":"Feature","geometry":{"type":"Point","coordinates":'
        f'[{pin.longitude!r},{pin.latitude!r}]}},"properties":{{"slug":"{pin.slug}",'
        f'"name":{json.dumps(pin.name)},"state":"{pin.state}",'
        f'"categories":["{QUOTED_COMMA.join(pin.categories)}"],"count":{pin.count}}}}}'
        for pin in pins
    )
    return f'{{"type":"FeatureCollection","features":[{features}]}}'
