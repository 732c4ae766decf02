"""Benchmark the home map against two baselines on synthetic catalogs.

For each size (default 10,000 and 50,000 places) the script writes a synthetic
catalog into a temporary SQLite database (never data/), serves the site from
it on 127.0.0.1 with tiles off, and measures in headless Chromium, on the same
data and in the same run:

- ours: the site's home page, pins fetched from /api/places.geojson;
- (b) a plain page that feeds the same GeoJSON to L.geoJSON and a default
  L.markerClusterGroup (map maxZoom 18, as a tile layer would set it);
- (a) Folium's own MarkerCluster page with one folium.Marker per place, each
  with its own popup naming the place, as the tech spike built it (only at
  10,000: at 50,000 its render takes about a minute), rendered once by this
  script; its render time counts as its server time.

Reported per variant: time from navigation to all pins clustered (median of
--runs fresh browser contexts, read from performance.now() in the page), page
HTML size, pins payload raw and gzip, and the server time of each request.

    .venv/bin/python scripts/bench_map.py [--sizes 10000 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import logging
import multiprocessing
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.request import Request
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
import folium  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from flask import Blueprint  # noqa: E402
from flask import g  # noqa: E402
from flask import request  # noqa: E402
from folium import plugins  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import assets  # noqa: E402
from app import create_app  # noqa: E402
from app.cache import cache  # noqa: E402
from app.catalog import CATEGORY_SLUGS  # noqa: E402
from app.catalog.files import read_catalog  # noqa: E402
from app.catalog.loader import load_catalog  # noqa: E402
from app.catalog.pins import store_snapshot  # noqa: E402
from app.geo import load_states  # noqa: E402
from app.models import Initiative  # noqa: E402
from app.models import Place  # noqa: E402
from app.models import db  # noqa: E402
from app.security import talisman  # noqa: E402
from app.views.common import web_outlines  # noqa: E402
from tests.browser.conftest import CHROMIUM  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402

# the benchmark's own servers sign nothing that outlives them
SECRET = secrets.token_hex(32)
CONTIGUOUS = (-124.7, 24.6, -67.0, 49.3)
FOLIUM_CLUSTER_SIZE_LIMIT = 10_000
VERBOSE = False
# navigation milestones and the map's own performance marks, in ms from navigation
TIMELINE_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const marks = performance.getEntriesByType("mark").map((m) => [m.name, Math.round(m.startTime)]);
  return {responseEnd: Math.round(nav.responseEnd),
          domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
          ...Object.fromEntries(marks)};
}"""

BASELINE_B = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baseline (b)</title>
<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="/static/vendor/markercluster/MarkerCluster.css">
<link rel="stylesheet" href="/static/vendor/markercluster/MarkerCluster.Default.css">
<script src="/static/vendor/leaflet/leaflet.js"></script>
<script src="/static/vendor/markercluster/leaflet.markercluster.js"></script>
<style>html, body, #map { height: 100%; margin: 0; }</style></head>
<body><div id="map"></div><script>
const map = L.map("map", {maxZoom: 18}).setView([39, -98], 4);
fetch("/api/places.geojson").then((r) => r.json()).then((data) => {
  const markers = L.markerClusterGroup();
  markers.addLayer(L.geoJSON(data));
  map.addLayer(markers);
  window.benchReady = performance.now();
});
</script></body></html>
"""


def synthetic_catalog(count: int, seed: int = 20261124) -> tuple[list[dict], list[dict]]:
    """Return ``count`` places at random points inside the contiguous states, and
    one or two initiatives for each, deterministically from ``seed``."""
    states = load_states(str(ROOT / "geodata"))
    rng = np.random.default_rng(seed)
    places: list[dict] = []
    while len(places) < count:
        xs = rng.uniform(CONTIGUOUS[0], CONTIGUOUS[2], count)
        ys = rng.uniform(CONTIGUOUS[1], CONTIGUOUS[3], count)
        found = np.full(count, "", dtype=object)
        for code in states.codes:
            inside = shapely.contains_xy(states[code].geometry, xs, ys)
            found[inside & (found == "")] = code
        for x, y, code in zip(xs, ys, found, strict=True):
            if code and len(places) < count:
                n = len(places)
                places.append(
                    {
                        "slug": f"synthetic-{n}",
                        "name": f"Synthetic place {n}",
                        "state": code,
                        "kind": "city",
                        "longitude": round(float(x), 5),
                        "latitude": round(float(y), 5),
                    }
                )
    initiatives = []
    for place in places:
        kinds = rng.choice(CATEGORY_SLUGS, size=2 if rng.random() < 0.25 else 1, replace=False)
        for kind in kinds:
            initiatives.append(
                {
                    "id": f"{place['slug']}-{kind}",
                    "title": f"Synthetic {kind}",
                    "category_slug": str(kind),
                    "place_slug": place["slug"],
                    "summary": "Synthetic record for the map benchmark.",
                    "status": "active",
                    "unconfirmed": [],
                    "last_verified": dt.date(2026, 11, 24),
                }
            )
    return places, initiatives


def build_database(database: Path, count: int) -> tuple[list[tuple[float, float, str]], int]:
    """Write the real categories and ``count`` synthetic places into ``database``.

    Return each place's (latitude, longitude, name), for baseline (a), and the
    number of initiatives.
    """
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": SECRET})
    with app.app_context():
        flask_migrate.upgrade()  # the schema, as a deployment makes it
        real = read_catalog(ROOT / "data", load_states(str(ROOT / "geodata")))
        real.records.clear()
        real.case_studies.clear()
        load_catalog(db.session, real)  # categories only
        places, initiatives = synthetic_catalog(count)
        db.session.execute(insert(Place), places)
        db.session.execute(insert(Initiative), initiatives)
        store_snapshot(db.session)  # as a load does
        db.session.commit()
        db.engine.dispose()
    return [(p["latitude"], p["longitude"], p["name"]) for p in places], len(initiatives)


def serve(database: Path, pages_dir: Path, port: Connection) -> None:
    """Serve the site on ``database`` with tiles off, plus the baseline pages.

    Runs in its own process, as a real server would: sharing the measuring
    process's interpreter lock with Playwright would slow every request.
    ``/bench/<name>`` serves ``pages_dir/<name>.html``; ``/bench/timings``
    returns and forgets the server time of each request so far;
    ``POST /bench/cache-clear`` empties the server cache.
    """
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "MAP_TILES": "none",
            "SECRET_KEY": SECRET,
        }
    )
    timings: dict[str, list[float]] = defaultdict(list)
    bench = Blueprint("bench", __name__, url_prefix="/bench")

    @bench.get("/<name>")
    @talisman(content_security_policy=None)  # the baselines are Folium's own inline pages
    def baseline(name: str):
        return (pages_dir / f"{name}.html").read_text()

    @bench.get("/timings")
    def timings_so_far():
        body = dict(timings)
        timings.clear()
        return body

    @bench.post("/cache-clear")
    def cache_clear():
        cache.clear()
        return "", 204

    @app.before_request
    def start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def record_time(response):
        if not request.path.startswith(("/bench/timings", "/bench/cache-clear")):
            timings[request.full_path.rstrip("?")].append(time.perf_counter() - g.started)
        return response

    app.register_blueprint(bench)
    with app.app_context():
        assets.warm([web_outlines()])  # as gunicorn.conf.py does before serving
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port.send(server.port)
    server.serve_forever()


def folium_cluster_page(rows: list[tuple[float, float, str]]) -> tuple[str, float]:
    """Render baseline (a): Folium's MarkerCluster with one Marker per place.

    Each marker has its own popup naming the place, as in the tech spike's
    baseline: a page that carries its pins in the markup must carry what a pin
    shows when it is opened.
    """
    started = time.perf_counter()
    m = folium.Map(location=[39, -98], zoom_start=4, tiles=None, maxZoom=18)
    m.default_js = [("leaflet", "/static/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "/static/vendor/leaflet/leaflet.css")]
    cluster = plugins.MarkerCluster()
    cluster.default_js = [
        ("markerclusterjs", "/static/vendor/markercluster/leaflet.markercluster.js")
    ]
    cluster.default_css = [
        ("markerclustercss", "/static/vendor/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", "/static/vendor/markercluster/MarkerCluster.Default.css"),
    ]
    cluster.add_to(m)
    for latitude, longitude, name in rows:
        folium.Marker([latitude, longitude], popup=name).add_to(cluster)
    html = m.get_root().render()
    render = time.perf_counter() - started
    # the page's own script clusters every marker synchronously; mark the end
    html = html.replace("</html>", "<script>window.benchReady = performance.now();</script></html>")
    return html, render


def measure(browser, url: str, ready_js: str, runs: int, before_each=None) -> list[float]:
    """Return ms from navigation to all pins clustered, once per fresh context."""
    results = []
    for _ in range(runs):
        if before_each:
            before_each()
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        outside = []
        page.on("request", lambda r, out=outside: "127.0.0.1" not in r.url and out.append(r.url))
        page.goto(url, wait_until="commit", timeout=300_000)
        page.wait_for_function(f"() => ({ready_js}) !== undefined", timeout=300_000, polling=50)
        results.append(page.evaluate(ready_js))
        if VERBOSE:
            print(url, page.evaluate(TIMELINE_JS), file=sys.stderr)
        assert not outside, f"requests left the site: {outside[:3]}"
        context.close()
    return results


def run_size(browser, count: int, runs: int, workdir: Path) -> dict:
    database = workdir / f"bench-{count}.sqlite3"
    pages_dir = workdir / f"pages-{count}"
    pages_dir.mkdir()
    (pages_dir / "b.html").write_text(BASELINE_B)
    rows, initiatives = build_database(database, count)
    receive_port, send_port = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(database, pages_dir, send_port), daemon=True
    )
    server.start()
    base = f"http://127.0.0.1:{receive_port.recv()}"

    def get(path: str, method: str = "GET") -> bytes:
        with urlopen(Request(base + path, method=method)) as response:  # noqa: S310
            return response.read()

    def server_times() -> dict[str, list[float]]:
        return json.loads(get("/bench/timings"))

    def clear_cache():
        get("/bench/cache-clear", "POST")

    payload = get("/api/places.geojson")
    ours_html = get("/")
    result = {"places": count, "initiatives": initiatives, "variants": {}}
    sizes = {"payload": len(payload), "payload_gzip": len(gzip.compress(payload))}
    variants = [
        # cold: the server cache emptied before every run, as for the first visitor after a load
        ("ours-cold", "/", "window.atlasMap && window.atlasMap.readyAt", clear_cache),
        ("b-cold", "/bench/b", "window.benchReady", clear_cache),
        ("ours", "/", "window.atlasMap && window.atlasMap.readyAt", None),
        ("b", "/bench/b", "window.benchReady", None),
    ]
    for name, path, ready, before_each in variants:
        server_times()
        ms = measure(browser, base + path, ready, runs, before_each)
        timings = server_times()
        html = ours_html if path == "/" else BASELINE_B.encode()
        result["variants"][name] = {
            "ms": ms,
            "html": len(html),
            **sizes,
            "server": {p: timings[p][-runs:] for p in (path, "/api/places.geojson")},
        }
    if count <= FOLIUM_CLUSTER_SIZE_LIMIT:
        html, render = folium_cluster_page(rows)
        (pages_dir / "a.html").write_text(html)
        server_times()
        folium_ms = measure(browser, base + "/bench/a", "window.benchReady", runs)
        result["variants"]["a"] = {
            "ms": folium_ms,
            "html": len(html.encode()),
            "payload": 0,
            "payload_gzip": 0,
            "render_s": render,
            "server": {"/bench/a": server_times()["/bench/a"][-runs:]},
        }
    server.terminate()
    server.join()
    return result


def report(results: list[dict]) -> int:
    """Print the table and the targets; return 1 when a target is missed."""
    print(
        "| places | variant | to all pins clustered, median (runs) | page HTML | pins raw | "
        "pins gzip | server time per request (median) |"
    )
    print("|---|---|---|---|---|---|---|")
    names = {
        "ours": "ours, warm server cache",
        "ours-cold": "ours, cold server cache",
        "b": "(b) GeoJSON + default markercluster, warm",
        "b-cold": "(b) GeoJSON + default markercluster, cold",
        "a": "(a) Folium MarkerCluster",
    }
    for result in results:
        for key, variant in result["variants"].items():
            runs = ", ".join(f"{ms:,.0f}" for ms in variant["ms"])
            server = "; ".join(
                f"`{path}` {statistics.median(times) * 1000:,.0f} ms"
                for path, times in variant["server"].items()
            )
            if "render_s" in variant:
                server = f"render {variant['render_s']:,.1f} s; " + server
            median = statistics.median(variant["ms"])
            sizes = " | ".join(
                f"{variant[k] / 1024:,.0f} KB" for k in ("html", "payload", "payload_gzip")
            )
            print(
                f"| {result['places']:,} | {names[key]} | {median:,.0f} ms ({runs}) | {sizes} | "
                f"{server} |"
            )
    failed = 0
    print()
    for result in results:
        v = result["variants"]
        for name, baseline in (("ours-cold", "b-cold"), ("ours", "b")):
            b = statistics.median(v[baseline]["ms"])
            ours = statistics.median(v[name]["ms"])
            label = f"{result['places']:,} places, {names[name]}"
            print(
                f"{label}: ours / (b) = {ours / b:.2f}"
                + (" (target ≤ 0.75 at 50,000)" if result["places"] == 50_000 else "")
            )
            if result["places"] == 50_000 and ours / b > 0.75:
                failed = 1
            if "a" in v:
                # (a) is rendered before its page is served, so its render is added;
                # our server time is already inside the time from navigation
                a_total = v["a"]["render_s"] * 1000 + statistics.median(v["a"]["ms"])
                print(
                    f"{label}: (a) render + browser = {a_total:,.0f} ms; ours from navigation, "
                    f"server time included = {ours:,.0f} ms; (a) / ours = {a_total / ours:.1f}x "
                    "(target ≥ 10 at 10,000)"
                )
                if result["places"] == 10_000 and a_total / ours < 10:
                    failed = 1
        if v["ours"]["html"] > 100 * 1024:
            print(f"{result['places']:,} places: our page HTML is over 100 KB")
            failed = 1
    print("all targets met" if not failed else "a target was missed")
    return failed


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="print page timing marks")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for count in args.sizes:
            print(f"measuring {count:,} places ...", file=sys.stderr)
            results.append(run_size(browser, count, args.runs, Path(tmp)))
        browser.close()
    return report(results)


if __name__ == "__main__":
    raise SystemExit(main())
