"""Measure the home page on Lighthouse's mobile profile: bytes, requests, first pin, load.

The script loads the real catalog (data/) into a temporary SQLite database with
the production loader, serves the site from it on 127.0.0.1 with tiles off (in
a process of its own, so the server never shares the measuring process's
interpreter lock), and opens ``/`` in headless Chromium as a phone: 390 x 844,
touch, 1.6 Mbps down, 750 Kbps up, 150 ms round trip, CPU slowed down 4x
(CDP ``Network.emulateNetworkConditions`` and ``Emulation.setCPUThrottlingRate``).

Each run is a fresh browser context (an empty cache) and measures the first
visit: bytes transferred (compressed bodies and headers, from CDP), requests,
time from navigation to the first pin or cluster on the map, to the load event
and to the state outlines drawn. Then it visits ``/`` again in the same context
and counts the requests for ``/static/`` that reached the server (the server's
own log says so, not the browser). Reported: the median of ``--runs`` runs.

    .venv/bin/python scripts/bench_mobile.py [--runs 5] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import secrets
import statistics
import sys
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from flask import Blueprint  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import assets  # noqa: E402
from app import create_app  # noqa: E402
from app.catalog.files import read_catalog  # noqa: E402
from app.catalog.loader import load_catalog  # noqa: E402
from app.geo import load_states  # noqa: E402
from app.models import db  # noqa: E402
from app.views.common import web_outlines  # noqa: E402
from tests.browser.conftest import CHROMIUM  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.browser.network import PHONE_CONTEXT  # noqa: E402
from tests.browser.network import NetworkLog  # noqa: E402

# the benchmark's own server signs nothing that outlives it
SECRET = secrets.token_hex(32)
# the targets (section 6 of "the map on a phone")
TARGETS = {"first_pin_ms": 1500, "load_ms": 2500, "bytes": 200 * 1024, "requests": 10}
TIMEOUT_MS = 120_000
# installed before the page's own scripts: times (from navigation) of the first frame
# with a pin or cluster on the map and of the first with the outlines drawn. Checked
# once a frame, which is what a visitor sees; an init script runs outside the CSP
MARKS_JS = """
(() => {
  const marks = {};
  window.benchMarks = marks;
  const PIN = ".leaflet-marker-pane .atlas-pin, .leaflet-marker-pane .atlas-cluster";
  const look = () => {
    const now = performance.now();
    if (marks.firstPin === undefined && document.querySelector(PIN)) marks.firstPin = now;
    if (marks.outlines === undefined && document.documentElement.dataset.outlines === "ready") {
      marks.outlines = now;
    }
    if (marks.firstPin === undefined || marks.outlines === undefined) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
DONE_JS = """() => window.benchMarks && window.benchMarks.firstPin !== undefined
  && window.benchMarks.outlines !== undefined
  && performance.getEntriesByType("navigation")[0].loadEventEnd > 0"""
READ_JS = """() => ({...window.benchMarks,
  load: performance.getEntriesByType("navigation")[0].loadEventEnd})"""


def build_database(database: Path) -> None:
    """Migrate ``database`` and load the real catalog into it, as a deployment does."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": SECRET})
    with app.app_context():
        flask_migrate.upgrade()
        load_catalog(db.session, read_catalog(ROOT / "data", load_states(str(ROOT / "geodata"))))
        db.session.remove()
        db.engine.dispose()


def serve(database: Path, port: Connection) -> None:
    """Serve the site on ``database`` with tiles off; runs in a process of its own.

    ``/bench/requests`` returns and forgets the paths served so far and their
    status, so the script can tell which requests of a visit reached the server.
    """
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "MAP_TILES": "none",
            "SECRET_KEY": SECRET,
        }
    )
    served: list[tuple[str, int]] = []
    bench = Blueprint("bench", __name__, url_prefix="/bench")

    @bench.get("/requests")
    def requests_so_far():
        paths = list(served)
        served.clear()
        return {"paths": paths}

    # as the answer leaves the app: after every after-request function (304s included)
    inner = app.wsgi_app

    def recorded(environ, start_response):
        def start(status, headers, exc_info=None):
            path = environ.get("PATH_INFO", "")
            if not path.startswith("/bench/"):
                served.append((path, int(status.split()[0])))
            return start_response(status, headers, exc_info)

        return inner(environ, start)

    app.wsgi_app = recorded

    app.register_blueprint(bench)
    with app.app_context():
        assets.warm([web_outlines()])  # as gunicorn.conf.py does before serving
    server = make_server("127.0.0.1", 0, app, threaded=True)
    port.send(server.port)
    server.serve_forever()


def visit(page, url: str, log: NetworkLog) -> dict:
    """Open ``url`` and wait for pins, outlines and the load event; return the figures."""
    log.clear()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(DONE_JS, timeout=TIMEOUT_MS, polling=100)
    # let the last responses finish and CDP report them
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    marks = page.evaluate(READ_JS)
    return {
        "bytes": log.transferred,
        "requests": len(log.network),
        "first_pin_ms": marks["firstPin"],
        "load_ms": marks["load"],
        "outlines_ms": marks["outlines"],
        "fetches": [(f.url, f.status, f.encoded_bytes) for f in log.network],
    }


def run(browser, base: str, runs: int, path: str = "/") -> list[dict]:
    """Measure ``runs`` first and repeat visits of ``path``, each in a fresh context."""

    def served() -> list[list]:
        with urlopen(base + "/bench/requests") as response:  # noqa: S310
            return json.loads(response.read())["paths"]

    results = []
    for _ in range(runs):
        context = browser.new_context(**PHONE_CONTEXT)
        page = context.new_page()
        page.add_init_script(MARKS_JS)
        log = NetworkLog.attach(page, throttle=True)
        served()
        first = visit(page, base + path, log)
        first["served"] = served()
        # a new navigation, as when the visitor comes back (not a reload)
        page.goto("about:blank")
        repeat = visit(page, base + path, log)
        repeat["served"] = served()
        repeat["static_at_server"] = sum(p.startswith("/static/") for p, _ in repeat["served"])
        results.append({"first": first, "repeat": repeat})
        context.close()
    return results


def report(results: list[dict], verbose: bool) -> int:
    """Print the medians as a Markdown table and the targets; return 1 if one is missed."""
    rows = [
        ("first visit: transferred", "first", "bytes", lambda v: f"{v / 1024:,.0f} KB"),
        ("first visit: requests", "first", "requests", lambda v: f"{v:,.0f}"),
        ("first visit: first pin", "first", "first_pin_ms", lambda v: f"{v / 1000:,.2f} s"),
        ("first visit: load event", "first", "load_ms", lambda v: f"{v / 1000:,.2f} s"),
        ("first visit: outlines drawn", "first", "outlines_ms", lambda v: f"{v / 1000:,.2f} s"),
        ("repeat visit: transferred", "repeat", "bytes", lambda v: f"{v / 1024:,.1f} KB"),
        ("repeat visit: requests to the server", "repeat", "requests", lambda v: f"{v:,.0f}"),
        (
            "repeat visit: /static/ requests at the server",
            "repeat",
            "static_at_server",
            lambda v: f"{v:,.0f}",
        ),
        ("repeat visit: first pin", "repeat", "first_pin_ms", lambda v: f"{v / 1000:,.2f} s"),
        ("repeat visit: load event", "repeat", "load_ms", lambda v: f"{v / 1000:,.2f} s"),
    ]
    print(f"| what | median of {len(results)} | runs |")
    print("|---|---|---|")
    medians: dict[tuple[str, str], float] = {}
    for label, visit_name, key, fmt in rows:
        values = [r[visit_name][key] for r in results]
        medians[visit_name, key] = statistics.median(values)
        runs = ", ".join(fmt(v) for v in values)
        print(f"| {label} | {fmt(medians[visit_name, key])} | {runs} |")
    if verbose:
        for visit_name in ("first", "repeat"):
            print(f"\n{visit_name} visit of the first run, requests that reached the server:")
            for url, status, size in results[0][visit_name]["fetches"]:
                print(f"  {status} {size:>9,} B  {url}")
            answers = results[0][visit_name]["served"]
            print("  the server answered: " + ", ".join(f"{p} {status}" for p, status in answers))
    print()
    failed = 0
    for key, limit in TARGETS.items():
        value = medians["first", key]
        ok = value <= limit
        failed |= not ok
        print(f"first visit {key}: {value:,.0f} (target ≤ {limit:,}): {'met' if ok else 'MISSED'}")
    static = medians["repeat", "static_at_server"]
    failed |= static > 0
    print(f"repeat visit /static/ requests at the server: {static:,.0f} (target 0)")
    print("all targets met" if not failed else "a target was missed")
    return int(failed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list the requests of a run")
    parser.add_argument("--path", default="/", help="the page to open: / or /es/ (Spanish)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "atlas.sqlite3"
        build_database(database)
        receive_port, send_port = multiprocessing.Pipe(duplex=False)
        server = multiprocessing.get_context("spawn").Process(
            target=serve, args=(database, send_port), daemon=True
        )
        server.start()
        base = f"http://127.0.0.1:{receive_port.recv()}"
        try:
            # the server's page and pins caches are warm, as for every visitor but the first
            language = args.path.rstrip("/")  # "" or "/es"
            for path in (args.path, language + "/api/places.geojson", "/bench/requests"):
                with urlopen(base + path) as response:  # noqa: S310
                    response.read()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                results = run(browser, base, args.runs, args.path)
                browser.close()
        finally:
            server.terminate()
            server.join()
    return report(results, args.verbose)


if __name__ == "__main__":
    raise SystemExit(main())
