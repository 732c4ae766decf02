"""The production path with its real parts: gunicorn workers, PostgreSQL and Redis.

Redis tests need the server on 127.0.0.1:6379 and the gunicorn test needs
TEST_POSTGRES_URL; without them they skip, unless REQUIRE_SERVICES=1 (CI),
where a missing service is a failure.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
import redis
from bs4 import BeautifulSoup

from app import create_app
from app.catalog.files import read_catalog
from app.catalog.loader import load_catalog
from app.config import database_uri
from app.models import db
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import ROOT
from tests.conftest import drop_schema
from tests.conftest import migrate_schema
from tests.conftest import smaller_catalog

REDIS_URL = "redis://127.0.0.1:6379/14"


def require(what: str) -> None:
    message = f"{what} is not available"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message + " (REQUIRE_SERVICES=1)")
    pytest.skip(message)


@pytest.fixture
def redis_url():
    try:
        client = redis.Redis.from_url(REDIS_URL)
        client.flushdb()
    except redis.ConnectionError:
        require("Redis on 127.0.0.1:6379")
    yield REDIS_URL
    client.flushdb()


def summary(html: str) -> str:
    return BeautifulSoup(html, "html.parser").select_one("#filter-summary").get_text()


def test_two_app_instances_share_one_redis_cache(tmp_path, redis_url, states):
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'atlas.sqlite3'}",
        "MAP_TILES": "none",
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_url,
    }
    first, second = create_app(settings), create_app(settings)
    migrate_schema(first)
    with first.app_context():
        load_catalog(db.session, read_catalog(FIXTURE_CATALOG, states))
        db.session.remove()
    store = redis.Redis.from_url(redis_url)

    before = first.test_client().get("/").get_data(as_text=True)
    keys = set(store.keys())
    assert any(b"html:" in key for key in keys)
    # the second instance answers from the entry the first one wrote
    again = second.test_client().get("/").get_data(as_text=True)
    assert set(store.keys()) == keys
    assert summary(again) == summary(before)

    # a load through the first instance is what the second one shows next
    with first.app_context():
        load_catalog(db.session, read_catalog(smaller_catalog(tmp_path), states))
        db.session.remove()
    after = second.test_client().get("/").get_data(as_text=True)
    assert summary(after) != summary(before)
    assert "7 initiatives" in summary(after)
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def test_a_refused_secret_key_ends_the_process_with_one_line():
    code = (
        "import app.config as c; c.LOCAL_SECRET_FILE = 'none'; "
        "from app import create_app; create_app()"
    )
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: SECRET_KEY is unset, empty or 'dev': set SECRET_KEY to a long random value, "
        "e.g. export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
    ]


def test_gunicorn_refuses_to_start_with_the_placeholder_key():
    """gunicorn.conf.py builds the app in the master: one message, then gunicorn stops."""
    env = os.environ | {"SECRET_KEY": "dev"}
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{free_port()}"]
    result = subprocess.run(
        [*command, "app:create_app()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Error: SECRET_KEY is unset, empty or 'dev'" in result.stderr.splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def postgres_app():
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        require("PostgreSQL (TEST_POSTGRES_URL)")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_uri(url)})
    with app.app_context():
        drop_schema()
    migrate_schema(app)
    yield app, url
    with app.app_context():
        db.session.remove()
        drop_schema()
        db.engine.dispose()


def test_pages_read_one_snapshot_while_loads_run_under_gunicorn(postgres_app, tmp_path, states):
    """Under a reload loop, no page mixes one catalog's count with another's rows.

    The cache is off, so that every request reads the database.
    """
    app, url = postgres_app
    catalogs = [
        read_catalog(FIXTURE_CATALOG, states),
        read_catalog(smaller_catalog(tmp_path), states),
    ]
    with app.app_context():
        load_catalog(db.session, catalogs[0])
        db.session.remove()
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "FLASK_CACHE_TYPE": "NullCache",
        "SECRET_KEY": "test-only-secret",
        "MAP_TILES": "none",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "app:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz within 30 s: see " + log.name)

        stop = threading.Event()
        loads = []

        def reload_loop():
            with app.app_context():
                while not stop.is_set():
                    load_catalog(db.session, catalogs[len(loads) % 2])
                    db.session.remove()
                    loads.append(1)

        loader = threading.Thread(target=reload_loop)
        loader.start()
        seen, mismatches, statuses = set(), [], set()
        deadline = time.monotonic() + 10
        paths = ["/", "/?category=case-stories", "/?state=CA"]
        n = 0
        while time.monotonic() < deadline:
            status, html = get(base + paths[n % len(paths)])
            n += 1
            statuses.add(status)
            if status != 200:
                continue
            page = BeautifulSoup(html, "html.parser")
            said = int(re.search(r"(\d+) initiatives?", page.select_one("#filter-summary").text)[1])
            rows = len(page.select("table.initiatives tbody tr"))
            seen.add((paths[(n - 1) % len(paths)], said))
            if said != rows:
                mismatches.append((said, rows))
        stop.set()
        loader.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert statuses == {200}
    assert mismatches == []
    assert len(loads) >= 4 and n >= 30
    # both catalogs were served
    assert {said for path, said in seen if path == "/"} == {7, 8}
