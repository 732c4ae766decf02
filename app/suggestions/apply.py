"""Turn an accepted suggestion into an edit of the catalog files, checked by the validator.

An acceptance makes a *change*, kept with the suggestion (``Suggestion.change``):

* ``{"op": "add", "feature": {...}}`` for a new initiative: a whole GeoJSON Feature whose
  ``added``, ``last_verified`` and every source's ``seen`` are the day the curator accepted
  it (and confirmed that the sources state its facts);
* ``{"op": "update", "id": ..., "properties": {...}, "add_sources": [...], "relocate": bool}``
  for a correction: only the fields that change, the sources to add, and whether the
  community moved (its pin is then placed again).

``write_change`` writes a change into a catalog folder (``CATALOG_DIR``, i.e. ``data/``): the
pin comes from the offline geocoder exactly as ``scripts/geocode.py`` places it (a community
already in the catalog keeps its point), the whole catalog is checked by ``read_catalog`` in a
scratch copy, and only a valid catalog replaces ``catalog.geojson``, in its canonical form
(``write_features``). Writing the same change twice leaves the file as the first write did.
Nothing is loaded into the database: the edit is public after a curator commits it and the
next ``flask catalog load``.

The problems are said in the page's language on a curator's page, in English on the command
line (no request there). What the catalog's validator says stays as it says it.
"""

from __future__ import annotations

import copy
import datetime as dt
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.catalog.files import CATALOG_FILE
from app.catalog.files import CatalogError
from app.catalog.files import place_slug
from app.catalog.files import read_catalog
from app.catalog.files import read_features
from app.catalog.files import write_features
from app.geo import load_states
from app.geocode import Gazetteer
from app.geocode import fill_missing_points
from app.geocode import normalize

# the fields a curator sets, in the order data/README.md lists them
FIELDS = (
    "title",
    "category",
    "place",
    "place_type",
    "geocode_as",
    "state",
    "summary",
    "started",
    "mechanism",
    "mechanism_detail",
    "lead_organization",
    "website",
    "status",
)
# what a page marks "not confirmed" when it is empty (data/README.md, `unconfirmed`)
CONFIRMABLE = ("started", "mechanism", "lead_organization")
SHORT_TITLE_WORDS = 6
ID_MAX = 120


class ApplyError(Exception):
    """The change cannot be written; each problem says why (field, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


@cache
def gazetteer(geodata_dir: str) -> Gazetteer:
    """Return the offline gazetteer of a geodata folder, read once per process."""
    return Gazetteer.from_csv(Path(geodata_dir) / "gazetteer.csv")


class CatalogUnreadable(Exception):
    """The catalog file to edit is missing or is not a FeatureCollection."""


def catalog_features(catalog_dir: Path) -> list[dict[str, Any]]:
    """Return the Features of the catalog file in ``catalog_dir``.

    :raise CatalogUnreadable: saying which file and why.
    """
    path = Path(catalog_dir) / CATALOG_FILE
    try:
        features = read_features(path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CatalogUnreadable(
            _("%(path)s cannot be read: %(error)s", path=str(path), error=str(error))
        ) from None
    if not isinstance(features, list) or not all(
        isinstance(f, dict) and isinstance(f.get("properties"), dict) for f in features
    ):
        raise CatalogUnreadable(_("%(path)s is not a FeatureCollection of records", path=str(path)))
    return features


def no_record_any_more(record_id: str) -> str:
    """Say that the catalog has lost the record a change or a suggestion is about."""
    return _("the catalog has no record %(id)s any more", id=repr(record_id))


def find(features: list[dict[str, Any]], record_id: str) -> dict[str, Any] | None:
    """Return the Feature with this id, or None."""
    return next((f for f in features if f["properties"].get("id") == record_id), None)


def place_type_of(features: list[dict[str, Any]], place: str, state: str) -> str | None:
    """Return the ``place_type`` the catalog gives this community, if it has it."""
    slug = place_slug(place, state)
    for feature in features:
        props = feature["properties"]
        if place_slug(props["place"], props["state"]) == slug:
            return props["place_type"]
    return None


def guess_place_type(features: list[dict[str, Any]], place: str, state: str) -> str:
    """Return the catalog's kind of this community, or a guess from its name."""
    known = place_type_of(features, place, state)
    if known:
        return known
    name = place.casefold()
    if "county" in name or "parish" in name:
        return "county"
    return "city"


def new_record_id(place: str, state: str, title: str, taken: set[str]) -> str:
    """Return an unused id by the convention ``<place>-<state>-<short-title>``."""
    words = normalize(title).split()
    # "Cheyenne Welcoming Plan" in Cheyenne: the id names the place once
    place_words = normalize(place).split()
    if words[: len(place_words)] == place_words and len(words) > len(place_words):
        words = words[len(place_words) :]
    words = words[:SHORT_TITLE_WORDS] or ["initiative"]
    base = f"{place_slug(place, state)}-{'-'.join(words)}"[:ID_MAX].strip("-")
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: ID_MAX - len(suffix)].strip("-") + suffix
        number += 1
    return candidate


def new_feature(values: dict[str, Any], sources: list[dict[str, Any]], today: dt.date):
    """Return the Feature of a new initiative (no geometry yet: ``write_change`` places it)."""
    props: dict[str, Any] = {"id": values["record_id"]}
    for name in FIELDS:
        if name == "geocode_as" and not values.get(name):
            continue
        props[name] = values.get(name) or None
    props["unconfirmed"] = [name for name in CONFIRMABLE if props[name] is None]
    props["conflicts"] = []
    props["sources"] = [_source(source, today) for source in sources]
    props["added"] = today.isoformat()
    props["last_verified"] = today.isoformat()
    return {"type": "Feature", "geometry": None, "properties": props}


def _source(source: dict[str, Any], today: dt.date) -> dict[str, Any]:
    cited = {"url": source["url"], "title": source["title"]}
    if source.get("publisher"):
        cited["publisher"] = source["publisher"]
    cited["seen"] = today.isoformat()
    return cited


def update_change(
    record: dict[str, Any],
    values: dict[str, Any],
    sources: list[dict[str, Any]],
    today: dt.date,
) -> dict[str, Any]:
    """Return the change that gives ``record`` the curator's ``values`` and new ``sources``."""
    props = record["properties"]
    changed = {
        name: values.get(name) or None
        for name in FIELDS
        if (values.get(name) or None) != props.get(name)
    }
    changed["last_verified"] = today.isoformat()
    known = {source["url"] for source in props["sources"]}
    return {
        "op": "update",
        "id": props["id"],
        "properties": changed,
        "add_sources": [_source(s, today) for s in sources if s["url"] not in known],
        "relocate": any(name in changed for name in ("place", "state", "geocode_as")),
    }


def add_change(feature: dict[str, Any]) -> dict[str, Any]:
    return {"op": "add", "feature": feature}


def changed_fields(change: dict[str, Any]) -> list[str]:
    """Return the names of the fields a change sets (for the audit log and the pages)."""
    if change["op"] == "add":
        return ["(new record)"]
    names = [name for name in change["properties"] if name != "last_verified"]
    if change["add_sources"]:
        names.append(f"sources (+{len(change['add_sources'])})")
    return names


def edited(features: list[dict[str, Any]], change: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a copy of ``features`` with ``change`` made (the pin not placed yet).

    :raise ApplyError: when the record to change is gone, or the new id is taken.
    """
    features = copy.deepcopy(features)
    if change["op"] == "add":
        feature = copy.deepcopy(change["feature"])
        record_id = feature["properties"]["id"]
        existing = find(features, record_id)
        if existing is not None:
            if _same_record(existing, feature):
                return features
            raise ApplyError(
                [("record_id", _("the catalog has a record %(id)s already", id=repr(record_id)))]
            )
        feature["geometry"] = None
        return [*features, feature]
    feature = find(features, change["id"])
    if feature is None:
        raise ApplyError([("record_id", no_record_any_more(change["id"]))])
    props = feature["properties"]
    for name, value in change["properties"].items():
        if value is None and name == "geocode_as":
            props.pop(name, None)
        else:
            props[name] = value
    known = {source["url"] for source in props["sources"]}
    props["sources"] += [s for s in change["add_sources"] if s["url"] not in known]
    # a field that now has a value is confirmed
    props["unconfirmed"] = [name for name in props.get("unconfirmed", []) if not props.get(name)]
    if change["relocate"]:
        feature["geometry"] = None
    return features


def _same_record(existing: dict[str, Any], feature: dict[str, Any]) -> bool:
    return existing["properties"] == feature["properties"]


def place_pins(features: list[dict[str, Any]], geodata_dir: str) -> None:
    """Give every Feature without a point its community's point, as scripts/geocode.py does.

    :raise ApplyError: naming the community the gazetteer cannot find.
    """
    states = load_states(geodata_dir)
    _placed, errors = fill_missing_points(features, gazetteer(geodata_dir), states)
    if errors:
        message = errors[0].split(": ", 1)[-1]
        raise ApplyError(
            [
                (
                    "place",
                    _(
                        "%(problem)s. Check the spelling, or give the gazetteer's name for the "
                        "pin (“Place the pin as”)",
                        problem=message,
                    ),
                )
            ]
        )


def check(features: list[dict[str, Any]], catalog_dir: Path, geodata_dir: str) -> None:
    """Run the catalog's validator on ``catalog_dir`` with these features, in a scratch copy.

    :raise ApplyError: listing every problem the validator reports.
    """
    with tempfile.TemporaryDirectory() as scratch:
        copy_dir = Path(scratch) / Path(catalog_dir).name
        copy_dir.mkdir()
        for folder in ("categories", "case_studies"):
            if (Path(catalog_dir) / folder).is_dir():
                shutil.copytree(Path(catalog_dir) / folder, copy_dir / folder)
        write_features(features, copy_dir / CATALOG_FILE)
        try:
            read_catalog(copy_dir, load_states(geodata_dir))
        except CatalogError as error:
            raise ApplyError([("catalog", str(problem)) for problem in error.problems]) from None


@contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock while the catalog file is read, edited and replaced."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(change: dict[str, Any], catalog_dir: Path, geodata_dir: str) -> list[dict[str, Any]]:
    """Return the catalog's Features with ``change`` made, placed and checked.

    :raise ApplyError: when the change cannot be made or the result is not a valid catalog.
    """
    try:
        features = edited(catalog_features(catalog_dir), change)
    except CatalogUnreadable as error:
        raise ApplyError([("catalog", str(error))]) from None
    place_pins(features, geodata_dir)
    check(features, catalog_dir, geodata_dir)
    return features


def write_change(
    change: dict[str, Any], catalog_dir: Path, geodata_dir: str, lock_file: Path
) -> bool:
    """Write ``change`` into ``catalog_dir/catalog.geojson``; return whether the file changed.

    :raise ApplyError: and leave the file as it was, when the result would not validate.
    """
    path = Path(catalog_dir) / CATALOG_FILE
    with locked(lock_file):
        features = prepare(change, catalog_dir, geodata_dir)
        before = path.read_bytes()
        scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            write_features(features, scratch)
            if scratch.read_bytes() == before:
                scratch.unlink()
                return False
            os.replace(scratch, path)
        except OSError as error:
            scratch.unlink(missing_ok=True)
            raise ApplyError(
                [
                    (
                        "catalog",
                        _(
                            "%(path)s cannot be written: %(error)s",
                            path=str(path),
                            error=str(error),
                        ),
                    )
                ]
            ) from None
        return True
