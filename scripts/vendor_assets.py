"""Copy the browser assets the site serves into static/vendor/ from pinned npm packages.

Nothing is loaded from a CDN at run time: Leaflet, Leaflet.markercluster and the
Font Awesome solid icons are served by the site itself. Of Font Awesome only the
icons the catalog's categories name (``icon:`` in data/categories/*.md) are kept,
as one SVG sprite of ``<symbol id="icon-NAME">`` built from the package's
svgs/solid/ (about 4 KB, where the font and its CSS were 231 KB); the pages
inline it. axe-core goes to tests/browser/vendor/ for the accessibility checks.
Each package's licence is copied beside its files, and static/vendor/README.md
lists what is there.

    .venv/bin/python scripts/vendor_assets.py [--force]
"""

import argparse
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import yaml

ROOT = Path(__file__).resolve().parent.parent
FONT_AWESOME = "@fortawesome/fontawesome-free@6.2.0"
SPRITE = ROOT / "static/vendor/fontawesome/icons.svg"
SVG_NS = "http://www.w3.org/2000/svg"

# package spec -> (destination folder, {file in the package: file in the destination})
PACKAGES = {
    "leaflet@1.9.4": (
        ROOT / "static/vendor/leaflet",
        {
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
            "LICENSE": "LICENSE",
        },
    ),
    "leaflet.markercluster@1.5.3": (
        ROOT / "static/vendor/markercluster",
        {
            "dist/leaflet.markercluster.js": "leaflet.markercluster.js",
            "dist/MarkerCluster.css": "MarkerCluster.css",
            "dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
            "MIT-LICENCE.txt": "LICENSE",
        },
    ),
    # the icons themselves go into SPRITE (build_sprite)
    FONT_AWESOME: (ROOT / "static/vendor/fontawesome", {"LICENSE.txt": "LICENSE"}),
    "axe-core@4.14.1": (
        ROOT / "tests/browser/vendor/axe-core",
        {"axe.min.js": "axe.min.js", "LICENSE": "LICENSE"},
    ),
}


def fetch(spec: str, workdir: Path) -> Path:
    """Download one npm package with ``npm pack`` and unpack it; return its folder."""
    target = workdir / spec.replace("/", "_").replace("@", "_")
    target.mkdir()
    subprocess.run(["npm", "pack", spec, "--silent"], cwd=target, check=True, capture_output=True)
    (tarball,) = target.glob("*.tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def copy_files(package: Path, destination: Path, files: dict[str, str]) -> list[Path]:
    """Copy the listed files of an unpacked package; return what was written."""
    written = []
    for source, name in files.items():
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / source, path)
        written.append(path)
    return written


def category_icons(data_dir: Path) -> list[str]:
    """Return the Font Awesome names the categories' front matter gives as ``icon``."""
    names = set()
    for path in sorted((data_dir / "categories").glob("*.md")):
        front_matter = path.read_text(encoding="utf-8").split("---", 2)[1]
        names.add(yaml.safe_load(front_matter)["icon"])
    return sorted(names)


def build_sprite(svg_dir: Path, names: list[str]) -> str:
    """Return one SVG of ``<symbol id="icon-NAME">`` for each named icon in ``svg_dir``.

    The symbols keep each icon's viewBox and paths; Font Awesome's attribution
    comment (CC BY 4.0 asks for it) heads the file.
    """
    notice = ""
    symbols = []
    for name in names:
        text = (svg_dir / f"{name}.svg").read_text(encoding="utf-8")
        if match := re.search(r"<!--!?(.*?)-->", text, re.S):
            notice = match.group(1).strip()
        svg = ElementTree.fromstring(text)
        paths = "".join(f'<path d="{path.get("d")}"/>' for path in svg.iter(f"{{{SVG_NS}}}path"))
        symbols.append(f'<symbol id="icon-{name}" viewBox="{svg.get("viewBox")}">{paths}</symbol>')
    credit = f"{notice} Solid icons from {FONT_AWESOME} svgs/solid/, by scripts/vendor_assets.py."
    return "\n".join(
        [
            f'<svg xmlns="{SVG_NS}" aria-hidden="true" style="display:none">',
            f"<!-- {credit} -->",
            *symbols,
            "</svg>",
            "",
        ]
    )


def write_index(path: Path) -> None:
    lines = [
        "# Vendored browser assets",
        "",
        "Written by `scripts/vendor_assets.py` from these npm packages; do not edit by hand.",
        "Each folder holds the package's licence.",
        "",
        "| package | folder |",
        "|---|---|",
    ]
    for spec, (destination, _) in PACKAGES.items():
        lines.append(f"| `{spec}` | `{destination.relative_to(ROOT)}/` |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="replace existing vendored files")
    args = parser.parse_args()
    destinations = [destination for destination, _ in PACKAGES.values()]
    if not args.force and any(d.exists() for d in destinations):
        parser.error("vendored folders exist; pass --force to replace them")
    with tempfile.TemporaryDirectory() as tmp:
        for spec, (destination, files) in PACKAGES.items():
            shutil.rmtree(destination, ignore_errors=True)
            package = fetch(spec, Path(tmp))
            for path in copy_files(package, destination, files):
                print(f"wrote {path.relative_to(ROOT)}")
            if spec == FONT_AWESOME:
                names = category_icons(ROOT / "data")
                SPRITE.write_text(build_sprite(package / "svgs/solid", names), encoding="utf-8")
                print(f"wrote {SPRITE.relative_to(ROOT)} ({', '.join(names)})")
    write_index(ROOT / "static/vendor/README.md")
    print("wrote static/vendor/README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
