"""The map's pins as GeoJSON, and the snapshot of them that each load stores."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.queries import Filters
from app.catalog.queries import PlacePin
from app.catalog.queries import place_pins
from app.models import PinsSnapshot
from app.models import db

QUOTED_COMMA = '","'


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
