"""Fill missing pin coordinates in data/catalog.geojson from the offline gazetteer.

Records with ``"geometry": null`` get the point of their ``place`` (or
``geocode_as``) in their ``state``. Names the gazetteer does not know are
reported and left empty; nothing is guessed. The file is rewritten in its
canonical form (features sorted by id).

    .venv/bin/python scripts/geocode.py [--catalog data/catalog.geojson]
    .venv/bin/python scripts/geocode.py --lookup "Redwood City" CA
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.catalog.files import read_features  # noqa: E402
from app.catalog.files import write_features  # noqa: E402
from app.geo import load_states  # noqa: E402
from app.geocode import Gazetteer  # noqa: E402
from app.geocode import GeocodeError  # noqa: E402
from app.geocode import fill_missing_points  # noqa: E402
from app.geocode import geocode  # noqa: E402

GEODATA = ROOT / "geodata"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=ROOT / "data" / "catalog.geojson")
    parser.add_argument("--lookup", nargs=2, metavar=("PLACE", "STATE"), help="resolve one name")
    args = parser.parse_args()
    gazetteer = Gazetteer.from_csv(GEODATA / "gazetteer.csv")
    states = load_states(str(GEODATA))
    if args.lookup:
        try:
            location = geocode(gazetteer, states, *args.lookup, None)
        except GeocodeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(
            f"{location.name}, {location.state} ({location.kind}, {location.ref}): "
            f"{location.latitude}, {location.longitude}"
        )
        return 0
    features = read_features(args.catalog)
    filled, errors = fill_missing_points(features, gazetteer, states)
    write_features(features, args.catalog)
    print(f"filled {filled} point(s); wrote {args.catalog}")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
