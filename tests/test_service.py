"""The site as a service: 503 without a catalog, /healthz, hosts, methods and caching."""

from pathlib import Path

import pytest

from app import create_app
from app.cache import cache
from app.models import db
from tests.conftest import FIXTURE_CATALOG
from tests.conftest import migrate_schema
from tests.conftest import smaller_catalog
from tests.conftest import soup

ROUTES = ["/", "/about/", "/about/data", "/places/nashville-tn", "/categories/", "/states/TN"]
API_ROUTES = ["/api/places.geojson", "/api/places/nashville-tn.json"]
NOT_LOADED = "The catalog is not loaded yet"


def app_on(path: Path, **settings):
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "MAP_TILES": "none"}
        | settings
    )


@pytest.fixture(params=["missing", "empty file", "schema only"])
def unloaded_app(request, tmp_path):
    """An app whose database has no catalog, in each way a database can lack one."""
    path = tmp_path / "atlas.sqlite3"
    if request.param == "empty file":
        path.touch()
    app = app_on(path)
    if request.param == "schema only":
        migrate_schema(app)
    yield app, path, request.param
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("url", ROUTES)
def test_pages_without_a_catalog_answer_503_naming_the_command(unloaded_app, url):
    app, _, _ = unloaded_app
    response = app.test_client().get(url)
    assert (response.status_code, response.mimetype) == (503, "text/html")
    assert response.headers["Retry-After"] == "60"
    page = soup(response)
    assert page.h1.get_text() == "Service Unavailable"
    message = page.select_one(".error-message").get_text()
    assert NOT_LOADED in message and "flask --app app catalog load" in message


@pytest.mark.parametrize("url", API_ROUTES)
def test_the_api_without_a_catalog_answers_503_as_json(unloaded_app, url):
    app, _, _ = unloaded_app
    response = app.test_client().get(url)
    assert (response.status_code, response.mimetype) == (503, "application/json")
    assert NOT_LOADED in response.get_json()["message"]


def test_a_missing_sqlite_file_is_reported_not_created(unloaded_app):
    app, path, kind = unloaded_app
    client = app.test_client()
    assert client.get("/").status_code == 503
    assert client.get("/healthz").status_code == 503
    assert path.exists() == (kind != "missing")


def test_healthz_reports_the_catalog_digest(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert len(body["catalog"]) == 64


def test_healthz_without_a_catalog_is_503(unloaded_app):
    app, _, _ = unloaded_app
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_load_if_empty_fills_a_schema_only_database_once(tmp_path):
    app = app_on(tmp_path / "atlas.sqlite3", CATALOG_DIR=str(FIXTURE_CATALOG))
    migrate_schema(app)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["catalog", "load", "--if-empty"])
    assert first.exit_code == 0 and first.output.startswith("Loaded 8 initiatives")
    second = runner.invoke(args=["catalog", "load", "--if-empty"])
    assert second.output.strip() == "A catalog is loaded already; nothing to do."
    assert app.test_client().get("/").status_code == 200


def test_hosts_outside_trusted_hosts_are_refused(app):
    app.config["TRUSTED_HOSTS"] = ["atlas.example.org"]
    client = app.test_client()
    assert client.get("/about", headers={"Host": "atlas.example.org"}).status_code == 308
    response = client.get("/about", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.headers.get("Location", "")


def test_405_says_which_methods_are_allowed(client):
    for url in ["/", "/api/places.geojson"]:
        response = client.post(url)
        assert response.status_code == 405
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("raw", ["²", "١", "9" * 4300, "0", "-1", "1.0", " 1"])
def test_odd_page_numbers_are_400_and_never_cached(client, raw):
    with client.application.app_context():
        cache.clear()
    response = client.get("/", query_string={"page": raw})
    assert response.status_code == 400
    assert len(response.get_data()) < 20_000  # the number is not echoed whole
    with client.application.app_context():
        assert not [k for k in cache.cache._cache if k.startswith("html:")]


def test_spellings_of_one_page_share_one_cache_entry(client):
    with client.application.app_context():
        cache.clear()
    bodies = {client.get(f"/?page={raw}&state=tn").get_data(as_text=True) for raw in ["1", "01"]}
    assert client.get("/?state=TN").status_code == 200
    assert client.get("/?state=TN&page=1&x=y").status_code == 200
    with client.application.app_context():
        keys = [k for k in cache.cache._cache if k.startswith("html:")]
    assert len(keys) == 1
    assert len(bodies) == 2  # same page, each with its own CSP nonce


def test_a_cached_page_gets_a_fresh_nonce_matching_its_header(client):
    for _ in range(2):
        response = client.get("/places/nashville-tn")
        nonce = soup(response).select_one("script[nonce]")["nonce"]
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_security_headers_on_every_kind_of_response(client):
    for url in ["/", "/no-such-page", "/api/places.geojson", "/static/css/site.css", "/healthz"]:
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]:
            assert directive in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "unsafe-eval" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "geolocation=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers


def test_https_deployments_send_hsts_and_redirect_plain_http(tmp_path):
    app = app_on(tmp_path / "x.sqlite3", HTTPS=True)
    client = app.test_client()
    plain = client.get("/healthz")
    assert plain.status_code == 302
    assert plain.headers["Location"].startswith("https://")
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_openstreetmap_tiles_widen_only_img_src(tmp_path):
    app = app_on(tmp_path / "x.sqlite3", MAP_TILES="openstreetmap")
    policy = app.test_client().get("/healthz").headers["Content-Security-Policy"]
    img = [part for part in policy.split("; ") if part.startswith("img-src")]
    assert img == ["img-src 'self' data: https://tile.openstreetmap.org"]
    assert policy.count("openstreetmap") == 1


def test_a_request_reads_one_snapshot_while_a_load_commits(any_app, states, tmp_path):
    """The digest and the rows a request reads come from one catalog (both databases)."""
    from sqlalchemy.orm import Session

    from app.catalog import queries
    from app.catalog.files import read_catalog
    from app.catalog.loader import load_catalog

    smaller = smaller_catalog(tmp_path)

    with any_app.test_request_context("/"):
        before = (queries.catalog_version(), queries.count_matches(queries.Filters()))
        with Session(db.engine) as other:  # another connection: another worker's load
            load_catalog(other, read_catalog(smaller, states))
        # this request still reads the catalog it started with...
        db.session.expire_all()
        assert queries.count_matches(queries.Filters()) == before[1] == (7, 8)
        db.session.remove()
    # ...and the next one reads the new catalog
    with any_app.test_request_context("/"):
        assert queries.catalog_version() != before[0]
        assert queries.count_matches(queries.Filters()) == (6, 7)
