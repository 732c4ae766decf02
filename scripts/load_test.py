"""Load-test the site with wrk: gunicorn (2 workers) + PostgreSQL + Redis, and the dev server.

Everything runs on 127.0.0.1. The script loads the catalog into a PostgreSQL database once
(``flask db upgrade`` then ``flask catalog load``), then for each server:

- starts it on a free loopback port: gunicorn with 2 sync workers and the Redis cache, or
  Flask's threaded development server (``flask run``) on the same database, without Redis;
- waits for ``/healthz`` and requests each URL once (a warm cache is the steady state);
- runs wrk for ``--duration`` seconds at ``--connections`` over the five URLs round-robin
  (``/``, a filtered ``/``, ``/api/places.geojson``, a community page, a case study), with
  ``scripts/load_test.lua`` counting responses and 4xx/5xx per URL;
- runs wrk on each URL alone (``/about/data`` too), ``--duration``/5 seconds each, for the
  per-URL throughput (these skip the Lua callbacks: wrk sends one static request and does not
  buffer bodies, so its own CPU share, on the same cores as the server, is smaller).

Reported per run: requests/s, p50/p99/max latency, 4xx/5xx responses, socket errors. wrk
cannot count responses slower than 2 s: a maximum latency under 2 s is the check that there
were none (wrk's own timeout is set to 10 s so that its maximum is a real one; slower
responses would show as "timeout" socket errors). The output is a Markdown table for the
README and a check of the targets, which apply to gunicorn (the development server is
measured beside it for comparison): no 4xx/5xx or socket error, maximum latency under 2 s,
the community page at least 0.5x the requests/s of ``/`` (per-URL runs), and ``/about/data``
cached (a Redis entry appears when it is first served). Exit status 1 when a target is missed.

    .venv/bin/python scripts/load_test.py [--duration 60] [--connections 64] [--threads 2]
        [--server gunicorn|dev|both] [--database-url URL] [--redis-url URL] [--json]

By default it creates (if missing) and uses the PostgreSQL database ``atlas_load`` at
127.0.0.1:5432 as user ``postgres``, and flushes Redis database 15 before and after.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import IO

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = ROOT / "scripts" / "load_test.lua"
# the venv's own entry points, next to the interpreter running this script
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

DEFAULT_DATABASE = "atlas_load"
ADMIN_URL = f"postgresql://postgres@{HOST}:5432/postgres"
DEFAULT_REDIS_URL = f"redis://{HOST}:6379/15"

HOME = "/"
COMMUNITY = "/places/nashville-tn"
MIXED_PATHS = (
    HOME,
    "/?state=TN&category=municipal-offices",
    "/api/places.geojson",
    COMMUNITY,
    "/case-studies/nashville",
)
DATA_REPORT = "/about/data"
SINGLE_PATHS = (*MIXED_PATHS, DATA_REPORT)

MAX_LATENCY_S = 2.0
COMMUNITY_RATIO = 0.5
# well above MAX_LATENCY_S: wrk leaves responses slower than its timeout out of its latency
# histogram (counting them as "timeout" errors), so its maximum would stop at the timeout
WRK_TIMEOUT_S = 10
HEALTH_WAIT_S = 60.0
COMMAND_TIMEOUT_S = 300.0
STOP_WAIT_S = 15.0
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)


@dataclasses.dataclass
class PathCount:
    """Responses and 4xx/5xx of one path in a mixed run (attributed by signature)."""

    path: str
    responses: int
    errors: int


@dataclasses.dataclass
class Run:
    """One wrk run: its totals and, for the mixed run, the count per path."""

    server: str
    label: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    status_errors: int
    socket_errors: dict[str, int]
    paths: list[PathCount] = dataclasses.field(default_factory=list)
    rps: float = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        # a field, not a property, so that the JSON output carries it
        self.rps = self.requests / self.seconds if self.seconds else 0.0

    @property
    def socket_error_total(self) -> int:
        return sum(self.socket_errors.values())


@dataclasses.dataclass
class ServerResult:
    server: str
    mixed: Run
    single: list[Run]
    # None where it cannot be seen from outside (the dev server's cache is in its process)
    data_report_cached: bool | None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="mixed run, seconds [60]")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections [64]")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads [2]")
    parser.add_argument("--server", choices=("gunicorn", "dev", "both"), default="both")
    parser.add_argument(
        "--database-url",
        help=f"PostgreSQL URL (default: database {DEFAULT_DATABASE}, created if missing)",
    )
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS_URL, help="flushed at start and end [%(default)s]"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.duration < 5:
        parser.error("--duration must be at least 5 (each per-URL run is duration/5 s)")
    return args


# --- preparing ---------------------------------------------------------------------------


def ensure_default_database() -> str:
    """Create the load-test database if it is missing; return its URL."""
    try:
        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DEFAULT_DATABASE,)
            ).fetchone()
            if not exists:
                # CREATE DATABASE cannot run inside a transaction, hence autocommit
                name = sql.Identifier(DEFAULT_DATABASE)
                conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    except psycopg.OperationalError as error:
        raise SystemExit(f"cannot reach PostgreSQL at {ADMIN_URL}: {error}") from None
    return f"postgresql://postgres@{HOST}:5432/{DEFAULT_DATABASE}"


def app_env(database_url: str, redis_url: str | None) -> dict[str, str]:
    """The environment the site runs with, as the README documents it."""
    # FLASK_* from the caller's shell (FLASK_CACHE_TYPE, say) would change what is measured
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    for name in ("REDIS_URL", "CATALOG_DIR", "PROXY_COUNT", "TRUSTED_HOSTS", "HTTPS"):
        env.pop(name, None)
    env.update(
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=database_url,
        MAP_TILES="none",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
    )


def prepare_database(database_url: str) -> None:
    """Bring the schema up to date and load data/ into it."""
    env = app_env(database_url, None)
    upgrade = flask(env, "db", "upgrade")
    if upgrade.returncode != 0:
        # before the migrations existed, `catalog load` created the tables itself
        log(f"`flask db upgrade` failed, trying `catalog load` alone:\n{upgrade.stderr.strip()}")
    load = flask(env, "catalog", "load")
    if load.returncode != 0:
        raise SystemExit(f"`flask catalog load` failed:\n{load.stdout}{load.stderr}")
    log(load.stdout.strip())


def flush_redis(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()


def redis_size(redis_url: str) -> int:
    with redis.Redis.from_url(redis_url) as client:
        return int(client.dbsize())


# --- servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_command(server: str, port: int) -> list[str]:
    if server == "gunicorn":
        return [str(BIN / "gunicorn"), "-w", "2", "-b", f"{HOST}:{port}", "app:create_app()"]
    # Flask's development server, threaded by default, without the reloader or debugger
    return [str(BIN / "flask"), "--app", "app", "run", "--host", HOST, "--port", str(port)]


@contextmanager
def running(server: str, env: dict[str, str]) -> Iterator[str]:
    """Start ``server``, yield its base URL once /healthz answers 200, then stop it."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as output:
        # a session of its own, so stopping it reaches the workers and nothing else
        process = subprocess.Popen(
            server_command(server, port),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://{HOST}:{port}"
            wait_healthy(base, process, output)
            yield base
        finally:
            stop(process)


def wait_healthy(base: str, process: subprocess.Popen[bytes], output: IO[str]) -> None:
    deadline = time.monotonic() + HEALTH_WAIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet, or 503 until the catalog is readable
        time.sleep(0.2)
    output.seek(0)
    raise SystemExit(
        f"{base}/healthz did not answer 200 within {HEALTH_WAIT_S:.0f} s:\n{output.read()[-3000:]}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group: TERM, then KILL whatever is left.

    The group, not just the process: gunicorn's workers must not outlive their master.
    """
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_WAIT_S)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the group is gone: the usual case
    process.wait(timeout=STOP_WAIT_S)


# --- measuring ---------------------------------------------------------------------------


def signature(headers: Message, body: bytes) -> str:
    """What load_test.lua recognises a response by: its <title>, else its Content-Type."""
    match = TITLE.search(body[:4096])
    if match:
        return match.group(1).decode()
    return headers.get("Content-Type", "")


def warm(base: str, paths: tuple[str, ...], redis_url: str | None) -> tuple[dict[str, str], bool]:
    """Request each path once; return each one's signature and whether the data report
    left an entry in Redis when it was first served."""
    signatures: dict[str, str] = {}
    data_report_cached = False
    for path in paths:
        before = redis_size(redis_url) if redis_url else 0
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                signatures[path] = signature(response.headers, response.read())
        except urllib.error.HTTPError as error:
            raise SystemExit(f"warm-up: {path} answered {error.code}, expected 200") from None
        if path == DATA_REPORT and redis_url:
            data_report_cached = redis_size(redis_url) > before
    mixed = [signatures[p] for p in MIXED_PATHS]
    if len(set(mixed)) != len(mixed):
        raise SystemExit(
            f"two URLs share a signature; load_test.lua cannot tell them apart: {mixed}"
        )
    return signatures, data_report_cached


def wrk(
    server: str,
    base: str,
    paths: tuple[str, ...],
    signatures: dict[str, str],
    seconds: int,
    args: argparse.Namespace,
) -> Run:
    """Run wrk over ``paths`` (round-robin) and read the lines load_test.lua prints."""
    pairs = [item for path in paths for item in (path, signatures[path])]
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        f"--timeout={WRK_TIMEOUT_S}s",
        f"--script={LUA_SCRIPT}",
        "--",  # the paths and signatures go to the script's init(), never to wrk's options
        base,
        *pairs,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    lines = [
        line.split("\t")[1:] for line in done.stdout.splitlines() if line.startswith("loadtest\t")
    ]
    if done.returncode != 0 or not any(fields[0] == "total" for fields in lines):
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    total: dict[str, int] = {}
    counts: list[PathCount] = []
    for kind, *fields in lines:
        values = {k: int(v) for k, v in (field.split("=", 1) for field in fields)}
        if kind == "total":
            total = values
        elif len(paths) > 1:
            index = values["index"]
            name = paths[index - 1] if index else "(unattributed)"
            counts.append(PathCount(name, values["responses"], values["errors"]))
    counts.sort(key=lambda c: c.path == "(unattributed)")  # paths in order, unattributed last
    return Run(
        server=server,
        label="mixed" if len(paths) > 1 else paths[0],
        requests=total["requests"],
        seconds=total["duration_us"] / 1e6,
        p50_ms=total["p50_us"] / 1000,
        p99_ms=total["p99_us"] / 1000,
        max_ms=total["max_us"] / 1000,
        status_errors=total["status"],
        socket_errors={k: total[k] for k in ("connect", "read", "write", "timeout")},
        paths=counts,
    )


def measure(server: str, database_url: str, args: argparse.Namespace) -> ServerResult:
    redis_url = args.redis_url if server == "gunicorn" else None
    with running(server, app_env(database_url, redis_url)) as base:
        signatures, cached = warm(base, SINGLE_PATHS, redis_url)
        log(f"{server}: {base}, mixed run of {args.duration} s")
        mixed = wrk(server, base, MIXED_PATHS, signatures, args.duration, args)
        single = []
        seconds = round(args.duration / 5)
        for path in SINGLE_PATHS:
            log(f"{server}: {path} alone, {seconds} s")
            single.append(wrk(server, base, (path,), signatures, seconds, args))
    return ServerResult(server, mixed, single, cached if redis_url else None)


# --- reporting ---------------------------------------------------------------------------


def check_targets(results: list[ServerResult]) -> list[tuple[str, bool, str]]:
    """Each target as (what, met, figures); only gunicorn's runs count."""
    gunicorn = next((r for r in results if r.server == "gunicorn"), None)
    if gunicorn is None:
        return []
    runs = [gunicorn.mixed, *gunicorn.single]
    errors = sum(r.status_errors + r.socket_error_total for r in runs)
    slowest = max(r.max_ms for r in runs)
    by_path = {r.label: r.rps for r in gunicorn.single}
    ratio = by_path[COMMUNITY] / by_path[HOME] if by_path[HOME] else 0.0
    return [
        ("no 4xx/5xx response or socket error", errors == 0, f"{errors} in all runs"),
        (
            f"no response over {MAX_LATENCY_S:.0f} s (wrk's maximum latency under it)",
            slowest < MAX_LATENCY_S * 1000,
            f"slowest {slowest:,.0f} ms",
        ),
        (
            f"`{COMMUNITY}` ≥ {COMMUNITY_RATIO}× the requests/s of `/` (per-URL runs)",
            ratio >= COMMUNITY_RATIO,
            f"{ratio:.2f}× ({by_path[COMMUNITY]:,.0f} vs {by_path[HOME]:,.0f} req/s)",
        ),
        (
            f"`{DATA_REPORT}` cached (a Redis entry appears when it is first served)",
            bool(gunicorn.data_report_cached),
            "yes" if gunicorn.data_report_cached else "no new Redis entry",
        ),
    ]


def row(run: Run) -> str:
    label = "mixed: the 5 URLs round-robin" if run.label == "mixed" else f"`{run.label}` alone"
    sockets = ", ".join(f"{k} {v}" for k, v in run.socket_errors.items() if v) or "0"
    return (
        f"| {run.server} | {label} | {run.rps:,.0f} | {run.p50_ms:,.0f} | {run.p99_ms:,.0f} "
        f"| {run.max_ms:,.0f} | {run.status_errors} | {sockets} |"
    )


def markdown(results: list[ServerResult], args: argparse.Namespace, load: float) -> str:
    seconds = round(args.duration / 5)
    lines = [
        f"wrk {args.threads} threads, {args.connections} connections, mixed run "
        f"{args.duration} s, each URL alone {seconds} s; {os.cpu_count()} cores, "
        f"load average {load:.2f} before the run, {dt.date.today().isoformat()}",
        "",
        "| server | run | req/s | p50 ms | p99 ms | max ms | 4xx/5xx | socket errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        lines += [row(result.mixed), *(row(run) for run in result.single)]
    lines += [
        "",
        "Mixed runs, responses per URL (told apart by `<title>` or Content-Type):",
        "",
        "| server | URL | responses | 4xx/5xx |",
        "|---|---|---|---|",
    ]
    for result in results:
        for count in result.mixed.paths:
            if count.path != "(unattributed)" or count.responses:
                name = count.path if count.path.startswith("(") else f"`{count.path}`"
                lines.append(f"| {result.server} | {name} | {count.responses:,} | {count.errors} |")
    return "\n".join(lines)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not on PATH (Debian: apt-get install wrk)")
    # other work on this machine skews every figure: the report says how busy it was
    load = os.getloadavg()[0]
    servers = ("gunicorn", "dev") if args.server == "both" else (args.server,)
    database_url = args.database_url or ensure_default_database()
    results: list[ServerResult] = []
    try:
        flush_redis(args.redis_url)
        log("preparing the database (db upgrade, catalog load)")
        prepare_database(database_url)
        for server in servers:
            results.append(measure(server, database_url, args))
    finally:
        # the page cache of this run must not leak into the next one
        flush_redis(args.redis_url)
    targets = check_targets(results)
    if args.json:
        payload = {
            "settings": {
                k: getattr(args, k) for k in ("duration", "connections", "threads", "server")
            },
            "load_average_before": load,
            "results": [dataclasses.asdict(r) for r in results],
            "targets": [{"target": t, "met": m, "figures": f} for t, m, f in targets],
        }
        print(json.dumps(payload, indent=2))
    else:
        print(markdown(results, args, load))
        print()
        for what, met, figures in targets:
            print(f"- {what}: **{'met' if met else 'MISSED'}**, {figures}")
    if not targets:
        log("The targets apply to gunicorn, which was not run: nothing checked.")
    missed = [what for what, met, _ in targets if not met]
    for what in missed:
        log(f"target missed: {what}")
    return 1 if missed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # the servers were stopped and Redis flushed on the way out (try/finally)
        log("interrupted")
        sys.exit(130)
