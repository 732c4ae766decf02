"""Merge research files (new records and patches) into data/catalog.geojson, then check it.

A research file is JSON: ``{"new": [Feature, ...], "patches": [{"id", "set", "add_sources",
"why"}, ...], "coverage": "..."}`` (see data/incoming/README.md). New records without a point
are placed by the offline gazetteer; a patch sets fields of an existing record and adds the
sources it names (``history`` and ``conflicts`` entries are added to those the record has);
a field a patch sets is no longer ``unconfirmed``. Later files win where two set one field.
Nothing is written when the merged catalog would not validate: every problem is printed,
naming file, record and field.

    .venv/bin/python scripts/merge_research.py data/incoming/*.json
    .venv/bin/python scripts/merge_research.py --dry-run data/incoming/g4g.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog.files import CATALOG_FILE  # noqa: E402
from app.catalog.files import CatalogError  # noqa: E402
from app.catalog.files import read_catalog  # noqa: E402
from app.catalog.files import read_features  # noqa: E402
from app.catalog.files import write_features  # noqa: E402
from app.geo import load_states  # noqa: E402
from app.geocode import Gazetteer  # noqa: E402
from app.geocode import fill_missing_points  # noqa: E402

GEODATA = ROOT / "geodata"
# list fields a patch adds to rather than replaces
ADDITIVE = ("history", "conflicts")


def merge(features: list[dict[str, Any]], research: dict[str, Any], name: str) -> list[str]:
    """Apply one research file to ``features`` in place; return what could not be applied."""
    problems = []
    by_id = {f["properties"]["id"]: f for f in features}
    for patch in research.get("patches", []):
        record = by_id.get(patch["id"])
        if record is None:
            problems.append(f"{name}: patch {patch['id']}: no record has this id")
            continue
        apply_patch(record["properties"], patch)
    for feature in research.get("new", []):
        record_id = feature["properties"]["id"]
        if record_id in by_id:
            problems.append(f"{name}: new {record_id}: a record has this id already")
            continue
        features.append(feature)
        by_id[record_id] = feature
    return problems


def apply_patch(properties: dict[str, Any], patch: dict[str, Any]) -> None:
    """Set the patch's fields and add its sources (each URL once)."""
    urls = {source["url"] for source in properties["sources"]}
    for source in patch.get("add_sources", []):
        if source["url"] not in urls:
            properties["sources"].append(source)
            urls.add(source["url"])
            # whoever saw a new source checked the record against it that day
            properties["last_verified"] = max(properties["last_verified"], source["seen"])
    for field, value in patch.get("set", {}).items():
        if field in ADDITIVE:
            # two research passes may each add entries: keep both, each once
            kept = properties.get(field) or []
            value = kept + [entry for entry in value if entry not in kept]
            if field == "history":
                value = sorted(value, key=lambda entry: entry["date"])
        properties[field] = value
        if value is not None and field in properties.get("unconfirmed", []):
            properties["unconfirmed"].remove(field)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("research", nargs="+", type=Path)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--dry-run", action="store_true", help="check, write nothing")
    args = parser.parse_args()
    features = read_features(args.data / CATALOG_FILE)
    before = len(features)
    problems = []
    for path in args.research:
        problems += merge(features, json.loads(path.read_text(encoding="utf-8")), path.name)
    states = load_states(str(GEODATA))
    _, errors = fill_missing_points(features, Gazetteer.from_csv(GEODATA / "gazetteer.csv"), states)
    problems += [f"geocode: {error}" for error in errors]
    # check the merged catalog in a copy of the data folder: data/ changes only if it is valid
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(args.data, copy, ignore=shutil.ignore_patterns("incoming"))
        write_features(features, copy / CATALOG_FILE)
        try:
            read_catalog(copy, states)
        except CatalogError as error:
            problems += [str(problem) for problem in error.problems]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} problem(s); {args.data / CATALOG_FILE} is unchanged", file=sys.stderr
        )
        return 1
    if not args.dry_run:
        write_features(features, args.data / CATALOG_FILE)
    print(f"{before} records before, {len(features)} after; catalog valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
